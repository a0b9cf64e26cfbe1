package dev.reversible.spring.aop;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;

/**
 * Four actions, {@code a} to {@code d}, each with a handler that receives the input, the result and the
 * context; everything goes to the {@link CallLog}, which also decides which of them fail.
 */
class Steps {

    private final CallLog log;

    Steps(CallLog log) {
        this.log = log;
    }

    @ReversibleAction
    public String a(String input) throws Exception {
        return log.forwards("a", input);
    }

    @Compensate("a")
    public void undoA(String input, String result, CompensationContext context) throws Exception {
        log.compensate("a", input, result, context);
    }

    @ReversibleAction
    public String b(String input) throws Exception {
        return log.forwards("b", input);
    }

    @Compensate("b")
    public void undoB(String input, String result, CompensationContext context) throws Exception {
        log.compensate("b", input, result, context);
    }

    @ReversibleAction
    public String c(String input) throws Exception {
        return log.forwards("c", input);
    }

    @Compensate("c")
    public void undoC(String input, String result, CompensationContext context) throws Exception {
        log.compensate("c", input, result, context);
    }

    @ReversibleAction
    public String d(String input) throws Exception {
        return log.forwards("d", input);
    }

    @Compensate("d")
    public void undoD(String input, String result, CompensationContext context) throws Exception {
        log.compensate("d", input, result, context);
    }
}
