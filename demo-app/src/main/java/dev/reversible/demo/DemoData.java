package dev.reversible.demo;

import javax.sql.DataSource;

import dev.reversible.jdbc.JdbcJournal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.stereotype.Component;

/**
 * The demo's tables and their seed, at start-up: {@code schema.sql} creates what is missing, {@code data.sql}
 * seeds the stock and the accounts only when both are empty — so that orders, stock and balances survive a
 * restart (and a crash: the journal's recovery needs them). {@code --demo.reset=true} starts over.
 *
 * <p>It runs while the application context is being built, after the journal's tables exist and before the
 * journal's recovery starts (a lifecycle, started once every bean is ready): a recovered saga always finds the
 * tables its handlers write.
 *
 * <pre>{@code
 * demoData.reset();   // the tests, before each test: the seeded state, no saga in the journal
 * }</pre>
 */
@Component
public class DemoData implements InitializingBean {

    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final DemoProperties properties;
    private final ObjectProvider<JdbcJournal> journal;

    DemoData(DataSource dataSource, JdbcClient jdbc, DemoProperties properties, ObjectProvider<JdbcJournal> journal) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.properties = properties;
        this.journal = journal;
    }

    @Override
    public void afterPropertiesSet() {
        if (properties.reset()) {
            reset();
        } else {
            prepare();
        }
    }

    /**
     * Drops the demo's own tables (those {@code schema.sql} creates, by name: nothing else in the database), creates
     * and seeds them again, and forgets the journal's sagas — their rows are deleted, the journal's tables stay: the
     * sagas are about orders that no longer exist, and their compensations would now change the fresh seed.
     */
    public void reset() {
        run("reset.sql");
        JdbcJournal sagas = journal.getIfAvailable();
        if (sagas != null) {
            String prefix = sagas.settings().tablePrefix();
            jdbc.sql("DELETE FROM " + prefix + "compensations").update();
            jdbc.sql("DELETE FROM " + prefix + "steps").update();
            jdbc.sql("DELETE FROM " + prefix + "sagas").update();
        }
        prepare();
        LOG.info("demo.reset: the demo's tables were dropped and seeded again, and the journal's sagas forgotten");
    }

    private void prepare() {
        journal.getIfAvailable();   // the journal's tables are created (and checked) first
        run("schema.sql");
        long rows = count("inventory") + count("accounts");
        if (rows == 0) {
            run("data.sql");
            LOG.info("Seeded the demo's stock and accounts");
        } else {
            LOG.info("The demo's tables hold data already: not seeded again (--demo.reset=true starts over)");
        }
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    private void run(String script) {
        new ResourceDatabasePopulator(new ClassPathResource(script)).execute(dataSource);
    }
}
