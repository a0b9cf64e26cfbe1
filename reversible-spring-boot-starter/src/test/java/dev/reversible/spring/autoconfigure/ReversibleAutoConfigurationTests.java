package dev.reversible.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.reversible.core.Reversible;
import dev.reversible.core.RollbackPolicy;
import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.aop.OutsideSagaPolicy;
import dev.reversible.spring.aop.ReversibleAdvisor;
import dev.reversible.spring.aop.ReversibleInterceptor;
import dev.reversible.spring.logging.SagaLoggingListener;
import dev.reversible.spring.metadata.ReversibleBeanValidator;
import dev.reversible.spring.metadata.ReversibleOperationSource;
import dev.reversible.spring.statistics.RollbackRecord;
import dev.reversible.spring.statistics.SagaStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ReversibleAutoConfiguration}: each bean appears, backs off for the user's own, each
 * {@code reversible.*} property reaches the bean it configures, and invalid values stop start-up.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReversibleAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReversibleAutoConfiguration.class, ReversibleMetricsAutoConfiguration.class,
                    ReversibleEndpointAutoConfiguration.class));

    // ---- beans ---------------------------------------------------------------------------------

    @Test
    void runShouldCreateEveryBean() {
        this.contextRunner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(SagaExecutor.class);
            assertThat(context).hasSingleBean(SagaStatistics.class);
            assertThat(context).hasSingleBean(SagaLoggingListener.class);
            assertThat(context).hasSingleBean(ReversibleAdvisor.class);
            assertThat(context).hasSingleBean(ReversibleOperationSource.class);
            assertThat(context).hasSingleBean(ReversibleBeanValidator.class);
            assertThat(context).hasSingleBean(ReversibleProperties.class);
        });
    }

    @Test
    void runShouldProxyAnnotatedBeansAndRollBackTheirSagas() {
        this.contextRunner.withUserConfiguration(ShopConfiguration.class).run(context -> {
            Checkout checkout = context.getBean(Checkout.class);
            Ledger ledger = context.getBean(Ledger.class);
            assertThat(AopUtils.isAopProxy(checkout)).isTrue();
            assertThat(AopUtils.isAopProxy(ledger)).isTrue();
            assertThatIllegalStateException().isThrownBy(() -> checkout.pay("a", "b", true)).withMessage("declined");
            assertThat(ledger.calls()).containsExactly("post a", "post b", "unpost b", "unpost a");
        });
    }

    @Test
    void runWhenDisabledShouldNotCreateAnyBean() {
        this.contextRunner.withUserConfiguration(ShopConfiguration.class).withPropertyValues("reversible.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(SagaExecutor.class);
            assertThat(context).doesNotHaveBean(SagaStatistics.class);
            assertThat(context).doesNotHaveBean(SagaLoggingListener.class);
            assertThat(context).doesNotHaveBean(ReversibleAdvisor.class);
            assertThat(context).doesNotHaveBean(ReversibleOperationSource.class);
            assertThat(context).doesNotHaveBean(ReversibleBeanValidator.class);
            assertThat(context).doesNotHaveBean(ReversibleProperties.class);
            assertThat(AopUtils.isAopProxy(context.getBean(Checkout.class))).isFalse();
            assertThatIllegalStateException().isThrownBy(() -> context.getBean(Checkout.class).pay("a", "b", true));
            assertThat(context.getBean(Ledger.class).calls()).containsExactly("post a", "post b");
        });
    }

    @Test
    void runWhenDisabledShouldNotValidateAnnotations() {
        this.contextRunner.withBean(MissingHandler.class).withPropertyValues("reversible.enabled=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void runWhenUserDefinesSagaExecutorShouldBackOff() {
        this.contextRunner.withUserConfiguration(UserExecutorConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(SagaExecutor.class);
            assertThat(context.getBean(SagaExecutor.class)).isSameAs(context.getBean("userExecutor"));
        });
    }

    @Test
    void runWhenUserDefinesSagaStatisticsShouldBackOff() {
        this.contextRunner.withBean("userStatistics", SagaStatistics.class, () -> new SagaStatistics(7, java.time.Clock.systemUTC()))
                .run(context -> {
                    assertThat(context).hasSingleBean(SagaStatistics.class);
                    assertThat(context.getBean(SagaStatistics.class)).isSameAs(context.getBean("userStatistics"));
                });
    }

    @Test
    void runWhenUserDefinesSagaLoggingListenerShouldBackOff() {
        this.contextRunner.withBean("userLogging", SagaLoggingListener.class, SagaLoggingListener::new).run(context -> {
            assertThat(context).hasSingleBean(SagaLoggingListener.class);
            assertThat(context.getBean(SagaLoggingListener.class)).isSameAs(context.getBean("userLogging"));
        });
    }

    @Test
    void runWhenUserDefinesReversibleAdvisorShouldBackOff() {
        this.contextRunner.withUserConfiguration(UserAdvisorConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(ReversibleAdvisor.class);
            assertThat(context.getBean(ReversibleAdvisor.class)).isSameAs(context.getBean("userAdvisor"));
            assertThat(context.getBean(ReversibleAdvisor.class).getOrder()).isEqualTo(12);
        });
    }

    @Test
    void runWhenUserDefinesReversibleOperationSourceShouldBackOffAndValidateWithIt() {
        this.contextRunner.withUserConfiguration(UserOperationSourceConfiguration.class, ShopConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(ReversibleOperationSource.class);
            ReversibleOperationSource source = context.getBean(ReversibleOperationSource.class);
            assertThat(source).isSameAs(context.getBean("userOperationSource"));
            // The validator and the advisor use the user's source: it has read the annotated beans.
            assertThat(source.sagaNames()).containsExactly("Checkout.pay");
            assertThat(source.actionNames()).containsExactly("post");
        });
    }

    @Test
    void runWhenUserDefinesReversibleBeanValidatorShouldBackOff() {
        this.contextRunner.withUserConfiguration(UserValidatorConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(ReversibleBeanValidator.class);
            assertThat(context.getBean(ReversibleBeanValidator.class)).isSameAs(context.getBean("userValidator"));
        });
    }

    // ---- properties ----------------------------------------------------------------------------

    @Test
    void runShouldConfigureTheExecutorWithTheDefaults() {
        this.contextRunner.run(context -> {
            SagaExecutor executor = context.getBean(SagaExecutor.class);
            assertThat(executor.rollbackPolicy()).isEqualTo(RollbackPolicy.ABORT);
            assertThat(executor.compensationMaxAttempts()).isEqualTo(1);
            assertThat(executor.compensationBackoff()).isEqualTo(Duration.ZERO);
            assertThat(context.getBean(ReversibleAdvisor.class).getOrder()).isEqualTo(ReversibleProperties.DEFAULT_ASPECT_ORDER);
            ReversibleProperties properties = context.getBean(ReversibleProperties.class);
            assertThat(properties.outsideSaga()).isEqualTo(OutsideSagaPolicy.EXECUTE);
            assertThat(properties.historySize()).isEqualTo(50);
        });
    }

    @Test
    void runWithRollbackPolicyContinueShouldConfigureTheExecutor() {
        this.contextRunner.withPropertyValues("reversible.rollback-policy=continue")
                .run(context -> assertThat(context.getBean(SagaExecutor.class).rollbackPolicy()).isEqualTo(RollbackPolicy.CONTINUE));
    }

    @Test
    void runWithCompensationRetryShouldConfigureTheExecutor() {
        this.contextRunner.withPropertyValues("reversible.compensation.retry.max-attempts=3", "reversible.compensation.retry.backoff=250ms")
                .run(context -> {
                    SagaExecutor executor = context.getBean(SagaExecutor.class);
                    assertThat(executor.compensationMaxAttempts()).isEqualTo(3);
                    assertThat(executor.compensationBackoff()).isEqualTo(Duration.ofMillis(250));
                });
    }

    @Test
    void runWithCompensationRetryShouldRetryAnAnnotatedCompensation() {
        this.contextRunner.withUserConfiguration(FlakyConfiguration.class).withPropertyValues("reversible.compensation.retry.max-attempts=3")
                .run(context -> {
                    Flaky flaky = context.getBean(Flaky.class);
                    assertThatIllegalStateException().isThrownBy(() -> flaky.book("x")).withMessage("booking failed");
                    assertThat(flaky.attempts()).containsExactly(1, 2, 3);
                });
    }

    @Test
    void runWithAspectOrderShouldOrderTheAdvisor() {
        this.contextRunner.withPropertyValues("reversible.aspect-order=42")
                .run(context -> assertThat(context.getBean(ReversibleAdvisor.class).getOrder()).isEqualTo(42));
    }

    @Test
    void runWithOutsideSagaFailShouldRefuseAnActionCalledOutsideASaga() {
        this.contextRunner.withUserConfiguration(ShopConfiguration.class).withPropertyValues("reversible.outside-saga=fail").run(context -> {
            Ledger ledger = context.getBean(Ledger.class);
            assertThatIllegalStateException().isThrownBy(() -> ledger.post("a")).withMessageContaining("Ledger.post");
            assertThat(ledger.calls()).isEmpty();
            context.getBean(Checkout.class).pay("b", "c", false);
            assertThat(ledger.calls()).containsExactly("post b", "post c");
        });
    }

    @Test
    void runWithOutsideSagaExecuteShouldRunAnActionCalledOutsideASagaAsAOneStepSaga() {
        this.contextRunner.withUserConfiguration(ShopConfiguration.class).withPropertyValues("reversible.outside-saga=execute").run(context -> {
            Ledger ledger = context.getBean(Ledger.class);
            assertThat(ledger.post("a")).isEqualTo("a");
            assertThat(ledger.calls()).containsExactly("post a");
            assertThat(context.getBean(SagaStatistics.class).findSaga("post").completed()).isEqualTo(1);
        });
    }

    @Test
    void runWithHistorySizeShouldKeepOnlyThatManyRollbacks() {
        this.contextRunner.withUserConfiguration(ShopConfiguration.class).withPropertyValues("reversible.history-size=2").run(context -> {
            Checkout checkout = context.getBean(Checkout.class);
            for (String entry : List.of("first", "second", "third")) {
                assertThatIllegalStateException().isThrownBy(() -> checkout.pay(entry, entry, true));
            }
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.totals().compensated()).isEqualTo(3);
            assertThat(statistics.recentRollbacks()).hasSize(2).extracting(RollbackRecord::sagaName).containsExactly("Checkout.pay", "Checkout.pay");
        });
    }

    @Test
    void runWithZeroMaxAttemptsShouldFail() {
        this.contextRunner.withPropertyValues("reversible.compensation.retry.max-attempts=0")
                .run(context -> assertBindingFailed(context, "reversible.compensation.retry",
                        "reversible.compensation.retry.max-attempts must be at least 1, was 0"));
    }

    @Test
    void runWithNegativeMaxAttemptsShouldFail() {
        this.contextRunner.withPropertyValues("reversible.compensation.retry.max-attempts=-1")
                .run(context -> assertBindingFailed(context, "reversible.compensation.retry",
                        "reversible.compensation.retry.max-attempts must be at least 1, was -1"));
    }

    @Test
    void runWithNegativeBackoffShouldFail() {
        this.contextRunner.withPropertyValues("reversible.compensation.retry.backoff=-1s")
                .run(context -> assertBindingFailed(context, "reversible.compensation.retry",
                        "reversible.compensation.retry.backoff must not be negative, was PT-1S"));
    }

    @Test
    void runWithUnknownRollbackPolicyShouldFail() {
        this.contextRunner.withPropertyValues("reversible.rollback-policy=sometimes")
                .run(context -> assertBindingFailed(context, "reversible.rollback-policy",
                        "No enum constant dev.reversible.core.RollbackPolicy.sometimes"));
    }

    @Test
    void runWithUnknownOutsideSagaPolicyShouldFail() {
        this.contextRunner.withPropertyValues("reversible.outside-saga=ignore")
                .run(context -> assertBindingFailed(context, "reversible.outside-saga",
                        "No enum constant dev.reversible.spring.aop.OutsideSagaPolicy.ignore"));
    }

    @Test
    void runWithNegativeHistorySizeShouldFail() {
        this.contextRunner.withPropertyValues("reversible.history-size=-1")
                .run(context -> assertBindingFailed(context, "reversible", "reversible.history-size must not be negative, was -1"));
    }

    @Test
    void invalidValueIsReportedByBootsFailureAnalysis(CapturedOutput output) {
        SpringApplication application = new SpringApplication(PlainApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run("--reversible.compensation.retry.max-attempts=0"));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Failed to bind properties under 'reversible.compensation.retry' to " + ReversibleProperties.Retry.class.getName())
                .contains("reversible.compensation.retry.max-attempts must be at least 1, was 0");
    }

    // ---- listeners and executor ----------------------------------------------------------------

    @Test
    void runShouldRegisterUserListenersOnTheExecutor() {
        this.contextRunner.withUserConfiguration(ShopConfiguration.class, UserListenerConfiguration.class).run(context -> {
            RecordingListener listener = context.getBean(RecordingListener.class);
            assertThatIllegalStateException().isThrownBy(() -> context.getBean(Checkout.class).pay("a", "b", true));
            context.getBean(SagaExecutor.class).execute(Reversible.gen(scope -> "done").named("programmatic"));
            assertThat(listener.events).containsExactly("started Checkout.pay", "step post", "step post",
                    "rolledBack Checkout.pay compensated [post, post]", "started programmatic", "completed programmatic");
            // The auto-configured listeners stay registered next to the user's.
            assertThat(context.getBean(SagaStatistics.class).totals().started()).isEqualTo(2);
        });
    }

    @Test
    void runWhenUserDefinesSagaExecutorShouldRunAnnotatedSagasWithIt() {
        this.contextRunner.withUserConfiguration(ShopConfiguration.class, UserExecutorConfiguration.class).run(context -> {
            context.getBean(Checkout.class).pay("a", "b", false);
            assertThat(UserExecutorConfiguration.listener(context).events).containsExactly("started Checkout.pay", "step post", "step post",
                    "completed Checkout.pay");
            // The user's executor has no statistics listener: the auto-configured one saw nothing.
            assertThat(context.getBean(SagaStatistics.class).totals().started()).isZero();
        });
    }

    private static void assertBindingFailed(AssertableApplicationContext context, String boundName, String rootCauseMessage) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        // Boot's BindException, whichever bean binds first (the advisor binds early, from the Environment):
        // Boot's BindFailureAnalyzer turns it into the usual "Failed to bind properties under ..." report.
        BindException bind = findCause(failure, BindException.class);
        assertThat(bind.getName().toString()).isEqualTo(boundName);
        assertThat(failure).rootCause().isInstanceOf(IllegalArgumentException.class).hasMessage(rootCauseMessage);
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        throw new AssertionError("No " + type.getName() + " in the causes of " + failure);
    }

    // ---- fixtures ------------------------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ReversibleAutoConfiguration.class)
    static class PlainApplication {
    }

    static class Ledger {

        private final List<String> calls = new CopyOnWriteArrayList<>();

        /** Read through this method: a field read on the CGLIB proxy would see the proxy's own, empty field. */
        public List<String> calls() {
            return calls;
        }

        @ReversibleAction
        public String post(String entry) {
            calls.add("post " + entry);
            return entry;
        }

        @Compensate("post")
        public void unpost(String entry) {
            calls.add("unpost " + entry);
        }
    }

    static class Checkout {

        private final Ledger ledger;

        Checkout(Ledger ledger) {
            this.ledger = ledger;
        }

        @ReversibleSaga
        public void pay(String first, String second, boolean fail) {
            ledger.post(first);
            ledger.post(second);
            if (fail) {
                throw new IllegalStateException("declined");
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ShopConfiguration {

        @Bean
        Ledger ledger() {
            return new Ledger();
        }

        @Bean
        Checkout checkout(Ledger ledger) {
            return new Checkout(ledger);
        }
    }

    static class Flaky {

        private final List<Integer> attempts = new ArrayList<>();

        public List<Integer> attempts() {
            return attempts;
        }

        @ReversibleAction
        public String book(String what) {
            throw new IllegalStateException("booking failed");
        }

        @Compensate("book")
        public void cancel(String what, CompensationContext context) {
            attempts.add(context.attempt());
            if (context.attempt() < 3) {
                throw new IllegalStateException("cancel failed on attempt " + context.attempt());
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FlakyConfiguration {

        @Bean
        Flaky flaky() {
            return new Flaky();
        }
    }

    static class MissingHandler {

        @ReversibleAction
        public void reserve(String sku) {
        }
    }

    static class RecordingListener implements SagaListener {

        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void sagaStarted(SagaInfo saga) {
            events.add("started " + saga.name());
        }

        @Override
        public void stepCompleted(SagaInfo saga, String step, long nanos) {
            events.add("step " + step);
        }

        @Override
        public void sagaCompleted(SagaInfo saga, long nanos) {
            events.add("completed " + saga.name());
        }

        @Override
        public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
            events.add("rolledBack " + saga.name() + " compensated " + report.compensated());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserListenerConfiguration {

        @Bean
        RecordingListener recordingListener() {
            return new RecordingListener();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserExecutorConfiguration {

        @Bean
        RecordingListener userExecutorListener() {
            return new RecordingListener();
        }

        @Bean
        SagaExecutor userExecutor(RecordingListener userExecutorListener) {
            return SagaExecutor.builder().listener(userExecutorListener).build();
        }

        static RecordingListener listener(AssertableApplicationContext context) {
            return context.getBean("userExecutorListener", RecordingListener.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserAdvisorConfiguration {

        @Bean
        static ReversibleAdvisor userAdvisor(ReversibleOperationSource source) {
            ReversibleAdvisor advisor = new ReversibleAdvisor(source,
                    new ReversibleInterceptor(source, () -> SagaExecutor.builder().build(), OutsideSagaPolicy.EXECUTE));
            advisor.setOrder(12);
            return advisor;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserOperationSourceConfiguration {

        @Bean
        static ReversibleOperationSource userOperationSource() {
            return new ReversibleOperationSource();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserValidatorConfiguration {

        @Bean
        static ReversibleBeanValidator userValidator() {
            return new ReversibleBeanValidator(new ReversibleOperationSource());
        }
    }
}
