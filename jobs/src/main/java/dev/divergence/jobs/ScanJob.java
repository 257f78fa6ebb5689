package dev.divergence.jobs;

import dev.divergence.archive.ArchiveLimits;
import dev.divergence.http.HttpFetcher;
import dev.divergence.model.Ecosystem;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseCodec;
import dev.divergence.model.ReleaseReport;
import dev.divergence.registry.EcosystemSupport;
import dev.divergence.rebuild.RebuildEnvironment;
import dev.divergence.rebuild.RebuildReport;
import dev.divergence.rebuild.Rebuilder;
import dev.divergence.registry.RegistryException;
import dev.divergence.registry.EcosystemOptions;
import dev.divergence.registry.EcosystemPlugins;
import dev.divergence.scan.EngineVersion;
import dev.divergence.scan.History;
import dev.divergence.scan.ReleaseScanner;
import dev.divergence.scan.RepositoryChoice;
import dev.divergence.scan.Watchlist;
import dev.divergence.source.Mirrors;
import dev.divergence.source.RepositoryCache;
import dev.divergence.source.SourceRepository;
import dev.divergence.source.VersionOrder;
import dev.divergence.store.ArtifactStore;
import java.io.Serializable;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The {@code scan} job, incremental and idempotent. The driver makes one metadata call per package, reads what
 * earlier runs recorded, and plans: only versions that are new, scanned with other rules, or whose inputs
 * changed become tasks. Executors scan versions with core code (each repository opened once per executor JVM)
 * inside the write of the files table: a version's file rows stream into the Parquet writer while its release and
 * artifact rows (a few per version) return to the driver with the task results, so nothing is held for the whole
 * run and nothing is scanned twice. A package with work has its partitions rewritten as earlier
 * rows plus new rows; a package without work is not touched. Every table is written through {@link Staging}: files,
 * then artifacts, are moved in; then the derived signals, the releases (the ledger the next plan reads) and the
 * run's row in {@code scans} are staged and committed together, so a run stopped at any point — a signal,
 * {@code kill -9} — is completed by the next one without duplicates or gaps, signals included.
 */
public final class ScanJob {

    /**
     * One version to scan, as plain strings so that it serialises anywhere. {@code repository} is the package's
     * (chosen once from all its releases when the user gave none); {@code repositoryGiven} says the user named
     * it, so that a registry-declared URL is checked before it is fetched and a given one is not.
     */
    public record ReleaseTask(String releaseJson, String repository, boolean repositoryGiven, boolean allowSsh,
                              String repositoryBasis, String cacheDir, EcosystemOptions ecosystems,
                              ScanOptions.Mode mode, int rebuildParallelism, Mirrors mirrors, long place)
            implements Serializable {

        /** The same task knowing its version's place in the package's publication order (-1: not known). */
        ReleaseTask at(long newPlace) {
            return new ReleaseTask(releaseJson, repository, repositoryGiven, allowSsh, repositoryBasis, cacheDir,
                    ecosystems, mode, rebuildParallelism, mirrors, newPlace);
        }
    }

    /**
     * What the run produced, for the summary and the exit status. {@code writeMillis} is the wall time of the
     * three table writes, the scan included (it runs inside the files write).
     */
    public record Result(String runId, List<Row> releases, long releaseRows, long artifactRows, long fileRows,
                         Map<String, Long> stageMillis, long writeMillis, int versionsScanned,
                         int versionsSkipped, List<Row> signals, int exitStatus, List<String> recovered,
                         List<String> unknownVersions) {
    }

    private ScanJob() {
    }

    public static Result run(SparkSession spark, ScanOptions options) {
        Instant started = Instant.now();
        String runId = UUID.randomUUID().toString();
        // A run sees the repositories as they are now: tags may have moved since a previous run in this JVM.
        RepositoryCache.clear();
        RepositoryCache.useMirrors(options.mirrors()); // before any repository opens, on the driver as on executors
        HttpFetcher http = new HttpFetcher();
        EcosystemOptions ecosystems = options.ecosystems();
        DatasetLocation out = DatasetLocation.of(options.out());
        Interruption.begin();
        // What an interrupted run left is completed (or discarded) before anything is read: the plan sees the
        // dataset as a finished run would have left it.
        List<String> recovered = Staging.recover(spark, out);
        PreviousState.Loaded loaded = PreviousState.load(spark, out,
                options.targets().stream().map(Watchlist.Entry::pkg).toList());
        Map<PackageKey, Map<String, History.Previous>> previous = loaded.byPackage();

        List<ReleaseTask> tasks = new ArrayList<>();
        List<Release> taskReleases = new ArrayList<>(); // the release of each task, in the same order
        List<Tables.TableRow> driverRows = new ArrayList<>();
        List<Row> signalRows = new ArrayList<>();
        Map<PackageKey, Set<String>> rescanned = new LinkedHashMap<>();
        boolean keepsEarlierRows = false; // some rewritten package keeps rows it does not rescan
        List<String> errors = new ArrayList<>();
        List<String> unknownVersions = new ArrayList<>(); // named with --versions or @VERSION, not listed
        int listed = 0;
        for (Watchlist.Entry target : options.targets()) {
            Interruption.check();
            PackageKey key = new PackageKey(target.pkg().ecosystem().purlType(), target.pkg().name());
            Map<String, History.Previous> before = previous.getOrDefault(key, Map.of());
            EcosystemSupport support = ecosystems.support(target.pkg().ecosystem(), http);
            List<Release> releases;
            try {
                releases = new ArrayList<>(support.registry().releases(target.pkg()));
                releases.sort(java.util.Comparator.comparing(Release::version, VersionOrder.over(
                        target.pkg().ecosystem(), releases.stream().map(Release::version).toList())));
            } catch (RegistryException e) {
                errors.add(target.pkg().purl() + ": " + e.getMessage());
                if (before.isEmpty()) {
                    // First sight of the package: its releases partition holds the reason; nothing to lose.
                    driverRows.add(Tables.packageErrorRow(key.ecosystem(), key.name(), e.getMessage(),
                            target.repository(), started));
                    rescanned.put(key, new TreeSet<>(Set.of("")));
                } else {
                    signalRows.add(signal(key, "", "LISTING_FAILED", e.getMessage(), runId, started));
                }
                continue;
            }
            // Per package, from every release (before --versions narrows them): never from the one being judged.
            // A release declaring another repository than its history is a signal even when the user gave one.
            RepositoryChoice declared = RepositoryChoice.fromHistory(releases, options.allowSsh());
            RepositoryChoice repository = target.repository().map(RepositoryChoice::given).orElse(declared);
            Set<String> wanted = options.versionsOf(target);
            if (!wanted.isEmpty()) {
                unknownVersions.addAll(unknownVersions(target, releases, wanted));
                releases.removeIf(r -> !wanted.contains(r.version()));
            }
            listed += releases.size();
            History.Plan plan = History.plan(releases, before, openForTagChecks(repository, before, options),
                    options.full());
            plan.signals().forEach(s -> signalRows.add(signal(key, s.version(), s.kind().name(), s.detail(), runId,
                    started)));
            History.repositoryChanges(releases, declared, plan.rescannedVersions()).forEach(s -> signalRows.add(
                    signal(key, s.version(), s.kind().name(), s.detail(), runId, started)));
            List<Release> toScan = new ArrayList<>(plan.toScan());
            Set<String> rescannedVersions = new TreeSet<>(plan.rescannedVersions());
            for (Release r : modeWork(releases, key, loaded.releases(), options.mode())) {
                if (rescannedVersions.add(r.version())) {
                    toScan.add(r);
                }
            }
            if (!toScan.isEmpty()) {
                rescanned.put(key, rescannedVersions);
                keepsEarlierRows |= !rescannedVersions.containsAll(before.keySet());
            }
            for (Release r : toScan) {
                tasks.add(new ReleaseTask(ReleaseCodec.toJson(r), repository.location().orElse(null),
                        repository.userGiven(), repository.allowSsh(), repository.basis(), options.cache().toAbsolutePath().toString(),
                        ecosystems, options.mode(), options.rebuildParallelism(), options.mirrors(), -1));
                taskReleases.add(r);
            }
        }
        // When the run rewrites every version of its packages, each version's place in publication order is known
        // before the scan: the tasks then gather the first appearances of paths as they write the file rows, and
        // the signals need not read the files table back (checked against the written ledger; see derivedSignals).
        Map<PackageKey, List<String>> plannedOrder = keepsEarlierRows ? Map.of()
                : plannedPublicationOrder(taskReleases, driverRows);
        for (int i = 0; i < tasks.size() && !plannedOrder.isEmpty(); i++) {
            Release r = taskReleases.get(i);
            List<String> order = plannedOrder.get(new PackageKey(r.pkg().ecosystem().purlType(), r.pkg().name()));
            tasks.set(i, tasks.get(i).at(order.indexOf(r.version())));
        }

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LongAccumulator versionsDone = spark.sparkContext().longAccumulator("versions done");
        ScanProgress.begin(tasks.size(), versionsDone);
        int slices = Math.max(1, Math.min(tasks.size(), jsc.defaultParallelism() * 2));
        Map<String, LongAccumulator> stageNanos = new LinkedHashMap<>();
        for (String stage : ReleaseReport.STAGES) {
            stageNanos.put(stage, spark.sparkContext().longAccumulator("stage." + stage));
        }
        // The scan runs inside the write of the files table: file rows stream from the scanner to the Parquet
        // writer, version by version, and are never held for the whole run. The few release and artifact rows
        // travel back to the driver with the task results.
        // The two accumulators that carry rows are registered without a name: Spark's status listener renders a
        // named accumulator's whole value as text at every task update (and read the first-seen map while the
        // driver merged into it).
        CollectionAccumulator<Tables.TableRow> ledgerRows = new CollectionAccumulator<>();
        spark.sparkContext().register(ledgerRows);
        LongAccumulator fileRowCount = spark.sparkContext().longAccumulator("file rows");
        FirstSeenAccumulator firstSeen = new FirstSeenAccumulator();
        spark.sparkContext().register(firstSeen);
        JavaRDD<Row> scannedFiles = jsc.parallelize(tasks, slices).mapPartitions(it -> scanPartition(it, started,
                stageNanos, ledgerRows, fileRowCount, versionsDone, firstSeen));
        List<Dataset<Row>> keptOld = new ArrayList<>();
        Staging staging = Staging.of(spark, out, runId);
        List<String> planned = new ArrayList<>(rescanned.isEmpty() ? List.of() : Tables.WRITE_ORDER);
        planned.addAll(List.of(Tables.SIGNALS, Tables.SCANS));
        Interruption.plan(planned);
        try {
            long writeMillis = 0;
            List<Tables.TableRow> fresh = new ArrayList<>(driverRows);
            Optional<List<Row>> rewrittenReleases = Optional.empty();
            if (!rescanned.isEmpty()) {
                Interruption.check();
                Dataset<Row> redo = rescannedFrame(spark, rescanned);
                // Earlier rows of rewritten packages that are not rescanned are read, and materialised, before any
                // write: the write replaces the files they come from.
                Map<String, Dataset<Row>> oldRows = new HashMap<>();
                for (String table : Tables.WRITE_ORDER) {
                    // A run that rescans every earlier version of its packages keeps no earlier row: skip the read.
                    Optional<Dataset<Row>> old = (keepsEarlierRows ? PreviousState.table(spark, out, table)
                            : Optional.<Dataset<Row>>empty()).map(d -> d
                            .join(redo.select("ecosystem", "package").distinct(), toSeq("ecosystem", "package"), "left_semi")
                            .join(redo, toSeq("ecosystem", "package", "version"), "left_anti")
                            .select(columns(table)));
                    oldRows.put(table, old.map(d -> {
                        Dataset<Row> m = spark.createDataFrame(d.javaRDD(), Tables.schema(table))
                                .persist(StorageLevel.MEMORY_AND_DISK());
                        m.count();
                        keptOld.add(m);
                        return m;
                    }).orElse(spark.createDataFrame(List.of(), Tables.schema(table))));
                }
                long writeStart = System.nanoTime();
                // Files and artifacts go in first: until the ledger (releases) is committed, their versions are
                // still to do for the next run, which rewrites them.
                for (String table : List.of(Tables.FILES, Tables.ARTIFACTS)) { // the scan runs inside the files write
                    Interruption.check();
                    FaultInjection.maybeHalt(table);
                    Dataset<Row> rows = table.equals(Tables.FILES)
                            ? filesFrame(spark, scannedFiles)
                            : spark.createDataFrame(rows(fresh, table), Tables.schema(table));
                    staging.stage(rows.unionByName(oldRows.get(table)), table, true);
                    staging.replace(table);
                    Interruption.wrote(table);
                    if (table.equals(Tables.FILES)) {
                        fresh.addAll(distinctRows(ledgerRows.value()));
                    }
                }
                Interruption.check();
                // One small row per version: the ledger of the rewritten packages is put together on the driver
                // (the earlier rows kept are already materialised), so that ordering it, deriving signals from it and
                // writing it run no join and no query over it more than once.
                List<Row> releaseRows = new ArrayList<>(rows(fresh, Tables.RELEASES));
                releaseRows.addAll(oldRows.get(Tables.RELEASES).collectAsList());
                rewrittenReleases = Optional.of(withVersionOrder(releaseRows));
                // Signals derived from the new rows, computed before the ledger moves: once it has, the plan
                // would not see these versions again.
                long signalsStart = System.nanoTime();
                signalRows.addAll(derivedSignals(spark, out, rewrittenReleases.get(), rescanned, runId, started,
                        plannedOrder.isEmpty() ? Optional.empty() : Optional.of(new FirstSeenAccumulator.Gathered(
                                plannedOrder, firstSeen.value()))));
                long signalsNanos = System.nanoTime() - signalsStart;
                FaultInjection.maybeHalt(Tables.RELEASES);
                staging.stage(spark.createDataFrame(rewrittenReleases.get(), Tables.RELEASES_SCHEMA), Tables.RELEASES, true);
                writeMillis = (System.nanoTime() - writeStart - signalsNanos) / 1_000_000;
            }
            Interruption.check();
            if (!signalRows.isEmpty()) {
                staging.stage(spark.createDataFrame(signalRows, Tables.SIGNALS_SCHEMA).coalesce(1), Tables.SIGNALS,
                        true);
            }
            long releaseRows = fresh.stream().filter(t -> t.table().equals(Tables.RELEASES)).count();
            long artifactRows = fresh.stream().filter(t -> t.table().equals(Tables.ARTIFACTS)).count();
            long fileRows = fileRowCount.value();
            int versionErrors = (int) fresh.stream().filter(t -> t.table().equals(Tables.RELEASES)
                    && "ERROR".equals(t.row().getString(Tables.RELEASES_SCHEMA.fieldIndex("verdict")))).count();
            int exit = versionErrors > 0 || !errors.isEmpty() ? Main.SOME_ERRORS : Main.OK;
            Instant finished = Instant.now();
            Row scan = RowFactory.create(runId, Timestamp.from(started), Timestamp.from(finished),
                    finished.toEpochMilli() - started.toEpochMilli(), options.targets().size(), errors.size(), listed,
                    tasks.size(), listed - tasks.size(), versionErrors, signalRows.size(),
                    rescanned.keySet().stream().map(k -> k.ecosystem() + "/" + k.name()).toArray(String[]::new),
                    errors.toArray(new String[0]), exit, EngineVersion.ENGINE, EngineVersion.RULES);
            staging.stage(spark.createDataFrame(List.of(scan), Tables.SCANS_SCHEMA).coalesce(1), Tables.SCANS, false);
            Interruption.check();
            // The commit: from here on, the next run moves releases, signals and this run's scans row in if this
            // one does not get to it.
            staging.commit();
            if (rewrittenReleases.isPresent()) {
                staging.replace(Tables.RELEASES);
                Interruption.wrote(Tables.RELEASES);
            }
            FaultInjection.maybeHalt(Tables.SIGNALS);
            staging.append(Tables.SIGNALS);
            Interruption.wrote(Tables.SIGNALS);
            FaultInjection.maybeHalt(Tables.SCANS);
            staging.append(Tables.SCANS);
            Interruption.wrote(Tables.SCANS);
            staging.finish();
            // The summary covers every version of the run's packages, scanned now or before: read back.
            List<Row> releases = rescanned.isEmpty() ? loaded.releases() : PreviousState.releasesOf(spark, out,
                    options.targets().stream().map(Watchlist.Entry::pkg).toList());
            Map<String, Long> stageMillis = new LinkedHashMap<>();
            stageNanos.forEach((k, v) -> stageMillis.put(k, v.value() / 1_000_000));
            return new Result(runId, releases, releaseRows, artifactRows, fileRows, stageMillis, writeMillis,
                    tasks.size(), listed - tasks.size(), signalRows, exit, recovered, unknownVersions);
        } finally {
            keptOld.forEach(d -> d.unpersist(false));
        }
    }

    /** The versions named for {@code target} that its registry does not list, each as one line for the user. */
    static List<String> unknownVersions(Watchlist.Entry target, List<Release> listed, Set<String> wanted) {
        Set<String> known = new TreeSet<>();
        listed.forEach(r -> known.add(r.version()));
        String latest = listed.isEmpty() ? "" : "; latest: " + listed.get(listed.size() - 1).version();
        return wanted.stream().filter(v -> !known.contains(v))
                .map(v -> target.pkg().purl() + " has no version " + v + " (the registry lists " + listed.size()
                        + " version" + (listed.size() == 1 ? "" : "s") + latest + ")")
                .toList();
    }

    /**
     * Versions the dataset holds without what this run's mode wants: fetch rows missing (an earlier run was
     * {@code --mode rebuild}), or rebuild rows missing or made by another strategy version — a version is rebuilt once
     * per strategy version. Rows written before rebuild mode existed ({@code mode} null) are fetch rows.
     */
    static List<Release> modeWork(List<Release> listed, PackageKey key, List<Row> previousReleases, ScanOptions.Mode mode) {
        Map<String, Row> byVersion = new HashMap<>();
        for (Row r : previousReleases) {
            if (key.ecosystem().equals(r.getAs("ecosystem")) && key.name().equals(r.getAs("package"))) {
                byVersion.put(r.getAs("version"), r);
            }
        }
        Ecosystem eco = Ecosystem.fromPurlType(key.ecosystem());
        String strategy = EcosystemPlugins.of(eco).rebuildStrategy(EcosystemOptions.defaults().of(eco))
                .map(dev.divergence.rebuild.RebuildStrategy::version).orElse("none"); // the version names no option
        List<Release> out = new ArrayList<>();
        for (Release r : listed) {
            Row p = byVersion.get(r.version());
            if (p == null) {
                continue; // new: the history plan scans it
            }
            String before = nullable(p, "mode").orElse("fetch");
            boolean hadFetch = !before.equals("rebuild");
            boolean hadRebuild = !before.equals("fetch") && nullable(p, "rebuild_strategy").orElse("").equals(strategy);
            if ((mode.fetches() && !hadFetch) || (mode.rebuilds() && !hadRebuild)) {
                out.add(r);
            }
        }
        return out;
    }

    private static Optional<String> nullable(Row r, String column) {
        int i;
        try {
            i = r.fieldIndex(column);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return r.isNullAt(i) ? Optional.empty() : Optional.of(r.getString(i));
    }

    private static List<Row> rows(List<Tables.TableRow> rows, String table) {
        return rows.stream().filter(t -> t.table().equals(table)).map(Tables.TableRow::row).toList();
    }

    /**
     * Release and artifact rows as the task results delivered them. Only successful task attempts report, but a
     * re-executed task (speculation, a lost executor) could report a version twice: the last report wins.
     */
    static List<Tables.TableRow> distinctRows(List<Tables.TableRow> rows) {
        Map<List<Object>, Tables.TableRow> byKey = new LinkedHashMap<>();
        for (Tables.TableRow t : rows) {
            Row r = t.row();
            List<Object> key = new ArrayList<>(List.of(t.table(), r.get(0), r.get(1), r.get(2)));
            if (t.table().equals(Tables.ARTIFACTS)) {
                key.add(r.get(3)); // filename
                int mode = Tables.ARTIFACTS_SCHEMA.fieldIndex("mode"); // fetch and rebuild rows of one file
                key.add(r.size() > mode ? r.get(mode) : null);
            }
            byKey.put(key, t);
        }
        return new ArrayList<>(byKey.values());
    }

    private static scala.collection.immutable.Seq<String> toSeq(String... names) {
        return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toList();
    }

    private static org.apache.spark.sql.Column[] columns(String table) {
        return java.util.Arrays.stream(Tables.schema(table).fieldNames()).map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new);
    }

    private static Dataset<Row> rescannedFrame(SparkSession spark, Map<PackageKey, Set<String>> rescanned) {
        List<Row> rows = new ArrayList<>();
        rescanned.forEach((k, versions) -> versions.forEach(v -> rows.add(RowFactory.create(k.ecosystem(), k.name(), v))));
        StructType schema = new StructType().add("ecosystem", DataTypes.StringType).add("package", DataTypes.StringType)
                .add("version", DataTypes.StringType);
        return spark.createDataFrame(rows, schema);
    }

    /**
     * The rewritten packages' release rows with {@code version_order} recomputed over all of each package's versions
     * (new and earlier rows alike: a backport added tonight moves every later version one place down). The rows are
     * in {@link Tables#RELEASES_SCHEMA}'s column order; one small row per version is on the driver, as for the
     * regression signals.
     */
    static List<Row> withVersionOrder(List<Row> releases) {
        int ecosystem = Tables.RELEASES_SCHEMA.fieldIndex("ecosystem");
        int pkg = Tables.RELEASES_SCHEMA.fieldIndex("package");
        int version = Tables.RELEASES_SCHEMA.fieldIndex("version");
        int order = Tables.RELEASES_SCHEMA.fieldIndex("version_order");
        Map<PackageKey, List<String>> versions = new LinkedHashMap<>();
        for (Row r : releases) {
            versions.computeIfAbsent(new PackageKey(r.getString(ecosystem), r.getString(pkg)), k -> new ArrayList<>())
                    .add(r.getString(version));
        }
        Map<PackageKey, Map<String, Integer>> ranks = new HashMap<>();
        versions.forEach((k, list) -> ranks.put(k, VersionOrder.ranks(Ecosystem.fromPurlType(k.ecosystem()), list)));
        List<Row> out = new ArrayList<>(releases.size());
        for (Row r : releases) {
            Object[] values = new Object[Tables.RELEASES_SCHEMA.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = i < r.size() ? r.get(i) : null;
            }
            values[order] = ranks.get(new PackageKey(r.getString(ecosystem), r.getString(pkg))).get(r.getString(version));
            out.add(RowFactory.create(values));
        }
        return out;
    }

    /**
     * Per package, its versions in publication order as the run will leave its ledger when every version of it is
     * rescanned: the versions to scan (with their registry times) and the release rows made on the driver.
     */
    static Map<PackageKey, List<String>> plannedPublicationOrder(List<Release> toScan, List<Tables.TableRow> driverRows) {
        Map<PackageKey, List<History.Outcome>> outcomes = new LinkedHashMap<>();
        for (Release r : toScan) {
            outcomes.computeIfAbsent(new PackageKey(r.pkg().ecosystem().purlType(), r.pkg().name()),
                    k -> new ArrayList<>()).add(new History.Outcome(r.version(), r.published()
                    .map(t -> Timestamp.from(t).getTime()).orElse(Long.MAX_VALUE), ""));
        }
        int published = Tables.RELEASES_SCHEMA.fieldIndex("published");
        for (Tables.TableRow t : driverRows) {
            if (t.table().equals(Tables.RELEASES)) {
                Timestamp at = (Timestamp) t.row().get(published);
                outcomes.computeIfAbsent(new PackageKey(t.row().getString(0), t.row().getString(1)),
                        k -> new ArrayList<>()).add(new History.Outcome(t.row().getString(2),
                        at == null ? Long.MAX_VALUE : at.getTime(), ""));
            }
        }
        Map<PackageKey, List<String>> out = new HashMap<>();
        outcomes.forEach((k, list) -> out.put(k, History.publicationOrder(Ecosystem.fromPurlType(k.ecosystem()), list)
                .stream().map(History.Outcome::version).toList()));
        return out;
    }

    /** The repository, only when earlier runs recorded tags to check (a fetch, not a scan). */
    private static Optional<SourceRepository> openForTagChecks(RepositoryChoice repository,
                                                               Map<String, History.Previous> before,
                                                               ScanOptions options) {
        if (before.values().stream().allMatch(p -> p.tagCommits().isEmpty())) {
            return Optional.empty();
        }
        Optional<String> location = repository.location();
        try {
            return location.isEmpty() || repository.refusal().isPresent() ? Optional.empty()
                    : Optional.of(RepositoryCache.open(location.get(), options.cache().toAbsolutePath()));
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Regressions (core rule over release outcomes) and first appearances of execution-relevant files (SQL), over
     * the rewritten packages' releases as they are about to be written and their files as written (so that earlier
     * versions count too).
     */
    static List<Row> derivedSignals(SparkSession spark, DatasetLocation location, List<Row> rewrittenReleases,
                                    Map<PackageKey, Set<String>> rescanned, String runId, Instant at,
                                    Optional<FirstSeenAccumulator.Gathered> gathered) {
        List<Row> out = new ArrayList<>();
        Dataset<Row> packages = rescannedFrame(spark, rescanned).select("ecosystem", "package").distinct();
        Map<PackageKey, List<History.Outcome>> outcomes = new HashMap<>();
        int[] c = java.util.stream.Stream.of("ecosystem", "package", "version", "published", "verdict")
                .mapToInt(Tables.RELEASES_SCHEMA::fieldIndex).toArray();
        for (Row r : rewrittenReleases) {
            Timestamp t = (Timestamp) r.get(c[3]);
            outcomes.computeIfAbsent(new PackageKey(r.getString(c[0]), r.getString(c[1])), k -> new ArrayList<>())
                    .add(new History.Outcome(r.getString(c[2]), t == null ? Long.MAX_VALUE : t.getTime(),
                            r.getString(c[4])));
        }
        outcomes.forEach((k, list) -> History.regressions(Ecosystem.fromPurlType(k.ecosystem()), list,
                        rescanned.getOrDefault(k, Set.of()))
                .forEach(s -> out.add(signal(k, s.version(), s.kind().name(), s.detail(), runId, at))));
        // First appearances (over fetch rows: a rebuild row names the rebuilt entry, not a source path): each version's
        // place in publication order is computed here (core rule), and the minimum of (place, irrelevant) per path
        // is taken over the package's file rows.
        Map<PackageKey, List<History.Outcome>> ordered = new HashMap<>();
        List<Row> places = new ArrayList<>();
        outcomes.forEach((k, list) -> {
            List<History.Outcome> o = History.publicationOrder(Ecosystem.fromPurlType(k.ecosystem()), list);
            ordered.put(k, o);
            for (int i = 0; i < o.size(); i++) {
                places.add(RowFactory.create(k.ecosystem(), k.name(), o.get(i).version(), (long) i));
            }
        });
        Map<PackageKey, List<History.FirstSeen>> seen = new HashMap<>();
        Map<PackageKey, List<String>> actualOrder = new HashMap<>();
        ordered.forEach((k, o) -> actualOrder.put(k, o.stream().map(History.Outcome::version).toList()));
        if (gathered.isPresent() && gathered.get().order().equals(actualOrder)) {
            // Every version was rescanned and placed as planned: the tasks took the minimum as they wrote the rows.
            gathered.get().firsts().forEach((key, first) -> seen.computeIfAbsent(new PackageKey(key.ecosystem(),
                    key.pkg()), k -> new ArrayList<>()).add(new History.FirstSeen(key.path(), (int) (first / 2),
                    first % 2 == 0)));
        } else {
            Optional<Dataset<Row>> files = PreviousState.table(spark, location, Tables.FILES)
                    .map(d -> d.join(packages, toSeq("ecosystem", "package"), "left_semi"));
            if (files.isEmpty()) {
                return out;
            }
            // The places joined to the file rows, and a plain hash aggregate over longs. arrays_overlap (compiled)
            // rather than a lambda (interpreted row by row): risk_flags holds no null, so the two say the same.
            spark.createDataFrame(places, new StructType().add("ecosystem", DataTypes.StringType)
                    .add("package", DataTypes.StringType).add("version", DataTypes.StringType)
                    .add("place", DataTypes.LongType)).createOrReplaceTempView("release_places");
            files.get().createOrReplaceTempView("merged_files");
            Dataset<Row> firsts = spark.sql("""
                    select f.ecosystem, f.package, coalesce(f.source_path, f.artifact_path) as path,
                           min(p.place * 2 + if(arrays_overlap(f.risk_flags, array(%s)), 0, 1)) as first
                    from merged_files f join release_places p
                      on f.ecosystem = p.ecosystem and f.package = p.package and f.version = p.version
                    where f.status not in (%s) and coalesce(f.mode, '%s') = '%s'
                    group by f.ecosystem, f.package, coalesce(f.source_path, f.artifact_path)
                    """.formatted(FirstSeenAccumulator.quoted(FirstSeenAccumulator.RELEVANT_FLAGS),
                    FirstSeenAccumulator.quoted(FirstSeenAccumulator.SKIPPED_STATUSES), FirstSeenAccumulator.FETCH,
                    FirstSeenAccumulator.FETCH));
            for (Row r : firsts.collectAsList()) {
                long first = r.getLong(3);
                seen.computeIfAbsent(new PackageKey(r.getString(0), r.getString(1)), k -> new ArrayList<>())
                        .add(new History.FirstSeen(r.getString(2), (int) (first / 2), first % 2 == 0));
            }
        }
        seen.forEach((k, list) -> History.newFiles(Ecosystem.fromPurlType(k.ecosystem()), ordered.get(k), list,
                        rescanned.getOrDefault(k, Set.of()))
                .forEach(s -> out.add(signal(k, s.version(), s.kind().name(), s.detail(), runId, at))));
        return out;
    }

    /**
     * Why a file was not rebuilt (no sandbox, a JDK or Node this machine lacks, the failing build step), on the
     * progress line: the summary's evidence names only the verdict, and {@code --mode both} keeps fetch's reason.
     */
    static String whyNotBuilt(RebuildReport b) {
        if (b.rebuildVerdict() != dev.divergence.rebuild.RebuildVerdict.UNSUPPORTED_ENV
                && b.rebuildVerdict() != dev.divergence.rebuild.RebuildVerdict.BUILD_FAILED) {
            return "";
        }
        String line = b.reason().map(r -> r.strip().lines().findFirst().orElse("")).orElse("");
        return line.isEmpty() ? "" : ": " + (line.length() > 300 ? line.substring(0, 300) + " ..." : line);
    }

    /** The sandbox slots of this executor JVM: one semaphore, sized by the first rebuild task's parallelism. */
    static final class RebuildSlots {
        private static java.util.concurrent.Semaphore slots;

        static synchronized java.util.concurrent.Semaphore of(int parallelism) {
            if (slots == null) {
                slots = new java.util.concurrent.Semaphore(Math.max(1, parallelism));
            }
            return slots;
        }
    }

    /**
     * The scanned file rows as a frame. {@code createDataFrame} would turn each row into Spark's binary row with the
     * encoder, and the scan node of the plan then copies that binary row into another before the Parquet writer
     * sees it: the rows are converted here to Spark's internal form once ({@link Tables.InternalFileRows}, one converter
     * per task), and copied into a binary row once, by the scan node.
     */
    static Dataset<Row> filesFrame(SparkSession spark, JavaRDD<Row> rows) {
        if (!(spark instanceof org.apache.spark.sql.classic.SparkSession classic)) {
            return spark.createDataFrame(rows, Tables.FILES_SCHEMA); // a Spark Connect session has no internal rows
        }
        JavaRDD<org.apache.spark.sql.catalyst.InternalRow> internal = rows.mapPartitions(it ->
                com.google.common.collect.Iterators.transform(it, new Tables.InternalFileRows()::apply));
        return classic.internalCreateDataFrame(internal.rdd(), Tables.FILES_SCHEMA, false);
    }

    private static Row signal(PackageKey k, String version, String kind, String detail, String runId, Instant at) {
        return RowFactory.create(k.ecosystem(), k.name(), version, kind, detail, runId, Timestamp.from(at));
    }

    /**
     * Executor side: one scanner per ecosystem per partition; repositories are shared JVM-wide. Lazy: a version is
     * scanned when the writer has taken the previous version's file rows, so a task holds one version at a time.
     */
    static Iterator<Row> scanPartition(Iterator<ReleaseTask> tasks, Instant scannedAt,
                                       Map<String, LongAccumulator> stageNanos,
                                       CollectionAccumulator<Tables.TableRow> ledgerRows, LongAccumulator fileRows,
                                       LongAccumulator versionsDone, FirstSeenAccumulator firstSeen) {
        HttpFetcher http = new HttpFetcher();
        Map<Ecosystem, ReleaseScanner> scanners = new HashMap<>();
        Map<Ecosystem, Optional<Rebuilder>> rebuilders = new HashMap<>();
        return com.google.common.collect.Iterators.concat(
                com.google.common.collect.Iterators.transform(tasks, task -> {
                    List<Row> files = scan(task, scanners, rebuilders, http, scannedAt, stageNanos, ledgerRows,
                            fileRows);
                    if (task.place() >= 0) {
                        firstSeen.addAll(files, task.place());
                    }
                    versionsDone.add(1);
                    ScanProgress.scanned();
                    return files.iterator();
                }));
    }

    /** One version: its file rows for the writer; its release and artifact rows to the driver. */
    private static List<Row> scan(ReleaseTask task, Map<Ecosystem, ReleaseScanner> scanners,
                                  Map<Ecosystem, Optional<Rebuilder>> rebuilders, HttpFetcher http,
                                  Instant scannedAt, Map<String, LongAccumulator> stageNanos,
                                  CollectionAccumulator<Tables.TableRow> ledgerRows, LongAccumulator fileRows) {
        Release release = ReleaseCodec.fromJson(task.releaseJson());
        ScanProgress.scanning(release.pkg().purl() + "@" + release.version());
        Path cache = Path.of(task.cacheDir());
        RepositoryCache.useMirrors(task.mirrors()); // an executor's first task; the same rules again change nothing
        ReleaseScanner scanner = scanners.computeIfAbsent(release.pkg().ecosystem(), eco -> {
            EcosystemSupport support = task.ecosystems().support(eco, http);
            ArtifactStore store = new ArtifactStore(cache.resolve("artifacts"), http, 4L << 30);
            return new ReleaseScanner(support, store, cache, ArchiveLimits.defaults());
        });
        RepositoryChoice repository = new RepositoryChoice(Optional.ofNullable(task.repository()),
                task.repositoryGiven(), task.allowSsh(), task.repositoryBasis());
        ReleaseReport report = scanner.scan(release, repository);
        List<RebuildReport> rebuilds = List.of();
        if (task.mode().rebuilds()) {
            // The same commit fetch mode located; one sandbox per build, at most --rebuild-parallelism at once.
            Optional<Rebuilder> rebuilder = rebuilders.computeIfAbsent(release.pkg().ecosystem(), eco ->
                    EcosystemPlugins.of(eco).rebuildStrategy(task.ecosystems().of(eco)).map(strategy -> new Rebuilder(
                            strategy, RebuildEnvironment.local(cache),
                            new ArtifactStore(cache.resolve("artifacts"), http, 4L << 30), cache, ArchiveLimits.defaults(),
                            RebuildSlots.of(task.rebuildParallelism()))));
            if (rebuilder.isPresent()) {
                rebuilds = rebuilder.get().rebuild(report);
                for (RebuildReport b : rebuilds) {
                    System.err.println("divergence: rebuilt " + release.pkg().purl() + "@" + release.version() + " "
                            + b.artifact().filename() + ": " + b.rebuildVerdict() + " (" + b.millis() / 1000 + " s)"
                            + whyNotBuilt(b));
                }
            }
        }
        report.stageNanos().forEach((k, v) -> {
            if (stageNanos.containsKey(k)) {
                stageNanos.get(k).add(v);
            }
        });
        List<Row> files = new ArrayList<>();
        for (Tables.TableRow t : Tables.rows(report, rebuilds, task.mode(), scannedAt)) {
            if (t.table().equals(Tables.FILES)) {
                files.add(t.row());
            } else {
                ledgerRows.add(t);
            }
        }
        fileRows.add(files.size());
        FaultInjection.versionScanned();
        return files;
    }
}
