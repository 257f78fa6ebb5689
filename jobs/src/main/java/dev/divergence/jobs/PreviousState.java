package dev.divergence.jobs;

import static org.apache.spark.sql.functions.col;

import dev.divergence.model.PackageId;
import dev.divergence.scan.History;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What earlier runs recorded for the packages of this run, read from the dataset itself. */
final class PreviousState {

    private PreviousState() {
    }

    /** A table of the dataset read with the current schema (columns added since are null), if it exists. */
    static Optional<Dataset<Row>> table(SparkSession spark, DatasetLocation out, String table) {
        if (!out.hasData(spark, table)) {
            return Optional.empty();
        }
        return Optional.of(spark.read().schema(Tables.schema(table)).parquet(out.table(table)));
    }

    /** Every release row of the given packages, as the dataset now holds them. */
    static List<Row> releasesOf(SparkSession spark, DatasetLocation out, List<PackageId> packages) {
        Optional<Dataset<Row>> releases = table(spark, out, Tables.RELEASES);
        if (releases.isEmpty() || packages.isEmpty()) {
            return List.of();
        }
        return releases.get().where(anyOf(packages)).collectAsList();
    }

    private static Column anyOf(List<PackageId> packages) {
        Column wanted = null;
        for (PackageId p : packages) {
            Column c = col("ecosystem").equalTo(p.ecosystem().purlType()).and(col("package").equalTo(p.name()));
            wanted = wanted == null ? c : wanted.or(c);
        }
        return wanted;
    }

    /** Per package (ecosystem, name): per version what the plan needs. */
    static Map<PackageKey, Map<String, History.Previous>> load(SparkSession spark, DatasetLocation out, List<PackageId> packages) {
        Map<PackageKey, Map<String, History.Previous>> result = new HashMap<>();
        Optional<Dataset<Row>> releases = table(spark, out, Tables.RELEASES);
        if (releases.isEmpty() || packages.isEmpty()) {
            return result;
        }
        Column wanted = anyOf(packages);
        Map<String, Map<String, String>> digests = new HashMap<>();
        Optional<Dataset<Row>> artifacts = table(spark, out, Tables.ARTIFACTS);
        if (artifacts.isPresent()) {
            for (Row r : artifacts.get().where(wanted)
                    .select("ecosystem", "package", "version", "filename", "registry_digest").collectAsList()) {
                digests.computeIfAbsent(r.getString(0) + "\u0000" + r.getString(1) + "\u0000" + r.getString(2),
                        k -> new HashMap<>()).put(r.getString(3), r.isNullAt(4) ? "" : r.getString(4));
            }
        }
        for (Row r : releases.get().where(wanted.and(col("version").notEqual("")))
                .select("ecosystem", "package", "version", "engine_version", "rules_version", "yanked", "ref_candidates")
                .collectAsList()) {
            Map<String, String> tags = new HashMap<>();
            for (Object c : r.getList(6)) {
                String s = (String) c;
                if (s.startsWith("tag:") && s.contains("=")) {
                    tags.put(s.substring(4, s.lastIndexOf('=')), s.substring(s.lastIndexOf('=') + 1));
                }
            }
            String key = r.getString(0) + "\u0000" + r.getString(1) + "\u0000" + r.getString(2);
            History.Previous p = new History.Previous(r.getString(2), r.getString(3), r.getString(4),
                    !r.isNullAt(5) && r.getBoolean(5), tags, digests.getOrDefault(key, Map.of()));
            result.computeIfAbsent(new PackageKey(r.getString(0), r.getString(1)), k -> new HashMap<>()).put(p.version(), p);
        }
        return result;
    }
}
