package dev.reversible.spring.jdbc;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link InTransactionRecordTests} under JPA: the steps' transactions are Boot's {@code JpaTransactionManager}'s over
 * the journal's {@code DataSource}, and their records are still written in them.
 */
class JpaInTransactionRecordTests extends InTransactionRecordTests {

    @Override
    AutoConfigurations transactions() {
        return AutoConfigurations.of(HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class);
    }

    @Test
    void theTransactionManagerIsJpas() {
        JournalTestApp.runner(JournalTestApp.newDatabaseUrl()).withConfiguration(transactions())
                .run(context -> assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(JpaTransactionManager.class));
    }
}
