package dev.divergence.jobs;

import dev.divergence.model.PackageId;
import dev.divergence.registry.maven.MavenSupport;
import dev.divergence.registry.npm.NpmSupport;
import dev.divergence.registry.pypi.PypiSupport;
import dev.divergence.scan.Ecosystems;
import dev.divergence.scan.Watchlist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The options of {@code scan}, parsed from the command line. Bad arguments throw {@link UsageException}. */
public record ScanOptions(List<Watchlist.Entry> targets, String out, Path cache, Ecosystems.Endpoints endpoints,
                          Optional<String> master, Set<String> versions, boolean summary, boolean full,
                          boolean allowSsh, Mode mode, int rebuildParallelism) {

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

    public static final String USAGE = """
            Usage: divergence scan [options] PURL... | --watchlist FILE

            Scans every published version of each package against its Git repository and writes the
            releases/, artifacts/ and files/ Parquet tables, signals/ (history signals) and scans/ (one row
            per run); see datasets/SCHEMA.md. Reruns are incremental: unchanged versions are not scanned again.

              PURL                 a package: pkg:pypi/litellm, pkg:npm/debug, pkg:npm/%40scope/name,
                                   pkg:maven/commons-cli/commons-cli
              --repo URL|PATH      repository to compare with (overrides the registry's project URLs);
                                   applies to the single PURL given. Without it (or a watchlist entry) the
                                   repository is the one most of the package's releases declare (ties: the
                                   earliest); registry URLs are fetched only over https:// from public
                                   addresses, a release declaring another one gets a REPOSITORY_CHANGED signal
              --watchlist FILE     one 'PURL [REPOSITORY]' per line, '#' comments
              --versions V1,V2     only these versions (default: all)
              --out DIR|URI        dataset location: a folder or a Hadoop filesystem URI such as
                                   hdfs://… or s3a://… (default: ./divergence-data)
              --cache DIR          download and clone cache (default: ~/.cache/divergence)
              --pypi-url URL       PyPI base URL (default: https://pypi.org); any server speaking PyPI's JSON API
              --npm-url URL        npm registry (default: https://registry.npmjs.org)
              --maven-url URL      Maven repository (default: https://repo1.maven.org/maven2)
              --master MASTER      Spark master (default: local[*], or what spark-submit sets)
              --full               rescan every version (default: only versions that are new, scanned with
                                   other rules, or whose artifacts, tags or yank state changed)
              --allow-ssh          also fetch ssh:// (and user@host:path) repository URLs from registry metadata
              --no-summary         do not print the per-version summary
              --mode MODE          fetch (default): compare with the commit's files; rebuild: build the
                                   published files (Maven jars, npm tarballs, Python sdists and pure wheels)
                                   from the commit in a bubblewrap sandbox and compare with them; both: the
                                   two, rows say which (mode column). A version is rebuilt once per strategy
                                   version (releases.rebuild_strategy)
              --rebuild-parallelism N  sandboxed builds at once per executor (default 1)

            Exit status: 0 when every version was scanned (whatever the verdicts), 3 when some versions
            ended in ERROR or a package could not be listed, 2 for bad arguments, 1 when the run itself failed,
            130 when interrupted by SIGINT (Ctrl-C) and 143 by SIGTERM: one line says which tables were
            complete, and the next run completes the rest (a kill -9 too). One run at a time per --out.
            """;

    /** Bad arguments: the message says what, the caller prints the usage. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    public static ScanOptions parse(List<String> args) throws UsageException {
        List<PackageId> purls = new ArrayList<>();
        Optional<String> repo = Optional.empty();
        Optional<Path> watchlist = Optional.empty();
        String out = "divergence-data";
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "divergence");
        String pypi = PypiSupport.DEFAULT_BASE_URL;
        String npm = NpmSupport.DEFAULT_BASE_URL;
        String maven = MavenSupport.DEFAULT_BASE_URL;
        Optional<String> master = Optional.empty();
        Set<String> versions = new LinkedHashSet<>();
        boolean summary = true;
        boolean full = false;
        boolean allowSsh = false;
        Mode mode = Mode.FETCH;
        int rebuildParallelism = 1;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--repo" -> repo = Optional.of(value(args, ++i, a));
                case "--watchlist" -> watchlist = Optional.of(Path.of(value(args, ++i, a)));
                case "--out" -> out = value(args, ++i, a);
                case "--cache" -> cache = Path.of(value(args, ++i, a));
                case "--pypi-url" -> pypi = value(args, ++i, a);
                case "--npm-url" -> npm = value(args, ++i, a);
                case "--maven-url" -> maven = value(args, ++i, a);
                case "--master" -> master = Optional.of(value(args, ++i, a));
                case "--versions" -> {
                    for (String v : value(args, ++i, a).split(",")) {
                        if (!v.isBlank()) {
                            versions.add(v.trim());
                        }
                    }
                }
                case "--no-summary" -> summary = false;
                case "--full" -> full = true;
                case "--allow-ssh" -> allowSsh = true;
                case "--mode" -> {
                    String m = value(args, ++i, a);
                    try {
                        mode = Mode.valueOf(m.toUpperCase(java.util.Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--mode is fetch, rebuild or both (got " + m + ")");
                    }
                }
                case "--rebuild-parallelism" -> {
                    String n = value(args, ++i, a);
                    try {
                        rebuildParallelism = Integer.parseInt(n);
                    } catch (NumberFormatException e) {
                        rebuildParallelism = 0;
                    }
                    if (rebuildParallelism < 1) {
                        throw new UsageException("--rebuild-parallelism must be a positive number (got " + n + ")");
                    }
                }
                default -> {
                    if (a.startsWith("--")) {
                        throw new UsageException("unknown option " + a);
                    }
                    try {
                        purls.add(PackageId.parse(a));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(e.getMessage());
                    }
                }
            }
        }
        List<Watchlist.Entry> targets = new ArrayList<>();
        if (watchlist.isPresent()) {
            if (repo.isPresent()) {
                throw new UsageException("--repo applies to a single PURL; put repositories in the watchlist");
            }
            try {
                targets.addAll(Watchlist.read(watchlist.get()).entries());
            } catch (IOException | IllegalArgumentException e) {
                throw new UsageException("cannot read watchlist: " + e.getMessage());
            }
        }
        if (repo.isPresent() && purls.size() != 1) {
            throw new UsageException("--repo applies to exactly one PURL (got " + purls.size() + ")");
        }
        for (PackageId p : purls) {
            targets.add(new Watchlist.Entry(p, repo));
        }
        if (targets.isEmpty()) {
            throw new UsageException("nothing to scan: give a PURL or --watchlist FILE");
        }
        return new ScanOptions(targets, out, cache, new Ecosystems.Endpoints(pypi, npm, maven), master, versions, summary,
                full, allowSsh, mode, rebuildParallelism);
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }
}
