package dev.reversible.snippets;

import java.math.BigDecimal;

import dev.reversible.demo.account.InsufficientFundsException;
import dev.reversible.demo.account.RefundFailedException;
import dev.reversible.test.FailureInjector;
import dev.reversible.test.Injection;

/**
 * The Java of {@code docs/testing.md}'s "Injecting failures", compiled against the demo's exceptions (see
 * {@code SnippetsTests}). Outside the demo's packages, so that its component scan never sees it.
 */
class InjectingFailuresSnippets {

    private FailureInjector injector;

    void inject() {
        BigDecimal amount = new BigDecimal("40.00");
        BigDecimal balance = new BigDecimal("20.00");
        // tag::injectingFailures[]
        injector.failAction("chargeAccount", new InsufficientFundsException("bob", amount, balance));          // every call
        injector.failActionOnCall("chargeAccount", 2, new InsufficientFundsException("bob", amount, balance));  // the 2nd call from now
        injector.failCompensation("chargeAccount", new RefundFailedException("down"), 2);      // attempts 1..2 of each refund
        injector.failCompensation("chargeAccount", new RefundFailedException("down"));         // every attempt
        injector.failSagaOnReturn("placeOrder", new IllegalStateException("late"));            // after the body's last step
        Injection injection = injector.failAction("bookShipment", new IllegalStateException("carrier down"));
        int fired = injection.timesFired();                                                    // calls it failed so far
        injection.remove();                                                                    // taken back before the test ends
        // end::injectingFailures[]
    }
}
