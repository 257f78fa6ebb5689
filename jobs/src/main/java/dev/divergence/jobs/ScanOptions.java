package dev.divergence.jobs;

import dev.divergence.model.PackageId;
import dev.divergence.registry.EcosystemOptions;
import dev.divergence.registry.EcosystemPlugin;
import dev.divergence.registry.EcosystemPlugins;
import dev.divergence.scan.Watchlist;
import dev.divergence.source.Mirrors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options of {@code scan}, parsed from the command line by picocli ({@link Arguments}) and checked here.
 * Bad arguments throw {@link UsageException}. Paths are checked against the filesystem by {@link Preflight}, before
 * Spark starts.
 */
public record ScanOptions(List<Watchlist.Entry> targets, String out, Path cache, EcosystemOptions ecosystems,
                          Optional<String> master, Set<String> versions, boolean summary, boolean full,
                          boolean allowSsh, Optional<Boolean> progress, Optional<FailOn> failOn, Mode mode,
                          int rebuildParallelism, Mirrors mirrors) {

    /**
     * What a version is compared with: its commit's files ({@code fetch}), the files rebuilt from that commit in the
     * sandbox ({@code rebuild}), or both. Rows say which ({@code mode} column).
     */
    public enum Mode {
        FETCH, REBUILD, BOTH;

        public boolean fetches() {
            return this != REBUILD;
        }

        public boolean rebuilds() {
            return this != FETCH;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code --fail-on}: the verdict from which a scan's exit status is {@link Main#FAIL_ON} (4). */
    public enum FailOn {
        HIGH_RISK, DIVERGENT;

        /** Whether {@code verdict} is at or beyond this threshold. */
        boolean reachedBy(String verdict) {
            return verdict.equals("HIGH_RISK") || (this == DIVERGENT && verdict.equals("DIVERGENT"));
        }
    }

    /** Bad arguments: the message says what, the caller prints one line pointing to {@code --help}. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    /** The options as picocli reads them; {@link #toOptions} checks what one option cannot check alone. */
    public static final class Arguments {
        @Parameters(paramLabel = "PURL", arity = "0..*", description = "a package: pkg:pypi/litellm, "
                + "pkg:npm/debug, pkg:npm/%%40scope/name, pkg:maven/commons-cli/commons-cli; with @VERSION "
                + "(pkg:pypi/litellm@1.82.6) only that version is scanned. Purl qualifiers (?type=jar, "
                + "?repository_url=...) and subpaths are refused: every artifact of a version is scanned, from "
                + "the registry the options name.")
        List<String> purls = new ArrayList<>();

        @Option(names = "--repo", paramLabel = "URL|PATH", description = "repository to compare with (overrides "
                + "the registry's project URLs); applies to the single PURL given. Without it (or a watchlist "
                + "entry) the repository is the one most of the package's releases declare (ties: the "
                + "earliest); registry URLs are fetched only over https:// from public addresses, a release "
                + "declaring another one gets a REPOSITORY_CHANGED signal")
        String repo;

        @Option(names = "--watchlist", paramLabel = "FILE",
                description = "one 'PURL [REPOSITORY]' per line, '#' comments (a PURL@VERSION follows that version)")
        Path watchlist;

        @Option(names = "--versions", paramLabel = "VERSION", split = ",", description = "only these versions "
                + "(default: all); a version the registry does not list is reported on stderr and makes the "
                + "exit status 2 (the listed ones are still scanned)")
        List<String> versions = new ArrayList<>();

        @Option(names = "--out", paramLabel = "DIR|URI", description = "dataset location: a folder or a Hadoop "
                + "filesystem URI such as hdfs://... or s3a://... (default: ./divergence-data); checked before "
                + "Spark starts")
        String out = "divergence-data";

        @Option(names = "--cache", paramLabel = "DIR", description = "download and clone cache (default: "
                + "~/.cache/divergence)")
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "divergence");

        /**
         * Each ecosystem's options ({@code --pypi-url}, {@code --npm-url}, {@code --maven-url}, any plugin's
         * {@code --TYPE-KEY}) by purl type, filled by the options {@link #addEcosystemOptions} declares.
         */
        final Map<String, Map<String, String>> ecosystemOptions = new TreeMap<>();

        @Option(names = "--master", paramLabel = "MASTER", description = "Spark master (default: local[*], or "
                + "what spark-submit sets)")
        String master;

        @Option(names = "--full", description = "rescan every version (default: only versions that are new, "
                + "scanned with other rules, or whose artifacts, tags or yank state changed)")
        boolean full;

        @Option(names = "--allow-ssh",
                description = "also fetch ssh:// (and user@host:path) repository URLs from registry metadata")
        boolean allowSsh;

        @Option(names = "--mirror", paramLabel = "URL_PREFIX=PATH", description = "open every repository whose URL "
                + "starts with URL_PREFIX (whole path segments; longest prefix wins) at PATH followed by the rest of "
                + "the URL, as git's url.<base>.insteadOf: package repositories and submodules alike, e.g. "
                + "--mirror https://github.com/lodash/lodash=/srv/git/lodash.git or "
                + "--mirror https://github.com/=/srv/git/ (tries REST, REST without and with .git). PATH may be a "
                + "folder or a URL; the rest of the URL may not climb out of it. A URL a mirror names is opened "
                + "even when it would be refused as registry metadata (a .gitmodules naming a local path). Repeatable")
        List<String> mirrors = new ArrayList<>();

        @Option(names = "--no-summary", description = "do not print the per-version summary and the signals")
        boolean noSummary;

        @Option(names = "--progress", negatable = true, description = "progress on stderr: versions done/total, "
                + "the current package, ETA (default: only when stderr is a terminal; --no-progress never)")
        Boolean progress;

        @Option(names = "--fail-on", paramLabel = "VERDICT", description = "HIGH_RISK or DIVERGENT: exit 4 when "
                + "a version in the run's scope (its packages, narrowed by --versions or @VERSION) has that "
                + "verdict or a worse one (DIVERGENT includes HIGH_RISK)")
        FailOn failOn;

        @Option(names = "--mode", paramLabel = "MODE", converter = ModeConverter.class, description = "fetch "
                + "(default): compare with the commit's files; rebuild: build the published files (Maven jars, npm "
                + "tarballs, Python sdists and pure wheels) from the commit in a bubblewrap sandbox and compare with "
                + "them; both: the two, rows say which (mode column). A version is rebuilt once per strategy version "
                + "(releases.rebuild_strategy)")
        Mode mode = Mode.FETCH;

        @Option(names = "--rebuild-parallelism", paramLabel = "N",
                description = "sandboxed builds at once per executor (default: 1)")
        int rebuildParallelism = 1;

        /** Checks what no single option can check and builds the options. */
        ScanOptions toOptions() throws UsageException {
            List<Watchlist.Entry> targets = new ArrayList<>();
            if (watchlist != null) {
                if (repo != null) {
                    throw new UsageException("--repo applies to a single PURL; put repositories in the watchlist");
                }
                try {
                    targets.addAll(Watchlist.read(watchlist).entries());
                } catch (IOException | IllegalArgumentException e) {
                    throw new UsageException("cannot read watchlist: " + (e instanceof java.nio.file.NoSuchFileException
                            ? watchlist + " does not exist" : e.getMessage()));
                }
            }
            if (repo != null && purls.size() != 1) {
                throw new UsageException("--repo applies to exactly one PURL (got " + purls.size() + ")");
            }
            for (String purl : purls) {
                PackageId.Ref ref;
                try {
                    ref = PackageId.parseRef(purl);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                targets.add(new Watchlist.Entry(ref.pkg(), Optional.ofNullable(repo), ref.version()));
            }
            if (targets.isEmpty()) {
                throw new UsageException("nothing to scan: give a PURL or --watchlist FILE");
            }
            if (rebuildParallelism < 1) {
                throw new UsageException("--rebuild-parallelism must be a positive number (got " + rebuildParallelism
                        + ")");
            }
            Set<String> only = new LinkedHashSet<>();
            versions.stream().map(String::trim).filter(v -> !v.isEmpty()).forEach(only::add);
            if (!only.isEmpty() && targets.stream().anyMatch(t -> t.version().isPresent())) {
                throw new UsageException("a version is given both in a purl (@VERSION) and with --versions: give one");
            }
            // Spark's master URL forms (SparkContext.createTaskScheduler): anything else fails inside Spark's start
            if (master != null && !master.matches("local(\\[(\\*|\\d+)(, *\\d+)?])?|local-cluster\\[.*]|spark://.+|yarn"
                    + "|k8s://.+|mesos://.+")) {
                throw new UsageException("--master takes local, local[N], local[*], spark://HOST:PORT, yarn or "
                        + "k8s://URL, not '" + master + "'");
            }
            EcosystemOptions ecosystems;
            try {
                ecosystems = EcosystemOptions.of(ecosystemOptions);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            Mirrors mirrorRules;
            try {
                mirrorRules = Mirrors.parse(mirrors);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--mirror: " + e.getMessage());
            }
            return new ScanOptions(targets, out, cache, ecosystems,
                    Optional.ofNullable(master), only, !noSummary, full, allowSsh, Optional.ofNullable(progress),
                    Optional.ofNullable(failOn), mode, rebuildParallelism, mirrorRules);
        }

        /** {@code --mode fetch|rebuild|both}, any case; anything else a usage error naming the three. */
        static final class ModeConverter implements CommandLine.ITypeConverter<Mode> {
            @Override
            public Mode convert(String value) {
                try {
                    return Mode.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.TypeConversionException("fetch, rebuild or both (got " + value
                            + ")");
                }
            }
        }

        /**
         * The one place ecosystem options reach the command line: every option of every plugin on the class path as
         * {@code --TYPE-KEY VALUE} ({@code url} of {@code pypi} is {@code --pypi-url}), described by its plugin. No
         * ecosystem is named here: a new plugin's options appear in {@code scan --help} by themselves.
         */
        static CommandLine addEcosystemOptions(CommandLine command, Arguments into) {
            for (EcosystemPlugin plugin : EcosystemPlugins.all()) {
                for (EcosystemPlugin.Option option : plugin.options()) {
                    command.getCommandSpec().addOption(CommandLine.Model.OptionSpec
                            .builder(EcosystemOptions.flag(plugin, option))
                            .paramLabel(option.label()).type(String.class).arity("1")
                            .description(option.description() + " (default: " + option.defaultValue() + ")")
                            .setter(new CommandLine.Model.ISetter() {
                                @Override
                                public <T> T set(T value) {
                                    if (value != null) {
                                        into.ecosystemOptions.computeIfAbsent(plugin.purlType(), t -> new TreeMap<>())
                                                .put(option.key(), (String) value);
                                    }
                                    return null;
                                }
                            }).build());
                }
            }
            return command;
        }
    }

    /** The versions to scan for {@code target}: its purl's {@code @VERSION}, else {@code --versions} (empty: all). */
    public Set<String> versionsOf(Watchlist.Entry target) {
        return target.version().map(Set::of).orElse(versions);
    }

    /** Parses {@code scan}'s arguments (without the word {@code scan}). */
    public static ScanOptions parse(List<String> args) throws UsageException {
        Arguments a = new Arguments();
        try {
            Main.configure(Arguments.addEcosystemOptions(new CommandLine(a), a)).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(e.getMessage());
        }
        return a.toOptions();
    }
}
