package dev.reversible.demo.account;

import java.math.BigDecimal;
import java.util.Optional;

import dev.reversible.demo.ChaosProperties;
import dev.reversible.demo.compensation.CompensationLog;
import dev.reversible.demo.compensation.CompensationOutcome;
import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.StepRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Balances: the saga's second step, {@code chargeAccount}, and its compensation, {@code refund}.
 *
 * <pre>{@code
 * accounts.chargeAccount(orderId, "alice", new BigDecimal("25.00"));   // 100.00 -> 75.00
 * // the shipment is refused: the saga calls refund(orderId, "alice", 25.00, ...)   // 75.00 -> 100.00
 * }</pre>
 */
@Service
public class AccountService {

    private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);

    private final JdbcClient jdbc;
    private final CompensationLog compensations;
    private final ChaosProperties chaos;

    AccountService(JdbcClient jdbc, CompensationLog compensations, ChaosProperties chaos) {
        this.jdbc = jdbc;
        this.compensations = compensations;
        this.chaos = chaos;
    }

    /**
     * @param customer a customer id
     * @return the customer's account, if it exists
     */
    public Optional<Account> find(String customer) {
        return jdbc.sql("SELECT customer, balance FROM accounts WHERE customer = :customer")
                .param("customer", customer)
                .query(Account.class)
                .optional();
    }

    /**
     * Takes {@code amount} from the customer's balance, in one conditional update, so that concurrent
     * orders can never take it below zero; records the charge in the same transaction, so that the database
     * alone tells whether it happened.
     * @param orderId the order being paid
     * @param customer the customer
     * @param amount what the order costs
     * <p>Its record is written in its transaction ({@code StepRecord.IN_TRANSACTION}): all its work is there. A
     * refusal changed nothing, so it commits that nothing — with the step's {@code FAILED} record, so that the
     * step's own handler runs and reports the refusal; any other failure rolls the step and its record back.
     * @throws InsufficientFundsException when the balance does not cover it; nothing is then changed
     */
    @ReversibleAction(value = "chargeAccount", record = StepRecord.IN_TRANSACTION)
    @Transactional(noRollbackFor = InsufficientFundsException.class)
    public void chargeAccount(long orderId, String customer, BigDecimal amount) {
        int charged = jdbc.sql("UPDATE accounts SET balance = balance - :amount WHERE customer = :customer AND balance >= :amount")
                .param("amount", amount)
                .param("customer", customer)
                .update();
        if (charged == 0) {
            throw new InsufficientFundsException(customer, amount, find(customer).map(Account::balance).orElse(BigDecimal.ZERO));
        }
        jdbc.sql("INSERT INTO account_charges (order_id, customer, amount, status) VALUES (:orderId, :customer, :amount, 'CHARGED')")
                .param("orderId", orderId)
                .param("customer", customer)
                .param("amount", amount)
                .update();
        LOG.info("Charged {} to {} for order {}", amount.toPlainString(), customer, orderId);
    }

    /**
     * Gives back what the database shows was charged for the order — whatever the step's outcome looked
     * like to the saga: after a crash it may be unknown ({@code context.failure()} set) although the charge
     * committed. A refused charge left no row and needs no refund — which is also why the chaos switch cannot
     * make it fail. Idempotent: the charge row is refunded once (a conditional update), and the handler's
     * record in {@code order_compensations} (key: order id + step index) makes a second attempt return at once.
     * @param orderId the order that was paid
     * @param customer the customer
     * @param amount what was charged
     * @param context the compensation's context: the idempotency key (saga id, step index)
     * @throws RefundFailedException while {@code demo.chaos.fail-refund} is on
     */
    // tag::refund[]
    @Compensate("chargeAccount")
    @Transactional
    public void refund(long orderId, String customer, BigDecimal amount, CompensationContext context) {
        if (compensations.isRecorded(orderId, context)) {
            return;
        }
        int refunded = jdbc.sql("UPDATE account_charges SET status = 'REFUNDED' WHERE order_id = :orderId AND status = 'CHARGED'")
                .param("orderId", orderId)
                .update();
        if (refunded == 0) {
            // The charge was refused, or never committed: no money to give back.
            compensations.record(orderId, context, CompensationOutcome.STEP_FAILED);
            return;
        }
        if (chaos.failRefund()) {
            // Thrown inside the transaction: the charge row goes back to CHARGED with it.
            throw new RefundFailedException("Refund of " + amount.toPlainString() + " to " + customer + " for order " + orderId
                    + " refused: demo.chaos.fail-refund is on");
        }
        // The charge as it was recorded, not as the journal handed it back: the amount taken is the amount returned.
        Charge charge = jdbc.sql("SELECT customer, amount FROM account_charges WHERE order_id = :orderId")
                .param("orderId", orderId)
                .query(Charge.class)
                .single();
        jdbc.sql("UPDATE accounts SET balance = balance + :amount WHERE customer = :customer")
                .param("amount", charge.amount())
                .param("customer", charge.customer())
                .update();
        compensations.record(orderId, context, CompensationOutcome.UNDONE);
        LOG.info("Refunded {} to {} for order {}", charge.amount().toPlainString(), charge.customer(), orderId);
    }
    // end::refund[]

    /** A row of {@code account_charges}: what was taken from whom. */
    private record Charge(String customer, BigDecimal amount) {
    }
}
