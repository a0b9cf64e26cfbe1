package dev.reversible.snippets;

import dev.reversible.core.Action;
import dev.reversible.core.CompositeAction;
import dev.reversible.core.Reversible;

/**
 * The Java of {@code docs/core.md}, compiled: each region between {@code tag::name[]} and {@code end::name[]} is a
 * snippet that a document copies, and {@code SnippetsTests} fails when the copy differs.
 */
class CoreSnippets {

    interface Orders {
        long put(String details);

        void delete(long id);
    }

    interface Mail {
        void insufficientFunds(long orderId);
    }

    static class InsufficientFundsException extends Exception {
    }

    private final Orders orders;
    private final Mail mail;

    CoreSnippets(Orders orders, Mail mail) {
        this.orders = orders;
        this.mail = mail;
    }

    long submitOrder(String details) throws Exception {
        // tag::submitOrder[]
        Action<Long> createOrder = Reversible.action(
                ctx -> { long id = orders.put(details); ctx.put("orderId", id); return id; },
                ctx -> { if (ctx.containsKey("orderId")) orders.delete((Long) ctx.get("orderId")); })   // absent if put failed
            .named("createOrder");

        CompositeAction<Long> submitOrder = Reversible.gen(saga -> {
            long orderId = saga.run(createOrder);
            try {
                saga.run(chargeOrder(orderId));           // fails: the charge is undone, then the exception arrives here
            } catch (InsufficientFundsException e) {      // handled: nothing else is rolled back
                mail.insufficientFunds(orderId);
                return orderId;
            }
            saga.run(updateReceipt(orderId));
            return orderId;
        }).named("submitOrder");

        long orderId = Reversible.execute(submitOrder);   // an exception leaving the body undoes every completed step
        // end::submitOrder[]
        return orderId;
    }

    private Action<Void> chargeOrder(long orderId) {
        return Reversible.<Void>action(ctx -> { throw new InsufficientFundsException(); }, ctx -> { }).named("chargeOrder");
    }

    private Action<Void> updateReceipt(long orderId) {
        return Reversible.<Void>action(ctx -> null, ctx -> { }).named("updateReceipt");
    }
}
