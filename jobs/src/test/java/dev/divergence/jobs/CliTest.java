package dev.divergence.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.scan.EngineVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line without Spark: version, usage errors, and every check that must fail before a Spark session is
 * asked for ({@link SparkSessions#created()} does not move).
 */
class CliTest {

    @TempDir
    Path dir;

    /** What one invocation printed and returned. */
    record Run(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a command that must be refused before Spark starts: exit 2, the error and the pointer to --help. */
    static void refusedBeforeSpark(String expectedError, String command, String... args) {
        int sessions = SparkSessions.created();
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(args));
        Run r = run(all.toArray(String[]::new));
        assertEquals(Main.USAGE, r.status(), r.err());
        assertEquals(List.of("divergence " + command + ": " + expectedError,
                "Try 'divergence " + command + " --help' for more information."), r.errLines());
        assertEquals("", r.out());
        assertEquals(sessions, SparkSessions.created(), "no Spark session was asked for");
    }

    @Test
    void versionNamesTheBuildTheEngineAndTheRules() {
        Run r = run("--version");
        assertEquals(Main.OK, r.status());
        String version = Main.projectVersion();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), version); // filtered from the pom at build time
        assertTrue(r.out().startsWith("divergence " + version + " (engine " + EngineVersion.ENGINE + ", rules "
                + EngineVersion.RULES + "; Spark 4."), r.out());
        assertEquals(r.out(), run("scan", "--version").out());
    }

    @Test
    void aUsageErrorIsTheErrorAndOneLinePointingToHelp() {
        refusedBeforeSpark("Missing required parameter for option '--repo' (URL|PATH)", "scan", "pkg:pypi/a", "--repo");
        refusedBeforeSpark("Unknown option: '--bogus'", "scan", "pkg:pypi/a", "--bogus");
        refusedBeforeSpark("nothing to scan: give a PURL or --watchlist FILE", "scan");
        refusedBeforeSpark("--repo applies to exactly one PURL (got 2)", "scan", "pkg:pypi/a", "pkg:pypi/b", "--repo", "x");
        // the known types are the plugins on the class path: the bundled three, and in tests core's stub
        refusedBeforeSpark("unknown package type 'cargo' (known: pypi, npm, maven, stub)", "scan", "pkg:cargo/serde");
        refusedBeforeSpark("Invalid value for option '--fail-on': expected one of [HIGH_RISK, DIVERGENT] "
                + "(case-insensitive) but was 'CLEAN'", "scan", "pkg:pypi/a", "--fail-on", "CLEAN");
        refusedBeforeSpark("--master takes local, local[N], local[*], spark://HOST:PORT, yarn or k8s://URL, not "
                + "'lokal[2]'", "scan", "pkg:pypi/a", "--master", "lokal[2]");
        refusedBeforeSpark("--pypi-url must be an http:// or https:// URL, not 'ftp://x'", "scan", "pkg:pypi/a",
                "--pypi-url", "ftp://x");
        refusedBeforeSpark("Invalid value for option '--format': expected one of [MD, CSV, JSON, OSV, SARIF] "
                + "(case-insensitive) but was 'xml'", "export", "--format", "xml");
        refusedBeforeSpark("Missing required parameter: 'QUERY'", "sql");
        refusedBeforeSpark("--rows must be 0 (all) or more, not -1", "sql", "select 1", "--rows", "-1");
        Run unknown = run("frobnicate");
        assertEquals(Main.USAGE, unknown.status());
        assertEquals(List.of("divergence: unknown command 'frobnicate'", "Try 'divergence --help' for more information."),
                unknown.errLines());
        Run none = run();
        assertEquals(Main.USAGE, none.status());
        assertTrue(none.out().startsWith("Usage: divergence [-hV] [COMMAND]"), none.out());
        assertEquals(Main.OK, run("help").status());
    }

    @Test
    void aPurlVersionIsScannedAloneAndQualifiersAreRefused() throws Exception {
        ScanOptions o = ScanOptions.parse(List.of("pkg:pypi/LLMRelay@1.82.7", "pkg:npm/%40scope/name"));
        assertEquals(Optional.of("1.82.7"), o.targets().get(0).version());
        assertEquals(java.util.Set.of("1.82.7"), o.versionsOf(o.targets().get(0)));
        assertEquals(java.util.Set.of(), o.versionsOf(o.targets().get(1))); // every version
        refusedBeforeSpark("purl qualifiers are not supported (every artifact of a version is scanned, from the "
                + "registry given by the options): pkg:maven/g/a@1.0?classifier=sources", "scan",
                "pkg:maven/g/a@1.0?classifier=sources");
        refusedBeforeSpark("a version is given both in a purl (@VERSION) and with --versions: give one", "scan",
                "pkg:pypi/a@1.0", "--versions", "2.0");
    }

    @Test
    void aBadOutIsOneLineBeforeSparkStarts() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        refusedBeforeSpark("--out " + file + " is a file, not a folder", "scan", "pkg:pypi/a", "--out", file.toString());
        refusedBeforeSpark("--out " + file.resolve("sub") + " cannot be created: " + file + " is a file", "scan",
                "pkg:pypi/a", "--out", file.resolve("sub").toString());
        refusedBeforeSpark("--out foo://bucket/x: no Hadoop filesystem for 'foo://' on the classpath (local folders, "
                + "hdfs://, and the schemes of the jars the cluster adds)", "scan", "pkg:pypi/a", "--out", "foo://bucket/x");
        refusedBeforeSpark("--cache " + file + " is a file, not a folder", "scan", "pkg:pypi/a", "--out",
                dir.resolve("new").toString(), "--cache", file.toString());
        // commands that read a dataset: it must be there
        refusedBeforeSpark("--out " + dir.resolve("none") + " does not exist", "sql", "select 1", "--out",
                dir.resolve("none").toString());
        refusedBeforeSpark("--out " + dir + " holds no dataset (no releases/ folder: run 'divergence scan --out " + dir
                + "' first)", "export", "--out", dir.toString());
        refusedBeforeSpark("--out file://" + file + " is a file, not a dataset folder", "export", "--out", "file://" + file);
        refusedBeforeSpark("--since takes YYYY-MM-DD or an ISO-8601 instant (2026-03-24T10:00:00Z), not 'yesterday'",
                "export", "--since", "yesterday");
        refusedBeforeSpark("--package: purl subpaths are not supported: pkg:npm/a#lib", "export", "--package", "pkg:npm/a#lib");
        refusedBeforeSpark("the repository of pkg:pypi/a, " + dir.resolve("no-clone") + ", does not exist", "scan",
                "pkg:pypi/a", "--repo", dir.resolve("no-clone").toString(), "--out", dir.resolve("new").toString());
        refusedBeforeSpark("--mirror https://github.com/=" + dir.resolve("no-mirrors") + ": " + dir.resolve("no-mirrors")
                + " does not exist", "scan", "pkg:pypi/a", "--mirror", "https://github.com/=" + dir.resolve("no-mirrors"),
                "--out", dir.resolve("new").toString());
        refusedBeforeSpark("--mirror: a mirror is URL_PREFIX=PATH_OR_URL, not 'https://github.com/'", "scan",
                "pkg:pypi/a", "--mirror", "https://github.com/");
        Path list = Files.writeString(dir.resolve("w.txt"), "pkg:npm/b " + file + "\n");
        refusedBeforeSpark("the repository of pkg:npm/b, " + file + ", is not a folder (a Git repository or a clone of "
                + "one)", "scan", "--watchlist", list.toString(), "--out", dir.resolve("new").toString());
        refusedBeforeSpark("cannot read watchlist: " + dir.resolve("absent.txt") + " does not exist", "scan",
                "--watchlist", dir.resolve("absent.txt").toString());
        Path badList = Files.writeString(dir.resolve("bad.txt"), "pkg:pypi/ok\npkg:pypi/x?file_name=x.whl\n");
        refusedBeforeSpark("cannot read watchlist: " + badList + ":2: purl qualifiers are not supported (every artifact "
                + "of a version is scanned, from the registry given by the options): pkg:pypi/x?file_name=x.whl", "scan",
                "--watchlist", badList.toString());
        assertFalse(Files.exists(dir.resolve("new")), "nothing was created");
    }

    @Test
    void helpListsEveryOptionAndTheExitStatuses() {
        Run scan = run("scan", "--help");
        assertEquals(Main.OK, scan.status());
        for (String option : List.of("--repo", "--watchlist", "--versions", "--out", "--cache", "--pypi-url", "--npm-url",
                "--maven-url", "--master", "--full", "--allow-ssh", "--no-summary", "--[no-]progress", "--fail-on",
                "--mirror")) {
            assertTrue(scan.out().contains(option), option);
        }
        assertTrue(scan.out().contains("4 when --fail-on found a version at that verdict"), scan.out());
        Run sql = run("sql", "--help");
        for (String option : List.of("--out", "--rows", "--format")) {
            assertTrue(sql.out().contains(option), option);
        }
        Run export = run("export", "--help");
        for (String option : List.of("--out", "--package", "--since", "--format")) {
            assertTrue(export.out().contains(option), option);
        }
    }

    @Test
    void failOnDivergentIncludesHighRiskAndNothingBetter() {
        assertTrue(ScanOptions.FailOn.DIVERGENT.reachedBy("HIGH_RISK"));
        assertTrue(ScanOptions.FailOn.DIVERGENT.reachedBy("DIVERGENT"));
        assertTrue(ScanOptions.FailOn.HIGH_RISK.reachedBy("HIGH_RISK"));
        assertFalse(ScanOptions.FailOn.HIGH_RISK.reachedBy("DIVERGENT"));
        for (String verdict : List.of("CLEAN", "EXPLAINED", "NO_SOURCE", "ERROR")) { // ERROR has its own status, 3
            assertFalse(ScanOptions.FailOn.DIVERGENT.reachedBy(verdict), verdict);
        }
    }

    @Test
    void progressLineSaysVersionsDoneTheCurrentOneAndTheTimeLeft() {
        assertEquals("divergence: 5/13 versions, pkg:pypi/x@1.0 (10 s elapsed, about 16 s left)",
                ScanProgress.line(5, 13, "pkg:pypi/x@1.0", 10_000_000_000L));
        assertEquals("divergence: 0/13 versions (0 s elapsed)", ScanProgress.line(0, 13, "", 0));
        assertEquals("divergence: 13/13 versions, writing the tables (2:05 min elapsed)", ScanProgress.line(13, 13,
                "writing the tables", 125_000_000_000L));
        assertEquals("divergence: 13/13 versions (2:05 min elapsed)", ScanProgress.line(13, 13, "", 125_000_000_000L));
        // quiet unless asked, when the launcher did not say stderr is a terminal
        assertEquals(System.getProperty(ScanProgress.TERMINAL_PROPERTY) == null ? false : Boolean.getBoolean(
                ScanProgress.TERMINAL_PROPERTY), ScanProgress.wanted(Optional.empty()));
        assertTrue(ScanProgress.wanted(Optional.of(true)));
        assertFalse(ScanProgress.wanted(Optional.of(false)));
    }
}
