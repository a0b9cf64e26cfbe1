package dev.reversible.spring.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A child JVM on the test class path, killed for real ({@code destroyForcibly}, SIGKILL) the moment it prints a
 * marker line — never after a sleep: the child announces where it holds and then blocks until it dies.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Starts {@code main} with {@code arguments}, waits (bounded) for its line {@code marker}, and kills it there.
     * @throws AssertionError with the child's output when it never printed the marker
     */
    static void killAt(String marker, Class<?> main, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(arguments);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        List<String> output = new ArrayList<>();
        try {
            CompletableFuture<Boolean> reached = CompletableFuture.supplyAsync(() -> readUntil(child, marker, output));
            boolean found;
            try {
                found = reached.get(90, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                found = false;
            }
            if (!found) {
                synchronized (output) {
                    fail("the child never printed '" + marker + "'; its output:\n" + String.join("\n", output));
                }
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child is dead").isTrue();
        } finally {
            child.destroyForcibly();
        }
    }

    private static boolean readUntil(Process child, String marker, List<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.equals(marker)) {
                    return true;
                }
                synchronized (output) {
                    output.add(line);
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
