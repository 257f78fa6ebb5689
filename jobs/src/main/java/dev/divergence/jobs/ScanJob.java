package dev.divergence.jobs;

import dev.divergence.archive.ArchiveLimits;
import dev.divergence.http.HttpFetcher;
import dev.divergence.model.Ecosystem;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseCodec;
import dev.divergence.model.ReleaseReport;
import dev.divergence.registry.EcosystemSupport;
import dev.divergence.registry.RegistryException;
import dev.divergence.scan.Ecosystems;
import dev.divergence.scan.ReleaseScanner;
import dev.divergence.scan.Watchlist;
import dev.divergence.store.ArtifactStore;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code scan} job. The driver makes one metadata call per package and turns each version into a task;
 * executors scan versions with core code (each repository opened once per executor JVM) and emit rows for
 * the three tables from a single pass; each table is written partitioned by ecosystem and package with
 * dynamic partition overwrite, so a rerun replaces that package's partition instead of adding to it.
 */
public final class ScanJob {

    /** One version to scan, as plain strings so that it serialises anywhere. */
    public record ReleaseTask(String releaseJson, String repository, String cacheDir, Ecosystems.Endpoints endpoints)
            implements Serializable {
    }

    /** What the run produced, for the summary and the exit status. */
    public record Result(List<Row> releases, long artifactRows, long fileRows) {
    }

    private ScanJob() {
    }

    public static Result run(SparkSession spark, ScanOptions options) {
        Instant scannedAt = Instant.now();
        HttpFetcher http = new HttpFetcher();
        Ecosystems.Endpoints endpoints = options.endpoints();
        List<ReleaseTask> tasks = new ArrayList<>();
        List<Tables.TableRow> driverRows = new ArrayList<>();
        for (Watchlist.Entry target : options.targets()) {
            String eco = target.pkg().ecosystem().purlType();
            Optional<EcosystemSupport> support = Ecosystems.support(target.pkg().ecosystem(), endpoints, http);
            if (support.isEmpty()) {
                driverRows.add(Tables.packageErrorRow(eco, target.pkg().name(),
                        eco + " is not supported yet", target.repository(), scannedAt));
                continue;
            }
            try {
                for (Release r : support.get().registry().releases(target.pkg())) {
                    if (options.versions().isEmpty() || options.versions().contains(r.version())) {
                        tasks.add(new ReleaseTask(ReleaseCodec.toJson(r), target.repository().orElse(null),
                                options.cache().toAbsolutePath().toString(), endpoints));
                    }
                }
            } catch (RegistryException e) {
                driverRows.add(Tables.packageErrorRow(eco, target.pkg().name(), e.getMessage(), target.repository(),
                        scannedAt));
            }
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = Math.max(1, Math.min(tasks.size(), jsc.defaultParallelism() * 2));
        JavaRDD<Tables.TableRow> scanned = jsc.parallelize(tasks, slices)
                .mapPartitions(it -> scanPartition(it, scannedAt))
                .union(jsc.parallelize(driverRows, 1));
        scanned.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Row> releases = List.of();
            long[] counts = new long[Tables.ALL.size()];
            for (int i = 0; i < Tables.ALL.size(); i++) {
                String table = Tables.ALL.get(i);
                JavaRDD<Row> rows = scanned.filter(t -> t.table().equals(table)).map(Tables.TableRow::row);
                Dataset<Row> df = spark.createDataFrame(rows, Tables.schema(table));
                df.write().mode(SaveMode.Overwrite).partitionBy(Tables.PARTITION_COLUMNS.toArray(new String[0]))
                        .parquet(options.out().resolve(table).toAbsolutePath().toString());
                if (table.equals(Tables.RELEASES)) {
                    releases = df.collectAsList(); // small: one row per version, with its schema for the summary
                } else {
                    counts[i] = rows.count();
                }
            }
            return new Result(releases, counts[1], counts[2]);
        } finally {
            scanned.unpersist(false);
        }
    }

    /** Executor side: one scanner per ecosystem per partition; repositories are shared JVM-wide. */
    static Iterator<Tables.TableRow> scanPartition(Iterator<ReleaseTask> tasks, Instant scannedAt) {
        HttpFetcher http = new HttpFetcher();
        Map<Ecosystem, ReleaseScanner> scanners = new EnumMap<>(Ecosystem.class);
        List<Tables.TableRow> out = new ArrayList<>();
        while (tasks.hasNext()) {
            ReleaseTask task = tasks.next();
            Release release = ReleaseCodec.fromJson(task.releaseJson());
            Path cache = Path.of(task.cacheDir());
            ReleaseScanner scanner = scanners.computeIfAbsent(release.pkg().ecosystem(), eco -> {
                EcosystemSupport support = Ecosystems.support(eco, task.endpoints(), http)
                        .orElseThrow();
                ArtifactStore store = new ArtifactStore(cache.resolve("artifacts"), http, 4L << 30);
                return new ReleaseScanner(support, store, cache, ArchiveLimits.defaults());
            });
            ReleaseReport report = scanner.scan(release, Optional.ofNullable(task.repository()));
            out.addAll(Tables.rows(report, scannedAt));
        }
        return out.iterator();
    }
}
