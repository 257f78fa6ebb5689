package dev.divergence.jobs;

import static dev.divergence.jobs.DatasetQueries.contents;
import static dev.divergence.jobs.DatasetQueries.query;
import static dev.divergence.jobs.DatasetQueries.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.DemoProject;
import dev.divergence.demo.PypiIndexWriter;
import dev.divergence.demo.PythonDistributions;
import dev.divergence.demo.StaticRegistryServer;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a scheduler relies on: incremental reruns, history signals, and runs killed mid-write. */
class NightlyRunTest {

    @TempDir
    Path dir;

    /** Path, size and modification time of every data file: a rewrite changes them. */
    private static List<String> dataFiles(Path out) throws IOException {
        List<String> files = new ArrayList<>();
        for (String t : List.of("releases", "artifacts", "files")) {
            try (Stream<Path> s = Files.walk(out.resolve(t))) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    files.add(out.relativize(p) + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis());
                }
            }
        }
        return files;
    }

    private static List<String> args(DemoProject.Built built, StaticRegistryServer server, Path out, Path cache) {
        return List.of("scan", "pkg:pypi/llmrelay", "--repo", built.repository().toString(), "--pypi-url", server.baseUrl(),
                "--out", out.toString(), "--cache", cache.toString(), "--no-summary");
    }

    @Test
    void secondNightOverAnUnchangedWatchlistDownloadsNothingAndRewritesNothing() throws Exception {
        DemoProject.Built built = DemoProject.build(Path.of("..", "datasets", "demo"), dir.resolve("demo"));
        Path out = dir.resolve("out");
        SparkSession spark = SparkTestSession.get();
        try (StaticRegistryServer server = new StaticRegistryServer(built.registryRoot())) {
            built.index().write(server.baseUrl());
            List<String> a = args(built, server, out, dir.resolve("cache"));
            ScanJob.Result first = ScanJob.run(spark, ScanOptions.parse(a.subList(1, a.size())));
            assertEquals(13, first.versionsScanned());
            List<String> before = dataFiles(out);
            int requestsBefore = server.requests().size();

            ScanJob.Result second = ScanJob.run(spark, ScanOptions.parse(a.subList(1, a.size())));
            assertEquals(0, second.versionsScanned());
            assertEquals(13, second.versionsSkipped());
            // the project document, and the three earliest releases' documents that say which repository they declared
            assertEquals(List.of("GET /pypi/llmrelay/json", "GET /pypi/llmrelay/1.80.0/json",
                    "GET /pypi/llmrelay/1.80.1/json", "GET /pypi/llmrelay/1.81.0/json"),
                    server.requests().subList(requestsBefore, server.requests().size()), "metadata calls only");
            assertEquals(before, dataFiles(out), "no data file rewritten");
            assertEquals(13, second.releases().size(), "the summary still covers every version");
            assertEquals(List.of("13|13|0", "13|0|0"), query("select versions_listed, versions_scanned, exit_status from "
                    + "read_parquet('" + out.resolve("scans") + "/*.parquet') order by versions_skipped"));
        }
    }

    @Test
    void onePackagesFailureNeverStopsTheOthersAndSetsTheExitStatus() throws Exception {
        DemoProject.Built built = DemoProject.build(Path.of("..", "datasets", "demo"), dir.resolve("demo"));
        Path out = dir.resolve("out");
        try (StaticRegistryServer server = new StaticRegistryServer(built.registryRoot())) {
            built.index().write(server.baseUrl());
            Path watchlist = dir.resolve("watch.txt");
            Files.writeString(watchlist, "pkg:pypi/llmrelay " + built.repository() + "\npkg:pypi/absent\n");
            int status = Main.run(List.of("scan", "--watchlist", watchlist.toString(), "--pypi-url", server.baseUrl(),
                    "--out", out.toString(), "--cache", dir.resolve("cache").toString(), "--no-summary"),
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), System.err);
            assertEquals(Main.SOME_ERRORS, status);
            assertEquals(List.of("absent|1|ERROR", "llmrelay|13|EXPLAINED"), query("select package, count(*), min(verdict) from "
                    + table(out, "releases") + " group by package order by package"));
            assertTrue(query("select reason from " + table(out, "releases") + " where package = 'absent'").get(0)
                    .startsWith("package not found on PyPI: absent"));
            assertEquals(List.of("1|3"), query("select package_errors, exit_status from read_parquet('"
                    + out.resolve("scans") + "/*.parquet')"));
        }
    }

    @Test
    void movedTagAndReplacedArtifactAreReportedAndRescanned() throws Exception {
        Path out = dir.resolve("out");
        SparkSession spark = SparkTestSession.get();
        try (ScanWorld w = new ScanWorld(dir.resolve("world"), "demo")) {
            SortedMap<String, byte[]> tree = Trees.flatProject("1.0.0");
            String released = w.commit(tree, "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> wheel = Trees.under(tree, "demo/");
            SortedMap<String, byte[]> wheelFiles = new TreeMap<>();
            wheel.forEach((k, v) -> wheelFiles.put("demo/" + k, v));
            w.publish("1.0.0", tree, wheelFiles);
            w.pypi.write();
            List<String> a = List.of("pkg:pypi/demo", "--repo", w.git.dir().toString(), "--pypi-url", w.pypi.baseUrl(),
                    "--out", out.toString(), "--cache", dir.resolve("cache").toString());
            assertEquals(1, ScanJob.run(spark, ScanOptions.parse(a)).versionsScanned());

            // Overnight: the tag is force-moved to a commit on no release, and the wheel re-uploaded with other bytes.
            String evil = w.commit(Trees.with(tree, "demo/core.py", "def add(a, b):\n    return a - b\n"), "moved");
            w.git.moveTag("v1.0.0", evil);
            SortedMap<String, byte[]> replaced = new TreeMap<>(wheelFiles);
            replaced.put("demo/extra.py", "X = 1\n".getBytes());
            w.pypi.index().replace(new PypiIndexWriter.Upload("1.0.0", "demo-1.0.0-py3-none-any.whl",
                    PythonDistributions.wheel("demo", "1.0.0", replaced, List.of("demo")), Instant.parse("2026-01-02T00:00:10Z")));
            w.pypi.write();
            ScanJob.Result second = ScanJob.run(spark, ScanOptions.parse(a));
            assertEquals(1, second.versionsScanned());
            List<String> signals = query("select version, signal from " + table(out, "signals") + " order by all");
            assertEquals(List.of("1.0.0|ARTIFACT_REPLACED", "1.0.0|TAG_MOVED"), signals);
            assertTrue(query("select detail from " + table(out, "signals") + " where signal = 'TAG_MOVED'").get(0)
                    .equals("tag v1.0.0 moved from " + released + " to " + evil));
            assertEquals(List.of("1|1"), query("select count(*), count(distinct version) from " + table(out, "releases")));
        }
    }

    @Test
    void aBackportAddedLaterTakesItsPlaceInVersionOrderAndItsFlagsAreReadBack() throws Exception {
        Path out = dir.resolve("out");
        SparkSession spark = SparkTestSession.get();
        try (ScanWorld w = new ScanWorld(dir.resolve("world"), "demo")) {
            for (String version : List.of("1.0.0rc2", "1.0.0rc10", "1.1.0")) {
                SortedMap<String, byte[]> tree = Trees.flatProject(version);
                w.commit(tree, version);
                w.tag("v" + version);
                w.publish(version, tree, wheelOf(tree));
            }
            w.pypi.write();
            List<String> a = List.of("pkg:pypi/demo", "--repo", w.git.dir().toString(), "--pypi-url", w.pypi.baseUrl(),
                    "--out", out.toString(), "--cache", dir.resolve("cache").toString(), "--no-summary");
            assertEquals(3, ScanJob.run(spark, ScanOptions.parse(a)).versionsScanned());
            assertEquals(List.of("1.0.0rc2|1", "1.0.0rc10|2", "1.1.0|3"), query("select version, version_order from "
                    + table(out, "releases") + " order by version_order"));

            // Published after 1.1.0, never committed, with its README edited at publish time: only 1.0.1 is scanned,
            // and the earlier rows are rewritten with their new places.
            SortedMap<String, byte[]> backport = Trees.with(Trees.flatProject("1.0.1"), "README.md",
                    "# demo\n\nBackport of the 1.1 fix.\n");
            w.publish("1.0.1", backport, wheelOf(backport));
            w.pypi.write();
            assertEquals(1, ScanJob.run(spark, ScanOptions.parse(a)).versionsScanned());
            assertEquals(List.of(
                    "1.0.0rc2|1|EXPLAINED|false|false",
                    "1.0.0rc10|2|EXPLAINED|false|false",
                    "1.0.1|3|DIVERGENT|true|true",
                    "1.1.0|4|EXPLAINED|false|false"),
                    query("select version, version_order, verdict, doc_only_divergence, repository_older from "
                            + table(out, "releases") + " order by version_order"));
            assertEquals(List.of("MODIFIED|DOC"), query("select status, kind from " + table(out, "files")
                    + " where version = '1.0.1' and status in ('MODIFIED', 'PHANTOM', 'IN_HISTORY') and artifact like "
                    + "'%.tar.gz'"));
            // The regression follows release order: 1.0.1 comes after 1.0.0rc10, not after 1.1.0.
            assertEquals(List.of("1.0.1|REGRESSION|DIVERGENT after 1.0.0rc10 was EXPLAINED"),
                    query("select version, signal, detail from " + table(out, "signals") + " order by all"));
        }
    }

    private static SortedMap<String, byte[]> wheelOf(SortedMap<String, byte[]> tree) {
        SortedMap<String, byte[]> wheel = new TreeMap<>();
        tree.forEach((k, v) -> {
            if (k.startsWith("demo/")) {
                wheel.put(k, v);
            }
        });
        return wheel;
    }

    @Test
    void aReleaseDeclaringAnotherRepositoryIsSignalledOnce() throws Exception {
        Path out = dir.resolve("out");
        SparkSession spark = SparkTestSession.get();
        try (dev.divergence.demo.GitHistoryBuilder git = dev.divergence.demo.GitHistoryBuilder.init(dir.resolve("repo"));
             dev.divergence.fixtures.LocalNpm npm = new dev.divergence.fixtures.LocalNpm(dir.resolve("npm"), "widget")) {
            Instant when = Instant.parse("2026-01-01T00:00:00Z");
            for (String version : List.of("1.0.0", "1.1.0", "1.2.0")) {
                SortedMap<String, byte[]> files = Trees.files("package.json", "{\"name\": \"widget\", \"version\": \""
                        + version + "\"}\n", "index.js", "module.exports = 1;\n");
                when = when.plusSeconds(3600);
                git.commit(files, version, when);
                git.tag("v" + version, true);
                // The latest release's metadata points elsewhere: it must not choose the baseline.
                npm.publish(version, files).put("repository", version.equals("1.2.0")
                        ? "git+https://github.com/attacker/widget.git" : "git+https://github.com/acme/widget.git");
            }
            npm.write();
            List<String> a = List.of("pkg:npm/widget", "--repo", git.dir().toString(), "--npm-url", npm.baseUrl(),
                    "--out", out.toString(), "--cache", dir.resolve("cache").toString());
            assertEquals(3, ScanJob.run(spark, ScanOptions.parse(a)).versionsScanned());
            assertEquals(0, ScanJob.run(spark, ScanOptions.parse(a)).versionsScanned());
            assertEquals(List.of("1.2.0|REPOSITORY_CHANGED|declares https://github.com/attacker/widget; the package's "
                    + "repository is https://github.com/acme/widget (declared by 2 of 3 releases)"),
                    query("select version, signal, detail from " + table(out, "signals") + " order by all"));
        }
    }

    @Test
    void aRunStoppedMidWriteIsCompletedByTheNextRunRowForRow() throws Exception {
        DemoProject.Built built = DemoProject.build(Path.of("..", "datasets", "demo"), dir.resolve("demo"));
        SparkSession spark = SparkTestSession.get();
        try (StaticRegistryServer server = new StaticRegistryServer(built.registryRoot())) {
            built.index().write(server.baseUrl());
            Path baseline = dir.resolve("baseline");
            List<String> b = args(built, server, baseline, dir.resolve("cache"));
            ScanJob.run(spark, ScanOptions.parse(b.subList(1, b.size())));
            List<String> expected = contents(baseline);
            for (String point : List.of("artifacts", "releases")) {
                // Stopped before writing `point`, leaving everything as it is (InterruptedRunTest kills real drivers).
                Path out = dir.resolve("stopped-before-" + point);
                List<String> a = args(built, server, out, dir.resolve("cache"));
                System.setProperty("divergence.failBefore", point);
                try {
                    assertThrows(IllegalStateException.class, () -> ScanJob.run(spark, ScanOptions.parse(a.subList(1,
                            a.size()))));
                } finally {
                    System.clearProperty("divergence.failBefore");
                }
                ScanJob.Result rerun = ScanJob.run(spark, ScanOptions.parse(a.subList(1, a.size())));
                assertEquals(13, rerun.versionsScanned(), "the ledger was not written, so every version is redone");
                assertEquals(expected, contents(out), "stopped before " + point + ", then rerun");
            }
        }
    }
}
