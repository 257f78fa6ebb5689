package dev.divergence.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.divergence.model.PackageId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * {@code divergence report --out DATASET --html DIR}: a static, self-contained HTML site over the dataset (see
 * {@link ReportSite}) plus the rows it shows as CSV and JSON under {@code DIR/data/} (see {@link ReportData}).
 */
final class ReportCommand {

    static final String USAGE = """
            Usage: divergence report --html DIR [--out DATASET (default ./divergence-data)] [--package PURL]...

            Writes a static HTML site into DIR (no script, no external resource: open DIR/index.html from disk):
            the packages with their latest verdicts and every HIGH_RISK version with its files; per package a
            release timeline coloured by verdict, a files x versions heatmap of divergence and the history
            signals; per version the hashes, rule ids, flags, commit link and the commands that reproduce the
            comparison. The rows shown are also written as DIR/data/{releases,artifacts,files,heatmap,signals,
            scans}.{csv,json} (datasets/SCHEMA.md, "Report data"), which the notebooks in notebooks/ read.

              --html DIR        where to write the site (created; earlier pages there are overwritten)
              --out DATASET     the dataset: a folder or a Hadoop filesystem URI (default: ./divergence-data)
              --package PURL    only this package (repeatable), e.g. pkg:pypi/llmrelay, pkg:npm/%40scope/name

            Exit status: 0 written, 2 bad arguments (no dataset there), 1 the site could not be written.
            """;

    private ReportCommand() {
    }

    /** Parsed arguments; bad ones throw {@link ScanOptions.UsageException}. */
    record Options(String dataset, Path html, List<PackageId> packages) {

        Options(String dataset, Path html) {
            this(dataset, html, List.of());
        }

        static Options parse(List<String> args) throws ScanOptions.UsageException {
            String dataset = "divergence-data";
            Path html = null;
            List<String> purls = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--out" -> dataset = value(args, ++i, a);
                    case "--html" -> html = Path.of(value(args, ++i, a));
                    case "--package" -> purls.add(value(args, ++i, a));
                    default -> throw new ScanOptions.UsageException("unknown argument '" + a + "'");
                }
            }
            return of(dataset, html, purls);
        }

        /** The options as the command line gives them, checked before Spark starts. */
        static Options of(String dataset, Path html, List<String> purls) throws ScanOptions.UsageException {
            List<PackageId> packages = new ArrayList<>();
            for (String purl : purls) {
                try {
                    packages.add(PackageId.parse(purl));
                } catch (IllegalArgumentException e) {
                    throw new ScanOptions.UsageException(e.getMessage());
                }
            }
            if (html == null) {
                throw new ScanOptions.UsageException("--html DIR is required");
            }
            if (Files.exists(html) && !Files.isDirectory(html)) {
                throw new ScanOptions.UsageException("--html " + html + " is not a directory");
            }
            boolean uri = dataset.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
            if (!uri && !Files.isDirectory(Path.of(dataset, Tables.RELEASES))) {
                throw new ScanOptions.UsageException("no dataset at " + Path.of(dataset).toAbsolutePath()
                        + " (no releases/ table; run a scan or the demo first)");
            }
            return new Options(dataset, html, List.copyOf(packages));
        }

        private static String value(List<String> args, int i, String option) throws ScanOptions.UsageException {
            if (i >= args.size()) {
                throw new ScanOptions.UsageException(option + " needs a value");
            }
            return args.get(i);
        }
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(USAGE);
            return Main.OK;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (ScanOptions.UsageException e) {
            err.println("divergence report: " + e.getMessage());
            err.println("Try 'divergence report --help'.");
            return Main.USAGE;
        }
        return run(options, out, err);
    }

    /** Writes the site for checked options (the command line's picocli layer calls this). */
    static int run(Options options, PrintStream out, PrintStream err) {
        SparkSession spark = SparkSessions.create("divergence-report", Optional.empty());
        try {
            ReportSite.Written written = write(spark, options);
            out.printf("report: %d package(s), %d version(s) -> %s (data: %s)%n", written.packages(),
                    written.versions(), written.index(), options.html().resolve("data"));
            return Main.OK;
        } catch (ScanOptions.UsageException e) {
            err.println("divergence report: " + e.getMessage());
            return Main.USAGE;
        } catch (IOException | java.io.UncheckedIOException e) {
            err.println("divergence report: cannot write " + options.html() + ": " + e.getMessage());
            return Main.RUN_FAILED;
        } finally {
            spark.stop();
        }
    }

    /**
     * Reads the dataset and writes the site; the session is the caller's. A {@code --package} the dataset does not
     * hold is a usage error, reported before anything is written.
     */
    static ReportSite.Written write(SparkSession spark, Options options) throws IOException, ScanOptions.UsageException {
        DatasetLocation dataset = DatasetLocation.of(options.dataset());
        ReportData data = ReportData.load(spark, dataset, options.packages());
        for (PackageId p : options.packages()) {
            if (data.releases().stream().noneMatch(r -> p.ecosystem().purlType().equals(r.get("ecosystem"))
                    && p.name().equals(r.get("package")))) {
                throw new ScanOptions.UsageException(p.purl() + " is not in the dataset at " + dataset);
            }
        }
        return ReportSite.write(data, dataset.toString(), options.html());
    }
}
