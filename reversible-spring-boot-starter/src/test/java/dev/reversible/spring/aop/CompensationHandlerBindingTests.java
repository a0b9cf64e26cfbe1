package dev.reversible.spring.aop;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every way a {@code @Compensate} handler may take its values — the action's arguments; then the result
 * (boxed from a primitive, {@code null} when the action failed); a {@code CompensationContext} first, in
 * the middle or last — is actually invoked with the right values.
 */
class CompensationHandlerBindingTests {

    private static final IllegalStateException SAGA_FAILURE = new IllegalStateException("saga fails");

    private final ApplicationContextRunner runner = SagaContexts.runner().withUserConfiguration(Config.class);

    @Test
    void everyHandlerVariantReceivesTheArgumentsResultAndContextOfItsOwnCall() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);

            Throwable thrown = catchThrowable(() -> context.getBean(BindingSaga.class).callEveryVariantThenFail());

            assertThat(thrown).isSameAs(SAGA_FAILURE);
            assertThat(log.calls()).containsExactly(
                    "argsOnly", "argsAndResult", "argsWithoutResult", "primitiveResult", "supertypes", "boxedArgument",
                    "contextFirst", "contextMiddle", "contextLast", "contextOnly", "noParameters", "privateHandler",
                    "undo privateHandler(p1)",
                    "undo noParameters()",
                    "undo contextOnly(contextOnly#9)",
                    "undo contextLast(sku-l, Receipt[id=l-1], contextLast#8)",
                    "undo contextMiddle(sku-m, contextMiddle#7, Receipt[id=m-1])",
                    "undo contextFirst(contextFirst#6, sku-f, Receipt[id=f-1])",
                    "undo boxedArgument(7)",
                    "undo supertypes(text, TEXT)",
                    "undo primitiveResult(12, 1200)",
                    "undo argsWithoutResult(sku-w, 3)",
                    "undo argsAndResult(sku-r, 2, Receipt[id=sku-r*2])",
                    "undo argsOnly(sku-o, 1)");
        });
    }

    @Test
    void handlerOfAFailedActionReceivesNullForTheResultAndTheFailureInTheContext() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);
            Bindings bindings = context.getBean(Bindings.class);

            Throwable thrown = catchThrowable(() -> bindings.failingWithResult("sku-x"));

            assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessage("no receipt for sku-x");
            assertThat(log.calls()).containsExactly("failingWithResult", "undo failingWithResult(sku-x, null, failure=no receipt for sku-x)");
        });
    }

    @Test
    void handlerOfAFailedPrimitiveActionReceivesNullForTheBoxedResult() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);

            Throwable thrown = catchThrowable(() -> context.getBean(Bindings.class).failingPrimitive(5));

            assertThat(thrown).hasMessage("no cents");
            assertThat(log.calls()).containsExactly("failingPrimitive", "undo failingPrimitive(5, null)");
        });
    }

    /** A result of one of the actions. */
    record Receipt(String id) {
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        CallLog callLog() {
            return new CallLog();
        }

        @Bean
        Bindings bindings(CallLog callLog) {
            return new Bindings(callLog);
        }

        @Bean
        BindingSaga bindingSaga(Bindings bindings) {
            return new BindingSaga(bindings);
        }
    }

    static class BindingSaga {

        private final Bindings bindings;

        BindingSaga(Bindings bindings) {
            this.bindings = bindings;
        }

        @ReversibleSaga
        public void callEveryVariantThenFail() {
            bindings.argsOnly("sku-o", 1);
            bindings.argsAndResult("sku-r", 2);
            bindings.argsWithoutResult("sku-w", 3);
            bindings.primitiveResult(12);
            bindings.supertypes("text");
            bindings.boxedArgument(7);
            bindings.contextFirst("sku-f");
            bindings.contextMiddle("sku-m");
            bindings.contextLast("sku-l");
            bindings.contextOnly();
            bindings.noParameters();
            bindings.privateHandler("p1");
            throw SAGA_FAILURE;
        }
    }

    static class Bindings {

        private final CallLog log;

        Bindings(CallLog log) {
            this.log = log;
        }

        // the action's arguments only
        @ReversibleAction
        public void argsOnly(String sku, int quantity) {
            log.add("argsOnly");
        }

        @Compensate("argsOnly")
        public void undoArgsOnly(String sku, int quantity) {
            log.add("undo argsOnly(" + sku + ", " + quantity + ")");
        }

        // the arguments, then the result
        @ReversibleAction
        public Receipt argsAndResult(String sku, int quantity) {
            log.add("argsAndResult");
            return new Receipt(sku + "*" + quantity);
        }

        @Compensate("argsAndResult")
        public void undoArgsAndResult(String sku, int quantity, Receipt receipt) {
            log.add("undo argsAndResult(" + sku + ", " + quantity + ", " + receipt + ")");
        }

        // the result is optional even when the action has one
        @ReversibleAction
        public Receipt argsWithoutResult(String sku, int quantity) {
            log.add("argsWithoutResult");
            return new Receipt("ignored");
        }

        @Compensate("argsWithoutResult")
        public void undoArgsWithoutResult(String sku, int quantity) {
            log.add("undo argsWithoutResult(" + sku + ", " + quantity + ")");
        }

        // a primitive result, boxed
        @ReversibleAction
        public long primitiveResult(int cents) {
            log.add("primitiveResult");
            return cents * 100L;
        }

        @Compensate("primitiveResult")
        public void undoPrimitiveResult(int cents, Long result) {
            log.add("undo primitiveResult(" + cents + ", " + result + ")");
        }

        // supertypes of the argument and of the result
        @ReversibleAction
        public String supertypes(String text) {
            log.add("supertypes");
            return text.toUpperCase();
        }

        @Compensate("supertypes")
        public void undoSupertypes(CharSequence text, Object result) {
            log.add("undo supertypes(" + text + ", " + result + ")");
        }

        // a primitive argument received boxed
        @ReversibleAction
        public void boxedArgument(int quantity) {
            log.add("boxedArgument");
        }

        @Compensate("boxedArgument")
        public void undoBoxedArgument(Integer quantity) {
            log.add("undo boxedArgument(" + quantity + ")");
        }

        // the context first
        @ReversibleAction
        public Receipt contextFirst(String sku) {
            log.add("contextFirst");
            return new Receipt("f-1");
        }

        @Compensate("contextFirst")
        public void undoContextFirst(CompensationContext context, String sku, Receipt receipt) {
            log.add("undo contextFirst(" + describe(context) + ", " + sku + ", " + receipt + ")");
        }

        // the context between the arguments and the result
        @ReversibleAction
        public Receipt contextMiddle(String sku) {
            log.add("contextMiddle");
            return new Receipt("m-1");
        }

        @Compensate("contextMiddle")
        public void undoContextMiddle(String sku, CompensationContext context, Receipt receipt) {
            log.add("undo contextMiddle(" + sku + ", " + describe(context) + ", " + receipt + ")");
        }

        // the context last
        @ReversibleAction
        public Receipt contextLast(String sku) {
            log.add("contextLast");
            return new Receipt("l-1");
        }

        @Compensate("contextLast")
        public void undoContextLast(String sku, Receipt receipt, CompensationContext context) {
            log.add("undo contextLast(" + sku + ", " + receipt + ", " + describe(context) + ")");
        }

        // the context alone
        @ReversibleAction
        public void contextOnly() {
            log.add("contextOnly");
        }

        @Compensate("contextOnly")
        public void undoContextOnly(CompensationContext context) {
            log.add("undo contextOnly(" + describe(context) + ")");
        }

        // nothing at all
        @ReversibleAction
        public void noParameters() {
            log.add("noParameters");
        }

        @Compensate("noParameters")
        public void undoNoParameters() {
            log.add("undo noParameters()");
        }

        // a handler the proxy cannot dispatch: called on the target
        @ReversibleAction
        public void privateHandler(String id) {
            log.add("privateHandler");
        }

        @Compensate("privateHandler")
        private void undoPrivately(String id) {
            log.add("undo privateHandler(" + id + ")");
        }

        // a failing action whose handler wants the result
        @ReversibleAction
        public Receipt failingWithResult(String sku) {
            log.add("failingWithResult");
            throw new IllegalArgumentException("no receipt for " + sku);
        }

        @Compensate("failingWithResult")
        public void undoFailingWithResult(String sku, Receipt receipt, CompensationContext context) {
            log.add("undo failingWithResult(" + sku + ", " + receipt + ", failure=" + context.failure().getMessage() + ")");
        }

        // a failing action with a primitive result
        @ReversibleAction
        public long failingPrimitive(int cents) {
            log.add("failingPrimitive");
            throw new IllegalArgumentException("no cents");
        }

        @Compensate("failingPrimitive")
        public void undoFailingPrimitive(int cents, Long result) {
            log.add("undo failingPrimitive(" + cents + ", " + result + ")");
        }

        private static String describe(CompensationContext context) {
            return context.stepName() + "#" + context.stepIndex();
        }
    }
}
