package dev.divergence.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.divergence.model.PackageId;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;

/**
 * What the report shows, read from the dataset once and kept by column name: every release, artifact, signal and
 * scan; the file rows that are not a plain {@code MATCH} or {@code SOURCE_ONLY} (the rest are counted in
 * {@code artifacts}); and the heatmap cells, the worst status of each file that ever differs in each version.
 * The same rows are written as CSV and JSON under {@code DIR/data/} for notebooks and other tools.
 */
record ReportData(List<Map<String, Object>> releases, List<Map<String, Object>> artifacts,
                  List<Map<String, Object>> files, List<Map<String, Object>> heatmap,
                  List<Map<String, Object>> signals, List<Map<String, Object>> scans) {

    /** The tables written under {@code data/}, in this order; see {@code datasets/SCHEMA.md} "Report data". */
    static final List<String> TABLES = List.of(Tables.RELEASES, Tables.ARTIFACTS, Tables.FILES, "heatmap",
            Tables.SIGNALS, Tables.SCANS);

    /** File statuses ranked for the heatmap: a cell shows the worst status of the file's rows in the version. */
    static final List<String> STATUS_RANK = List.of("SOURCE_ONLY", "MATCH", "MATCH_NORMALIZED", "GENERATED",
            "BUILD_OUTPUT", "UNCOMPARED", "IN_SUBMODULE", "IN_HISTORY", "MODIFIED", "PHANTOM");

    /** The whole dataset, or only {@code packages} when some are named (scans are kept whole). */
    static ReportData load(SparkSession spark, DatasetLocation dataset, List<PackageId> packages) {
        Column selected = functions.lit(packages.isEmpty());
        for (PackageId p : packages) {
            selected = selected.or(functions.col("ecosystem").equalTo(p.ecosystem().purlType())
                    .and(functions.col("package").equalTo(p.name())));
        }
        Dataset<Row> releases = read(spark, dataset, Tables.RELEASES).where(selected);
        Dataset<Row> files = read(spark, dataset, Tables.FILES).where(selected);
        return new ReportData(
                rows(releases.orderBy("ecosystem", "package", "version_order", "version")),
                rows(read(spark, dataset, Tables.ARTIFACTS).where(selected)
                        .orderBy("ecosystem", "package", "version", "filename")),
                rows(files.where("status not in ('MATCH', 'SOURCE_ONLY')")
                        .orderBy("ecosystem", "package", "version", "artifact", "artifact_path", "source_path")),
                rows(heatmap(files, releases)),
                rows(read(spark, dataset, Tables.SIGNALS).where(selected)
                        .orderBy("ecosystem", "package", "detected_at", "version", "signal", "detail")),
                rows(read(spark, dataset, Tables.SCANS).orderBy("started_at")));
    }

    /** A table with the columns of its schema, in schema order; an absent table reads as empty. */
    private static Dataset<Row> read(SparkSession spark, DatasetLocation dataset, String table) {
        var schema = Tables.schema(table);
        String[] columns = schema.fieldNames();
        if (!dataset.hasData(spark, table)) {
            return spark.createDataFrame(List.of(), schema);
        }
        Dataset<Row> d = spark.read().parquet(dataset.table(table));
        // An older dataset may lack a column added since (version_order, kind, ...): it reads as null.
        for (StructField f : schema.fields()) {
            if (!List.of(d.columns()).contains(f.name())) {
                d = d.withColumn(f.name(), functions.lit(null).cast(f.dataType()));
            }
        }
        return d.selectExpr(quoted(columns));
    }

    private static String[] quoted(String[] columns) {
        String[] q = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            q[i] = "`" + columns[i] + "`";
        }
        return q;
    }

    /**
     * One row per (package, file, version) for every file that is anything but {@code MATCH}/{@code SOURCE_ONLY} in
     * at least one version: the worst status of its rows in that version (all artifacts), whether one is high-risk.
     * A file is its repository path, or its artifact path with the version replaced by {@code *} when it maps to
     * none (an sdist's {@code name-1.0/PKG-INFO}, a wheel's {@code name-1.0.dist-info/}), so versions line up.
     */
    private static Dataset<Row> heatmap(Dataset<Row> files, Dataset<Row> releases) {
        StringBuilder rank = new StringBuilder("case status");
        for (int i = 0; i < STATUS_RANK.size(); i++) {
            rank.append(" when '").append(STATUS_RANK.get(i)).append("' then ").append(i);
        }
        rank.append(" else ").append(STATUS_RANK.size()).append(" end");
        Dataset<Row> keyed = files.selectExpr("ecosystem", "package", "version", "status", "high_risk",
                "coalesce(source_path, replace(artifact_path, version, '*')) as file", rank + " as rank");
        Dataset<Row> interesting = keyed.where("status not in ('MATCH', 'SOURCE_ONLY')")
                .select("ecosystem", "package", "file").distinct();
        return keyed.join(interesting, new String[] {"ecosystem", "package", "file"})
                .groupBy("ecosystem", "package", "file", "version")
                .agg(functions.max(functions.struct("rank", "status")).getField("status").as("status"),
                        functions.max("high_risk").as("high_risk"))
                .join(releases.select("ecosystem", "package", "version", "version_order"),
                        new String[] {"ecosystem", "package", "version"}, "left")
                .select("ecosystem", "package", "file", "version", "version_order", "status", "high_risk")
                .orderBy("ecosystem", "package", "file", "version_order", "version");
    }

    /** Rows by column name; arrays become lists, timestamps ISO-8601 instants (UTC). */
    private static List<Map<String, Object>> rows(Dataset<Row> d) {
        String[] names = d.columns();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : d.collectAsList()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                m.put(names[i], value(r, i));
            }
            out.add(m);
        }
        return out;
    }

    private static Object value(Row r, int i) {
        if (r.isNullAt(i)) {
            return null;
        }
        Object v = r.get(i);
        if (v instanceof scala.collection.Seq<?>) {
            return List.copyOf(r.<Object>getList(i).stream().map(String::valueOf).toList());
        }
        if (v instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof java.time.Instant t) {
            return t.toString();
        }
        return v;
    }

    List<Map<String, Object>> table(String name) {
        return switch (name) {
            case Tables.RELEASES -> releases;
            case Tables.ARTIFACTS -> artifacts;
            case Tables.FILES -> files;
            case "heatmap" -> heatmap;
            case Tables.SIGNALS -> signals;
            case Tables.SCANS -> scans;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The column names of a data table, in order (also for an empty one). */
    static List<String> columns(String table) {
        if (table.equals("heatmap")) {
            return List.of("ecosystem", "package", "file", "version", "version_order", "status", "high_risk");
        }
        return List.of(Tables.schema(table).fieldNames());
    }

    /**
     * Writes {@code data/TABLE.csv} (RFC 4180, a header row; arrays as JSON array text, nulls as empty cells) and
     * {@code data/TABLE.json} (an array of objects, arrays as arrays, nulls as null) for every table.
     */
    void write(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectMapper compact = new ObjectMapper();
        CsvMapper csv = new CsvMapper();
        for (String table : TABLES) {
            List<Map<String, Object>> rows = table(table);
            json.writeValue(dataDir.resolve(table + ".json").toFile(), rows);
            CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
            columns(table).forEach(schema::addColumn);
            List<Map<String, Object>> flat = new ArrayList<>(rows.size());
            for (Map<String, Object> row : rows) {
                Map<String, Object> f = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : row.entrySet()) {
                    f.put(e.getKey(), e.getValue() instanceof List<?> l ? compact.writeValueAsString(l) : e.getValue());
                }
                flat.add(f);
            }
            csv.writer(schema.build()).writeValue(dataDir.resolve(table + ".csv").toFile(), flat);
        }
    }
}
