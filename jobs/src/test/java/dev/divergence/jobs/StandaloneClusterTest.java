package dev.divergence.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.DemoProject;
import dev.divergence.demo.StaticRegistryServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on 127.0.0.1 — a master and one worker started from the project's own
 * classpath, no Spark distribution — runs the scan submitted by a separate driver JVM; its output must equal
 * local mode's, row for row.
 */
class StandaloneClusterTest {

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The JVM flags Spark needs (this test JVM's, without agents) and this test's classpath. */
    private static List<String> java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-javaagent") && !a.startsWith("-agentlib") && !a.startsWith("-Xmx")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Process start(List<String> cmd, Path log, Path sparkHome) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static String get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    @Test
    void scanOnAStandaloneClusterEqualsLocalMode() throws Exception {
        DemoProject.Built built = DemoProject.build(Path.of("..", "datasets", "demo"), dir.resolve("demo"));
        Path sparkHome = dir.resolve("spark-home");
        Files.createDirectories(sparkHome.resolve("jars")); // the worker wants SPARK_HOME/jars, even empty
        int masterPort = freePort();
        int masterUi = freePort();
        String master = "spark://127.0.0.1:" + masterPort;
        try (StaticRegistryServer server = new StaticRegistryServer(built.registryRoot())) {
            built.index().write(server.baseUrl());
            start(java("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "" + masterPort,
                    "--webui-port", "" + masterUi), dir.resolve("master.log"), sparkHome);
            start(java("org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1", "--cores", "2",
                    "--memory", "2g", "--webui-port", "" + freePort(), "--work-dir", dir.resolve("work").toString()),
                    dir.resolve("worker.log"), sparkHome);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!get("http://127.0.0.1:" + masterUi + "/json/").contains("\"aliveworkers\" : 1")) {
                assertTrue(System.nanoTime() < deadline, "worker did not register: " + Files.readString(dir.resolve("worker.log")));
                Thread.sleep(500);
            }
            List<String> scan = List.of("scan", "pkg:pypi/llmrelay", "--repo", built.repository().toString(),
                    "--pypi-url", server.baseUrl(), "--cache", dir.resolve("cache").toString(), "--no-summary");
            List<String> cmd = java(Main.class.getName());
            // executors get the same classpath and JVM flags as the driver
            String flags = String.join(" ", cmd.subList(1, cmd.indexOf("-cp")));
            cmd.add(1, "-Dspark.executor.extraClassPath=" + System.getProperty("java.class.path"));
            cmd.add(1, "-Dspark.executor.extraJavaOptions=" + flags.replace("-Xmx1g", ""));
            cmd.add(1, "-Dspark.executor.memory=1g");
            cmd.add(1, "-Dspark.driver.host=127.0.0.1");
            cmd.addAll(scan);
            cmd.addAll(List.of("--master", master, "--out", dir.resolve("cluster").toString()));
            Process driver = start(cmd, dir.resolve("driver.log"), sparkHome);
            assertTrue(driver.waitFor(240, TimeUnit.SECONDS), "cluster run did not finish");
            assertEquals(0, driver.exitValue(), Files.readString(dir.resolve("driver.log")));
            assertTrue(get("http://127.0.0.1:" + masterUi + "/json/").contains("\"completedapps\" : [ {"),
                    "the scan ran as an application of the standalone master");

            List<String> local = new ArrayList<>(scan.subList(1, scan.size()));
            local.addAll(List.of("--out", dir.resolve("local").toString()));
            ScanJob.run(SparkTestSession.get(), ScanOptions.parse(local));
            List<String> expected = DatasetQueries.contents(dir.resolve("local"));
            assertTrue(expected.size() > 13 + 26, "releases, artifacts and files rows: " + expected.size());
            List<String> actual = DatasetQueries.contents(dir.resolve("cluster"));
            List<String> missing = new ArrayList<>(expected);
            missing.removeAll(actual);
            List<String> extra = new ArrayList<>(actual);
            extra.removeAll(expected);
            assertEquals(List.of(), missing.subList(0, Math.min(3, missing.size())), "rows only in local mode; extra: "
                    + extra.subList(0, Math.min(3, extra.size())));
            assertEquals(expected, actual);
        } finally {
            for (Process p : processes) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }
}
