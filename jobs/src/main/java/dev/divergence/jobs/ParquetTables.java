package dev.divergence.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads the dataset's tables without Spark, for commands that only read a few packages ({@code export}): Hadoop's
 * FileSystem lists the Hive partitions ({@code TABLE/ecosystem=E/package=P/*.parquet}, any Hadoop URI) and
 * parquet-hadoop reads the files. A row is a column → plain value map (String, Integer, Long, Boolean, Instant,
 * List), the partition columns included. Costs a JVM, not a Spark start-up.
 */
final class ParquetTables {

    private final DatasetLocation dataset;
    private final Configuration conf = new Configuration();

    ParquetTables(DatasetLocation dataset) {
        this.dataset = dataset;
    }

    /** Whether the table exists (a folder, possibly empty). */
    boolean exists(String table) {
        Path root = new Path(dataset.table(table));
        try {
            return root.getFileSystem(conf).exists(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dataset at " + root, e);
        }
    }

    /** Every row of the partitions {@code (ecosystem, package)} that {@code partitions} accepts. */
    List<Map<String, Object>> read(String table, BiPredicate<String, String> partitions) {
        Path root = new Path(dataset.table(table));
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            FileSystem fs = root.getFileSystem(conf);
            if (!fs.exists(root)) {
                return rows;
            }
            for (FileStatus eco : visible(fs, root)) {
                String ecosystem = partitionValue(eco.getPath(), "ecosystem");
                if (ecosystem == null) {
                    continue;
                }
                for (FileStatus pkg : visible(fs, eco.getPath())) {
                    String name = partitionValue(pkg.getPath(), "package");
                    if (name == null || !partitions.test(ecosystem, name)) {
                        continue;
                    }
                    for (FileStatus file : visible(fs, pkg.getPath())) {
                        if (file.isFile() && file.getPath().getName().endsWith(".parquet")) {
                            readFile(file.getPath(), ecosystem, name, rows);
                        }
                    }
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root, e);
        }
    }

    private void readFile(Path file, String ecosystem, String pkg, List<Map<String, Object>> rows) throws IOException {
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("ecosystem", ecosystem);
                row.put("package", pkg);
                GroupType type = g.getType();
                for (int i = 0; i < type.getFieldCount(); i++) {
                    row.put(type.getFieldName(i), value(g, i, type.getType(i)));
                }
                rows.add(row);
            }
        }
    }

    /** Folders and files Spark readers would see: not {@code _SUCCESS}, {@code _staging}, {@code .crc}. */
    private static List<FileStatus> visible(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            String n = s.getPath().getName();
            if (!n.startsWith("_") && !n.startsWith(".")) {
                out.add(s);
            }
        }
        return out;
    }

    /** {@code package=%40scope%2Fname} → {@code @scope/name} (Hive escapes path characters as %XX). */
    static String partitionValue(Path dir, String column) {
        String n = dir.getName();
        return n.startsWith(column + "=") ? URLDecoder.decode(n.substring(column.length() + 1).replace("+", "%2B"),
                StandardCharsets.UTF_8) : null;
    }

    private static Object value(Group g, int field, Type type) {
        if (g.getFieldRepetitionCount(field) == 0) {
            return null;
        }
        if (!type.isPrimitive()) {
            // a Parquet LIST: field (group) { repeated group list { optional element } }
            Group list = g.getGroup(field, 0);
            List<Object> out = new ArrayList<>();
            if (list.getType().getFieldCount() == 0) {
                return out;
            }
            for (int j = 0; j < list.getFieldRepetitionCount(0); j++) {
                Group item = list.getGroup(0, j);
                out.add(item.getType().getFieldCount() == 0 ? null : value(item, 0, item.getType().getType(0)));
            }
            return out;
        }
        PrimitiveType p = type.asPrimitiveType();
        LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
        return switch (p.getPrimitiveTypeName()) {
            case BINARY, FIXED_LEN_BYTE_ARRAY -> g.getString(field, 0);
            case BOOLEAN -> g.getBoolean(field, 0);
            case INT32 -> g.getInteger(field, 0);
            case INT64 -> logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t
                    ? timestamp(g.getLong(field, 0), t.getUnit()) : (Object) g.getLong(field, 0);
            case INT96 -> int96(g.getInt96(field, 0));
            case FLOAT -> g.getFloat(field, 0);
            case DOUBLE -> g.getDouble(field, 0);
        };
    }

    private static Instant timestamp(long v, LogicalTypeAnnotation.TimeUnit unit) {
        return switch (unit) {
            case MILLIS -> Instant.ofEpochMilli(v);
            case MICROS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1_000L);
            case NANOS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L));
        };
    }

    /** Spark's default timestamp encoding: nanoseconds of the day, then the Julian day, little-endian. */
    static Instant int96(Binary b) {
        ByteBuffer buf = b.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = buf.getLong();
        int julianDay = buf.getInt();
        long epochDay = julianDay - 2_440_588L;
        return Instant.ofEpochSecond(epochDay * 86_400L).plusNanos(nanosOfDay);
    }
}
