package dev.divergence.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Rows of values written as a table, CSV or JSON, the same way for {@code sql} and {@code export}: CSV is RFC 4180
 * (Jackson's CSV writer: a header line, quoted when needed, empty for null, lists and structs as JSON text), JSON
 * one array of objects (lists as arrays, times as ISO-8601 UTC strings), both readable by Python's csv and json.
 */
final class Tabular {

    static final ObjectMapper JSON = new ObjectMapper();

    private Tabular() {
    }

    /** A Spark value as plain Java: String, Number, Boolean, ISO-8601 text for times, List, Map, or null. */
    static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
                || v instanceof Double || v instanceof Float || v instanceof Short || v instanceof Byte) {
            return v;
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        if (v instanceof Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof scala.collection.Seq<?> seq) {
            List<Object> out = new ArrayList<>();
            scala.jdk.javaapi.CollectionConverters.asJava(seq).forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v instanceof List<?> list) {
            return list.stream().map(Tabular::plain).toList();
        }
        if (v instanceof scala.collection.Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            scala.jdk.javaapi.CollectionConverters.asJava(map).forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof Row r) {
            return object(r);
        }
        if (v instanceof byte[] b) {
            return java.util.HexFormat.of().formatHex(b);
        }
        return String.valueOf(v);
    }

    /** A row as a name → plain value map, in column order. */
    static Map<String, Object> object(Row r) {
        Map<String, Object> out = new LinkedHashMap<>();
        String[] names = r.schema().fieldNames();
        for (int i = 0; i < names.length; i++) {
            out.put(names[i], plain(r.get(i)));
        }
        return out;
    }

    /** A plain value as one CSV or table cell: lists and maps as JSON text, null as empty. */
    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof List<?> || v instanceof Map<?, ?>) {
            try {
                return JSON.writeValueAsString(v);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return String.valueOf(v);
    }

    static void csv(List<String> header, List<List<Object>> rows, PrintStream out) {
        CsvSchema.Builder schema = CsvSchema.builder();
        header.forEach(schema::addColumn);
        // the stream is the caller's (System.out): closing the writer must not close it
        CsvMapper mapper = CsvMapper.builder().disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
                .build();
        try (SequenceWriter w = mapper.writer(schema.build().withHeader()).writeValues(out)) {
            for (List<Object> row : rows) {
                w.write(row.stream().map(Tabular::cell).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void json(List<String> header, List<List<Object>> rows, PrintStream out) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (List<Object> row : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                o.put(header.get(i), row.get(i));
            }
            objects.add(o);
        }
        writeJson(objects, out);
    }

    static void writeJson(Object value, PrintStream out) {
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Aligned columns (a cell over 60 characters is cut with '…'), a header and a rule. */
    static void table(List<String> header, List<List<Object>> rows, PrintStream out) {
        int[] width = new int[header.size()];
        List<List<String>> cells = new ArrayList<>();
        for (List<Object> row : rows) {
            List<String> line = new ArrayList<>();
            for (Object v : row) {
                String c = cell(v).replace('\n', ' ');
                line.add(c.length() > 60 ? c.substring(0, 59) + "…" : c);
            }
            cells.add(line);
        }
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> line : cells) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        out.println(pad(header, width));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        out.println(rule);
        cells.forEach(line -> out.println(pad(line, width)));
    }

    private static String pad(List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            sb.append(i == 0 ? "" : "  ").append(i == cells.size() - 1 ? c : c + " ".repeat(width[i] - c.length()));
        }
        return sb.toString();
    }
}
