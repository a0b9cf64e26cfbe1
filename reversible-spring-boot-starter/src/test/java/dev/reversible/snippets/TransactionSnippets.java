package dev.reversible.snippets;

import java.math.BigDecimal;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/** The Java of {@code docs/transactions.md}, compiled (see {@code SnippetsTests}). */
class TransactionSnippets {

    interface Payments {
        void charge(String customer, BigDecimal amount);
    }

    interface Shipping {
        void book(String customer, String sku, int quantity);
    }

    interface Bank {
        void debit(String customer, BigDecimal amount);
    }

    interface Ledger {
        void record(String customer, BigDecimal amount);
    }

    interface Notifier {
        void send(String customer);
    }

    static class ShipmentRefusedException extends RuntimeException {
    }

    class Orders {
        private Inventory inventory;
        private Payments payments;
        private Shipping shipping;

        // tag::ownTransactions[]
        @ReversibleSaga
        public void placeOrder(String customer, String sku, int quantity) {   // no @Transactional
            BigDecimal amount = inventory.reserve(sku, quantity);
            payments.charge(customer, amount);
            shipping.book(customer, sku, quantity);
        }
        // end::ownTransactions[]
    }

    class Inventory {
        private JdbcClient jdbc;

        // tag::ownTransactions[]

        @ReversibleAction
        @Transactional                                                         // commits when it returns
        public BigDecimal reserve(String sku, int quantity) {
            jdbc.sql("UPDATE inventory SET stock = stock - ? WHERE sku = ?").params(quantity, sku).update();
            return jdbc.sql("SELECT price FROM inventory WHERE sku = ?").param(sku).query(BigDecimal.class).single()
                    .multiply(BigDecimal.valueOf(quantity));
        }

        @Compensate("reserve")
        @Transactional                                                         // a transaction of its own
        public void release(String sku, int quantity, BigDecimal amount) {
            if (amount != null) {                                              // null: reserve failed, nothing to give back
                jdbc.sql("UPDATE inventory SET stock = stock + ? WHERE sku = ?").params(quantity, sku).update();
            }
        }
        // end::ownTransactions[]
    }

    class Payroll {
        private Bank bank;
        private Ledger ledger;
        private Notifier notifier;

        // tag::joinedTransaction[]
        @ReversibleSaga @Transactional
        public void pay(String customer, BigDecimal amount) {
            bank.debit(customer, amount);      // @ReversibleAction @Transactional: joins — undone by the rollback, never credited
            ledger.record(customer, amount);   // @ReversibleAction @Transactional(REQUIRES_NEW): committed — compensated
            notifier.send(customer);           // @ReversibleAction without @Transactional: compensated
            throw new ShipmentRefusedException();
        }
        // end::joinedTransaction[]
    }
}
