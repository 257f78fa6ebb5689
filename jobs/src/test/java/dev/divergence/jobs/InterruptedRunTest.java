package dev.divergence.jobs;

import static dev.divergence.jobs.DatasetQueries.contents;
import static dev.divergence.jobs.DatasetQueries.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.DemoProject;
import dev.divergence.demo.StaticRegistryServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs stopped by a signal or a {@code kill -9}, then rerun, leave the dataset row for row as one uninterrupted
 * run does — signals included — and a reader can read every table at any moment in between.
 */
class InterruptedRunTest {

    private static final List<String> TABLES = List.of("releases", "artifacts", "files", "signals", "scans");

    @TempDir
    static Path world;
    private static DemoProject.Built built;
    private static StaticRegistryServer server;
    private static Path cache;
    /** The dataset one uninterrupted run writes: every test's interrupted run plus its rerun must equal it. */
    private static List<String> expected;

    @TempDir
    Path dir;

    /** One demo world for the class (each test's run writes its own dataset): Spark tests are slow. */
    @BeforeAll
    static void uninterruptedRun() throws Exception {
        built = DemoProject.build(Path.of("..", "datasets", "demo"), world.resolve("demo"));
        server = new StaticRegistryServer(built.registryRoot());
        built.index().write(server.baseUrl());
        cache = world.resolve("cache");
        scan(args(world.resolve("baseline")));
        expected = contents(world.resolve("baseline"));
        assertTrue(expected.stream().anyMatch(r -> r.startsWith("signal|")), "the demo has signals");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static List<String> args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("pkg:pypi/llmrelay", "--repo", built.repository().toString(),
                "--pypi-url", server.baseUrl(), "--out", out.toString(), "--cache", cache.toString(), "--no-summary"));
        a.addAll(List.of(more));
        return a;
    }

    private static ScanJob.Result scan(List<String> args) throws ScanOptions.UsageException {
        return ScanJob.run(SparkTestSession.get(), ScanOptions.parse(args));
    }

    /** The README's DuckDB query shape, on every table: fails if any matched file is not whole Parquet. */
    private static List<String> readEveryTable(Path out) throws SQLException {
        List<String> counts = new ArrayList<>();
        for (String t : TABLES) {
            String glob = t.equals("scans") ? "/*.parquet" : "/**/*.parquet";
            counts.add(t + "=" + query("select count(*) from read_parquet('" + out.resolve(t) + glob
                    + "', hive_partitioning=true)").get(0));
        }
        return counts;
    }

    private static boolean unreadable(Path parquet) {
        try {
            query("select count(*) from read_parquet('" + parquet + "')");
            return false;
        } catch (SQLException e) {
            return true;
        }
    }

    private static List<Path> parquetUnder(Path p) throws IOException {
        if (!Files.exists(p)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList();
        }
    }

    /** A driver JVM running the real command line that pauses at {@code point} and says so in a marker file. */
    private Process pausedDriver(List<String> scanArgs, String point, Path marker, Path log)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-javaagent") && !arg.startsWith("-agentlib")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-Ddivergence.pauseAt=" + point, "-Ddivergence.pauseAfterVersions=3",
                "-Ddivergence.pauseMarker=" + marker, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "scan", "--master", "local[2]"));
        cmd.addAll(scanArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.exists(marker)) {
            assertTrue(p.isAlive(), "driver ended before pausing: " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "driver did not reach " + point);
            Thread.sleep(100);
        }
        return p;
    }

    /**
     * Whether this JVM was started with SIGINT ignored (a background job of a non-interactive shell: `cmd &`): a child
     * inherits the ignored disposition and cannot be interrupted, whatever the code does.
     */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2L) != 0; // bit of signal 2
            }
        }
        return false;
    }

    @Test
    void aScanInterruptedBySigintMidScanSaysSoInOneLineAndTheRerunCompletesItRowForRow() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored by this test JVM (started "
                + "in the background by a non-interactive shell); run the tests in the foreground");
        Path out = dir.resolve("out");
        Path log = dir.resolve("driver.log");
        Process driver = pausedDriver(args(out), FaultInjection.SCAN, dir.resolve("paused"), log);
        Process kill = new ProcessBuilder("sh", "-c", "kill -INT " + driver.pid()).inheritIO().start();
        assertEquals(0, kill.waitFor());
        if (!driver.waitFor(180, TimeUnit.SECONDS)) {
            driver.destroyForcibly();
            List<String> all = Files.readAllLines(log);
            throw new AssertionError("the driver did not stop on SIGINT; its log ends:\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size())));
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(130, driver.exitValue(), String.join("\n", lines));
        assertEquals(List.of("divergence: interrupted by SIGINT; complete: no table; not written: files, artifacts, "
                        + "releases, signals, scans (the next run completes them)"),
                lines.stream().filter(l -> l.startsWith("divergence: interrupted")).toList());
        assertEquals(List.of(), lines.stream().filter(l -> l.contains("Exception") || l.startsWith("\tat ")
                || l.contains(" ERROR ")).toList(), "no stack trace, no error log");
        assertFalse(Files.exists(out.resolve("files")), "nothing moved into the tables");

        ScanJob.Result rerun = scan(args(out));
        assertEquals(13, rerun.versionsScanned());
        assertEquals(expected, contents(out));
        assertFalse(Files.exists(out.resolve(Staging.DIR)), "the interrupted run's staging is gone");
    }

    @Test
    void aDriverKilledDuringTheFilesWriteLeavesEveryTableReadableAndTheRerunCompletesIt() throws Exception {
        // Five versions scanned last night; tonight's run, with eight new ones, is killed while writing files.
        Path out = dir.resolve("out");
        scan(args(out, "--versions", "1.80.0,1.80.1,1.81.0,1.81.1,1.81.2"));
        List<String> before = readEveryTable(out);
        Process driver = pausedDriver(args(out), FaultInjection.SCAN, dir.resolve("paused"),
                dir.resolve("driver.log"));
        driver.destroyForcibly();
        assertTrue(driver.waitFor(60, TimeUnit.SECONDS));
        List<Path> partial = parquetUnder(out.resolve(Staging.DIR));
        assertFalse(partial.isEmpty(), "the killed writer left Parquet files being written");
        assertTrue(partial.stream().anyMatch(InterruptedRunTest::unreadable), "some are truncated: " + partial);
        assertEquals(before, readEveryTable(out), "readers see last night's tables, whole");

        ScanJob.Result rerun = scan(args(out));
        assertEquals(8, rerun.versionsScanned());
        assertTrue(rerun.recovered().get(0).startsWith("discarded the unfinished writes of the interrupted run"),
                rerun.recovered().toString());
        assertEquals(expected, contents(out));
        assertEquals(List.of("releases=13", "artifacts=26", "files=" + query("select count(*) from "
                + DatasetQueries.table(out, "files")).get(0), "signals=" + query("select count(*) from "
                + DatasetQueries.table(out, "signals")).get(0), "scans=2"), readEveryTable(out));
        assertFalse(Files.exists(out.resolve(Staging.DIR)));
    }

    @Test
    void signalsOfARunStoppedAfterItsLedgerAreWrittenByTheNextRun() throws Exception {
        Path out = dir.resolve("out");
        System.setProperty("divergence.failBefore", Tables.SIGNALS);
        try {
            assertThrows(IllegalStateException.class, () -> scan(args(out)));
        } finally {
            System.clearProperty("divergence.failBefore");
        }
        assertEquals(List.of("13"), query("select count(*) from " + DatasetQueries.table(out, "releases")),
                "the ledger is written");
        assertFalse(Files.exists(out.resolve("signals")), "the signals are not, yet");

        ScanJob.Result rerun = scan(args(out));
        assertEquals(0, rerun.versionsScanned(), "every version is in the ledger");
        assertEquals(1, rerun.recovered().size());
        assertTrue(rerun.recovered().get(0).matches("completed the interrupted run \\S+ \\(moved in: signals, scans\\)"),
                rerun.recovered().get(0));
        assertEquals(expected, contents(out));
        assertEquals(List.of("13|0", "0|13"), query("select versions_scanned, versions_skipped from read_parquet('"
                + out.resolve("scans") + "/*.parquet') order by versions_scanned desc"));
    }
}
