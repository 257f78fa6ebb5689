package dev.divergence.jobs;

import dev.divergence.scan.EngineVersion;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line, parsed by picocli: {@code divergence scan|export|sql|demo|bench ...}. This layer only declares
 * options and hands them to the command classes ({@link ScanCommand}, {@link ExportCommand}, {@link SqlCommand},
 * {@link DemoCommand}, {@link BenchCommand}); a usage error is the error and one line pointing to {@code --help}
 * (exit 2), a failed run one line and a stack trace (exit 1).
 */
public final class Main {

    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int USAGE = 2;
    public static final int SOME_ERRORS = 3;
    /** {@code scan --fail-on VERDICT}: a version in scope reached the verdict. */
    public static final int FAIL_ON = 4;

    static final String EXIT_STATUS = """
            Exit status: 0 ok, 1 the run failed, 2 bad arguments (or, for scan, a version named with --versions or
            @VERSION that the registry does not list), 3 some versions ended in ERROR or a package could not be
            listed, 4 scan --fail-on found a version at that verdict; when several apply, the lowest wins. A scan
            interrupted by SIGINT (Ctrl-C) exits 130, by SIGTERM 143, after one line saying what was written (the
            next run completes the rest).""";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        CommandLine cli = commandLine(out, err);
        if (args.isEmpty()) {
            cli.usage(out);
            return USAGE;
        }
        return cli.execute(args.toArray(String[]::new));
    }

    /** The whole command tree, writing to {@code out} and {@code err}. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        Io io = new Io(out, err);
        ScanCli scan = new ScanCli(io);
        CommandLine cli = new CommandLine(new Root())
                .addSubcommand(ScanOptions.Arguments.addEcosystemOptions(new CommandLine(scan), scan.arguments))
                .addSubcommand(new ExportCli(io))
                .addSubcommand(new SqlCli(io))
                .addSubcommand(new ReportCli(io))
                .addSubcommand(new DemoCli(io))
                .addSubcommand(new BenchCli(io))
                .addSubcommand(new CommandLine.HelpCommand());
        configure(cli); // after the subcommands: settings apply to those added before
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, args) -> {
            String message = e instanceof CommandLine.UnmatchedArgumentException u && u.getCommandLine() == cli
                    && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")
                    ? "unknown command '" + u.getUnmatched().get(0) + "'" : e.getMessage();
            return usageError(e.getCommandLine(), message, err);
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof ScanOptions.UsageException) {
                return usageError(command, e.getMessage(), err);
            }
            err.println("divergence: run failed: " + e);
            e.printStackTrace(err);
            return RUN_FAILED;
        });
        return cli;
    }

    /** Settings every parser shares (ScanOptions.parse included). */
    static CommandLine configure(CommandLine cli) {
        return cli.setCaseInsensitiveEnumValuesAllowed(true).setUsageHelpWidth(110);
    }

    /** The error, then one line pointing to the command's help: not the whole help. */
    static int usageError(CommandLine command, String message, PrintStream err) {
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + message);
        err.println("Try '" + name + " --help' for more information.");
        return USAGE;
    }

    record Io(PrintStream out, PrintStream err) {
    }

    /** {@code --version}: the build's project version, the engine and rules versions rows carry, Spark's. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"divergence " + projectVersion() + " (engine " + EngineVersion.ENGINE + ", rules "
                    + EngineVersion.RULES + "; Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Java "
                    + Runtime.version() + ")"};
        }
    }

    /** The Maven project version, written into the jar's resources at build time. */
    static String projectVersion() {
        try (InputStream in = Main.class.getResourceAsStream("/divergence-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    @Command(name = "divergence", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Is what was published what was in the source? Compares every published version of a "
                    + "package with its Git repository and writes Parquet tables (see datasets/SCHEMA.md).",
            footer = {"", EXIT_STATUS, "", "'divergence COMMAND --help' for a command's options."})
    static final class Root implements Callable<Integer> {
        @Override
        public Integer call() {
            return USAGE; // a command is required; run() prints the usage for an empty command line
        }
    }

    @Command(name = "scan", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
            description = {"Scan every version of packages against Git into Parquet.", "",
                    "Scans every published version of each package against its Git repository and writes the",
                    "releases/, artifacts/ and files/ Parquet tables, signals/ (history signals) and scans/ (one row",
                    "per run); see datasets/SCHEMA.md. Reruns are incremental: unchanged versions are not scanned again.",
                    "Prints the per-version summary in release order and the run's signals (counts per kind, the",
                    "execution-relevant ones listed)."},
            synopsisHeading = "Usage: ", customSynopsis = "divergence scan [OPTIONS] PURL... | --watchlist FILE",
            footer = {"", "Exit status: 0 when every version was scanned (whatever the verdicts), 1 when the run itself",
                    "failed, 2 for bad arguments or a named version the registry does not list, 3 when some versions",
                    "ended in ERROR or a package could not be listed, 4 when --fail-on found a version at that verdict",
                    "(the lowest applicable status wins), 130 when interrupted by SIGINT (Ctrl-C) and 143 by SIGTERM:",
                    "one line says which tables were complete, and the next run completes the rest (a kill -9 too).",
                    "One run at a time per --out."})
    static final class ScanCli implements Callable<Integer> {
        private final Io io;
        @Mixin
        ScanOptions.Arguments arguments = new ScanOptions.Arguments();

        ScanCli(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws ScanOptions.UsageException {
            return ScanCommand.run(arguments.toOptions(), io.out(), io.err());
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
            description = {"The verified-release list per package (md, csv, json, osv, sarif).", "",
                    "The verified-release list per package, read from the dataset: per version and published",
                    "file, the file's SHA-256 (and the registry's digest, and whether they matched), the commit and how it",
                    "was found, the verdict and its evidence (rule ids, divergent files). 'verified' is strict: CLEAN, or",
                    "EXPLAINED with no file explained by name only (unverified build output). Formats: md (a table to",
                    "paste into an advisory), csv and json (one record per published file, columns in README), osv",
                    "(OSV records for HIGH_RISK versions), sarif (SARIF 2.1.0: one result per divergent file)."})
    static final class ExportCli implements Callable<Integer> {
        private final Io io;
        @Option(names = "--out", paramLabel = "DIR|URI", description = "the dataset (default: ./divergence-data)")
        String out = "divergence-data";
        @Option(names = "--package", paramLabel = "PURL", description = "only this package (repeatable); "
                + "PURL@VERSION: only that version")
        List<String> packages = new ArrayList<>();
        @Option(names = "--since", paramLabel = "DATE", description = "only versions published on or after DATE "
                + "(YYYY-MM-DD, UTC, or an ISO-8601 instant)")
        String since;
        @Option(names = "--format", paramLabel = "FORMAT", description = "md, csv, json, osv or sarif (default: md)")
        ExportCommand.Format format = ExportCommand.Format.MD;

        ExportCli(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws ScanOptions.UsageException {
            return ExportCommand.run(ExportCommand.Request.of(out, packages, since, format), io.out(), io.err());
        }
    }

    @Command(name = "sql", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
            description = {"Spark SQL over the dataset (table, csv, json).", "",
                    "Runs Spark SQL over the dataset; views: releases, artifacts, files, signals, scans",
                    "(see datasets/SCHEMA.md). A query that does not analyse is one line on stderr (exit 2)."})
    static final class SqlCli implements Callable<Integer> {
        private final Io io;
        @Parameters(index = "0", paramLabel = "QUERY", description = "a SELECT statement, quoted")
        String query;
        @Option(names = "--out", paramLabel = "DIR|URI",
                description = "the dataset: a folder or a Hadoop filesystem URI, as scan's (default: "
                        + "./divergence-data)")
        String out = "divergence-data";
        @Option(names = "--rows", paramLabel = "N", description = "print at most N rows (default: 100; 0: all)")
        int rows = 100;
        @Option(names = "--format", paramLabel = "FORMAT", description = "table (aligned columns), csv (RFC "
                + "4180, a header line) or json (an array of objects) (default: table)")
        SqlCommand.Format format = SqlCommand.Format.TABLE;

        SqlCli(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws ScanOptions.UsageException {
            if (rows < 0) {
                throw new ScanOptions.UsageException("--rows must be 0 (all) or more, not " + rows);
            }
            return SqlCommand.run(query, out, rows, format, io.out(), io.err());
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
            description = {"A static HTML report of the dataset, and its data as CSV/JSON.", "",
                    "Writes a static HTML site into DIR (no script, no external resource: open DIR/index.html from",
                    "disk): the packages with their latest verdicts and every HIGH_RISK version with its files; per",
                    "package a release timeline coloured by verdict, a files x versions heatmap and the history",
                    "signals; per version the hashes, rule ids, flags, commit link and the commands that reproduce",
                    "the comparison. The rows shown are also written as DIR/data/{releases,artifacts,files,heatmap,",
                    "signals,scans}.{csv,json} (datasets/SCHEMA.md, 'Report data'), which notebooks/ read."})
    static final class ReportCli implements Callable<Integer> {
        private final Io io;
        @Option(names = "--html", paramLabel = "DIR", description = "where to write the site "
                + "(created; earlier pages there are overwritten)")
        Path html;
        @Option(names = "--out", paramLabel = "DIR|URI", description = "the dataset: a folder or a Hadoop "
                + "filesystem URI (default: ./divergence-data)")
        String out = "divergence-data";
        @Option(names = "--package", paramLabel = "PURL", description = "only this package (repeatable)")
        List<String> packages = new ArrayList<>();

        ReportCli(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws ScanOptions.UsageException {
            return ReportCommand.run(ReportCommand.Options.of(out, html, packages), io.out(), io.err());
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Scan the bundled offline demo (a LiteLLM-like history).", "",
                    "Builds the bundled offline demo (datasets/demo), serves it as a local PyPI, scans it and",
                    "prints the summary."})
    static final class DemoCli implements Callable<Integer> {
        private final Io io;
        @Option(names = "--work", paramLabel = "DIR", description = "work folder (default: ./divergence-demo)")
        Path work = Path.of("divergence-demo");
        @Option(names = "--demo-dir", paramLabel = "DIR", description = "the demo's inputs (default: datasets/demo)")
        Path demoDir = Path.of("datasets", "demo");

        DemoCli(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws ScanOptions.UsageException {
            return DemoCommand.run(work, demoDir, io.out(), io.err());
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
            description = {"Benchmark on a synthetic history against baselines.", "",
                    "A synthetic history at scale: the hashing floor, a naive script, divergence (warm cache,",
                    "nightly rerun), diffoscope; prints ratios."})
    static final class BenchCli implements Callable<Integer> {
        private final Io io;
        @Option(names = "--versions", paramLabel = "N", split = ",",
                description = "history sizes to measure (default: 100)")
        List<Integer> sizes = new ArrayList<>(List.of(100));
        @Option(names = "--files", paramLabel = "N", description = "files per version (default: 1000)")
        int files = 1000;
        @Option(names = "--file-bytes", paramLabel = "B", description = "bytes per file (default: 5000)")
        int fileBytes = 5000;
        @Option(names = "--repeat", paramLabel = "K", description = "warm scans per size; the last is reported "
                + "(default: 1)")
        int repeat = 1;
        @Option(names = "--skip", paramLabel = "BASELINE", split = ",",
                description = "baselines to leave out: shell, naive, diffoscope")
        List<BenchCommand.Baseline> skip = new ArrayList<>();
        @Option(names = "--diffoscope-sample", paramLabel = "N", description = "versions diffoscope compares "
                + "(default: 3)")
        int sample = 3;
        @Option(names = "--work", paramLabel = "DIR", description = "work folder (default: ./divergence-bench)")
        Path work = Path.of("divergence-bench");

        BenchCli(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws Exception {
            return BenchCommand.run(new BenchCommand.Settings(sizes, files, fileBytes, sample, work, skip, repeat),
                    io.out(), io.err());
        }
    }
}
