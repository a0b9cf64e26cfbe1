package dev.reversible.spring.metadata;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Start-up over factory beans and lazy beans, as in an application with Spring Data: inspecting beans
 * never asks a factory bean anything while it is being created, never creates a bean early, and a
 * factory bean's product with actions is validated, proxied and compensated like any other bean.
 */
class FactoryBeanStartupTests {

    // Boot applications forbid circular references: a question to a factory bean in creation then fails start-up.
    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withAllowCircularReferences(false)
            .withConfiguration(AutoConfigurations.of(ReversibleAutoConfiguration.class));

    @Test
    void startsWithoutAskingAFactoryBeanAnythingWhileItIsInCreationOrCreatingUnusedProducts() {
        this.contextRunner.withUserConfiguration(Factories.class).run(context -> {
            assertThat(context).hasNotFailed();
            Calls calls = context.getBean(Calls.class);
            assertThat(calls.whileInCreation()).isEmpty();
            assertThat(calls.list()).doesNotContain("audit.getObject", "stamps.getObject");
            assertThat(calls.list()).filteredOn("ledger.getObject"::equals).hasSize(1);
            assertThat(context.getBean(Instances.class).reports.get()).isZero();

            context.getBean(Report.class).print();

            assertThat(context.getBean(Instances.class).reports.get()).isEqualTo(1);
        });
    }

    @Test
    void productWithActionsIsProxiedAndItsActionsAreCompensatedInAFailingSaga() {
        this.contextRunner.withUserConfiguration(Factories.class).run(context -> {
            Calls calls = context.getBean(Calls.class);
            assertThat(AopUtils.isAopProxy(context.getBean("ledger"))).isTrue();
            IllegalStateException failure = new IllegalStateException("fee refused");

            Throwable thrown = catchThrowable(() -> context.getBean(Transfers.class).transfer("alice", "bob", 30, failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(calls.list()).filteredOn(call -> !call.contains(".")).containsExactly("debit alice 30", "credit bob 30",
                    "undo credit bob 30", "undo debit alice 30");
        });
    }

    @Test
    void singletonProductIsNamedForTheJournalButANonSingletonProductIsNot() {
        this.contextRunner.withUserConfiguration(Factories.class).run(context -> {
            SagaBeanRegistry registry = context.getBean(SagaBeanRegistry.class);
            Object ledger = AopProxyUtils.getSingletonTarget(context.getBean("ledger"));
            Object stamp = AopProxyUtils.getSingletonTarget(context.getBean("stamps"));

            assertThat(ledger).isInstanceOf(Ledger.class);
            assertThat(registry.beanName(ledger)).isEqualTo("ledger");
            assertThat(stamp).isInstanceOf(Stamp.class);
            assertThat(registry.beanName(stamp)).isNull();
        });
    }

    @Test
    void productWithoutAHandlerStopsStartUpNamingItsBean() {
        this.contextRunner.withUserConfiguration(BrokenFactory.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure())).isExactlyInstanceOf(ReversibleConfigurationException.class)
                    .hasMessageStartingWith("Bean 'brokenLedger' (" + Unhandled.class.getName() + "), method debit(String): "
                            + "@ReversibleAction 'debit' has no @Compensate(\"debit\") handler on the same bean.");
        });
    }

    @Test
    void lazyBeanWithoutAHandlerStopsStartUpWithoutBeingCreated() {
        this.contextRunner.withUserConfiguration(BrokenLazyBean.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure())).isExactlyInstanceOf(ReversibleConfigurationException.class)
                    .hasMessageStartingWith("Bean 'lazyLedger' (" + LazyUnhandled.class.getName() + "), method debit(String): ");
            assertThat(LazyUnhandled.instances).hasValue(0);
        });
    }

    // ---- fixtures ------------------------------------------------------------------------------

    /** Every call a factory bean received, and those that came while it was still being created. */
    static final class Calls {

        private final List<String> list = new CopyOnWriteArrayList<>();
        private final List<String> whileInCreation = new CopyOnWriteArrayList<>();

        void record(String call, boolean created) {
            list.add(call);
            if (!created) {
                whileInCreation.add(call);
                throw new IllegalStateException(call + " called while the factory bean is in creation");
            }
        }

        List<String> list() {
            return List.copyOf(list);
        }

        List<String> whileInCreation() {
            return List.copyOf(whileInCreation);
        }
    }

    static final class Instances {

        final AtomicInteger reports = new AtomicInteger();
    }

    /** A factory bean that refuses every question until it is fully initialized, as JPA's may. */
    abstract static class RecordingFactoryBean<T> implements FactoryBean<T>, InitializingBean {

        private final String name;
        private final Calls calls;
        private final boolean singleton;
        private volatile boolean created;

        RecordingFactoryBean(String name, Calls calls, boolean singleton) {
            this.name = name;
            this.calls = calls;
            this.singleton = singleton;
        }

        @Override
        public void afterPropertiesSet() {
            created = true;
        }

        @Override
        public T getObject() {
            calls.record(name + ".getObject", created);
            return create(calls);
        }

        @Override
        public boolean isSingleton() {
            calls.record(name + ".isSingleton", created);
            return singleton;
        }

        @Override
        public Class<?> getObjectType() {
            calls.record(name + ".getObjectType", created);
            return type();
        }

        abstract T create(Calls calls);

        abstract Class<T> type();
    }

    static final class LedgerFactoryBean extends RecordingFactoryBean<Ledger> {

        LedgerFactoryBean(Calls calls) {
            super("ledger", calls, true);
        }

        @Override
        Ledger create(Calls calls) {
            return new Ledger(calls);
        }

        @Override
        Class<Ledger> type() {
            return Ledger.class;
        }
    }

    static final class AuditFactoryBean extends RecordingFactoryBean<Audit> {

        AuditFactoryBean(Calls calls) {
            super("audit", calls, true);
        }

        @Override
        Audit create(Calls calls) {
            return new Audit();
        }

        @Override
        Class<Audit> type() {
            return Audit.class;
        }
    }

    /** Makes a new {@link Stamp} for every {@code getBean}: its product is no singleton. */
    static final class StampFactoryBean extends RecordingFactoryBean<Stamp> {

        StampFactoryBean(Calls calls) {
            super("stamps", calls, false);
        }

        @Override
        Stamp create(Calls calls) {
            return new Stamp();
        }

        @Override
        Class<Stamp> type() {
            return Stamp.class;
        }
    }

    static final class UnhandledFactoryBean implements FactoryBean<Unhandled> {

        @Override
        public Unhandled getObject() {
            return new Unhandled();
        }

        @Override
        public Class<?> getObjectType() {
            return Unhandled.class;
        }
    }

    static class Ledger {

        private final Calls calls;

        Ledger(Calls calls) {
            this.calls = calls;
        }

        @ReversibleAction
        public void debit(String account, int amount) {
            calls.list.add("debit " + account + " " + amount);
        }

        @Compensate("debit")
        public void undoDebit(String account, int amount) {
            calls.list.add("undo debit " + account + " " + amount);
        }

        @ReversibleAction
        public void credit(String account, int amount) {
            calls.list.add("credit " + account + " " + amount);
        }

        @Compensate("credit")
        public void undoCredit(String account, int amount) {
            calls.list.add("undo credit " + account + " " + amount);
        }
    }

    static class Audit {
    }

    static class Stamp {

        @ReversibleAction
        public void stamp(String document) {
        }

        @Compensate("stamp")
        public void unstamp(String document) {
        }
    }

    static class Unhandled {

        @ReversibleAction
        public void debit(String account) {
        }
    }

    static class LazyUnhandled {

        // Static: the context that would hold a counter bean never finishes starting.
        static final AtomicInteger instances = new AtomicInteger();

        LazyUnhandled() {
            instances.incrementAndGet();
        }

        @ReversibleAction
        public void debit(String account) {
        }
    }

    static class Transfers {

        private final Ledger ledger;

        Transfers(Ledger ledger) {
            this.ledger = ledger;
        }

        @ReversibleSaga
        public void transfer(String from, String to, int amount, RuntimeException feeFailure) {
            ledger.debit(from, amount);
            ledger.credit(to, amount);
            throw feeFailure;
        }
    }

    static class Report {

        Report(Instances instances) {
            instances.reports.incrementAndGet();
        }

        public void print() {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Factories {

        @Bean
        Calls calls() {
            return new Calls();
        }

        @Bean
        Instances instances() {
            return new Instances();
        }

        @Bean
        LedgerFactoryBean ledger(Calls calls) {
            return new LedgerFactoryBean(calls);
        }

        @Bean
        AuditFactoryBean audit(Calls calls) {
            return new AuditFactoryBean(calls);
        }

        @Bean
        StampFactoryBean stamps(Calls calls) {
            return new StampFactoryBean(calls);
        }

        @Bean
        Transfers transfers(Ledger ledger) {
            return new Transfers(ledger);
        }

        @Bean
        @Lazy
        Report report(Instances instances) {
            return new Report(instances);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BrokenFactory {

        @Bean
        UnhandledFactoryBean brokenLedger() {
            return new UnhandledFactoryBean();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BrokenLazyBean {

        @Bean
        @Lazy
        LazyUnhandled lazyLedger() {
            return new LazyUnhandled();
        }
    }
}
