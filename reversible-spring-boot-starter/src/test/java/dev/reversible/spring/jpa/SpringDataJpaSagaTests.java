package dev.reversible.spring.jpa;

import java.util.NoSuchElementException;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An application with Spring Data JPA on H2 starts (its {@code entityManagerFactory} and repositories are
 * factory beans, in creation while the starter inspects beans), and saga steps that write through a
 * repository are undone by their compensations when the saga fails, and kept when it completes.
 */
@SpringBootTest(classes = SpringDataJpaSagaTests.Bank.class, properties = {
        "spring.datasource.url=jdbc:h2:mem:${random.uuid}", "spring.jpa.hibernate.ddl-auto=create-drop" })
class SpringDataJpaSagaTests {

    @Autowired
    private AccountRepository accounts;

    @Autowired
    private Transfers transfers;

    @BeforeEach
    void openAccounts() {
        accounts.deleteAll();
        accounts.save(new Account("alice", 100));
        accounts.save(new Account("bob", 50));
    }

    @Test
    void failingSagaRestoresEveryBalance() {
        Throwable thrown = catchThrowable(() -> transfers.transferWithFee("alice", "bob", 30, "carol"));

        assertThat(thrown).isInstanceOf(NoSuchElementException.class).hasMessage("no account carol");
        assertThat(balance("alice")).isEqualTo(100);
        assertThat(balance("bob")).isEqualTo(50);
    }

    @Test
    void successfulSagaCommitsEveryStep() {
        transfers.transferWithFee("alice", "bob", 30, "bob");

        assertThat(balance("alice")).isEqualTo(70);
        assertThat(balance("bob")).isEqualTo(79);
    }

    private long balance(String id) {
        return accounts.findById(id).orElseThrow().getBalance();
    }

    /** The test's own application; classes nested in a test are not component-scanned, hence the imports. */
    @SpringBootApplication
    @EnableJpaRepositories(considerNestedRepositories = true)
    @Import({ Ledger.class, Transfers.class })
    static class Bank {
    }

    @Entity
    static class Account {

        @Id
        private String id;

        private long balance;

        protected Account() {
        }

        Account(String id, long balance) {
            this.id = id;
            this.balance = balance;
        }

        long getBalance() {
            return balance;
        }

        void add(long amount) {
            balance += amount;
        }
    }

    interface AccountRepository extends JpaRepository<Account, String> {
    }

    /** Each step writes through the repository, in the repository's own transaction. */
    static class Ledger {

        private final AccountRepository accounts;

        Ledger(AccountRepository accounts) {
            this.accounts = accounts;
        }

        /** @return the new balance */
        @ReversibleAction
        public long debit(String id, long amount) {
            return change(id, -amount);
        }

        /** A debit that failed (a null balance) changed nothing, so there is nothing to undo. */
        @Compensate("debit")
        public void undoDebit(String id, long amount, Long balance) {
            if (balance != null) {
                change(id, amount);
            }
        }

        /** @return the new balance */
        @ReversibleAction
        public long credit(String id, long amount) {
            return change(id, amount);
        }

        @Compensate("credit")
        public void undoCredit(String id, long amount, Long balance) {
            if (balance != null) {
                change(id, -amount);
            }
        }

        private long change(String id, long amount) {
            Account account = accounts.findById(id).orElseThrow(() -> new NoSuchElementException("no account " + id));
            account.add(amount);
            return accounts.save(account).getBalance();
        }
    }

    static class Transfers {

        private final Ledger ledger;

        Transfers(Ledger ledger) {
            this.ledger = ledger;
        }

        /** Moves {@code amount}, then charges a fee of 1 to {@code feePayer}. */
        @ReversibleSaga
        public void transferWithFee(String from, String to, long amount, String feePayer) {
            ledger.debit(from, amount);
            ledger.credit(to, amount);
            ledger.debit(feePayer, 1);
        }
    }
}
