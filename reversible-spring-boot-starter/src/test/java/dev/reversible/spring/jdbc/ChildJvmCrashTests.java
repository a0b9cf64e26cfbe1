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
 * database and is killed with {@code destroyForcibly()} while its third step runs; an application context in
 * this JVM, once the child's heartbeat is older than the instance timeout, compensates exactly the steps the
 * child journaled, once each, in reverse order — the in-doubt step as a failed one.
 */
class ChildJvmCrashTests {

    @TempDir
    Path directory;

    @BeforeEach
    void reset() {
        JournalTestApp.reset();
    }

    @Test
    void sagaOfAKilledJvmIsCompensatedAfterItsInstanceTimedOut() throws Exception {
        // WRITE_DELAY=0: a commit is on disk when it returns, as the journal needs under kill -9.
        String url = "jdbc:h2:file:" + directory.resolve("journal").toAbsolutePath() + ";FILE_LOCK=NO;WRITE_DELAY=0";
        Process child = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                CrashingInstance.class.getName(), url)
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

        JournalTestApp.runner(url).withUserConfiguration(JournalTestApp.Shop.class)
                .withPropertyValues("reversible.jdbc.initialize-schema=always", "reversible.jdbc.heartbeat-interval=100ms",
                        "reversible.jdbc.instance-timeout=1s")
                .run(context -> {
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(JournalTestApp.jdbc(context)
                            .sql("SELECT status FROM reversible_sagas").query(String.class).list()).containsExactly("COMPENSATED"));
                    assertThat(JournalTestApp.CALLS).containsExactly(
                            "undo ship #2 result=null failure=StepOutcomeUnknownException",
                            "undo charge #1 result=C-alice failure=null attempt=1",
                            "undo reserve #0 result=R-sku-9-2 failure=null");
                });
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
