package dev.reversible.snippets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Documentation that cannot drift: every {@code ```java} block of the repository's Markdown — the README, {@code docs/}
 * and each module's README — is a copy of a region of a compiled source file, named by the HTML comment on the line
 * before the fence:
 *
 * <pre>
 * &lt;!-- snippet: reversible-core/src/test/java/dev/reversible/snippets/CoreSnippets.java#submitOrder --&gt;
 * ```java
 * ...the lines between // tag::submitOrder[] and // end::submitOrder[] in that file...
 * ```
 * </pre>
 *
 * A region is every {@code // tag::name[]} ... {@code // end::name[]} pair of that name in the file, in order, their
 * lines joined (tag lines of other regions left out) and the common indentation removed; a block indented in a list
 * is compared without its fence's indentation. The test fails naming the document, the snippet and the first line
 * that differs, and for a Java block without a marker, a marker naming a missing file or region. The sources are
 * compiled by their modules' builds, so a snippet that no longer compiles fails there.
 */
class SnippetsTests {

    private static final Pattern MARKER = Pattern.compile("^\\s*<!-- snippet: (\\S+)#(\\S+) -->\\s*$");

    private static final Pattern TAG = Pattern.compile("^\\s*// (tag|end)::(\\S+)\\[\\]\\s*$");

    @Test
    void everyJavaBlockOfTheDocumentationIsACopyOfItsSourceRegion() {
        Path root = repositoryRoot();
        List<String> problems = new ArrayList<>();
        List<Path> documents = documents(root);
        assertThat(documents).as("the documents").contains(root.resolve("README.md"), root.resolve("docs/spring-starter.md"));
        int blocks = 0;
        for (Path document : documents) {
            List<Block> found = javaBlocks(lines(document));
            blocks += found.size();
            problems.addAll(check(root.relativize(document).toString(), found, path -> {
                Path source = root.resolve(path);
                return Files.isRegularFile(source) ? Optional.of(lines(source)) : Optional.empty();
            }));
        }
        assertThat(blocks).as("Java blocks found in %s", documents).isGreaterThan(10);
        if (!problems.isEmpty()) {
            fail(problems.size() + " Java snippet(s) of the documentation differ from their source:\n" + String.join("\n", problems));
        }
    }

    @Test
    void aCopyThatDiffersIsReportedWithTheDocumentTheSnippetAndTheFirstDifferingLine() {
        List<String> source = List.of("class A {", "    // tag::run[]", "    void run() {", "        go(1);", "    }", "    // end::run[]", "}");
        List<String> document = List.of("Text.", "<!-- snippet: a/A.java#run -->", "```java", "void run() {", "    go(2);", "}", "```");

        List<String> problems = check("docs/guide.md", javaBlocks(document), sources(Map.of("a/A.java", source)));

        assertThat(problems).containsExactly("docs/guide.md line 5: the snippet a/A.java#run differs from its source at the"
                + " snippet's line 2: the document has \"    go(2);\", the source has \"    go(1);\"");
    }

    @Test
    void anIdenticalCopyIndentedInAListAndARegionInSeveralPartsPass() {
        List<String> source = List.of("class A {", "    // tag::two[]", "    void a() { }", "    // end::two[]", "    void hidden() { }",
                "    // tag::two[]", "", "    void b() { }", "    // end::two[]", "}");
        List<String> document = List.of("- a list item:", "  <!-- snippet: a/A.java#two -->", "  ```java", "  void a() { }", "",
                "  void b() { }", "  ```");

        assertThat(check("README.md", javaBlocks(document), sources(Map.of("a/A.java", source)))).isEmpty();
    }

    @Test
    void aJavaBlockWithoutAMarkerOrWithAnUnknownRegionIsReported() {
        List<String> document = List.of("```java", "int x;", "```", "<!-- snippet: a/A.java#gone -->", "```java", "int y;", "```",
                "<!-- snippet: b/B.java#x -->", "```java", "```");

        List<String> problems = check("README.md", javaBlocks(document), sources(Map.of("a/A.java", List.of("class A { }"))));

        assertThat(problems).containsExactly(
                "README.md line 1: a ```java block without a <!-- snippet: path/to/Source.java#region --> marker on the line before it",
                "README.md line 5: the snippet a/A.java#gone names no region: a/A.java has no // tag::gone[] ... // end::gone[]",
                "README.md line 9: the snippet b/B.java#x names no file: b/B.java does not exist");
    }

    /** A {@code ```java} block: its fence's line (1-based), its lines without the fence's indentation, its marker. */
    record Block(int line, List<String> lines, String path, String region) {
    }

    static List<Block> javaBlocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String fence = lines.get(i).strip();
            if (!fence.startsWith("```")) {
                continue;
            }
            String indent = lines.get(i).substring(0, lines.get(i).indexOf('`'));
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                end++;
            }
            if (fence.equals("```java") || fence.startsWith("```java ")) {
                List<String> body = lines.subList(i + 1, Math.min(end, lines.size())).stream()
                        .map(line -> line.startsWith(indent) ? line.substring(indent.length()) : line.strip())
                        .toList();
                Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
                blocks.add(marker != null && marker.matches()
                        ? new Block(i + 1, body, marker.group(1), marker.group(2))
                        : new Block(i + 1, body, null, null));
            }
            i = end;
        }
        return blocks;
    }

    static List<String> check(String document, List<Block> blocks, Function<String, Optional<List<String>>> sources) {
        List<String> problems = new ArrayList<>();
        for (Block block : blocks) {
            String where = document + " line " + block.line();
            if (block.path() == null) {
                problems.add(where + ": a ```java block without a <!-- snippet: path/to/Source.java#region --> marker on the line before it");
                continue;
            }
            String snippet = block.path() + "#" + block.region();
            Optional<List<String>> source = sources.apply(block.path());
            if (source.isEmpty()) {
                problems.add(where + ": the snippet " + snippet + " names no file: " + block.path() + " does not exist");
                continue;
            }
            Optional<List<String>> region = region(source.get(), block.region());
            if (region.isEmpty()) {
                problems.add(where + ": the snippet " + snippet + " names no region: " + block.path() + " has no // tag::"
                        + block.region() + "[] ... // end::" + block.region() + "[]");
                continue;
            }
            int difference = firstDifference(block.lines(), region.get());
            if (difference >= 0) {
                problems.add(document + " line " + (block.line() + difference + 1) + ": the snippet " + snippet
                        + " differs from its source at the snippet's line " + (difference + 1) + ": the document has "
                        + quoted(block.lines(), difference) + ", the source has " + quoted(region.get(), difference));
            }
        }
        return problems;
    }

    /** Every {@code tag::name[]} ... {@code end::name[]} pair of one name, in order, without the common indentation. */
    static Optional<List<String>> region(List<String> source, String name) {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        boolean found = false;
        for (String line : source) {
            Matcher tag = TAG.matcher(line);
            if (tag.matches()) {
                if (tag.group(2).equals(name)) {
                    inside = tag.group(1).equals("tag");
                    found |= inside;
                }
                continue;
            }
            if (inside) {
                lines.add(line);
            }
        }
        if (!found) {
            return Optional.empty();
        }
        int indent = lines.stream().filter(line -> !line.isBlank()).mapToInt(line -> line.length() - line.stripLeading().length())
                .min().orElse(0);
        return Optional.of(lines.stream().map(line -> line.isBlank() ? "" : line.substring(indent)).toList());
    }

    /** @return the index of the first line that differs (trailing white space ignored), or -1 */
    private static int firstDifference(List<String> document, List<String> source) {
        for (int i = 0; i < Math.max(document.size(), source.size()); i++) {
            if (!quoted(document, i).equals(quoted(source, i))) {
                return i;
            }
        }
        return -1;
    }

    private static String quoted(List<String> lines, int index) {
        return index < lines.size() ? "\"" + lines.get(index).stripTrailing() + "\"" : "nothing more";
    }

    private static Function<String, Optional<List<String>>> sources(Map<String, List<String>> files) {
        return path -> Optional.ofNullable(files.get(path));
    }

    /** The README, every Markdown file under {@code docs/}, and each module's README. */
    private static List<Path> documents(Path root) {
        List<Path> documents = new ArrayList<>();
        documents.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(root.resolve("docs")); Stream<Path> modules = Files.list(root)) {
            documents.addAll(docs.filter(path -> path.toString().endsWith(".md")).sorted().toList());
            documents.addAll(modules.map(module -> module.resolve("README.md")).filter(Files::isRegularFile).sorted()
                    .collect(Collectors.toList()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /** The directory with the Maven wrapper and {@code docs/}: the module's parent when the build runs in the module. */
    private static Path repositoryRoot() {
        for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
            if (Files.isRegularFile(directory.resolve("mvnw")) && Files.isDirectory(directory.resolve("docs"))) {
                return directory;
            }
        }
        throw new IllegalStateException("No repository root (a directory with mvnw and docs/) above " + Path.of("").toAbsolutePath());
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
