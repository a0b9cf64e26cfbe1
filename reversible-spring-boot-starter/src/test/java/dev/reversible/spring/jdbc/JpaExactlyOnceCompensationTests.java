package dev.reversible.spring.jdbc;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ExactlyOnceCompensationTests} under JPA: the application's transaction manager is Boot's
 * {@code JpaTransactionManager} over the journal's {@code DataSource}, and a {@code @Transactional} handler's rows and
 * its step's "compensated" mark still commit or roll back together — live and in recovery.
 */
class JpaExactlyOnceCompensationTests extends ExactlyOnceCompensationTests {

    @Override
    AutoConfigurations transactions() {
        return AutoConfigurations.of(HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class);
    }

    @Test
    void theTransactionManagerIsJpas() {
        runner().run(context -> assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(JpaTransactionManager.class));
    }
}
