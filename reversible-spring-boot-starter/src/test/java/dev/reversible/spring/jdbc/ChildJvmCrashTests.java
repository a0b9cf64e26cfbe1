package dev.reversible.spring.jdbc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real crash: a child JVM ({@link CrashingInstance}, the test class path) runs the order saga on an H2 file
 * database and is killed with {@code destroyForcibly()} — while its third step runs, or while a compensation
 * runs; an application context in this JVM, once the child's heartbeat is older than the instance timeout,
 * compensates exactly what the child journaled and had not marked compensated, once each, in reverse order —
 * an in-doubt step as a failed one.
 */
class ChildJvmCrashTests {

    @TempDir
    Path directory;

    @BeforeEach
    void reset() {
        JournalTestApp.reset();
    }

    @Test
    void sagaOfAJvmKilledWhileItsThirdStepRunsIsCompensatedAfterItsInstanceTimedOut() throws Exception {
        String url = killChildAt("ship");

        recoverAndAssert(url, "undo ship #2 result=null failure=StepOutcomeUnknownException",
                "undo charge #1 result=C-alice failure=null attempt=1",
                "undo reserve #0 result=R-sku-9-2 failure=null");
    }

    @Test
    void sagaOfAJvmKilledDuringACompensationIsCompensatedFromTheFirstUnmarkedStep() throws Exception {
        String url = killChildAt("refund");

        // ship's compensation was marked before the kill: never run again; the refund in progress runs again
        // (at-least-once, same sagaId + stepIndex), then the rest.
        recoverAndAssert(url, "undo charge #1 result=C-alice failure=null attempt=1",
                "undo reserve #0 result=R-sku-9-2 failure=null");
    }

    /** Starts the child JVM, waits until it holds at {@code point}, kills it; returns the database's URL. */
    private String killChildAt(String point) throws Exception {
        // WRITE_DELAY=0: a commit is on disk when it returns, as the journal needs under kill -9.
        String url = "jdbc:h2:file:" + directory.resolve("journal").toAbsolutePath() + ";FILE_LOCK=NO;WRITE_DELAY=0";
        Process child = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                CrashingInstance.class.getName(), url, point)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.equals("HOLDING")) {
                output.add(line);
            }
            assertThat(line).as("the child's output: %s", output).isEqualTo("HOLDING");
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        return url;
    }

    private static void recoverAndAssert(String url, String... compensations) {
        JournalTestApp.runner(url).withUserConfiguration(JournalTestApp.Shop.class)
                .withPropertyValues("reversible.jdbc.initialize-schema=always", "reversible.jdbc.heartbeat-interval=100ms",
                        "reversible.jdbc.instance-timeout=1s")
                .run(context -> {
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(JournalTestApp.jdbc(context)
                            .sql("SELECT status FROM reversible_sagas").query(String.class).list()).containsExactly("COMPENSATED"));
                    assertThat(JournalTestApp.CALLS).containsExactly(compensations);
                });
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
