package dev.reversible.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A journal fixture: one recorded example per action — its bean, its name, the arguments and the result a real
 * test passed — as the durable journal would write a step of it. Recorded by the kit while an application's tests
 * run ({@link JournalFixtureRecorder}), committed with a release, and checked in every later build by
 * {@link JournalFixtureCheck}: every entry must still be compensable by the code of that build, as recovery would
 * compensate a saga the released version left in the journal.
 *
 * <p>The file is JSON, one entry per action sorted by action name, pretty-printed with {@code \n} line ends, so that
 * a re-recorded fixture's diff shows what changed. Arguments and results are written as JSON values (not strings),
 * decimals with every digit they were journaled with.
 *
 * <pre>{@code
 * recorder.fixture().write(JournalFixture.path());             // an explicit recording
 * check.assertCompensable(JournalFixture.read(JournalFixture.path()));
 * }</pre>
 *
 * <p>Recording while the whole test suite runs: {@code -Dreversible.test.fixture.record=true}
 * ({@link #RECORD_PROPERTY}) writes the file at {@link #path()} after each test class, with everything recorded in
 * the JVM so far. Nothing writes it otherwise.
 */
public final class JournalFixture {

    /** The system property that makes the kit write the fixture while the tests run: {@code true} to record. */
    public static final String RECORD_PROPERTY = "reversible.test.fixture.record";

    /** The system property naming the fixture's file, when not {@link #DEFAULT_PATH}. */
    public static final String PATH_PROPERTY = "reversible.test.fixture.path";

    /** Where the fixture is by default, relative to the working directory (a Maven or Gradle module's directory in its tests). */
    public static final Path DEFAULT_PATH = Path.of("src", "test", "resources", "reversible", "journal-fixture.json");

    private static final int VERSION = 1;

    /** Reads decimals as {@link BigDecimal}, trailing zeros kept: 12.50 is written back as 12.50. */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final List<FixtureEntry> entries;
    private final String origin;

    private JournalFixture(Collection<FixtureEntry> entries, String origin) {
        this.entries = entries.stream().sorted(Comparator.comparing(FixtureEntry::action).thenComparing(FixtureEntry::bean)).toList();
        this.origin = origin;
    }

    /**
     * @param entries the entries, in any order
     * @return a fixture of them, sorted by action name
     */
    public static JournalFixture of(Collection<FixtureEntry> entries) {
        return new JournalFixture(entries, "recorded in this run");
    }

    /**
     * @return the fixture's file: the system property {@value #PATH_PROPERTY} when set, else {@link #DEFAULT_PATH}
     */
    public static Path path() {
        String path = System.getProperty(PATH_PROPERTY);
        return path == null || path.isBlank() ? DEFAULT_PATH : Path.of(path);
    }

    /**
     * @param file a fixture written by {@link #write(Path)}
     * @return its entries
     * @throws AssertionError when there is no such file, or it is not a journal fixture — so that a check test fails
     *     saying how to record one
     */
    public static JournalFixture read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("No journal fixture at " + file.toAbsolutePath() + ": record one by running the tests with -D"
                    + RECORD_PROPERTY + "=true (and -D" + PATH_PROPERTY + "=" + file + " for another path), then commit it");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the journal fixture " + file, e);
        }
    }

    /**
     * @param json a fixture as {@link #toJson()} writes it
     * @return its entries
     * @throws AssertionError when it is not a journal fixture
     */
    public static JournalFixture parse(String json) {
        return parse(json, "read from JSON");
    }

    private static JournalFixture parse(String json, String origin) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        }
        catch (JacksonException e) {
            throw new AssertionError("Journal fixture " + origin + " is not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode entries = root.path("entries");
        if (!entries.isArray()) {
            throw new AssertionError("Journal fixture " + origin + " is not one: it has no \"entries\" array");
        }
        List<FixtureEntry> read = entries.valueStream().map(entry -> entry(entry, origin)).toList();
        return new JournalFixture(read, origin);
    }

    private static FixtureEntry entry(JsonNode entry, String origin) {
        JsonNode bean = entry.path("bean");
        JsonNode action = entry.path("action");
        JsonNode arguments = entry.path("arguments");
        if (!bean.isString() || !action.isString() || !arguments.isArray()) {
            throw new AssertionError("Journal fixture " + origin + ": an entry needs a \"bean\", an \"action\" and an \"arguments\" array: " + entry);
        }
        JsonNode result = entry.path("result");
        return new FixtureEntry(bean.asString(), action.asString(), MAPPER.writeValueAsString(arguments),
                result.isMissingNode() || result.isNull() ? null : MAPPER.writeValueAsString(result));
    }

    /** @return the entries, sorted by action name */
    public List<FixtureEntry> entries() {
        return entries;
    }

    /**
     * @param action an action's name
     * @return its entry, or empty
     */
    public Optional<FixtureEntry> entry(String action) {
        return entries.stream().filter(entry -> entry.action().equals(action)).findFirst();
    }

    /** @return the fixture as its file holds it: pretty-printed JSON ending with a line end */
    public String toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", VERSION);
        ArrayNode array = root.putArray("entries");
        for (FixtureEntry entry : entries) {
            ObjectNode node = array.addObject();
            node.put("action", entry.action());
            node.put("bean", entry.bean());
            node.set("arguments", MAPPER.readTree(entry.arguments()));
            if (entry.result() != null) {
                node.set("result", MAPPER.readTree(entry.result()));
            }
        }
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return MAPPER.writer().with(printer).writeValueAsString(root) + "\n";
    }

    /**
     * Writes the fixture, creating the file's directories: only when asked — a committed fixture is never
     * rewritten behind the user's back.
     * @param file where to write it ({@link #path()} for the default)
     */
    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toJson(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot write the journal fixture " + file, e);
        }
    }

    /** @return where the fixture comes from: its file, or how it was made */
    String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "journal fixture " + origin + " (" + entries.size() + " entries)";
    }
}
