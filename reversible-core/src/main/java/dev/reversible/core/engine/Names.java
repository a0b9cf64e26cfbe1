package dev.reversible.core.engine;

import dev.reversible.core.Action;
import dev.reversible.core.AsyncAction;

/**
 * Step names: the defaults, derived once per class from what a human would recognise, and a leaf's own. Public only
 * for the default {@code name()} of {@link dev.reversible.core.Action} and {@link dev.reversible.core.AsyncAction}.
 * Not API: it may change in any release.
 */
public final class Names {

    private static final ClassValue<String> CLASS_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String simple = type.getSimpleName();
            // Anonymous and lambda classes have no useful simple name.
            return (simple.isEmpty() || simple.contains("$$Lambda") || type.isSynthetic()) ? type.getName() : simple;
        }
    };

    private Names() {
    }

    /**
     * @param type an action's class
     * @return its simple name, or its full name for an anonymous or lambda class
     */
    public static String ofClass(Class<?> type) {
        return CLASS_NAMES.get(type);
    }

    /** @return the name of a journal leaf: an {@link Action} or an {@link AsyncAction} */
    static String ofStep(Object leaf) {
        return leaf instanceof Action<?> action ? action.name() : ((AsyncAction<?>) leaf).name();
    }
}
