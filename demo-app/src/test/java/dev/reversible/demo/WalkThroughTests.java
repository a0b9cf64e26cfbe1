package dev.reversible.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The demo's walk-through ({@code demo-app/README.md}) run as a reader runs it: every command of every {@code bash}
 * block, in order, against the demo — {@code ./mvnw ... spring-boot:run} (re)starts it with the same arguments and
 * profile, {@code curl} sends the same request (its {@code jq} or {@code grep} applied), {@code rm -rf demo-app/data}
 * deletes its database. The directory the commands run in is a temporary one: the demo's H2 file lives under its
 * {@code demo-app/data}, in this JVM, or in a child JVM when the demo is started to crash
 * ({@code --demo.chaos.crash-after}). The PostgreSQL start runs against this test run's own database when a server
 * answers (see {@link RequirePostgres}), and is said and left out otherwise. {@code ./mvnw -pl demo-app -am verify}
 * is the build that runs this test.
 *
 * <p>Where the walk-through shows what a block of commands prints (the fenced blocks right after it), the test
 * compares: HTTP status lines and {@code Content-Type}s exactly, JSON values structurally (saga ids matched to the
 * run's own, consistently across the walk-through; times, durations and timings only present; the instance's host
 * name free), Prometheus lines by name, labels and counts. An abridged output (with {@code ...}) is not compared.
 * A block of GETs that does not match yet is asked again until it does, for at most a minute: recovery after the
 * crash, and the stuck-saga count behind health, come a few seconds later.
 */
class WalkThroughTests {

    private static final Path WALK_THROUGH = Path.of("README.md");

    private static final Duration SETTLING = Duration.ofSeconds(60);

    @TempDir
    Path root;

    @Test
    void everyCommandOfTheWalkThroughRunsAndPrintsWhatItShows() throws Exception {
        List<Block> blocks = blocks(Files.readAllLines(WALK_THROUGH, StandardCharsets.UTF_8));
        assertThat(blocks.stream().mapToInt(block -> block.commands().size()).sum()).as("commands in %s", WALK_THROUGH)
                .isGreaterThan(40);
        try (Shell shell = new Shell(root)) {
            for (Block block : blocks) {
                shell.run(block);
            }
            assertThat(shell.ran).as("commands run").containsAll(blocks.stream().flatMap(block -> block.commands().stream()).toList());
            assertThat(shell.compared).as("blocks whose output was compared").isEqualTo(blocks.stream()
                    .filter(block -> block.output() != null && Comparison.comparable(block.output())).count()).isGreaterThan(15);
        }
    }

    @Test
    void theComparisonMatchesSagaIdsConsistentlyAndSaysWhatDiffers() {
        Comparison comparison = new Comparison();
        assertThat(comparison.compare("{\"sagaId\":\"b2d4d807c9a-2\",\"timestamp\":\"2026-11-28T23:12:13Z\",\"amount\":25.00}",
                "{\"sagaId\":\"5e1f-17\",\"timestamp\":\"2026-12-07T10:00:00Z\",\"amount\":25.0}")).isNull();
        assertThat(comparison.actualId("b2d4d807c9a-2")).isEqualTo("5e1f-17");
        assertThat(comparison.compare("{\"message\":\"Saga b2d4d807c9a-2 is RESOLVED\"}", "{\"message\":\"Saga 5e1f-18 is RESOLVED\"}"))
                .contains("message");
        assertThat(comparison.compare("HTTP/1.1 409 \n\n{\"status\":\"RESOLVED\"}", "HTTP/1.1 200 \n\n{\"status\":\"RESOLVED\"}"))
                .contains("HTTP/1.1 409");
        assertThat(comparison.compare("reversible_saga_stuck 2.0", "reversible_saga_stuck 1.0")).contains("reversible_saga_stuck");
    }

    /** A {@code bash} block: its line, its commands, and what the fenced blocks right after it show (or null). */
    record Block(int line, List<String> commands, String output) {
    }

    static List<Block> blocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().startsWith("```")) {
                continue;
            }
            boolean bash = lines.get(i).strip().equals("```bash");
            int start = i;
            int end = closing(lines, i);
            if (bash) {
                List<String> commands = commands(lines.subList(start + 1, end));
                StringBuilder output = new StringBuilder();
                int next = end + 1;
                while (next < lines.size() && lines.get(next).startsWith("```") && !lines.get(next).equals("```bash")) {
                    int outputEnd = closing(lines, next);
                    lines.subList(next + 1, outputEnd).forEach(line -> output.append(line).append('\n'));
                    next = outputEnd + 1;
                }
                blocks.add(new Block(start + 1, commands, output.isEmpty() ? null : output.toString()));
                i = next - 1;
            } else {
                i = end;
            }
        }
        return blocks;
    }

    private static int closing(List<String> lines, int fence) {
        for (int i = fence + 1; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```")) {
                return i;
            }
        }
        throw new IllegalStateException("The fence at line " + (fence + 1) + " of " + WALK_THROUGH + " is never closed");
    }

    /** Lines joined where they end with {@code \}, split at {@code ;}, end-of-line comments left out. */
    private static List<String> commands(List<String> lines) {
        List<String> commands = new ArrayList<>();
        StringBuilder command = new StringBuilder();
        for (String line : lines) {
            if (line.endsWith("\\")) {
                command.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            command.append(line);
            for (String part : command.toString().replaceAll("\\s{2,}#.*$", "").split(";\\s+(?=curl )")) {
                if (!part.isBlank()) {
                    commands.add(part.strip().replaceAll("\\s+", " "));
                }
            }
            command.setLength(0);
        }
        return commands;
    }

    /** Runs commands as the walk-through's reader would, in the directory the walk-through's commands run from. */
    static final class Shell implements AutoCloseable {

        private static final Pattern START = Pattern.compile("\\./mvnw -pl demo-app -am spring-boot:run( .*)?");

        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        private final Path root;
        private final Comparison comparison = new Comparison();
        private final List<String> ran = new ArrayList<>();
        private int compared;
        private RunningDemo demo;
        private ChildDemo child;

        Shell(Path root) {
            this.root = root;
        }

        void run(Block block) throws Exception {
            boolean onlyGets = block.commands().stream().allMatch(command -> command.startsWith("curl ") && !command.contains(" -X ")
                    && !command.contains(" -d "));
            String output = runAll(block);
            if (block.output() == null || !Comparison.comparable(block.output())) {
                return;
            }
            compared++;
            String difference = comparison.compare(block.output(), output);
            if (difference != null && difference.startsWith("$.status: \"PENDING\" shown, \"CANCELLED\" printed")) {
                return;                          // "right after the start": the recovery came first, as the next block shows
            }
            if (difference != null && onlyGets) {
                await().atMost(SETTLING).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                        comparison.compare(block.output(), runAll(block))).as(where(block)).isNull());
                return;
            }
            assertThat(difference).as("%s prints other than the walk-through shows:\n%s", where(block), output).isNull();
        }

        private static String where(Block block) {
            return "demo-app/README.md line " + block.line() + " " + block.commands();
        }

        private String runAll(Block block) throws Exception {
            StringBuilder output = new StringBuilder();
            for (String command : block.commands()) {
                output.append(run(command));
                if (!ran.contains(command)) {
                    ran.add(command);
                }
            }
            return output.toString();
        }

        private String run(String command) throws Exception {
            if (command.equals("./mvnw -pl demo-app -am verify")) {
                return "";                       // the build that runs this test
            }
            if (command.equals("rm -rf demo-app/data")) {
                stop();
                Path data = root.resolve("demo-app/data");
                if (Files.exists(data)) {
                    try (Stream<Path> files = Files.walk(data)) {
                        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(file);
                        }
                    }
                }
                return "";
            }
            Matcher start = START.matcher(command);
            if (start.matches()) {
                start(start.group(1) == null ? "" : start.group(1));
                return "";
            }
            if (command.startsWith("curl ")) {
                return curl(command);
            }
            return fail("The walk-through's command '%s' is one this test does not know how to run", command);
        }

        /** {@code -Dspring-boot.run.arguments=...} and {@code -Dspring-boot.run.profiles=...}, as the plugin reads them. */
        private void start(String options) throws Exception {
            stop();
            List<String> arguments = new ArrayList<>();
            String profile = null;
            for (String option : words(options)) {
                if (option.startsWith("-Dspring-boot.run.arguments=")) {
                    arguments.addAll(List.of(option.substring("-Dspring-boot.run.arguments=".length()).split(" ")));
                } else if (option.startsWith("-Dspring-boot.run.profiles=")) {
                    profile = option.substring("-Dspring-boot.run.profiles=".length());
                } else {
                    fail("Unknown option of spring-boot:run in the walk-through: %s", option);
                }
            }
            Path module = Files.createDirectories(root.resolve("demo-app"));
            if (profile != null) {
                assertThat(profile).isEqualTo("postgres");
                String unavailable = RequirePostgres.unavailable();
                if (unavailable != null) {
                    System.err.println("[SKIPPED] the walk-through's start on PostgreSQL: " + unavailable);
                    return;
                }
                arguments.add("--spring.profiles.active=" + profile);
                demo = RunningDemo.start(RequirePostgres.databaseUrl(), arguments.toArray(String[]::new));
                assertThat(demo.get("/inventory/BOOK-1").status()).isEqualTo(200);
                return;
            }
            if (arguments.stream().anyMatch(argument -> argument.startsWith("--demo.chaos.crash-after="))) {
                child = ChildDemo.start(module, line -> { }, arguments.toArray(String[]::new));
                return;
            }
            demo = RunningDemo.start("jdbc:h2:file:" + module.resolve("data/reversible-demo").toAbsolutePath()
                    + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000", arguments.toArray(String[]::new));
        }

        /** Ctrl+C; a demo started to crash must have crashed, as the walk-through says, before it is started again. */
        private void stop() throws InterruptedException {
            if (demo != null) {
                demo.close();
                demo = null;
            }
            if (child != null) {
                assertThat(child.awaitExit()).as("the demo started with --demo.chaos.crash-after halted as kill -9 would: %s",
                        child.output()).isEqualTo(ChaosCrash.KILLED);
                child = null;
            }
        }

        private String curl(String command) throws Exception {
            List<String> words = words(comparison.withActualIds(command));
            int pipe = words.indexOf("|");
            List<String> curl = pipe < 0 ? words : words.subList(0, pipe);
            boolean headers = false;
            boolean newline = false;
            String method = null;
            String url = null;
            String body = null;
            Map<String, String> requestHeaders = new HashMap<>();
            for (int i = 1; i < curl.size(); i++) {
                String word = curl.get(i);
                switch (word) {
                    case "-s" -> { }
                    case "-si" -> headers = true;
                    case "-w" -> newline = curl.get(++i).equals("\\n");
                    case "-X" -> method = curl.get(++i);
                    case "-H" -> {
                        String[] header = curl.get(++i).split(":\\s*", 2);
                        requestHeaders.put(header[0], header[1]);
                    }
                    case "-d" -> body = curl.get(++i);
                    default -> {
                        assertThat(word).as("curl's URL in %s", command).startsWith("localhost:8080/");
                        url = word.substring("localhost:8080".length());
                    }
                }
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + Objects.requireNonNull(url, command)))
                    .timeout(Duration.ofSeconds(30));
            requestHeaders.forEach(request::header);
            request.method(method != null ? method : body != null ? "POST" : "GET",
                    body != null ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
            HttpResponse<String> response;
            try {
                response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException closed) {
                assertThat(child).as("%s: no reply (%s) from a demo that was not started to crash", command, closed).isNotNull();
                return "";               // curl: (52) Empty reply from server — it prints nothing
            }
            String printed = (headers ? "HTTP/1.1 " + response.statusCode() + " \nContent-Type: "
                    + response.headers().firstValue("Content-Type").orElse("") + "\n\n" : "") + response.body() + (newline ? "\n" : "");
            if (pipe >= 0) {
                printed = pipeline(words.subList(pipe + 1, words.size()), response.body(), command);
            }
            return printed;
        }

        private String base() {
            if (child != null) {
                return "http://localhost:" + child.port();
            }
            assertThat(demo).as("a demo to send the walk-through's request to").isNotNull();
            return "http://localhost:" + demo.context().getEnvironment().getProperty("local.server.port");
        }

        /** {@code jq [filter]} and {@code grep [-v] pattern}, the only programs the walk-through pipes into. */
        private static String pipeline(List<String> words, String input, String command) {
            String text = input;
            List<List<String>> programs = new ArrayList<>();
            List<String> program = new ArrayList<>();
            for (String word : words) {
                if (word.equals("|")) {
                    programs.add(program);
                    program = new ArrayList<>();
                } else {
                    program.add(word);
                }
            }
            programs.add(program);
            for (List<String> each : programs) {
                if (each.get(0).equals("jq")) {
                    text = jq(each.size() > 1 ? each.get(1) : ".", RunningDemo.JSON.readTree(text));
                } else if (each.get(0).equals("grep")) {
                    boolean invert = each.get(1).equals("-v");
                    Pattern pattern = Pattern.compile(each.get(invert ? 2 : 1));
                    StringBuilder kept = new StringBuilder();
                    text.lines().filter(line -> pattern.matcher(line).find() != invert).forEach(line -> kept.append(line).append('\n'));
                    text = kept.toString();
                } else {
                    fail("The walk-through pipes into '%s' in %s, which this test does not know", each.get(0), command);
                }
            }
            return text;
        }

        /** {@code .}, {@code .a.b}, {@code .a, .b} and {@code {a, b}}: the filters the walk-through uses. */
        private static String jq(String filter, JsonNode input) {
            StringBuilder output = new StringBuilder();
            if (filter.startsWith("{") && filter.endsWith("}")) {
                ObjectNode object = RunningDemo.JSON.createObjectNode();
                for (String field : filter.substring(1, filter.length() - 1).split(",\\s*")) {
                    object.set(field.strip(), input.get(field.strip()));
                }
                return object.toPrettyString() + "\n";
            }
            for (String path : filter.split(",\\s*")) {
                JsonNode node = input;
                for (String field : path.strip().split("\\.")) {
                    if (!field.isEmpty()) {
                        node = node.get(field);
                    }
                }
                output.append(node == null ? "null" : node.toPrettyString()).append('\n');
            }
            return output.toString();
        }

        /** Words as the shell splits them: quotes removed, {@code |} a word of its own. */
        static List<String> words(String line) {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            boolean inWord = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\'' || c == '"') {
                    int close = line.indexOf(c, i + 1);
                    word.append(line, i + 1, close);
                    i = close;
                    inWord = true;
                } else if (Character.isWhitespace(c)) {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                } else {
                    word.append(c);
                    inWord = true;
                }
            }
            if (inWord) {
                words.add(word.toString());
            }
            return words;
        }

        @Override
        public void close() throws Exception {
            if (demo != null) {
                demo.close();
            }
            if (child != null) {
                child.close();
            }
        }
    }

    /**
     * What the walk-through shows against what a command printed, item by item: status lines, {@code Content-Type}s,
     * JSON values and Prometheus lines; other headers and blank lines are left out. Saga ids in the walk-through are
     * matched to the run's own the first time they meet, and must match the same one from then on.
     */
    static final class Comparison {

        private static final Pattern SAGA_ID = Pattern.compile("\\b[0-9a-f]{8,12}-\\d+\\b");

        private static final Pattern METRIC = Pattern.compile("^([a-z_]+(?:\\{[^}]*})?) (\\S+)$");

        private static final Set<String> TIMES = Set.of("timestamp", "startedAt", "updatedAt", "endedAt", "oldestStuck");

        private final Map<String, String> ids = new HashMap<>();

        String actualId(String shown) {
            return ids.get(shown);
        }

        /** The command with every saga id the walk-through showed before replaced by the run's own. */
        String withActualIds(String command) {
            Matcher id = SAGA_ID.matcher(command);
            StringBuilder replaced = new StringBuilder();
            while (id.find()) {
                String actual = ids.get(id.group());
                assertThat(actual).as("the saga %s in '%s', which no earlier output showed", id.group(), command).isNotNull();
                id.appendReplacement(replaced, Matcher.quoteReplacement(actual));
            }
            return id.appendTail(replaced).toString();
        }

        static boolean comparable(String shown) {
            return items(shown) != null;
        }

        /** @return null when they agree, else what differs */
        String compare(String shown, String printed) {
            List<Object> expected = items(shown);
            List<Object> actual = items(printed);
            if (actual == null) {
                return "the output is not made of status lines, JSON and Prometheus lines";
            }
            List<Object> expectedMetrics = expected.stream().filter(String[].class::isInstance).toList();
            List<Object> actualMetrics = actual.stream().filter(String[].class::isInstance).toList();
            String metrics = metrics(expectedMetrics, actualMetrics);
            if (metrics != null) {
                return metrics;
            }
            List<Object> others = expected.stream().filter(item -> !(item instanceof String[])).toList();
            List<Object> printedOthers = actual.stream().filter(item -> !(item instanceof String[])).toList();
            if (others.size() != printedOthers.size()) {
                return "the walk-through shows " + others.size() + " values, the commands printed " + printedOthers.size();
            }
            for (int i = 0; i < others.size(); i++) {
                String difference = others.get(i) instanceof JsonNode json
                        ? (printedOthers.get(i) instanceof JsonNode printedJson ? json(json, printedJson, "$")
                                : "JSON " + json + " shown, " + printedOthers.get(i) + " printed")
                        : Objects.equals(others.get(i), printedOthers.get(i)) ? null
                                : "'" + others.get(i) + "' shown, '" + printedOthers.get(i) + "' printed";
                if (difference != null) {
                    return difference;
                }
            }
            return null;
        }

        /** Same series; same value but for sums and maxima, which are timings. */
        private static String metrics(List<Object> shown, List<Object> printed) {
            Map<String, String> expected = new HashMap<>();
            shown.forEach(item -> expected.put(((String[]) item)[0], ((String[]) item)[1]));
            Map<String, String> actual = new HashMap<>();
            printed.forEach(item -> actual.put(((String[]) item)[0], ((String[]) item)[1]));
            if (!expected.keySet().equals(actual.keySet())) {
                List<String> missing = expected.keySet().stream().filter(key -> !actual.containsKey(key)).sorted().toList();
                List<String> extra = actual.keySet().stream().filter(key -> !expected.containsKey(key)).sorted().toList();
                return "Prometheus series shown but not printed " + missing + ", printed but not shown " + extra;
            }
            for (Map.Entry<String, String> series : expected.entrySet()) {
                String name = series.getKey().replaceAll("\\{.*", "");
                boolean timing = name.endsWith("_sum") || name.endsWith("_max");
                if (!timing && new BigDecimal(series.getValue()).compareTo(new BigDecimal(actual.get(series.getKey()))) != 0) {
                    return series.getKey() + ": " + series.getValue() + " shown, " + actual.get(series.getKey()) + " printed";
                }
            }
            return null;
        }

        /** Status lines and {@code Content-Type}s as strings, JSON values as trees, Prometheus lines as name and value. */
        static List<Object> items(String text) {
            List<Object> items = new ArrayList<>();
            List<String> lines = text.lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                Matcher metric = METRIC.matcher(line);
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("HTTP/1.1 ")) {
                    items.add(line);
                } else if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
                    items.add("Content-Type: " + line.substring(13).strip());
                } else if (line.matches("^[A-Z][A-Za-z-]+: .*")) {
                    continue;                    // Location (the port differs), Transfer-Encoding, Connection
                } else if (line.startsWith("{") || line.startsWith("[")) {
                    StringBuilder json = new StringBuilder();
                    JsonNode node = null;
                    int j = i;
                    for (; j < lines.size() && node == null; j++) {
                        json.append(lines.get(j)).append('\n');
                        node = parse(json.toString());
                    }
                    if (node == null) {
                        return null;             // abridged
                    }
                    items.add(node);
                    i = j - 1;
                } else if (metric.matches()) {
                    items.add(new String[] {metric.group(1), metric.group(2)});
                } else {
                    return null;
                }
            }
            return items;
        }

        private static JsonNode parse(String json) {
            try {
                return RunningDemo.JSON.readTree(json);
            } catch (JacksonException incomplete) {
                return null;
            }
        }

        private String json(JsonNode shown, JsonNode printed, String path) {
            if (shown.isObject()) {
                if (!printed.isObject() || !Set.copyOf(shown.propertyNames()).equals(Set.copyOf(printed.propertyNames()))) {
                    return path + ": " + shown.propertyNames() + " shown, " + printed + " printed";
                }
                boolean timing = shown.has("statistic") && !"COUNT".equals(shown.get("statistic").stringValue());
                for (String name : shown.propertyNames()) {
                    if (TIMES.contains(name) || (timing && name.equals("value"))) {
                        if (shown.get(name).isNull() != printed.get(name).isNull()) {
                            return path + "." + name + ": " + shown.get(name) + " shown, " + printed.get(name) + " printed";
                        }
                        continue;
                    }
                    String difference = json(shown.get(name), printed.get(name), path + "." + name);
                    if (difference != null) {
                        return difference;
                    }
                }
                return null;
            }
            if (shown.isArray()) {
                if (!printed.isArray() || shown.size() != printed.size()) {
                    return path + ": " + shown + " shown, " + printed + " printed";
                }
                List<JsonNode> expected = sorted(shown, path);
                List<JsonNode> actual = sorted(printed, path);
                for (int i = 0; i < expected.size(); i++) {
                    String difference = json(expected.get(i), actual.get(i), path + "[" + i + "]");
                    if (difference != null) {
                        return difference;
                    }
                }
                return null;
            }
            if (shown.isString()) {
                return printed.isString() && text(shown.stringValue(), printed.stringValue()) ? null
                        : path + ": " + shown + " shown, " + printed + " printed";
            }
            if (shown.isNumber()) {
                return printed.isNumber() && shown.decimalValue().compareTo(printed.decimalValue()) == 0 ? null
                        : path + ": " + shown + " shown, " + printed + " printed";
            }
            return shown.equals(printed) ? null : path + ": " + shown + " shown, " + printed + " printed";
        }

        /** The metrics endpoint lists tags and their values in no particular order. */
        private static List<JsonNode> sorted(JsonNode array, String path) {
            List<JsonNode> elements = new ArrayList<>(array.values());
            if (path.endsWith(".availableTags")) {
                elements.sort(Comparator.comparing(tag -> tag.get("tag").stringValue()));
            } else if (path.endsWith(".values")) {
                elements.sort(Comparator.comparing(JsonNode::toString));
            }
            return elements;
        }

        /** Equal, but for saga ids (matched to the run's own) and the instance's host name ({@code reversible-demo@vm}). */
        private boolean text(String shown, String printed) {
            StringBuilder regex = new StringBuilder();
            List<String> unmatched = new ArrayList<>();
            Matcher part = Pattern.compile(SAGA_ID.pattern() + "|reversible-demo@vm").matcher(shown);
            int last = 0;
            while (part.find()) {
                regex.append(Pattern.quote(shown.substring(last, part.start())));
                if (part.group().startsWith("reversible-demo@")) {
                    regex.append("reversible-demo@[^\\s:\"]+");
                } else if (ids.containsKey(part.group())) {
                    regex.append(Pattern.quote(ids.get(part.group())));
                } else {
                    regex.append("([0-9a-f]+-\\d+)");
                    unmatched.add(part.group());
                }
                last = part.end();
            }
            regex.append(Pattern.quote(shown.substring(last)));
            Matcher match = Pattern.compile(regex.toString()).matcher(printed);
            if (!match.matches()) {
                return false;
            }
            for (int i = 0; i < unmatched.size(); i++) {
                String earlier = ids.putIfAbsent(unmatched.get(i), match.group(i + 1));
                if (earlier != null && !earlier.equals(match.group(i + 1))) {
                    return false;
                }
            }
            return true;
        }
    }
}
