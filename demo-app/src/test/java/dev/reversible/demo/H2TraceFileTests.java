package dev.reversible.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's own SQL never fails inside H2. H2 writes every error it raises through JDBC — also one the caller
 * catches and recovers from — with its stack trace to {@code <database>.trace.db} next to the database file; a
 * demo that reads its rows by a column name H2 does not know fills that file although every request succeeds.
 * The demo runs here as {@code main} runs it, on an H2 file database in a directory of the test's own.
 */
class H2TraceFileTests {

    /** Where an entry starts: a line beginning with its timestamp. */
    private static final Pattern ENTRY_START = Pattern.compile("(?m)^(?=\\d{4}-\\d{2}-\\d{2} )");

    /** An entry written for a JDBC call that failed. */
    private static final Pattern JDBC_CALL = Pattern.compile("\\S+ \\S+ jdbc\\[\\d+\\]");

    @TempDir
    Path directory;

    /** The demo's own URL options, on a file of this test's own. */
    private String url() {
        return "jdbc:h2:file:" + directory.resolve("reversible-demo").toAbsolutePath() + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000";
    }

    @Test
    void confirmedAndCompensatedOrdersLeaveNoErrorInTheTraceFile() throws IOException {
        try (RunningDemo demo = RunningDemo.start(url())) {
            assertThat(demo.postOrder("alice", "BOOK-1", 1, "DE").status()).isEqualTo(201);
            assertThat(demo.get("/orders/1").text("status")).isEqualTo("CONFIRMED");

            // Shipping refuses the last step: every compensation handler writes its log row (the refused shipment's
            // says there was nothing to undo), and the error response lists the undone steps read back from the log.
            RunningDemo.Reply refused = demo.postOrder("alice", "BOOK-1", 2, "AQ");
            assertThat(refused.status()).isEqualTo(502);
            assertThat(RunningDemo.JSON.convertValue(refused.body().get("compensatedSteps"), List.class))
                    .containsExactly("chargeAccount", "reserveStock", "createOrder");
            assertThat(refused.text("failedStep")).isEqualTo("bookShipment");
            assertThat(refused.text("sagaId")).isNotBlank();
            RunningDemo.Reply cancelled = demo.get("/orders/2");
            assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
            assertThat(cancelled.text("failedStep")).isEqualTo("bookShipment");
            assertThat(RunningDemo.JSON.convertValue(cancelled.body().get("compensatedSteps"), List.class))
                    .containsExactly("chargeAccount", "reserveStock", "createOrder");
        }

        assertThat(failedJdbcCalls()).as("errors H2 raised to the demo's JDBC calls").isEmpty();
    }

    /**
     * The trace's entries about a failed JDBC call ({@code 2026-12-07 15:49:46.348011Z jdbc[3]: exception} and the
     * stack trace under it), whole, so that a failure shows what H2 recorded. Entries of H2's own are left out: with
     * assertions enabled, as Surefire runs the tests, H2 2.4's compaction at close can trip an assertion of its own
     * ({@code database: close ... AssertionError}), which a demo run without {@code -ea} never evaluates.
     */
    private List<String> failedJdbcCalls() throws IOException {
        List<String> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(file -> file.getFileName().toString().endsWith(".trace.db")).toList()) {
                entries.addAll(List.of(ENTRY_START.split(Files.readString(file))));
            }
        }
        return entries.stream().filter(entry -> JDBC_CALL.matcher(entry).lookingAt()).toList();
    }
}
