package dev.reversible.spring.actuate.endpoint;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.reversible.core.Action;
import dev.reversible.core.CompensationFailedException;
import dev.reversible.core.CompositeAction;
import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.spring.actuate.endpoint.ReversibleEndpoint.ActionDescriptor;
import dev.reversible.spring.actuate.endpoint.ReversibleEndpoint.NamedSagaDescriptor;
import dev.reversible.spring.actuate.endpoint.ReversibleEndpoint.ReversibleDescriptor;
import dev.reversible.spring.actuate.endpoint.ReversibleEndpoint.SagaDescriptor;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import dev.reversible.spring.statistics.RollbackRecord;
import dev.reversible.spring.statistics.SagaStatistics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link ReversibleEndpoint} as a plain object over {@link SagaStatistics}: totals, per saga,
 * per action, recent rollbacks — and never an argument value.
 */
class ReversibleEndpointTests {

    private static final Instant NOW = Instant.parse("2025-03-14T09:26:53Z");

    private final SagaStatistics statistics = new SagaStatistics(10, Clock.fixed(NOW, ZoneOffset.UTC));

    private final List<String> sagaIds = new ArrayList<>();

    private final SagaExecutor executor = SagaExecutor.builder().listener(statistics).listener(new SagaListener() {
        @Override
        public void sagaStarted(SagaInfo saga) {
            sagaIds.add(saga.id());
        }
    }).build();

    /** Shows messages ({@code show-values=always}), as most tests here read them; the default is pinned below. */
    private final ReversibleEndpoint endpoint = new ReversibleEndpoint(statistics, Show.ALWAYS, Set.of());

    @Test
    void endpointIdIsReversible() {
        assertThat(ReversibleEndpoint.class.getAnnotation(Endpoint.class).id()).isEqualTo("reversible");
    }

    @Test
    void reversibleShowsTotals() throws Exception {
        runOneOfEachOutcome();
        assertThat(endpoint.reversible().totals()).isEqualTo(new SagaDescriptor(5, 2, 1, 1, 1, 0));
    }

    @Test
    void reversibleShowsEachSagaSortedByName() throws Exception {
        runOneOfEachOutcome();
        ReversibleDescriptor descriptor = endpoint.reversible();
        assertThat(descriptor.sagas().keySet()).containsExactly("order", "refund");
        assertThat(descriptor.sagas().get("order")).isEqualTo(new SagaDescriptor(4, 1, 1, 1, 1, 0));
        assertThat(descriptor.sagas().get("refund")).isEqualTo(new SagaDescriptor(1, 1, 0, 0, 0, 0));
    }

    @Test
    void reversibleShowsEachActionSortedByName() throws Exception {
        runOneOfEachOutcome();
        ReversibleDescriptor descriptor = endpoint.reversible();
        assertThat(descriptor.actions().keySet()).containsExactly("charge", "credit", "reserve");
        // reserve: completed in 4 sagas; undone in the compensated one; its undo failed in the compensation_failed one.
        assertThat(descriptor.actions().get("reserve")).isEqualTo(new ActionDescriptor(4, 0, 1, 1, 0));
        // charge: completed once, failed 3 times and each failed step undone itself.
        assertThat(descriptor.actions().get("charge")).isEqualTo(new ActionDescriptor(1, 3, 3, 0, 0));
        assertThat(descriptor.actions().get("credit")).isEqualTo(new ActionDescriptor(1, 0, 0, 0, 0));
    }

    @Test
    void reversibleShowsActiveSagas() throws Exception {
        List<ReversibleDescriptor> seen = new ArrayList<>();
        Action<String> probe = Reversible.action(context -> {
            seen.add(endpoint.reversible());
            return "probed";
        }, context -> {
        }).named("probe");
        executor.execute(saga("order", probe));
        assertThat(seen).singleElement().satisfies(descriptor -> {
            assertThat(descriptor.totals().active()).isEqualTo(1);
            assertThat(descriptor.sagas().get("order").active()).isEqualTo(1);
        });
        assertThat(endpoint.reversible().totals().active()).isZero();
    }

    @Test
    void reversibleShowsRecentRollbacksNewestFirst() {
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), step("ship"), failing("charge", new CardDeclinedException("card declined")))))
                .hasMessage("card declined");
        assertThatExceptionOfType(CompensationFailedException.class).isThrownBy(() -> executor
                .execute(saga("order", step("reserve"), irreversible("ship"), failing("charge", new CardDeclinedException("card expired")))));
        assertThat(endpoint.reversible().recentRollbacks()).containsExactly(
                new RollbackRecord("order", sagaIds.get(1), "charge", CardDeclinedException.class.getName(), "card expired",
                        List.of("charge"), List.of("ship"), List.of("ship", "reserve"), List.of(), NOW),
                new RollbackRecord("order", sagaIds.get(0), "charge", CardDeclinedException.class.getName(), "card declined",
                        List.of("charge", "ship", "reserve"), List.of(), List.of(), List.of(), NOW));
    }

    @Test
    void exceptionMessagesAreHiddenByDefaultAndTheClassIsStillShown() {
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge", new CardDeclinedException("alice is short by 12.50")))));
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge", new CardDeclinedException(null)))));

        List<RollbackRecord> rollbacks = new ReversibleEndpoint(statistics).reversible().recentRollbacks();

        assertThat(rollbacks).extracting(RollbackRecord::exceptionClass).containsExactly(CardDeclinedException.class.getName(),
                CardDeclinedException.class.getName());
        assertThat(rollbacks).extracting(RollbackRecord::exceptionMessage).containsExactly(null, ReversibleEndpoint.HIDDEN);
        assertThat(rollbacks.get(1).compensated()).containsExactly("charge", "reserve");
        assertThat(new ReversibleEndpoint(statistics, Show.NEVER, Set.of()).reversible(caller("ops", "OPERATOR")).recentRollbacks())
                .extracting(RollbackRecord::exceptionMessage).containsExactly(null, ReversibleEndpoint.HIDDEN);
    }

    @Test
    void exceptionMessagesWhenAuthorizedAreShownToACallerInOneOfTheRolesOnly() {
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge", new CardDeclinedException("card declined")))));
        ReversibleEndpoint operatorsOnly = new ReversibleEndpoint(statistics, Show.WHEN_AUTHORIZED, Set.of("OPERATOR"));
        ReversibleEndpoint anyUser = new ReversibleEndpoint(statistics, Show.WHEN_AUTHORIZED, Set.of());

        assertThat(operatorsOnly.reversible(caller("ops", "OPERATOR")).recentRollbacks().get(0).exceptionMessage()).isEqualTo("card declined");
        assertThat(operatorsOnly.reversible(caller("dev", "DEVELOPER")).recentRollbacks().get(0).exceptionMessage())
                .isEqualTo(ReversibleEndpoint.HIDDEN);
        assertThat(operatorsOnly.reversible(SecurityContext.NONE).recentRollbacks().get(0).exceptionMessage())
                .isEqualTo(ReversibleEndpoint.HIDDEN);
        assertThat(anyUser.reversible(caller("dev", "DEVELOPER")).recentRollbacks().get(0).exceptionMessage()).isEqualTo("card declined");
        assertThat(anyUser.reversible(SecurityContext.NONE).recentRollbacks().get(0).exceptionMessage()).isEqualTo(ReversibleEndpoint.HIDDEN);
    }

    private static SecurityContext caller(String name, String role) {
        return new SecurityContext() {
            @Override
            public java.security.Principal getPrincipal() {
                return () -> name;
            }

            @Override
            public boolean isUserInRole(String candidate) {
                return role.equals(candidate);
            }
        };
    }

    @Test
    void sagaShowsOneSagasCounts() throws Exception {
        runOneOfEachOutcome();
        assertThat(endpoint.saga("order")).isEqualTo(new NamedSagaDescriptor("order", 4, 1, 1, 1, 1, 0));
        assertThat(endpoint.saga("refund")).isEqualTo(new NamedSagaDescriptor("refund", 1, 1, 0, 0, 0, 0));
    }

    @Test
    void sagaKnownButNeverRunShowsZeros() {
        statistics.saga("OrderService.placeOrder");
        assertThat(endpoint.saga("OrderService.placeOrder")).isEqualTo(new NamedSagaDescriptor("OrderService.placeOrder", 0, 0, 0, 0, 0, 0));
        assertThat(endpoint.reversible().sagas()).containsOnlyKeys("OrderService.placeOrder");
    }

    @Test
    void sagaWhenUnknownIsNull() throws Exception {
        runOneOfEachOutcome();
        assertThat(endpoint.saga("nothing")).isNull();
    }

    @Test
    void emptyStatisticsShowAnEmptyDescriptor() {
        ReversibleDescriptor descriptor = endpoint.reversible();
        assertThat(descriptor.totals()).isEqualTo(new SagaDescriptor(0, 0, 0, 0, 0, 0));
        assertThat(descriptor.sagas()).isEmpty();
        assertThat(descriptor.actions()).isEmpty();
        assertThat(descriptor.recentRollbacks()).isEmpty();
    }

    @Test
    void descriptorSerializesToTheDocumentedJson() throws Exception {
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge", new CardDeclinedException("card declined")))));
        JsonNode json = JsonMapper.builder().build().readTree(JsonMapper.builder().build().writeValueAsString(endpoint.reversible()));
        assertThat(json.propertyNames()).containsExactly("totals", "sagas", "actions", "recentRollbacks");
        assertThat(json.get("totals").propertyNames()).containsExactly("started", "completed", "compensated", "compensationFailed", "failed",
                "active");
        assertThat(json.get("totals").get("compensated").asLong()).isEqualTo(1);
        assertThat(json.get("sagas").get("order").get("started").asLong()).isEqualTo(1);
        assertThat(json.get("actions").get("charge").propertyNames()).containsExactly("completed", "failed", "compensated",
                "compensationFailed", "undoneByTransaction");
        JsonNode rollback = json.get("recentRollbacks").get(0);
        assertThat(rollback.get("sagaName").asString()).isEqualTo("order");
        assertThat(rollback.get("sagaId").asString()).isEqualTo(sagaIds.get(0));
        assertThat(rollback.get("failedStep").asString()).isEqualTo("charge");
        assertThat(rollback.get("exceptionClass").asString()).isEqualTo(CardDeclinedException.class.getName());
        assertThat(rollback.get("exceptionMessage").asString()).isEqualTo("card declined");
        assertThat(rollback.get("compensated")).extracting(JsonNode::asString).containsExactly("charge", "reserve");
        assertThat(rollback.get("timestamp").asString()).isEqualTo("2025-03-14T09:26:53Z");
    }

    @Test
    void descriptorNeverShowsArgumentValues() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ReversibleAutoConfiguration.class))
                .withUserConfiguration(PaymentConfiguration.class).run(context -> {
                    Checkout checkout = context.getBean(Checkout.class);
                    checkout.pay(CARD, false);
                    assertThatThrownBy(() -> checkout.pay(CARD, true)).isInstanceOf(CardDeclinedException.class);
                    assertThat(context.getBean(Payments.class).refunds()).containsExactly(CARD + " receipt-for-" + CARD);
                    // messages shown, so that only arguments can be missing from the output
                    ReversibleEndpoint contextEndpoint = new ReversibleEndpoint(context.getBean(SagaStatistics.class), Show.ALWAYS, Set.of());
                    JsonMapper mapper = JsonMapper.builder().build();
                    String all = mapper.writeValueAsString(contextEndpoint.reversible());
                    String one = mapper.writeValueAsString(contextEndpoint.saga("Checkout.pay"));
                    assertThat(all).contains("\"Checkout.pay\"", "\"charge\"", "card declined").doesNotContain(SECRET);
                    assertThat(one).contains("\"Checkout.pay\"").doesNotContain(SECRET);
                });
    }

    private void runOneOfEachOutcome() throws Exception {
        executor.execute(saga("order", step("reserve"), step("charge")));
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge", new CardDeclinedException("declined")))));
        assertThatExceptionOfType(CompensationFailedException.class)
                .isThrownBy(() -> executor.execute(saga("order", irreversible("reserve"), failing("charge", new CardDeclinedException("declined")))));
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge", new CardDeclinedException("declined")))
                .rollbackOn(failure -> !(failure instanceof CardDeclinedException))));
        executor.execute(saga("refund", step("credit")));
    }

    @SafeVarargs
    private static CompositeAction<String> saga(String name, Action<String>... steps) {
        return Reversible.<String>gen(scope -> {
            for (Action<String> step : steps) {
                scope.run(step);
            }
            return name;
        }).named(name);
    }

    private static Action<String> step(String name) {
        return Reversible.action(context -> name, context -> {
        }).named(name);
    }

    private static Action<String> failing(String name, RuntimeException failure) {
        return Reversible.<String>action(context -> {
            throw failure;
        }, context -> {
        }).named(name);
    }

    private static Action<String> irreversible(String name) {
        return Reversible.action(context -> name, context -> {
            throw new IllegalStateException("cannot undo " + name);
        }).named(name);
    }

    // ---- fixtures ------------------------------------------------------------------------------

    private static final String SECRET = "4111-1111-1111-1111";

    private static final String CARD = "card " + SECRET;

    static class CardDeclinedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        CardDeclinedException(String message) {
            super(message);
        }
    }

    static class Payments {

        private final List<String> refunds = new ArrayList<>();

        public List<String> refunds() {
            return refunds;
        }

        @ReversibleAction
        public String charge(String card) {
            return "receipt-for-" + card;
        }

        @Compensate("charge")
        public void refund(String card, String receipt) {
            refunds.add(card + " " + receipt);
        }
    }

    static class Checkout {

        private final Payments payments;

        Checkout(Payments payments) {
            this.payments = payments;
        }

        @ReversibleSaga
        public String pay(String card, boolean decline) {
            String receipt = payments.charge(card);
            if (decline) {
                // Exception messages are shown by design: this one carries no argument value.
                throw new CardDeclinedException("card declined");
            }
            return receipt;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PaymentConfiguration {

        @Bean
        Payments payments() {
            return new Payments();
        }

        @Bean
        Checkout checkout(Payments payments) {
            return new Checkout(payments);
        }
    }
}
