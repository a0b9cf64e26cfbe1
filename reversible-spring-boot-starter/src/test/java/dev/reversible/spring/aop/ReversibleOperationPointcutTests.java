package dev.reversible.spring.aop;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.metadata.ReversibleOperationSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReversibleOperationPointcut}: it matches exactly the sagas and actions the source
 * knows, and pointcuts (and their class filters) over one source are equal, as Spring's own are.
 */
class ReversibleOperationPointcutTests {

    private final ReversibleOperationSource source = new ReversibleOperationSource();

    @Test
    void matchesSagasAndActionsButNotHandlersOrPlainMethods() throws Exception {
        ReversibleOperationPointcut pointcut = new ReversibleOperationPointcut(source);

        assertThat(pointcut.matches(Shop.class.getMethod("order"), Shop.class)).isTrue();
        assertThat(pointcut.matches(Shop.class.getMethod("reserve", String.class), Shop.class)).isTrue();
        assertThat(pointcut.matches(Shop.class.getMethod("release", String.class), Shop.class)).isFalse();
        assertThat(pointcut.matches(Shop.class.getMethod("browse"), Shop.class)).isFalse();
    }

    @Test
    void classFilterAdmitsOnlyClassesWithSagasOrActions() {
        ReversibleOperationPointcut pointcut = new ReversibleOperationPointcut(source);

        assertThat(pointcut.getClassFilter().matches(Shop.class)).isTrue();
        assertThat(pointcut.getClassFilter().matches(Plain.class)).isFalse();
    }

    @Test
    void pointcutsOverTheSameSourceAreEqualWithEqualHashCodes() {
        ReversibleOperationPointcut first = new ReversibleOperationPointcut(source);
        ReversibleOperationPointcut second = new ReversibleOperationPointcut(source);

        assertThat(first).isEqualTo(second).hasSameHashCodeAs(second).isNotSameAs(second);
        assertThat(first.getClassFilter()).isEqualTo(second.getClassFilter()).hasSameHashCodeAs(second.getClassFilter());
    }

    @Test
    void pointcutsOverDifferentSourcesDiffer() {
        ReversibleOperationPointcut first = new ReversibleOperationPointcut(source);
        ReversibleOperationPointcut other = new ReversibleOperationPointcut(new ReversibleOperationSource());

        assertThat(first).isNotEqualTo(other);
        assertThat(first.getClassFilter()).isNotEqualTo(other.getClassFilter());
        assertThat(first).isNotEqualTo(null).isNotEqualTo(source);
    }

    @Test
    void advisorsOverTheSameSourceHaveEqualPointcuts() {
        ReversibleInterceptor interceptor = new ReversibleInterceptor(source, () -> null, OutsideSagaPolicy.EXECUTE);

        assertThat(new ReversibleAdvisor(source, interceptor).getPointcut()).isEqualTo(new ReversibleAdvisor(source, interceptor).getPointcut());
    }

    static class Shop {

        @ReversibleSaga
        public void order() {
        }

        @ReversibleAction
        public void reserve(String sku) {
        }

        @Compensate("reserve")
        public void release(String sku) {
        }

        public void browse() {
        }
    }

    static class Plain {

        public void browse() {
        }
    }
}
