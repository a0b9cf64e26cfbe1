package dev.reversible.test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.reversible.jdbc.SagaStatus;
import dev.reversible.jdbc.StoredSaga;
import dev.reversible.jdbc.StoredSagas;
import dev.reversible.test.fixture.v1.Orders;
import dev.reversible.test.fixture.v1.OrdersV1Application;
import dev.reversible.test.fixture.v2.OrdersV2Application;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The journal fixture across two versions of one application ({@code fixture.v1} and {@code fixture.v2}, the same
 * bean names): recorded from version 1's calls, written, read back, and checked against version 2, where
 * {@code reserve} was renamed with an alias and {@code confirm}'s record gained fields (both still compensable),
 * {@code book} was renamed without an alias and {@code charge}'s amount became a record (each a failure line).
 */
class JournalFixtureTests {

    private static final String NL = System.lineSeparator();

    /** What version 1's first order journals, one entry per durable action, sorted by action name. */
    private static final List<FixtureEntry> VERSION_1 = List.of(
            new FixtureEntry("shipping", "book", "[{\"orderId\":\"o-1\",\"address\":\"alice's address\"}]", "7"),
            new FixtureEntry("payments", "charge", "[\"alice\",12.50]", "12.50"),
            new FixtureEntry("mail", "confirm", "[{\"customer\":\"alice\",\"orderId\":\"o-1\"}]", null),
            new FixtureEntry("stock", "reserve", "[\"BOOK\",2]", "\"R-BOOK-2\""));

    @TempDir
    Path dir;

    @Test
    void recordsTheFirstCompletedCallOfEachDurableActionExactlyAsTheJournalWritesItsStep() {
        try (ConfigurableApplicationContext v1 = start(OrdersV1Application.class)) {
            placeTwoOrders(v1);

            JournalFixture fixture = v1.getBean(JournalFixtureRecorder.class).fixture();

            // audit is not durable: the journal cannot compensate it after a crash, so it has no entry.
            assertThat(fixture.entries()).containsExactlyElementsOf(VERSION_1);
            StoredSaga first = v1.getBean(StoredSagas.class).list(SagaStatus.COMPLETED, 10).stream()
                    .filter(saga -> saga.steps().get(0).argumentsJson().contains("BOOK")).findFirst().orElseThrow();
            assertThat(first.steps()).extracting("beanName", "actionName", "argumentsJson", "resultJson").startsWith(
                    VERSION_1.stream().sorted(Comparator.comparing(JournalFixtureTests::order))
                            .map(entry -> tuple(entry.bean(), entry.action(), entry.arguments(), entry.result())).toArray(Tuple[]::new));
        }
    }

    @Test
    void aCallThatFailedIsNotAnExampleTheNextCompletedOneIs() {
        // The first order fails at book, after reserve and charge completed and before confirm ran: those two come from it.
        try (ConfigurableApplicationContext v1 = start(OrdersV1Application.class)) {
            v1.getBean(FailureInjector.class).failActionOnCall("book", 1, new IllegalStateException("carrier down"));
            Orders orders = v1.getBean(Orders.class);
            assertThatThrownBy(() -> orders.placeOrder("o-1", "alice", "BOOK", 2, new BigDecimal("12.50"))).hasMessage("carrier down");
            orders.placeOrder("o-2", "bob", "PEN", 1, new BigDecimal("1.00"));

            assertThat(v1.getBean(JournalFixtureRecorder.class).fixture().entries()).containsExactly(
                    new FixtureEntry("shipping", "book", "[{\"orderId\":\"o-2\",\"address\":\"bob's address\"}]", "7"),
                    VERSION_1.get(1), new FixtureEntry("mail", "confirm", "[{\"customer\":\"bob\",\"orderId\":\"o-2\"}]", null),
                    VERSION_1.get(3));
        }
    }

    @Test
    void fixtureFileIsSortedPrettyPrintedJsonThatReadsBackTheSameEntries() throws Exception {
        Path file = dir.resolve("reversible/journal-fixture.json");

        JournalFixture.of(List.of(VERSION_1.get(3), VERSION_1.get(2), VERSION_1.get(0), VERSION_1.get(1))).write(file);

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "version" : 1,
                  "entries" : [
                    {
                      "action" : "book",
                      "bean" : "shipping",
                      "arguments" : [
                        {
                          "orderId" : "o-1",
                          "address" : "alice's address"
                        }
                      ],
                      "result" : 7
                    },
                    {
                      "action" : "charge",
                      "bean" : "payments",
                      "arguments" : [
                        "alice",
                        12.50
                      ],
                      "result" : 12.50
                    },
                    {
                      "action" : "confirm",
                      "bean" : "mail",
                      "arguments" : [
                        {
                          "customer" : "alice",
                          "orderId" : "o-1"
                        }
                      ]
                    },
                    {
                      "action" : "reserve",
                      "bean" : "stock",
                      "arguments" : [
                        "BOOK",
                        2
                      ],
                      "result" : "R-BOOK-2"
                    }
                  ]
                }
                """);
        assertThat(JournalFixture.read(file).entries()).containsExactlyElementsOf(VERSION_1);
    }

    @Test
    void versionOneCompensatesEveryEntryOfItsOwnFixture() {
        Path file = dir.resolve("journal-fixture.json");
        try (ConfigurableApplicationContext v1 = start(OrdersV1Application.class)) {
            placeTwoOrders(v1);
            v1.getBean(JournalFixtureRecorder.class).fixture().write(file);

            JournalFixtureCheck check = v1.getBean(JournalFixtureCheck.class);
            assertThat(check.problems(JournalFixture.read(file))).isEmpty();
            check.assertCompensable(file);
        }
    }

    @Test
    void versionTwoFailsWithOneLinePerEntryItCanNoLongerCompensate() {
        Path file = dir.resolve("journal-fixture.json");
        try (ConfigurableApplicationContext v1 = start(OrdersV1Application.class)) {
            placeTwoOrders(v1);
            v1.getBean(JournalFixtureRecorder.class).fixture().write(file);
        }

        try (ConfigurableApplicationContext v2 = start(OrdersV2Application.class)) {
            JournalFixtureCheck check = v2.getBean(JournalFixtureCheck.class);

            // reserve: found by its alias; confirm: its record gained 'copies' (an int) and 'language', read with their defaults.
            assertThatThrownBy(() -> check.assertCompensable(file)).isInstanceOf(AssertionError.class).hasMessage("Journal fixture " + file
                    + ": 2 of 4 entries can no longer be compensated by this code:" + NL
                    + "  book: bean 'shipping' (dev.reversible.test.fixture.v2.Shipping) has no action 'book' any more" + NL
                    + "  charge: the journaled arguments or result of action 'charge' of bean 'payments'"
                    + " (dev.reversible.test.fixture.v2.Payments) no longer read into Payments.refund(String, Money, Money):"
                    + " Cannot read argument 1 into dev.reversible.test.fixture.v2.Payments$Money: Cannot construct instance of"
                    + " `dev.reversible.test.fixture.v2.Payments$Money` (although at least one Creator exists): no double/Double-argument"
                    + " constructor/factory method to deserialize from Number value (12.5)");
            assertThat(check.problems(JournalFixture.read(file))).extracting(line -> line.substring(0, line.indexOf(':')))
                    .containsExactly("book", "charge");
        }
    }

    @Test
    void aBeanWhoseNameChangedIsFoundByItsActionAndAnActionFoundNowhereIsSaid() {
        JournalFixture fixture = JournalFixture.of(List.of(new FixtureEntry("inventory", "reserve", "[\"BOOK\",2]", "\"R-BOOK-2\""),
                new FixtureEntry("inventory", "release", "[\"BOOK\",2]", null)));
        try (ConfigurableApplicationContext v2 = start(OrdersV2Application.class)) {
            assertThat(v2.getBean(JournalFixtureCheck.class).problems(fixture))
                    .containsExactly("release: no bean 'inventory' any more, and no bean has an action 'release'");
        }
    }

    @Test
    void missingFixtureFailsSayingHowToRecordOne() {
        Path file = dir.resolve("none.json");
        try (ConfigurableApplicationContext v2 = start(OrdersV2Application.class)) {
            assertThatThrownBy(() -> v2.getBean(JournalFixtureCheck.class).assertCompensable(file)).isInstanceOf(AssertionError.class)
                    .hasMessage("No journal fixture at " + file.toAbsolutePath() + ": record one by running the tests with"
                            + " -Dreversible.test.fixture.record=true (and -Dreversible.test.fixture.path=" + file
                            + " for another path), then commit it");
        }
    }

    @Test
    void withoutTheJournalTheFixtureIsRecordedAlikeAndTheCheckSaysItNeedsTheJournal() {
        try (ConfigurableApplicationContext v1 = start(OrdersV1Application.class, "--reversible.jdbc.enabled=false")) {
            placeTwoOrders(v1);
            JournalFixture fixture = v1.getBean(JournalFixtureRecorder.class).fixture();
            assertThat(fixture.entries()).containsExactlyElementsOf(VERSION_1);

            assertThatThrownBy(() -> v1.getBean(JournalFixtureCheck.class).assertCompensable(fixture)).isInstanceOf(AssertionError.class)
                    .hasMessage("Cannot check the journal fixture recorded in this run (4 entries): the application has no journal: put"
                            + " reversible-jdbc on the test class path, with a DataSource, and leave reversible.jdbc.enabled on");
        }
    }

    @Test
    void listenerWritesTheRunsFixtureAfterEachTestClassOnlyWhenAsked() throws Exception {
        Path file = dir.resolve("recorded/journal-fixture.json");
        Map<String, String> properties = new HashMap<>();
        JournalFixtureExecutionListener listener = new JournalFixtureExecutionListener(new JournalFixtureExecutionListener.Recording(),
                properties::get);
        try (ConfigurableApplicationContext v1 = start(OrdersV1Application.class)) {
            TestContext testContext = mock(TestContext.class);
            given(testContext.hasApplicationContext()).willReturn(true);
            given(testContext.getApplicationContext()).willReturn(v1);
            placeTwoOrders(v1);

            properties.put(JournalFixture.PATH_PROPERTY, file.toString());
            listener.afterTestMethod(testContext);
            listener.afterTestClass(testContext);
            assertThat(file).doesNotExist();

            properties.put(JournalFixture.RECORD_PROPERTY, "true");
            listener.afterTestMethod(testContext);
            listener.afterTestClass(testContext);
            assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(JournalFixture.of(VERSION_1).toJson());

            // Nothing new was recorded: the file is not written again.
            Files.writeString(file, "edited");
            listener.afterTestClass(testContext);
            assertThat(file).hasContent("edited");
        }
    }

    private static void placeTwoOrders(ConfigurableApplicationContext v1) {
        Orders orders = v1.getBean(Orders.class);
        orders.placeOrder("o-1", "alice", "BOOK", 2, new BigDecimal("12.50"));
        orders.placeOrder("o-2", "bob", "PEN", 1, new BigDecimal("1.00"));
    }

    /** The order version 1's saga calls the actions in. */
    private static int order(FixtureEntry entry) {
        return List.of("reserve", "charge", "book", "confirm").indexOf(entry.action());
    }

    private static ConfigurableApplicationContext start(Class<?> application, String... arguments) {
        String[] all = new String[arguments.length + 2];
        all[0] = "--reversible.jdbc.enabled=true";
        all[1] = "--reversible.jdbc.completed=keep";
        System.arraycopy(arguments, 0, all, 2, arguments.length);
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE).run(all);
    }
}
