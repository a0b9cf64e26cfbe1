package dev.reversible.spring.metadata;

import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link CompensationHandler}: the handler's own exception reaches the caller unwrapped, so
 * that core reports the real compensation failure.
 */
class CompensationHandlerTests {

    private final ReversibleOperationSource source = new ReversibleOperationSource();

    @Test
    void invokeRethrowsTheHandlersCheckedExceptionUnwrapped() throws Exception {
        Failing bean = new Failing(new IOException("refund refused"));
        assertThatThrownBy(() -> handler().invoke(bean, new Object[] { "alice" }, null, null)).isSameAs(bean.failure);
    }

    @Test
    void invokeRethrowsTheHandlersErrorUnwrapped() throws Exception {
        Failing bean = new Failing(new OutOfMemoryError("simulated"));
        assertThatThrownBy(() -> handler().invoke(bean, new Object[] { "alice" }, null, null)).isSameAs(bean.failure);
    }

    @Test
    void invokeWrapsAThrowableThatIsNeitherExceptionNorErrorInAnUndeclaredThrowableException() throws Exception {
        Failing bean = new Failing(new Unusual());
        assertThatThrownBy(() -> handler().invoke(bean, new Object[] { "alice" }, null, null))
                .isExactlyInstanceOf(UndeclaredThrowableException.class)
                .cause().isSameAs(bean.failure);
    }

    @Test
    void toStringShowsTheHandlersSignature() throws Exception {
        assertThat(handler()).hasToString("Failing.refund(String)");
    }

    private CompensationHandler handler() throws Exception {
        return ((ActionSpec) source.find(Failing.class.getMethod("charge", String.class), Failing.class)).handler();
    }

    static class Failing {

        final Throwable failure;

        Failing(Throwable failure) {
            this.failure = failure;
        }

        @ReversibleAction
        public void charge(String customer) {
        }

        @Compensate("charge")
        public void refund(String customer) throws Throwable {
            throw failure;
        }
    }

    /** Legal to throw from a method declaring {@code throws Throwable}, yet neither an Exception nor an Error. */
    static class Unusual extends Throwable {

        private static final long serialVersionUID = 1L;
    }
}
