package dev.divergence.jobs;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Command line: {@code divergence scan ...}, {@code divergence demo ...}. */
public final class Main {

    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int USAGE = 2;
    public static final int SOME_ERRORS = 3;

    static final String HELP = """
            divergence: is what was published what was in the source?

            Commands:
              scan [options] PURL...   scan every version of packages against Git into Parquet
              demo [--work DIR]        build the bundled offline demo (datasets/demo), serve it as a local PyPI,
                                       scan it and print the summary
              sql "QUERY" [--out DIR]  Spark SQL over the dataset (views: releases, artifacts, files, signals, scans)
              report --html DIR [--out DIR] [--package PURL]
                                       static HTML report (timeline, heatmap, drill-down) and its data as CSV/JSON
              bench [--versions 100,300,1000] [--files N] [--file-bytes B] [--repeat K]
                    [--skip shell,naive,diffoscope] [--diffoscope-sample N] [--work DIR]
                                       synthetic history at scale: the hashing floor, a naive script,
                                       divergence (warm cache, nightly rerun), diffoscope; prints ratios
              help                     this text; 'divergence scan --help' for the scan options

            Exit status: 0 ok, 3 some versions ended in ERROR, 2 bad arguments, 1 the run failed;
            a scan interrupted by SIGINT (Ctrl-C) exits 130, by SIGTERM 143, after one line saying what was
            written (the next run completes the rest).
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || List.of("help", "--help", "-h").contains(args.get(0))) {
            out.print(HELP);
            return args.isEmpty() ? USAGE : OK;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.get(0)) {
                case "scan" -> scan(rest, out, err);
                case "demo" -> DemoCommand.run(rest, out, err);
                case "sql" -> SqlCommand.run(rest, out, err);
                case "report" -> ReportCommand.run(rest, out, err);
                case "bench" -> {
                    try {
                        yield BenchCommand.run(rest, out, err);
                    } catch (Exception e) {
                        err.println("divergence bench: " + e);
                        yield RUN_FAILED;
                    }
                }
                default -> {
                    err.println("unknown command '" + args.get(0) + "'");
                    err.print(HELP);
                    yield USAGE;
                }
            };
        } catch (Exception e) { // Spark rethrows checked exceptions undeclared
            err.println("divergence: run failed: " + e);
            e.printStackTrace(err);
            return RUN_FAILED;
        }
    }

    static int scan(List<String> args, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(ScanOptions.USAGE);
            return OK;
        }
        ScanOptions options;
        try {
            options = ScanOptions.parse(args);
        } catch (ScanOptions.UsageException e) {
            err.println("divergence scan: " + e.getMessage());
            err.print(ScanOptions.USAGE);
            return USAGE;
        }
        SparkSession spark = SparkSessions.create("divergence-scan", options.master());
        Interruption.install(spark, err);
        try {
            return report(ScanJob.run(spark, options), options, out);
        } catch (Exception e) { // Spark rethrows checked exceptions undeclared: catch them all here
            if (!Interruption.requested()) {
                throw e;
            }
            // A signal stopped the run; what it cancelled failed as a consequence: one line, no stack trace.
            Interruption.report();
            return Interruption.status();
        } finally {
            Interruption.settle();
            if (!Interruption.requested()) {
                spark.stop(); // on a signal, the JVM's shutdown hooks stop Spark
            }
        }
    }

    static int report(ScanJob.Result result, ScanOptions options, PrintStream out) {
        result.recovered().forEach(note -> out.println("divergence: " + note));
        if (options.summary()) {
            Summary.print(result.releases(), out);
            for (Row s : result.signals()) {
                // columns of Tables.SIGNALS_SCHEMA: ecosystem, package, version, signal, detail, ...
                out.printf("signal %s %s %s: %s%n", s.getString(3), s.getString(1), s.getString(2), s.getString(4));
            }
        }
        out.printf("run %s: scanned %d versions (%d unchanged, skipped); wrote %d releases, %d artifacts, %d files, "
                        + "%d signals to %s%n", result.runId(), result.versionsScanned(), result.versionsSkipped(),
                result.releaseRows(), result.artifactRows(), result.fileRows(), result.signals().size(),
                DatasetLocation.of(options.out()));
        return result.exitStatus();
    }

    static boolean anyVerdict(List<Row> releases, String verdict) {
        return releases.stream().anyMatch(r -> verdict.equals(r.getAs("verdict")));
    }
}
