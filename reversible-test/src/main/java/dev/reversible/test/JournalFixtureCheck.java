package dev.reversible.test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.reversible.jdbc.SagaStatus;
import dev.reversible.jdbc.StepStatus;
import dev.reversible.jdbc.StoredSaga;
import dev.reversible.jdbc.StoredStep;
import dev.reversible.spring.jdbc.SagaRecovery;

/**
 * Checks that every entry of a committed {@link JournalFixture} is still compensable by the application's current
 * code — the question a release must answer before it meets the sagas the previous release left in the journal.
 * Each entry is put to the starter's own recovery as a one-step saga ({@link SagaRecovery#unrecoverableReason}),
 * so the check finds the step's action exactly as recovery would: its bean by the journaled name (or, when that
 * bean is gone, the one bean with an action of that name), the action by its name or one of its {@code aliases},
 * and the journaled arguments and result read into the current {@code @Compensate} handler's parameter types,
 * tolerantly (a field added since gets its default, a field removed is ignored). Nothing runs: no handler is
 * called and nothing is written. A bean of the kit's auto-configuration, with {@code reversible-jdbc} on the
 * class path; it needs the starter's journal in the test's application context.
 *
 * <pre>{@code
 * @Autowired JournalFixtureCheck fixtureCheck;
 *
 * @Test
 * void everyCommittedJournalEntryIsStillCompensable() {
 *     fixtureCheck.assertCompensable(JournalFixture.read(JournalFixture.path()));
 * }
 * }</pre>
 */
public final class JournalFixtureCheck {

    /** The saga each entry is put to recovery in; its name is what recovery's reasons start with. */
    private static final String SAGA_NAME = "journal-fixture";
    private static final String SAGA_ID = "journal-fixture-entry";

    private final SagaRecovery recovery;

    /**
     * @param recovery the starter's recovery, whose resolution the check uses, or {@code null} when the application
     *     has no journal (every check then fails saying so)
     */
    public JournalFixtureCheck(SagaRecovery recovery) {
        this.recovery = recovery;
    }

    /**
     * @param fixture a committed fixture
     * @return one line per entry this code can no longer compensate, {@code action: reason}, in the fixture's order;
     *     empty when every entry is compensable
     * @throws AssertionError when the application has no journal
     */
    public List<String> problems(JournalFixture fixture) {
        if (recovery == null) {
            throw new AssertionError("Cannot check the " + fixture + ": the application has no journal: put reversible-jdbc on the test"
                    + " class path, with a DataSource, and leave reversible.jdbc.enabled on");
        }
        List<String> problems = new ArrayList<>();
        for (FixtureEntry entry : fixture.entries()) {
            reason(entry).ifPresent(reason -> problems.add(entry.action() + ": " + reason));
        }
        return problems;
    }

    /**
     * @param fixture a committed fixture
     * @throws AssertionError listing one line per entry this code can no longer compensate
     */
    public void assertCompensable(JournalFixture fixture) {
        List<String> problems = problems(fixture);
        if (!problems.isEmpty()) {
            StringBuilder message = new StringBuilder("Journal fixture ").append(fixture.origin()).append(": ").append(problems.size())
                    .append(" of ").append(fixture.entries().size()).append(" entries can no longer be compensated by this code:");
            problems.forEach(problem -> message.append(System.lineSeparator()).append("  ").append(problem));
            throw new AssertionError(message.toString());
        }
    }

    /**
     * @param file a committed fixture's file ({@link JournalFixture#path()} for the default)
     * @throws AssertionError when there is no fixture there, or listing one line per entry this code can no longer compensate
     */
    public void assertCompensable(Path file) {
        assertCompensable(JournalFixture.read(file));
    }

    private Optional<String> reason(FixtureEntry entry) {
        StoredStep step = new StoredStep(0, null, entry.bean(), entry.action(), entry.arguments(), entry.result(), StepStatus.COMPLETED,
                false, 0, null);
        StoredSaga saga = new StoredSaga(SAGA_ID, SAGA_NAME, SagaStatus.COMPENSATING, null, null, 0, Instant.EPOCH, Instant.EPOCH,
                null, null, false, null, null, 0, List.of(step));
        Optional<String> reason;
        try {
            reason = recovery.unrecoverableReason(saga);
        }
        catch (RuntimeException e) {
            reason = Optional.of(String.valueOf(e));
        }
        // Recovery names the step and its saga first; the fixture's line names the action, so that part is left out.
        String where = "step 0 (" + entry.action() + ") of saga " + SAGA_NAME + " (" + SAGA_ID + "): ";
        return reason.map(text -> text.startsWith(where) ? text.substring(where.length()) : text)
                .map(text -> text.replaceAll("\\R", " "));
    }
}
