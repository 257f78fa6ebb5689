package dev.divergence.jobs;

import dev.divergence.demo.DemoProject;
import dev.divergence.demo.StaticRegistryServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code divergence demo}: builds the LiteLLM-like demo from {@code datasets/demo/} (a Git history with tagged,
 * untagged and two tampered releases), serves it as a local PyPI, runs the real scan job against it and prints
 * the summary plus the high-risk files read back from the Parquet output.
 */
final class DemoCommand {

    private DemoCommand() {
    }

    static int run(Path work, Path demoDir, PrintStream out, PrintStream err) throws ScanOptions.UsageException {
        if (!Files.isRegularFile(demoDir.resolve("demo.json"))) {
            throw new ScanOptions.UsageException(demoDir.toAbsolutePath() + "/demo.json not found (run from the "
                    + "project root)");
        }
        Preflight.writableDirectory("--work", work);
        long start = System.nanoTime();
        try {
            DemoProject.Built built = DemoProject.build(demoDir, work);
            try (StaticRegistryServer server = new StaticRegistryServer(built.registryRoot())) {
                built.index().write(server.baseUrl());
                out.println("demo: built " + built.repository() + " and a local PyPI at " + server.baseUrl()
                        + " (tampered, never committed: " + built.tamperedVersions() + ")");
                List<String> scanArgs = new ArrayList<>(List.of("pkg:pypi/" + built.packageName(),
                        "--repo", built.repository().toAbsolutePath().toString(),
                        "--pypi-url", server.baseUrl(),
                        "--out", work.resolve("dataset").toAbsolutePath().toString(),
                        "--cache", work.resolve("cache").toAbsolutePath().toString()));
                ScanOptions options = ScanOptions.parse(scanArgs);
                SparkSession spark = SparkSessions.create("divergence-demo", Optional.empty());
                Interruption.install(spark, err);
                ScanProgress.enable(err, ScanProgress.wanted(Optional.empty()));
                try {
                    ScanJob.Result result;
                    try {
                        result = ScanJob.run(spark, options);
                        ScanProgress.disable();
                    } catch (Exception e) { // Spark rethrows checked exceptions undeclared
                        if (!Interruption.requested()) {
                            throw e;
                        }
                        Interruption.report(); // one line instead of the cancelled jobs' stack traces
                        return Interruption.status();
                    } finally {
                        ScanProgress.disable();
                        Interruption.settle();
                    }
                    int code = ScanCommand.report(result, options, out, err);
                    printHighRiskFiles(spark, Path.of(options.out()), out);
                    out.printf("demo finished in %.1f s; query the tables with Spark SQL or DuckDB, e.g.%n"
                            + "  duckdb -c \"select version, artifact, artifact_path, status, risk_flags from "
                            + "read_parquet('%s/files/**/*.parquet', hive_partitioning=true) where high_risk\"%n",
                            (System.nanoTime() - start) / 1e9, Path.of(options.out()).toAbsolutePath());
                    return code;
                } finally {
                    spark.stop();
                }
            }
        } catch (IOException | ScanOptions.UsageException e) {
            err.println("divergence demo: " + e.getMessage());
            return Main.RUN_FAILED;
        }
    }

    /** Reads the files table back and prints the evidence behind each HIGH_RISK verdict. */
    private static void printHighRiskFiles(SparkSession spark, Path dataset, PrintStream out) {
        List<Row> rows = spark.read().parquet(dataset.resolve(Tables.FILES).toAbsolutePath().toString())
                .where("high_risk").orderBy("version", "artifact", "artifact_path")
                .select("version", "artifact", "artifact_path", "status", "risk_flags", "detail").collectAsList();
        out.println("High-risk files (read back from " + dataset.resolve(Tables.FILES) + "):");
        for (Row r : rows) {
            out.printf("  %-7s %-34s %-36s %-8s %s %s%n", r.getString(0), r.getString(1), r.getString(2),
                    r.getString(3), r.getList(4), r.isNullAt(5) ? "" : r.getString(5));
        }
        out.println();
    }
}
