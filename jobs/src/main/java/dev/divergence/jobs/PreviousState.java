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

    /**
     * What earlier runs left: per package (ecosystem, name) per version what the plan needs, and the release rows
     * themselves (a run that rewrites nothing reports them without reading the table again).
     */
    record Loaded(Map<PackageKey, Map<String, History.Previous>> byPackage, List<Row> releases) {
    }

    static Loaded load(SparkSession spark, DatasetLocation out, List<PackageId> packages) {
        Map<PackageKey, Map<String, History.Previous>> result = new HashMap<>();
        Optional<Dataset<Row>> releases = table(spark, out, Tables.RELEASES);
        if (releases.isEmpty() || packages.isEmpty()) {
            return new Loaded(result, List.of());
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
        List<Row> all = releases.get().where(wanted).collectAsList();
        for (Row r : all) {
            if (r.<String>getAs("version").isEmpty()) {
                continue;
            }
            Map<String, String> tags = new HashMap<>();
            for (Object c : r.getList(r.fieldIndex("ref_candidates"))) {
                String s = (String) c;
                if (s.startsWith("tag:") && s.contains("=")) {
                    tags.put(s.substring(4, s.lastIndexOf('=')), s.substring(s.lastIndexOf('=') + 1));
                }
            }
            String eco = r.getAs("ecosystem");
            String pkg = r.getAs("package");
            String version = r.getAs("version");
            String key = eco + "\u0000" + pkg + "\u0000" + version;
            int yanked = r.fieldIndex("yanked");
            History.Previous p = new History.Previous(version, r.getAs("engine_version"), r.getAs("rules_version"),
                    !r.isNullAt(yanked) && r.getBoolean(yanked), tags, digests.getOrDefault(key, Map.of()));
            result.computeIfAbsent(new PackageKey(eco, pkg), k -> new HashMap<>()).put(version, p);
        }
        return new Loaded(result, all);
    }
}
