package dev.reversible.spring.aop;

import dev.reversible.core.SagaExecutor;
import dev.reversible.core.CompensationFailedException;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.statistics.SagaStatistics;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A compensation handler that calls an action or a saga of another bean: that call is a saga of its own,
 * never a step of the saga being rolled back — whether the handler undoes a completed step, the step that
 * has just failed (while the saga's body is still running), or a step of a nested saga rolling back inside
 * its outer saga. Were it a step, the saga's rollback would undo the compensation's own work.
 */
class CompensationHandlerCallsTests {

    private final ApplicationContextRunner runner = SagaContexts.runner().withUserConfiguration(Config.class);

    @Test
    void actionCalledByTheHandlerOfACompletedStepIsAOneStepSagaOfItsOwn() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);
            IllegalStateException failure = new IllegalStateException("saga fails");

            Throwable thrown = catchThrowable(() -> context.getBean(OrderSaga.class).chargeThenFail("o1", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("a", "charge o1", "undo charge o1", "refund o1", "undo a");
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.findSaga("refund").completed()).isEqualTo(1);
            assertThat(statistics.findSaga("OrderSaga.chargeThenFail").compensated()).isEqualTo(1);
            assertThat(statistics.recentRollbacks()).singleElement().satisfies(r -> assertThat(r.compensated()).containsExactly("charge", "a"));
        });
    }

    @Test
    void actionCalledByTheHandlerOfTheFailedStepIsNotAStepOfTheSagaToUndo() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);
            context.getBean(Payments.class).declineCharges();

            Throwable thrown = catchThrowable(() -> context.getBean(OrderSaga.class).chargeThenFail("o1", new IllegalStateException()));

            assertThat(thrown).hasMessage("declined o1");
            assertThat(log.calls()).containsExactly("a", "charge o1", "undo charge o1", "refund o1", "undo a");
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.findSaga("refund").completed()).isEqualTo(1);
            assertThat(statistics.actions().get("refund").compensated()).isZero();
            assertThat(statistics.recentRollbacks()).singleElement().satisfies(r -> assertThat(r.compensated()).containsExactly("charge", "a"));
        });
    }

    @Test
    void actionCalledByAHandlerWhileANestedSagaRollsBackIsNotAStepOfTheOuterSaga() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);
            context.getBean(Payments.class).declineCharges();
            IllegalArgumentException failure = new IllegalArgumentException("outer fails");

            Throwable thrown = catchThrowable(() -> context.getBean(OrderSaga.class).nestedThenFail("o1", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("a", "b", "charge o1", "undo charge o1", "refund o1", "undo b",
                    "caught declined o1", "d", "undo d", "undo a");
            assertThat(log.compensationOf("d").context().stepIndex()).isEqualTo(3);
        });
    }

    @Test
    void sagaCalledByAHandlerIsASagaOfItsOwnAndTheRollbackCarriesOn() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);
            IllegalStateException failure = new IllegalStateException("saga fails");

            Throwable thrown = catchThrowable(() -> context.getBean(OrderSaga.class).settleThenFail("o1", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("a", "settle o1", "undo settle o1", "refund o1", "c", "undo a");
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.findSaga("Reversals.reverse").completed()).isEqualTo(1);
            assertThat(statistics.findSaga("OrderSaga.settleThenFail").compensated()).isEqualTo(1);
            assertThat(statistics.totals().started()).isEqualTo(2);
            assertThat(context.getBean(SagaExecutor.class).currentScope()).isNull();
        });
    }

    @Test
    void actionCalledByAHandlerIsRefusedWhenOutsideSagaIsFailSoTheCompensationFails() {
        runner.withPropertyValues("reversible.outside-saga=fail").run(context -> {
            CallLog log = context.getBean(CallLog.class);
            IllegalStateException failure = new IllegalStateException("saga fails");

            Throwable thrown = catchThrowable(() -> context.getBean(OrderSaga.class).chargeThenFail("o1", failure));

            assertThat(log.calls()).containsExactly("a", "charge o1", "undo charge o1");
            assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(failure);
            CompensationFailedException incomplete = (CompensationFailedException) thrown;
            assertThat(incomplete.failures()).hasSize(1);
            assertThat(incomplete.failures().get(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("Refunds.refund");
            assertThat(incomplete.pending()).containsExactly("charge", "a");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        CallLog callLog() {
            return new CallLog();
        }

        @Bean
        Steps steps(CallLog callLog) {
            return new Steps(callLog);
        }

        @Bean
        Refunds refunds(CallLog callLog) {
            return new Refunds(callLog);
        }

        @Bean
        Payments payments(CallLog callLog, Refunds refunds) {
            return new Payments(callLog, refunds);
        }

        @Bean
        Reversals reversals(Refunds refunds, Steps steps) {
            return new Reversals(refunds, steps);
        }

        @Bean
        Settlements settlements(CallLog callLog, Reversals reversals) {
            return new Settlements(callLog, reversals);
        }

        @Bean
        InnerSaga innerSaga(Steps steps, Payments payments) {
            return new InnerSaga(steps, payments);
        }

        @Bean
        OrderSaga orderSaga(Steps steps, Payments payments, Settlements settlements, InnerSaga innerSaga, CallLog callLog) {
            return new OrderSaga(steps, payments, settlements, innerSaga, callLog);
        }
    }

    /** The action the handlers call. */
    static class Refunds {

        private final CallLog log;

        Refunds(CallLog log) {
            this.log = log;
        }

        @ReversibleAction
        public void refund(String order) {
            log.add("refund " + order);
        }

        @Compensate("refund")
        public void undoRefund(String order) {
            log.add("undo refund " + order);
        }
    }

    /** A charge whose handler refunds through another bean's action. */
    static class Payments {

        private final CallLog log;
        private final Refunds refunds;
        private volatile boolean declineCharges;

        Payments(CallLog log, Refunds refunds) {
            this.log = log;
            this.refunds = refunds;
        }

        @ReversibleAction
        public String charge(String order) {
            log.add("charge " + order);
            if (declineCharges) {
                throw new IllegalStateException("declined " + order);
            }
            return "charged " + order;
        }

        /** Called on the proxy, so it must be a method: the proxy's own fields are not the bean's. */
        public void declineCharges() {
            declineCharges = true;
        }

        @Compensate("charge")
        public void undoCharge(String order) {
            log.add("undo charge " + order);
            refunds.refund(order);
        }
    }

    /** The saga a handler calls. */
    static class Reversals {

        private final Refunds refunds;
        private final Steps steps;

        Reversals(Refunds refunds, Steps steps) {
            this.refunds = refunds;
            this.steps = steps;
        }

        @ReversibleSaga
        public void reverse(String order) throws Exception {
            refunds.refund(order);
            steps.c(order);
        }
    }

    /** A settlement whose handler runs a saga of another bean. */
    static class Settlements {

        private final CallLog log;
        private final Reversals reversals;

        Settlements(CallLog log, Reversals reversals) {
            this.log = log;
            this.reversals = reversals;
        }

        @ReversibleAction
        public String settle(String order) {
            log.add("settle " + order);
            return "settled " + order;
        }

        @Compensate("settle")
        public void undoSettle(String order) throws Exception {
            log.add("undo settle " + order);
            reversals.reverse(order);
        }
    }

    static class InnerSaga {

        private final Steps steps;
        private final Payments payments;

        InnerSaga(Steps steps, Payments payments) {
            this.steps = steps;
            this.payments = payments;
        }

        @ReversibleSaga
        public void run(String order) throws Exception {
            steps.b(order);
            payments.charge(order);
        }
    }

    static class OrderSaga {

        private final Steps steps;
        private final Payments payments;
        private final Settlements settlements;
        private final InnerSaga inner;
        private final CallLog log;

        OrderSaga(Steps steps, Payments payments, Settlements settlements, InnerSaga inner, CallLog log) {
            this.steps = steps;
            this.payments = payments;
            this.settlements = settlements;
            this.inner = inner;
            this.log = log;
        }

        @ReversibleSaga
        public void chargeThenFail(String order, RuntimeException failure) throws Exception {
            steps.a(order);
            payments.charge(order);
            throw failure;
        }

        @ReversibleSaga
        public void nestedThenFail(String order, RuntimeException failure) throws Exception {
            steps.a(order);
            try {
                inner.run(order);
            } catch (IllegalStateException e) {
                log.add("caught " + e.getMessage());
            }
            steps.d(order);
            throw failure;
        }

        @ReversibleSaga
        public void settleThenFail(String order, RuntimeException failure) throws Exception {
            steps.a(order);
            settlements.settle(order);
            throw failure;
        }
    }
}
