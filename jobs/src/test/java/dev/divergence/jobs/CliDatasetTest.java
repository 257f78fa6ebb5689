package dev.divergence.jobs;

import static dev.divergence.jobs.DatasetQueries.query;
import static dev.divergence.jobs.DatasetQueries.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.divergence.demo.DemoProject;
import dev.divergence.demo.StaticRegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The commands end to end on the bundled demo (13 versions, 1.82.7 and 1.82.8 tampered): scan's report, --fail-on,
 * purl versions and unknown versions; export in every format, read back with Jackson and compared with what DuckDB
 * reads from the Parquet tables; sql's formats and errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliDatasetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private DemoProject.Built built;
    private StaticRegistryServer server;
    private Path dataset;
    private CliTest.Run fullScan;

    @BeforeAll
    void scanTheDemo() throws Exception {
        dir = Files.createTempDirectory("cli-dataset");
        built = DemoProject.build(Path.of("..", "datasets", "demo"), dir.resolve("demo"));
        server = new StaticRegistryServer(built.registryRoot());
        built.index().write(server.baseUrl());
        dataset = dir.resolve("dataset");
        fullScan = scan(dataset, "pkg:pypi/llmrelay");
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private CliTest.Run scan(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("scan", "--repo", built.repository().toString(), "--pypi-url",
                server.baseUrl(), "--out", out.toString(), "--cache", dir.resolve("cache").toString()));
        args.addAll(List.of(more));
        return CliTest.run(args.toArray(String[]::new));
    }

    @Test
    void theScanSummaryIsInReleaseOrderWithTheSignalsSummarised() {
        assertEquals(Main.OK, fullScan.status(), fullScan.err());
        List<String> versions = fullScan.out().lines().filter(l -> l.matches("^1\\.\\d+\\.\\S+\\s+[A-Z_]+\\s.*"))
                .map(l -> l.split("\\s+")[0]).toList();
        assertEquals(List.of("1.80.0", "1.80.1", "1.81.0", "1.81.1", "1.81.2", "1.82.0rc1", "1.82.0", "1.82.4", "1.82.5",
                "1.82.6", "1.82.7", "1.82.8", "1.83.0"), versions);
        List<String> signals = fullScan.out().lines().filter(l -> l.startsWith("signals:") || l.startsWith("  NEW_FILE")
                || l.startsWith("  REGRESSION")).toList();
        assertEquals(List.of("signals: 3 (NEW_FILE 2, REGRESSION 1)",
                "  NEW_FILE          pkg:pypi/llmrelay@1.81.0: tests/test_utils.py",
                "  NEW_FILE          pkg:pypi/llmrelay@1.82.8: llmrelay_init.pth",
                "  REGRESSION        pkg:pypi/llmrelay@1.82.7: HIGH_RISK after 1.82.6 was EXPLAINED"), signals);
        assertFalse(fullScan.out().contains("signal REGRESSION"), "no line per signal in the old form");
        // stderr is not a terminal here and --progress was not given: no progress lines
        assertFalse(fullScan.err().contains("versions ("), fullScan.err());
    }

    @Test
    void aPurlVersionScansThatVersionAloneAndFailOnExitsFour() throws Exception {
        Path out = dir.resolve("one-version");
        CliTest.Run r = scan(out, "pkg:pypi/llmrelay@1.82.7", "--fail-on", "high_risk", "--progress");
        assertEquals(Main.FAIL_ON, r.status(), r.err());
        assertTrue(r.out().contains(": scanned 1 versions (0 unchanged, skipped)"), r.out());
        assertEquals(List.of("1.82.7|HIGH_RISK"), query("select version, verdict from " + table(out, "releases")));
        assertTrue(r.errLines().contains("divergence scan: --fail-on HIGH_RISK: 1 version: pkg:pypi/llmrelay@1.82.7 "
                + "HIGH_RISK"), r.err());
        // asked for on a pipe: plain lines, the last one says all versions are done
        assertTrue(r.errLines().stream().anyMatch(l -> l.matches("divergence: 1/1 versions \\(\\d+ s elapsed\\)")),
                r.err());
    }

    @Test
    void versionsTheRegistryDoesNotListAreNamedAndExitTwo() throws Exception {
        Path out = dir.resolve("unknown-version");
        CliTest.Run r = scan(out, "pkg:pypi/llmrelay", "--versions", "1.82.6,9.9.9", "--fail-on", "DIVERGENT");
        assertEquals(Main.USAGE, r.status(), r.err());
        assertEquals(List.of("divergence scan: pkg:pypi/llmrelay has no version 9.9.9 (the registry lists 13 versions; "
                + "latest: 1.83.0)"), r.errLines());
        // the listed version is still scanned, and EXPLAINED does not reach --fail-on DIVERGENT
        assertEquals(List.of("1.82.6|EXPLAINED"), query("select version, verdict from " + table(out, "releases")));
    }

    /** version|verified|file|sha256|commit per published file, as DuckDB reads the tables. */
    private List<String> expectedFileRows() throws Exception {
        return query("select a.version, case when r.verdict = 'CLEAN' or (r.verdict = 'EXPLAINED' and r.unverified_files = 0)"
                + " then 'true' else 'false' end, a.filename, a.sha256, r.commit from " + table(dataset, "artifacts")
                + " a join " + table(dataset, "releases") + " r using (ecosystem, package, version)").stream().sorted().toList();
    }

    @Test
    void exportMarkdownListsEveryFileWithItsHashAndCommitAndOnlyTheTamperedVersionsUnverified() throws Exception {
        CliTest.Run r = CliTest.run("export", "--out", dataset.toString(), "--package", "pkg:pypi/llmrelay", "--format", "md");
        assertEquals(Main.OK, r.status(), r.err());
        assertTrue(r.out().startsWith("# Verified releases: pkg:pypi/llmrelay\n"), r.out());
        assertTrue(r.out().contains("| `HIGH_RISK` | a difference that runs code or carries a payload"), r.out());
        assertTrue(r.out().contains("13 versions: 11 verified, 2 not verified (HIGH_RISK: 2)."), r.out());
        List<String> rows = new ArrayList<>();
        List<String> notVerified = new ArrayList<>();
        for (String line : r.out().lines().filter(l -> l.startsWith("| 1.")).toList()) {
            String[] c = line.substring(2, line.length() - 2).split(" \\| ");
            String verified = c[1].equals("**yes**") ? "true" : c[1].equals("**NO**") ? "false" : c[1];
            rows.add(String.join("|", c[0], verified, c[3].replace("`", ""), c[4].replace("`", ""), c[6].replace("`", "")));
            if (verified.equals("false")) {
                notVerified.add(c[0] + " " + c[2] + " " + c[8]);
            }
        }
        assertEquals(expectedFileRows(), rows.stream().sorted().toList());
        assertEquals(List.of("1.82.7 `HIGH_RISK` high risk: llmrelay/proxy/proxy_server.py",
                "1.82.7 `HIGH_RISK` high risk: llmrelay-1.82.7/llmrelay/proxy/proxy_server.py",
                "1.82.8 `HIGH_RISK` high risk: llmrelay/proxy/proxy_server.py, llmrelay_init.pth",
                "1.82.8 `HIGH_RISK` high risk: llmrelay-1.82.8/llmrelay/proxy/proxy_server.py, "
                        + "llmrelay-1.82.8/llmrelay_init.pth"), notVerified);
    }

    @Test
    void exportCsvAndJsonReadBackAsTheTablesSay() throws Exception {
        CliTest.Run csv = CliTest.run("export", "--out", dataset.toString(), "--format", "csv");
        assertEquals(Main.OK, csv.status(), csv.err());
        CsvMapper mapper = new CsvMapper();
        List<Map<String, String>> rows;
        try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv.out())) {
            rows = it.readAll();
        }
        assertEquals(ExportFormats.CSV_COLUMNS, List.copyOf(rows.get(0).keySet()));
        assertEquals(expectedFileRows(), rows.stream().map(m -> String.join("|", m.get("version"), m.get("verified"),
                m.get("file"), m.get("sha256"), m.get("commit"))).sorted().toList());
        Map<String, String> pth = rows.stream().filter(m -> m.get("file").equals("llmrelay-1.82.8-py3-none-any.whl"))
                .findFirst().orElseThrow();
        assertEquals(List.of("llmrelay-1.82.8-py3-none-any.whl:llmrelay/proxy/proxy_server.py",
                "llmrelay-1.82.8-py3-none-any.whl:llmrelay_init.pth"), List.of(JSON.readValue(pth.get("high_risk_files"),
                String[].class)).subList(0, 2));
        assertEquals("VERIFIED|true|BLOB_OVERLAP|12", String.join("|", pth.get("digest_status"), pth.get("digest_matched"),
                pth.get("ref_method"), pth.get("version_order")));

        CliTest.Run json = CliTest.run("export", "--out", dataset.toString(), "--package", "pkg:pypi/llmrelay@1.82.8",
                "--format", "json");
        assertEquals(Main.OK, json.status(), json.err());
        JsonNode doc = JSON.readTree(json.out());
        assertEquals(1, doc.get("format_version").asInt());
        JsonNode versions = doc.get("packages").get(0).get("versions");
        assertEquals(1, versions.size());
        JsonNode v = versions.get(0);
        assertEquals("1.82.8|HIGH_RISK|false|2", v.get("version").asText() + "|" + v.get("verdict").asText() + "|"
                + v.get("verified").asBoolean() + "|" + v.get("files").size());
        TreeSet<String> findings = new TreeSet<>();
        v.get("findings").forEach(f -> findings.add(f.get("artifact").asText() + ":" + f.get("path").asText() + ":"
                + f.get("status").asText() + ":" + f.get("rule_id").asText() + ":" + f.get("high_risk").asBoolean()));
        assertEquals(new TreeSet<>(query("select artifact || ':' || artifact_path || ':' || status || ':' || rule_id || "
                + "':' || high_risk from " + table(dataset, "files") + " where version = '1.82.8' and (high_risk or status "
                + "in ('MODIFIED', 'IN_HISTORY', 'PHANTOM', 'IN_SUBMODULE'))")), findings);
        assertTrue(findings.contains("llmrelay-1.82.8-py3-none-any.whl:llmrelay_init.pth:PHANTOM:compare.unexplained:true"),
                findings.toString());

        CliTest.Run none = CliTest.run("export", "--out", dataset.toString(), "--since", "2999-01-01");
        assertEquals(Main.USAGE, none.status());
        assertEquals(List.of("divergence export: no version in " + dataset + " matches published since "
                + "2999-01-01T00:00:00Z"), none.errLines());
    }

    @Test
    void exportOsvRecordsTheHighRiskVersionsAndSarifEachDivergentFile() throws Exception {
        CliTest.Run osv = CliTest.run("export", "--out", dataset.toString(), "--format", "osv");
        assertEquals(Main.OK, osv.status(), osv.err());
        JsonNode records = JSON.readTree(osv.out());
        List<String> ids = new ArrayList<>();
        records.forEach(rec -> ids.add(rec.get("id").asText() + " " + rec.get("affected").get(0).get("package")
                .get("ecosystem").asText() + " " + rec.get("affected").get(0).get("package").get("name").asText() + " "
                + rec.get("affected").get(0).get("versions")));
        assertEquals(List.of("DIVERGENCE-pypi-llmrelay-1.82.7 PyPI llmrelay [\"1.82.7\"]",
                "DIVERGENCE-pypi-llmrelay-1.82.8 PyPI llmrelay [\"1.82.8\"]"), ids);
        assertEquals("[{\"name\":\"divergence\",\"type\":\"TOOL\"}]", records.get(0).get("credits").toString());
        for (String field : List.of("schema_version", "modified", "published", "summary", "details")) {
            assertTrue(records.get(1).hasNonNull(field), field);
        }
        assertTrue(records.get(1).get("details").asText().contains("`llmrelay-1.82.8-py3-none-any.whl:llmrelay_init.pth`: "
                + "PHANTOM"), records.get(1).get("details").asText());

        CliTest.Run sarif = CliTest.run("export", "--out", dataset.toString(), "--format", "sarif");
        assertEquals(Main.OK, sarif.status(), sarif.err());
        JsonNode log = JSON.readTree(sarif.out());
        assertEquals("2.1.0", log.get("version").asText());
        JsonNode run = log.get("runs").get(0);
        JsonNode rules = run.get("tool").get("driver").get("rules");
        List<String> results = new ArrayList<>();
        run.get("results").forEach(res -> {
            assertEquals(res.get("ruleId").asText(), rules.get(res.get("ruleIndex").asInt()).get("id").asText());
            results.add(res.get("properties").get("version").asText() + " " + res.get("level").asText() + " "
                    + res.get("ruleId").asText() + " " + res.get("locations").get(0).get("physicalLocation")
                    .get("artifactLocation").get("uri").asText());
        });
        assertEquals(query("select version || ' ' || if(high_risk, 'error', 'warning') || ' ' || rule_id || ' ' || "
                + "coalesce(source_path, artifact_path) from " + table(dataset, "files") + " where high_risk or status in "
                + "('MODIFIED', 'IN_HISTORY', 'PHANTOM', 'IN_SUBMODULE') order by all"), results.stream().sorted().toList());
        assertEquals(6, results.size());
    }

    @Test
    void sqlWritesTableCsvAndJsonAndAnAnalysisErrorIsOneLine() throws Exception {
        String q = "select version, verdict, explained_rules from releases order by version_order";
        CliTest.Run csv = CliTest.run("sql", q, "--out", "file://" + dataset, "--format", "csv", "--rows", "0");
        assertEquals(Main.OK, csv.status(), csv.err());
        List<Map<String, String>> rows;
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv.out())) {
            rows = it.readAll();
        }
        assertEquals(13, rows.size());
        assertEquals("1.82.0rc1|EXPLAINED", rows.get(5).get("version") + "|" + rows.get(5).get("verdict"));
        assertEquals("pypi.sdist.egg-info", JSON.readTree(rows.get(0).get("explained_rules")).get(0).asText());

        CliTest.Run json = CliTest.run("sql", q, "--out", dataset.toString(), "--format", "json", "--rows", "2");
        assertEquals(Main.OK, json.status(), json.err());
        JsonNode array = JSON.readTree(json.out());
        assertEquals(2, array.size(), json.out());
        assertEquals("1.80.1", array.get(1).get("version").asText());
        assertTrue(array.get(1).get("explained_rules").isArray());
        assertEquals(List.of("divergence sql: first 2 rows shown; --rows N for more, --rows 0 for all"), json.errLines());

        CliTest.Run table = CliTest.run("sql", "select version, verdict from releases where verdict = 'HIGH_RISK' "
                + "order by version_order", "--out", dataset.toString());
        assertEquals(List.of("version  verdict", "-------  ---------", "1.82.7   HIGH_RISK", "1.82.8   HIGH_RISK"),
                table.out().lines().toList());

        CliTest.Run wrong = CliTest.run("sql", "select nope from releases", "--out", dataset.toString());
        assertEquals(Main.USAGE, wrong.status());
        assertEquals(1, wrong.errLines().size(), wrong.err());
        assertTrue(wrong.err().startsWith("divergence sql: [UNRESOLVED_COLUMN"), wrong.err());
    }
}
