package dev.reversible.test;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import dev.reversible.jdbc.JournalJson;
import dev.reversible.jdbc.JournalPayloadException;

/**
 * Records a {@link JournalFixture} while the application's tests run: for each action, the first call that completed
 * — the bean it ran on, its arguments as they were when it started and its result — written with the journal's
 * own JSON mapping ({@link JournalJson}, as the starter's journal writes a step). A bean of the kit's
 * auto-configuration (with {@code reversible-jdbc} on the class path), fed by an advisor inside the saga aspect, so
 * only calls that ran as steps are recorded. Unlike the {@link SagaRecorder} it is never reset: a fixture covers
 * every test of the run. Actions the journal cannot recover anyway are not recorded: those declared
 * {@code @ReversibleAction(durable = false)} and those of beans that are not singletons.
 *
 * <pre>{@code
 * @Autowired JournalFixtureRecorder fixtureRecorder;
 *
 * fixtureRecorder.fixture().write(JournalFixture.path());   // or -Dreversible.test.fixture.record=true for the whole run
 * }</pre>
 */
public final class JournalFixtureRecorder {

    private final JournalJson json;
    private final Map<String, FixtureEntry> entries = new ConcurrentHashMap<>();

    /** @param json the journal's JSON mapping, which writes the arguments and results as the journal would */
    public JournalFixtureRecorder(JournalJson json) {
        this.json = Objects.requireNonNull(json, "json must not be null");
    }

    /** @return one entry per action recorded so far, sorted by action name */
    public JournalFixture fixture() {
        return JournalFixture.of(entries.values());
    }

    /** @return whether the action still needs an example (checked before anything is written as JSON) */
    boolean wants(String action) {
        return !entries.containsKey(action);
    }

    /**
     * @return the arguments as the journal writes them when the step starts, or {@code null} when they cannot be
     *     written (the journal refuses to run such a step)
     */
    String arguments(Object[] arguments) {
        try {
            return json.writeArguments(Arrays.asList(arguments));
        }
        catch (JournalPayloadException e) {
            return null;
        }
    }

    /** Keeps the first completed call of each action; a result the journal cannot write is journaled as null, so here too. */
    void completed(String bean, String action, String arguments, Object result) {
        if (wants(action)) {
            String resultJson;
            try {
                resultJson = json.writeResult(result);
            }
            catch (JournalPayloadException e) {
                resultJson = null;
            }
            entries.putIfAbsent(action, new FixtureEntry(bean, action, arguments, resultJson));
        }
    }
}
