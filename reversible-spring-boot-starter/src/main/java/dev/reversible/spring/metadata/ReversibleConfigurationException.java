package dev.reversible.spring.metadata;

import java.lang.reflect.Method;

/**
 * A bean's reversible annotations cannot work as written; thrown at start-up, so that the application
 * never runs with a step whose compensation would be lost.
 *
 * <pre>{@code
 * Bean 'inventory' (com.example.Inventory), method reserve(String, int): @ReversibleAction 'reserve' has no @Compensate("reserve")
 * handler on the same bean. Expected: @Compensate("reserve") void anyName(String, int[, Reservation result][, CompensationContext context])
 * }</pre>
 */
public class ReversibleConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String beanName;
    private final transient Method method;
    private final String reason;

    /**
     * @param beanName the bean's name, or {@code null} when not known yet
     * @param beanClass the bean's user class
     * @param method the offending method (the handler; the action where there is no handler)
     * @param reason what is wrong and how to fix it
     */
    public ReversibleConfigurationException(String beanName, Class<?> beanClass, Method method, String reason) {
        super("Bean " + (beanName != null ? "'" + beanName + "' (" + beanClass.getName() + ")" : beanClass.getName())
                + ", method " + signature(method) + ": " + reason);
        this.beanName = beanName;
        this.method = method;
        this.reason = reason;
    }

    /** @return the bean's name, or {@code null} when it was not known */
    public String getBeanName() {
        return beanName;
    }

    /** @return the offending method */
    public Method getMethod() {
        return method;
    }

    /** @return what is wrong, without the bean and method prefix */
    public String getReason() {
        return reason;
    }

    static String signature(Method method) {
        StringBuilder text = new StringBuilder(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            text.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return text.append(')').toString();
    }
}
