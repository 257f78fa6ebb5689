package dev.divergence.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's files and data, read as a program reads them: the CSV/JSON tables the notebooks use, the pages'
 * HTML as text (the DOM is {@link ReportBrowserTest}'s), the links and commands built from attacker-controlled text.
 */
class ReportSiteTest {

    private static final List<String> DEMO_VERSIONS = List.of("1.80.0", "1.80.1", "1.81.0", "1.81.1", "1.81.2",
            "1.82.0rc1", "1.82.0", "1.82.4", "1.82.5", "1.82.6", "1.82.7", "1.82.8", "1.83.0");

    @TempDir
    Path dir;

    @Test
    void demoReportWritesOnePagePerVersionAndItsDataAsCsvAndJsonInReleaseOrder() throws Exception {
        DemoReport demo = DemoReport.get();
        assertEquals(1, demo.written().packages());
        assertEquals(13, demo.written().versions());
        Path pkg = demo.site().resolve("p/pypi-llmrelay");
        for (String v : DEMO_VERSIONS) {
            assertTrue(Files.isRegularFile(pkg.resolve("v-" + v + ".html")), v);
        }

        List<Map<String, String>> releases = csv(demo.site().resolve("data/releases.csv"));
        assertEquals(DEMO_VERSIONS, releases.stream().map(r -> r.get("version")).toList());
        assertEquals("EXPLAINED EXPLAINED EXPLAINED EXPLAINED EXPLAINED EXPLAINED EXPLAINED EXPLAINED EXPLAINED "
                + "EXPLAINED HIGH_RISK HIGH_RISK EXPLAINED", releases.stream().map(r -> r.get("verdict"))
                .collect(Collectors.joining(" ")));
        // Arrays are JSON array text in CSV cells, nulls empty cells.
        Map<String, String> r1827 = releases.get(10);
        assertEquals("[\"llmrelay-1.82.7-py3-none-any.whl:llmrelay/proxy/proxy_server.py\","
                + "\"llmrelay-1.82.7.tar.gz:llmrelay-1.82.7/llmrelay/proxy/proxy_server.py\"]", r1827.get("high_risk_files"));
        assertEquals("", r1827.get("tag"));
        assertEquals("BLOB_OVERLAP", r1827.get("ref_method"));
        assertEquals(releases.get(9).get("commit"), r1827.get("commit"));

        // files holds no MATCH or SOURCE_ONLY row; its high-risk rows are the scan's, flags as JSON arrays.
        JsonNode files = new ObjectMapper().readTree(demo.site().resolve("data/files.json").toFile());
        List<String> statuses = new ArrayList<>();
        List<String> highRisk = new ArrayList<>();
        for (JsonNode f : files) {
            statuses.add(f.get("status").asText());
            if (f.get("high_risk").asBoolean()) {
                highRisk.add(f.get("version").asText() + "|" + f.get("artifact_path").asText() + "|"
                        + f.get("status").asText() + "|" + f.get("risk_flags"));
            }
        }
        assertEquals(List.of("GENERATED", "MATCH_NORMALIZED", "MODIFIED", "PHANTOM"),
                statuses.stream().distinct().sorted().toList());
        assertEquals(List.of(
                "1.82.7|llmrelay/proxy/proxy_server.py|MODIFIED|[\"CODE\",\"DYNAMIC_EXEC\",\"ENCODED_BLOB\"]",
                "1.82.7|llmrelay-1.82.7/llmrelay/proxy/proxy_server.py|MODIFIED|[\"CODE\",\"DYNAMIC_EXEC\",\"ENCODED_BLOB\"]",
                "1.82.8|llmrelay/proxy/proxy_server.py|MODIFIED|[\"CODE\",\"DYNAMIC_EXEC\",\"ENCODED_BLOB\"]",
                "1.82.8|llmrelay_init.pth|PHANTOM|[\"CODE\",\"DYNAMIC_EXEC\",\"ENCODED_BLOB\",\"PTH_EXECUTES\",\"PTH_FILE\"]",
                "1.82.8|llmrelay-1.82.8/llmrelay/proxy/proxy_server.py|MODIFIED|[\"CODE\",\"DYNAMIC_EXEC\",\"ENCODED_BLOB\"]",
                "1.82.8|llmrelay-1.82.8/llmrelay_init.pth|PHANTOM|[\"CODE\",\"DYNAMIC_EXEC\",\"ENCODED_BLOB\",\"PTH_EXECUTES\",\"PTH_FILE\"]"),
                highRisk);

        // The heatmap: the payload file matches in every version but the two tampered ones; the .pth exists only
        // in 1.82.8; the README differs only by line endings in 1.82.4's sdist.
        List<Map<String, String>> heat = csv(demo.site().resolve("data/heatmap.csv"));
        assertEquals("1.80.0=MATCH 1.80.1=MATCH 1.81.0=MATCH 1.81.1=MATCH 1.81.2=MATCH 1.82.0rc1=MATCH 1.82.0=MATCH "
                + "1.82.4=MATCH 1.82.5=MATCH 1.82.6=MATCH 1.82.7=MODIFIED! 1.82.8=MODIFIED! 1.83.0=MATCH", cells(heat,
                "llmrelay/proxy/proxy_server.py"));
        assertEquals("1.82.8=PHANTOM!", cells(heat, "llmrelay_init.pth"));
        assertEquals("MATCH_NORMALIZED", heat.stream().filter(c -> c.get("file").equals("README.md")
                && c.get("version").equals("1.82.4")).findFirst().orElseThrow().get("status"));
        assertEquals(List.of("PKG-INFO", "README.md", "llmrelay-*.dist-info/METADATA", "llmrelay-*.dist-info/RECORD",
                "llmrelay-*.dist-info/WHEEL", "llmrelay-*.dist-info/top_level.txt", "llmrelay.egg-info/PKG-INFO",
                "llmrelay.egg-info/SOURCES.txt", "llmrelay.egg-info/dependency_links.txt", "llmrelay.egg-info/top_level.txt",
                "llmrelay/__init__.py", "llmrelay/proxy/proxy_server.py", "llmrelay_init.pth", "pyproject.toml",
                "setup.cfg"), heat.stream().map(c -> c.get("file")).distinct().sorted().toList());

        List<Map<String, String>> signals = csv(demo.site().resolve("data/signals.csv"));
        assertEquals(List.of("1.81.0|NEW_FILE|tests/test_utils.py", "1.82.7|REGRESSION|HIGH_RISK after 1.82.6 was EXPLAINED",
                "1.82.8|NEW_FILE|llmrelay_init.pth"), signals.stream().map(s -> s.get("version") + "|" + s.get("signal")
                + "|" + s.get("detail")).sorted().toList());
        assertEquals(26, csv(demo.site().resolve("data/artifacts.csv")).size());
        assertEquals(1, csv(demo.site().resolve("data/scans.csv")).size());

        // The drill-down holds the reproducing command, with the registry the files came from.
        String page = Files.readString(pkg.resolve("v-1.82.7.html"));
        String url = csv(demo.site().resolve("data/artifacts.csv")).get(0).get("url");
        String origin = url.substring(0, url.indexOf("/packages/"));
        assertTrue(page.contains("./divergence scan pkg:pypi/llmrelay --repo " + demo.dataset().resolveSibling("demo")
                .resolve("repo") + " --versions 1.82.7 --pypi-url " + origin + " --full --out divergence-recheck"), page);
        assertTrue(page.contains("git -C " + demo.dataset().resolveSibling("demo").resolve("repo") + " show "
                + r1827.get("commit") + ":llmrelay/proxy/proxy_server.py | sha256sum"));
        assertTrue(page.contains("tar --no-wildcards -xOzf llmrelay-1.82.7.tar.gz "
                + "llmrelay-1.82.7/llmrelay/proxy/proxy_server.py | sha256sum"));
        assertNoScript(demo.site());
        String index = Files.readString(demo.site().resolve("index.html"));
        assertTrue(index.contains("<p id=\"no-divergent\">None.</p>"), index);
    }

    @Test
    void attackerControlledPathsAreEscapedOnEveryPageAndNoPageHasScript() throws Exception {
        DemoReport.Hostile hostile = DemoReport.hostile();
        assertEquals(Main.OK, hostile.status());
        assertTrue(hostile.stdout().startsWith("report: 1 package(s), 2 version(s) -> " + hostile.site().resolve("index.html")),
                hostile.stdout());
        String page = Files.readString(hostile.site().resolve("p/pypi-demo/v-1.0.1.html"));
        String escaped = "demo/&lt;script&gt;window.__pwned&#61;1&lt;/script&gt;&lt;img src&#61;x onerror&#61;&quot;"
                + "window.__pwned&#61;2&quot;&gt;.py";
        assertTrue(page.contains("<span class=\"file-path\">" + escaped + "</span>"), page);
        // In the shell commands too: single-quoted, so the shell reads the name as one word.
        assertTrue(page.contains("unzip -p demo-1.0.1-py3-none-any.whl &#39;" + escaped + "&#39; | sha256sum"), page);
        assertNoScript(hostile.site());
        // The index lists the DIVERGENT version for a human, with its reason escaped as well.
        String index = Files.readString(hostile.site().resolve("index.html"));
        assertTrue(index.contains("<tr data-version=\"1.0.1\">"), index);
        assertTrue(index.contains("unexplained: " + escaped + " PHANTOM"), index);
        assertTrue(index.contains("<p id=\"no-high-risk\">"), index);
        // The path is data, and the data files carry it verbatim.
        assertTrue(Files.readString(hostile.site().resolve("data/files.csv")).contains(DemoReport.HOSTILE_PATH
                .replace("\"", "\"\"")));
    }

    @Test
    void theDrillDownsCommandReproducesTheComparison() throws Exception {
        DemoReport.Hostile hostile = DemoReport.hostile();
        assertEquals(Main.OK, hostile.recheckStatus());
        Path original = hostile.site().resolveSibling("dataset");
        String columns = "select version, verdict, commit, ref_method, reason, array_to_string(divergent_files, ',') from ";
        List<String> again = DatasetQueries.query(columns + DatasetQueries.table(hostile.recheck(), "releases"));
        assertEquals(1, again.size());
        assertEquals(DatasetQueries.query(columns + DatasetQueries.table(original, "releases") + " where version = '1.0.1'"),
                again);
        assertTrue(again.get(0).startsWith("1.0.1|DIVERGENT|"), again.get(0));
    }

    @Test
    void theCommandLineRejectsBadArgumentsBeforeStartingSpark() {
        assertEquals(List.of("2", "divergence report: --html DIR is required", "Try 'divergence report --help' for more information."),
                cli("report", "--out", dir.toString()));
        assertEquals(List.of("2", "divergence report: no dataset at " + dir.resolve("none")
                + " (no releases/ table; run a scan or the demo first)", "Try 'divergence report --help' for more information."),
                cli("report", "--out", dir.resolve("none").toString(), "--html", dir.resolve("site").toString()));
        assertEquals(List.of("2", "divergence report: Unknown options: '--format', 'pdf'", "Try 'divergence report --help' for more information."),
                cli("report", "--format", "pdf"));
        assertEquals(List.of("2", "divergence report: Missing required parameter for option '--out' (DIR|URI)", "Try 'divergence report --help' for more information."),
                cli("report", "--html", "x", "--out"));
        assertEquals(List.of("2", "divergence report: unknown package type 'cargo' (known: pypi, npm, maven, stub)",
                "Try 'divergence report --help' for more information."), cli("report", "--html", "x", "--package", "pkg:cargo/serde"));
    }

    @Test
    void aPackageFilterKeepsOnlyThatPackageAndAnUnknownOneIsAUsageError() throws Exception {
        // One dataset holding both packages: the partitions of the demo's and of the hostile one's, side by side.
        Path merged = dir.resolve("merged");
        for (Path source : List.of(DemoReport.get().dataset(), DemoReport.hostile().site().resolveSibling("dataset"))) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().contains("package=")).toList()) {
                    Path target = merged.resolve(source.relativize(f).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target);
                }
            }
        }
        ReportSite.Written all = ReportCommand.write(SparkTestSession.get(),
                new ReportCommand.Options(merged.toString(), dir.resolve("all")));
        assertEquals(List.of(2, 15), List.of(all.packages(), all.versions()));
        ReportSite.Written one = ReportCommand.write(SparkTestSession.get(), new ReportCommand.Options(merged.toString(),
                dir.resolve("one"), List.of(dev.divergence.model.PackageId.parse("pkg:pypi/LLMRelay"))));
        assertEquals(List.of(1, 13), List.of(one.packages(), one.versions()));
        assertEquals(List.of("llmrelay"), csv(dir.resolve("one/data/files.csv")).stream().map(r -> r.get("package"))
                .distinct().toList());
        try (Stream<Path> pages = Files.list(dir.resolve("one/p"))) {
            assertEquals(List.of("p/pypi-llmrelay"), pages.map(p -> "p/" + p.getFileName()).toList());
        }

        ScanOptions.UsageException e = org.junit.jupiter.api.Assertions.assertThrows(ScanOptions.UsageException.class,
                () -> ReportCommand.write(SparkTestSession.get(), new ReportCommand.Options(merged.toString(),
                        dir.resolve("other"), List.of(dev.divergence.model.PackageId.parse("pkg:npm/llmrelay")))));
        assertEquals("pkg:npm/llmrelay is not in the dataset at " + merged, e.getMessage());
        assertFalse(Files.exists(dir.resolve("other")));
    }

    @Test
    void commitLinksOnlyForKnownForgesAndFullCommitIds() {
        String c = "0123456789abcdef0123456789abcdef01234567";
        assertEquals(Optional.of("https://github.com/BerriAI/litellm/commit/" + c),
                ReportSite.commitUrl("https://github.com/BerriAI/litellm.git", c));
        assertEquals(Optional.of("https://github.com/o/r/commit/" + c), ReportSite.commitUrl("git+https://github.com/o/r", c));
        assertEquals(Optional.of("https://github.com/o/r/commit/" + c), ReportSite.commitUrl("git@github.com:o/r.git", c));
        assertEquals(Optional.of("https://gitlab.com/g/sub/r/-/commit/" + c), ReportSite.commitUrl("https://gitlab.com/g/sub/r", c));
        assertEquals(Optional.of("https://bitbucket.org/o/r/commits/" + c), ReportSite.commitUrl("https://bitbucket.org/o/r/", c));
        assertEquals(Optional.of("https://codeberg.org/o/r/commit/" + c), ReportSite.commitUrl("https://codeberg.org/o/r", c));
        assertEquals(Optional.empty(), ReportSite.commitUrl("https://github.com/o/r/tree/main", c));
        assertEquals(Optional.empty(), ReportSite.commitUrl("https://github.com.evil.example/o/r", c));
        assertEquals(Optional.empty(), ReportSite.commitUrl("https://github.com/o/r\"onmouseover=\"x", c));
        assertEquals(Optional.empty(), ReportSite.commitUrl("/srv/mirrors/r", c));
        assertEquals(Optional.empty(), ReportSite.commitUrl("https://gitlab.com/g/r/-/tree/main", c));
        assertEquals(Optional.empty(), ReportSite.commitUrl("https://github.com/../r", c));
        assertEquals(Optional.empty(), ReportSite.commitUrl("https://github.com/o/r", "v1.0"));
        assertEquals(Optional.empty(), ReportSite.commitUrl("https://github.com/o/r", null));
    }

    @Test
    void linksShellWordsAndFileNamesMadeFromDataAreSafe() {
        assertEquals("https://pypi.org/project/x/", ReportSite.safeHref("https://pypi.org/project/x/"));
        assertEquals(null, ReportSite.safeHref("javascript:alert(1)"));
        assertEquals(null, ReportSite.safeHref("JaVaScRiPt:alert(1)"));
        assertEquals(null, ReportSite.safeHref("https://x.example/\" onclick=\"y"));
        assertEquals(null, ReportSite.safeHref("data:text/html,<script>"));
        assertEquals("pkg:pypi/llmrelay", ReportSite.shell("pkg:pypi/llmrelay"));
        assertEquals("'a b'", ReportSite.shell("a b"));
        assertEquals("'$(id)'\\'';x'", ReportSite.shell("$(id)';x"));
        assertEquals("''", ReportSite.shell(""));
        assertEquals("1.82.7", ReportSite.slug("1.82.7"));
        assertEquals("pypi-llmrelay", ReportSite.slug("pypi-llmrelay"));
        String scoped = ReportSite.slug("npm-@scope/name");
        assertTrue(scoped.matches("npm-_scope_name-[0-9a-f]{10}"), scoped);
        assertFalse(scoped.equals(ReportSite.slug("npm-_scope_name")));
        assertTrue(ReportSite.slug("..").matches("_\\.-[0-9a-f]{10}"), ReportSite.slug(".."));
        assertTrue(ReportSite.slug("").matches("-[0-9a-f]{10}"));
        assertEquals("pkg:npm/%40scope/name", ReportSite.purl("npm", "@scope/name"));
        assertEquals("pkg:maven/commons-cli/commons-cli", ReportSite.purl("maven", "commons-cli/commons-cli"));
    }

    @Test
    void theReproducingCommandNamesTheRegistryOnlyWhenItIsNotTheDefault() {
        Map<String, Object> release = Map.of("ecosystem", "maven", "package", "org.example/lib", "version", "1.0",
                "repository", "https://github.com/o/r");
        assertEquals("./divergence scan pkg:maven/org.example/lib --repo https://github.com/o/r --versions 1.0 --full "
                + "--out divergence-recheck", ReportSite.reproduceCommand(release, List.of(Map.of("url",
                "https://repo1.maven.org/maven2/org/example/lib/1.0/lib-1.0.jar"))));
        assertEquals("./divergence scan pkg:maven/org.example/lib --repo https://github.com/o/r --versions 1.0 "
                + "--maven-url https://mirror.example/repo --full --out divergence-recheck",
                ReportSite.reproduceCommand(release, List.of(Map.of("url",
                        "https://mirror.example/repo/org/example/lib/1.0/lib-1.0.jar"))));
        Map<String, Object> npm = Map.of("ecosystem", "npm", "package", "@s/n", "version", "1.0.0-beta.1",
                "repository", "/srv/my repo");
        assertEquals("./divergence scan pkg:npm/%40s/n --repo '/srv/my repo' --versions 1.0.0-beta.1 --full "
                + "--out divergence-recheck", ReportSite.reproduceCommand(npm, List.of(Map.of("url",
                "https://registry.npmjs.org/@s/n/-/n-1.0.0-beta.1.tgz"))));
    }

    private static List<String> cli(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), new PrintStream(java.io.OutputStream.nullOutputStream()), new PrintStream(err, true,
                StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        out.add(String.valueOf(status));
        out.addAll(err.toString(StandardCharsets.UTF_8).lines().toList());
        return out;
    }

    /** The file's cells in release order, {@code VERSION=STATUS}, {@code !} after a high-risk one. */
    private static String cells(List<Map<String, String>> heat, String file) {
        return heat.stream().filter(c -> c.get("file").equals(file))
                .sorted((a, b) -> Integer.compare(Integer.parseInt(a.get("version_order")),
                        Integer.parseInt(b.get("version_order"))))
                .map(c -> c.get("version") + "=" + c.get("status") + ("true".equals(c.get("high_risk")) ? "!" : ""))
                .collect(Collectors.joining(" "));
    }

    static List<Map<String, String>> csv(Path file) throws IOException {
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            return it.readAll();
        }
    }

    /** No page of the site holds a script element, an event handler attribute or a javascript: URL. */
    private static void assertNoScript(Path site) throws IOException {
        try (Stream<Path> pages = Files.walk(site)) {
            for (Path p : pages.filter(f -> f.toString().endsWith(".html")).toList()) {
                String html = Files.readString(p).toLowerCase();
                assertFalse(html.contains("<script"), p.toString());
                assertFalse(html.contains("javascript:"), p.toString());
                assertFalse(html.matches("(?s).*<[^>]*\\son[a-z]+\\s*=.*"), p.toString());
            }
        }
    }
}
