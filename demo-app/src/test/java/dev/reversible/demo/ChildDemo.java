package dev.reversible.demo;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The demo in a child JVM — the main class path only, so exactly the demo's own configuration — that a test can
 * kill as {@code kill -9} would ({@link #kill()}: SIGKILL, no shutdown hook, the heartbeat just stops) or watch halt
 * by itself ({@code --demo.chaos.crash-after}). Every line it prints is kept ({@link #output()}) and handed to an
 * optional listener as it arrives, so that a test can act at a marker line instead of sleeping.
 *
 * <pre>{@code
 * try (ChildDemo child = ChildDemo.start(directory, line -> {}, "--spring.profiles.active=postgres")) {
 *     child.port();   // the port it listens on
 *     child.kill();   // SIGKILL
 * }
 * }</pre>
 */
final class ChildDemo implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

    private final Process process;
    private final List<String> output;
    private final int port;

    private ChildDemo(Process process, List<String> output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /**
     * Starts the demo on a random port and waits (at most 90 seconds) until it listens.
     * @param workingDirectory the child's working directory (its H2 file database lives under {@code ./data} there)
     * @param lines called with every line the child prints, on the reader's thread
     * @param arguments the demo's command-line arguments
     * @return the running child
     * @throws Exception when it could not be started, or exited before listening
     */
    static ChildDemo start(Path workingDirectory, Consumer<String> lines, String... arguments) throws Exception {
        return start(workingDirectory, lines, List.of(), arguments);
    }

    /**
     * Starts the demo on a random port with JVM options of its own (a system property, say) and waits as above.
     * @param workingDirectory the child's working directory
     * @param lines called with every line the child prints, on the reader's thread
     * @param jvmOptions options placed before the main class, e.g. {@code -Dspring.aot.enabled=true}
     * @param arguments the demo's command-line arguments
     * @return the running child
     * @throws Exception when it could not be started, or exited before listening
     */
    static ChildDemo start(Path workingDirectory, Consumer<String> lines, List<String> jvmOptions, String... arguments)
            throws Exception {
        String mainClassPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        // C1 only: the child starts faster, and lives for one test.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", mainClassPath, DemoApplication.class.getName(), "--server.port=0"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                    lines.accept(line);
                    Matcher started = PORT.matcher(line);
                    if (started.find()) {
                        port.complete(Integer.parseInt(started.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("the child exited before listening: " + output));
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ChildDemo(process, output, port.get(90, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** @return every line the child printed so far (the reader may still be draining a dead child's pipe) */
    List<String> output() {
        return output;
    }

    /**
     * Waits (at most a minute) for the child to end by itself.
     * @return its exit status
     */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child is still running");
        }
        return process.exitValue();
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown hook runs, nothing is flushed, the instance
     * does not mark itself gone. Returns once the process is gone.
     */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        awaitExit();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
