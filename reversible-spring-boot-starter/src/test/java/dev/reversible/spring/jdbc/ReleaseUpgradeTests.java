package dev.reversible.spring.jdbc;

import java.nio.file.Path;
import java.util.List;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.jdbc.JournalTestApp.Shipping;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery across releases, for real: release 1 runs in a child JVM ({@link ReleaseOneInstance}) and is killed
 * (SIGKILL) while the last step of a saga runs; release 2 — different code, the same bean names — starts on the same
 * journal and compensates exactly once each what release 1 did when the change is safe (a bean renamed, an action
 * renamed with an alias, an argument record that gained a primitive field and lost another, a handler method
 * renamed), or parks the saga
 * {@code STUCK} with a reason naming the step when it cannot (an action removed), starting normally in every case.
 */
class ReleaseUpgradeTests {

    @TempDir
    Path directory;

    private String[] database;
    private AutoCloseable cleanup = () -> { };

    @BeforeEach
    void setUp() {
        JournalTestApp.reset();
        database = database();
    }

    @AfterEach
    void dropDatabase() throws Exception {
        cleanup.close();
    }

    /** @return url, user and password of a fresh database both releases share: an H2 file (it must outlive the child) */
    String[] database() {
        return new String[] { "jdbc:h2:file:" + directory.resolve("journal").toAbsolutePath() + ";FILE_LOCK=NO;WRITE_DELAY=0", "sa", "" };
    }

    void onDrop(AutoCloseable drop) {
        cleanup = drop;
    }

    private void releaseOneKilledInItsLastStep(String saga) throws Exception {
        ChildJvm.killAt("AT SHIP", ReleaseOneInstance.class, List.of(database[0], database[1], database[2], saga));
    }

    private ApplicationContextRunner releaseTwo(Class<?>... configuration) {
        return JournalTestApp.runnerWith("spring.datasource.url=" + database[0], "spring.datasource.username=" + database[1],
                        "spring.datasource.password=" + database[2])
                .withUserConfiguration(configuration)
                .withPropertyValues("reversible.jdbc.initialize-schema=always", "reversible.jdbc.heartbeat-interval=100ms",
                        "reversible.jdbc.instance-timeout=1s", "reversible.jdbc.instance-name=release-2");
    }

    @Test
    void aBeanRenamedInReleaseTwoStillCompensatesItsStep() throws Exception {
        releaseOneKilledInItsLastStep("shop");

        releaseTwo(NextReleaseRecoveryTests.RenamedStockBean.class).run(context -> {
            assertThat(context).hasNotFailed();
            SagaRecoveryTests.awaitStatus(context, "COMPENSATED");
            assertThat(JournalTestApp.CALLS).containsExactly("undo ship #2 result=null failure=StepOutcomeUnknownException",
                    "undo charge #1 result=C-alice failure=null attempt=1", "undo reserve #0 result=R-sku-9-2 failure=null");
        });
    }

    @Test
    void anActionRenamedWithItsOldNameAsAnAliasCompensatesStepsJournaledUnderTheOldName() throws Exception {
        releaseOneKilledInItsLastStep("shop");

        releaseTwo(NextReleaseRecoveryTests.RenamedAction.class).run(context -> {
            assertThat(context).hasNotFailed();
            SagaRecoveryTests.awaitStatus(context, "COMPENSATED");
            assertThat(JournalTestApp.CALLS).containsExactly("undo ship #2 result=null failure=StepOutcomeUnknownException",
                    "undo charge #1 result=C-alice failure=null attempt=1", "undo reserveStock #0 result=R-sku-9-2 failure=null");
        });
    }

    @Test
    void anArgumentRecordThatGainedAPrimitiveFieldAndLostAnotherIsReadTolerantlyByARenamedHandler() throws Exception {
        releaseOneKilledInItsLastStep("parcels");

        releaseTwo(JournalTestApp.Shop.class, ParcelsV2.Config.class).run(context -> {
            assertThat(context).hasNotFailed();
            SagaRecoveryTests.awaitStatus(context, "COMPENSATED");
            assertThat(JournalTestApp.CALLS).containsExactly("undo ship #1 result=null failure=StepOutcomeUnknownException",
                    "unlabel Parcel[sku=sku-12, weight=0] L-sku-12");
        });
    }

    @Test
    void aSagaWithAStepWhoseActionWasRemovedIsParkedStuckWithTheReasonAndNothingOfItUndone() throws Exception {
        releaseOneKilledInItsLastStep("legacy");

        releaseTwo(JournalTestApp.Shop.class).withPropertyValues("reversible.jdbc.recovery.foreign-grace=0s").run(context -> {
            assertThat(context).hasNotFailed();
            SagaRecoveryTests.awaitStatus(context, "STUCK");
            JdbcClient jdbc = JournalTestApp.jdbc(context);
            assertThat(jdbc.sql("SELECT error_message FROM reversible_sagas").query(String.class).single())
                    .contains("step 0 (old)").contains("no bean 'legacy'");
            assertThat(jdbc.sql("SELECT status FROM reversible_steps ORDER BY step_index").query(String.class).list())
                    .as("nothing of it undone").doesNotContain("COMPENSATED");
            assertThat(JournalTestApp.CALLS).isEmpty();
        });
    }

    /** Release 1's parcel step: its argument is a record with a colour. */
    public static class ParcelsV1 {

        public record Parcel(String sku, String colour) {
        }

        @ReversibleAction
        public String label(Parcel parcel) {
            JournalTestApp.CALLS.add("label " + parcel.sku());
            return "L-" + parcel.sku();
        }

        @Compensate("label")
        public void unlabel(Parcel parcel, String label, CompensationContext context) {
            JournalTestApp.CALLS.add("unlabel " + parcel + " " + label);
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {

            @Bean
            ParcelsV1 parcels() {
                return new ParcelsV1();
            }

            @Bean
            ParcelOrders parcelOrders(ParcelsV1 parcels, Shipping shipping) {
                return new ParcelOrders(parcels, shipping);
            }
        }
    }

    /**
     * Release 2's: the same bean name and action; the record lost its colour and gained a primitive weight, and the
     * handler method was renamed (the action's name, not the method's, is what the journal knows).
     */
    public static class ParcelsV2 {

        public record Parcel(String sku, int weight) {
        }

        @ReversibleAction
        public String label(Parcel parcel) {
            JournalTestApp.CALLS.add("label " + parcel.sku());
            return "L-" + parcel.sku();
        }

        @Compensate("label")
        public void removeLabel(Parcel parcel, String label, CompensationContext context) {
            JournalTestApp.CALLS.add("unlabel " + parcel + " " + label);
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {

            @Bean
            ParcelsV2 parcels() {
                return new ParcelsV2();
            }
        }
    }

    public static class ParcelOrders {

        private final ParcelsV1 parcels;
        private final Shipping shipping;

        ParcelOrders(ParcelsV1 parcels, Shipping shipping) {
            this.parcels = parcels;
            this.shipping = shipping;
        }

        @ReversibleSaga
        public String place(String sku) throws InterruptedException {
            parcels.label(new ParcelsV1.Parcel(sku, "red"));
            return shipping.ship(sku);
        }
    }
}
