package dev.divergence.jobs;

import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code divergence scan}: checks the paths (before Spark starts), runs {@link ScanJob} with progress on stderr, and
 * reports: the summary in release order, the signals summarised, the run line, versions named but not listed, and
 * the exit status ({@code --fail-on} included).
 */
final class ScanCommand {

    private ScanCommand() {
    }

    static int run(ScanOptions options, PrintStream out, PrintStream err) throws ScanOptions.UsageException {
        Preflight.writableDataset("--out", options.out());
        Preflight.writableDirectory("--cache", options.cache());
        for (dev.divergence.scan.Watchlist.Entry t : options.targets()) {
            if (t.repository().isPresent()) { // --repo, or the watchlist's
                Preflight.repository(t.pkg().purl(), t.repository().get());
            }
        }
        for (dev.divergence.source.Mirrors.Rule m : options.mirrors().rules()) {
            Preflight.mirror(m.prefix(), m.target());
        }
        SparkSession spark = SparkSessions.create("divergence-scan", options.master());
        Interruption.install(spark, err);
        ScanProgress.enable(err, ScanProgress.wanted(options.progress()));
        try {
            ScanJob.Result result = ScanJob.run(spark, options);
            ScanProgress.disable();
            return report(result, options, out, err);
        } catch (Exception e) { // Spark rethrows checked exceptions undeclared: catch them all here
            if (!Interruption.requested()) {
                throw e;
            }
            // A signal stopped the run; what it cancelled failed as a consequence: one line, no stack trace.
            ScanProgress.disable();
            Interruption.report();
            return Interruption.status();
        } finally {
            ScanProgress.disable();
            Interruption.settle();
            if (!Interruption.requested()) {
                spark.stop(); // on a signal, the JVM's shutdown hooks stop Spark
            }
        }
    }

    /**
     * What a scan prints, and its exit status: the lowest that applies of 2 (a named version the registry does not
     * list), 3 (ERROR versions, a package not listed) and 4 ({@code --fail-on} reached), else 0.
     */
    static int report(ScanJob.Result result, ScanOptions options, PrintStream out, PrintStream err) {
        result.recovered().forEach(note -> out.println("divergence: " + note));
        if (options.summary()) {
            Summary.print(result.releases(), out);
            SignalSummary.print(result.signals(), result.runId(), out);
        }
        out.printf("run %s: scanned %d versions (%d unchanged, skipped); wrote %d releases, %d artifacts, %d files, "
                        + "%d signals to %s%n", result.runId(), result.versionsScanned(), result.versionsSkipped(),
                result.releaseRows(), result.artifactRows(), result.fileRows(), result.signals().size(),
                DatasetLocation.of(options.out()));
        int status = result.exitStatus();
        for (String unknown : result.unknownVersions()) {
            err.println("divergence scan: " + unknown);
        }
        if (!result.unknownVersions().isEmpty()) {
            status = lowest(status, Main.USAGE);
        }
        if (options.failOn().isPresent()) {
            List<Row> reached = failing(result, options);
            if (!reached.isEmpty()) {
                err.printf("divergence scan: --fail-on %s: %d version%s: %s%n", options.failOn().get(), reached.size(),
                        reached.size() == 1 ? "" : "s", String.join(", ", reached.stream().map(r -> "pkg:"
                                + r.getAs("ecosystem") + "/" + r.getAs("package") + "@" + r.getAs("version") + " "
                                + r.getAs("verdict")).toList()));
                status = lowest(status, Main.FAIL_ON);
            }
        }
        return status;
    }

    /** Versions in the run's scope (its packages, narrowed by --versions or @VERSION) at or beyond the threshold. */
    static List<Row> failing(ScanJob.Result result, ScanOptions options) {
        ScanOptions.FailOn threshold = options.failOn().orElseThrow();
        return result.releases().stream()
                .filter(r -> threshold.reachedBy(r.getAs("verdict")))
                .filter(r -> options.targets().stream().anyMatch(t -> t.pkg().ecosystem().purlType()
                        .equals(r.getAs("ecosystem")) && t.pkg().name().equals(r.getAs("package"))
                        && (options.versionsOf(t).isEmpty() || options.versionsOf(t).contains(r.<String>getAs("version")))))
                .toList();
    }

    private static int lowest(int status, int other) {
        return status == Main.OK ? other : Math.min(status, other);
    }
}
