package dev.reversible.test;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;
import org.springframework.util.ClassUtils;

/**
 * Writes the {@link JournalFixture} while the tests run, when asked with {@code -Dreversible.test.fixture.record=true}
 * ({@link JournalFixture#RECORD_PROPERTY}): after each test method it takes what each context's
 * {@link JournalFixtureRecorder} recorded (the first example of each action in the JVM wins), and after each test
 * class it rewrites the file at {@link JournalFixture#path()} when something new was recorded — so the file holds every
 * action the run has called so far, and once the run ends, all of them. Without the property it does nothing: a
 * committed fixture is never rewritten behind the user's back. Registered in {@code META-INF/spring.factories};
 * it never loads a context, and without {@code reversible-jdbc} on the class path it does nothing either.
 *
 * <pre>{@code
 * ./mvnw test -Dreversible.test.fixture.record=true     # then commit src/test/resources/reversible/journal-fixture.json
 * }</pre>
 */
public class JournalFixtureExecutionListener extends AbstractTestExecutionListener {

    private static final boolean JOURNAL = ClassUtils.isPresent("dev.reversible.jdbc.JournalJson",
            JournalFixtureExecutionListener.class.getClassLoader());

    /** What this JVM's test run recorded: Spring makes a listener per test class, the fixture spans them all. */
    private static final Recording JVM = new Recording();

    private final Recording recording;
    private final UnaryOperator<String> systemProperty;

    /** The listener Spring creates, recording into this JVM's fixture when the system property asks for it. */
    public JournalFixtureExecutionListener() {
        this(JVM, System::getProperty);
    }

    JournalFixtureExecutionListener(Recording recording, UnaryOperator<String> systemProperty) {
        this.recording = recording;
        this.systemProperty = systemProperty;
    }

    /** Just after the kit's resetting listener: its after-methods run before the context may be closed. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 109;
    }

    @Override
    public void afterTestMethod(TestContext testContext) {
        collect(testContext);
    }

    @Override
    public void afterTestClass(TestContext testContext) {
        if (collect(testContext)) {
            String path = systemProperty.apply(JournalFixture.PATH_PROPERTY);
            recording.writeIfChanged(path == null || path.isBlank() ? JournalFixture.DEFAULT_PATH : Path.of(path));
        }
    }

    /** @return whether recording was asked for */
    private boolean collect(TestContext testContext) {
        if (!JOURNAL || !Boolean.parseBoolean(systemProperty.apply(JournalFixture.RECORD_PROPERTY))) {
            return false;
        }
        if (testContext.hasApplicationContext()) {
            testContext.getApplicationContext().getBeanProvider(JournalFixtureRecorder.class)
                    .forEach(recorder -> recording.add(recorder.fixture()));
        }
        return true;
    }

    /** The entries of one test run, by action: the first recorded wins. */
    static final class Recording {

        private final Map<String, FixtureEntry> entries = new ConcurrentHashMap<>();
        private volatile boolean changed;

        void add(JournalFixture fixture) {
            for (FixtureEntry entry : fixture.entries()) {
                if (entries.putIfAbsent(entry.action(), entry) == null) {
                    changed = true;
                }
            }
        }

        synchronized void writeIfChanged(Path file) {
            if (changed) {
                changed = false;
                JournalFixture.of(entries.values()).write(file);
            }
        }
    }
}
