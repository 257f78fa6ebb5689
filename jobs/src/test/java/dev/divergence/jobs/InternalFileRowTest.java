package dev.divergence.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.CatalystTypeConverters$;
import org.junit.jupiter.api.Test;

class InternalFileRowTest {

    /** The files rows handed to the writer: the same internal row as Spark's own converter makes for the schema. */
    @Test
    void internalFileRowIsWhatSparksConverterMakes() {
        scala.Function1<Object, Object> spark = CatalystTypeConverters$.MODULE$
                .createToCatalystConverter(Tables.FILES_SCHEMA);
        Row full = RowFactory.create("pypi", "demo", "1.0", "demo-1.0.tar.gz", "demo-1.0/demo/é.py", "demo/é.py",
                "MODIFIED", "compare.unexplained", "a".repeat(64), "b".repeat(64), "c".repeat(40), "d".repeat(40), 12L,
                10L, new String[] {"CODE", "DYNAMIC_EXEC"}, true, "+1 -0 lines", "e".repeat(40), "CODE", "fetch");
        Row sparse = RowFactory.create("npm", "widget", "2.0", "widget-2.0.tgz", null, "lib/x.js", "SOURCE_ONLY",
                "compare.not-shipped", null, "f".repeat(64), null, "0".repeat(40), null, 3L, new String[0], false,
                null, null, null, null);
        for (Row r : new Row[] {full, sparse}) {
            assertEquals(spark.apply(r), Tables.internalFileRow(r));
        }
        Row wrong = RowFactory.create("pypi", "demo", "1.0", "demo-1.0.tar.gz", null, null, "MATCH", "r", null, null,
                null, null, 1, null, new String[0], false, null, null, null, null); // an int where a long goes
        assertThrows(IllegalArgumentException.class, () -> Tables.internalFileRow(wrong));
    }
    /**
     * One converter over a task's rows, reusing the converted value of a column that repeats the row before: every
     * row comes out as Spark's own converter makes it alone, whatever repeats, changes or turns null from row to row.
     */
    @Test
    void aConverterOverManyRowsGivesEachRowAsAlone() {
        scala.Function1<Object, Object> spark = CatalystTypeConverters$.MODULE$
                .createToCatalystConverter(Tables.FILES_SCHEMA);
        java.util.List<Row> rows = java.util.List.of(
                file("a.py", "MATCH", "1".repeat(64), new String[] {"CODE"}, "+1 -0 lines"),
                file("b.py", "MATCH", "2".repeat(64), new String[] {"CODE"}, null),
                file("b.py", "MODIFIED", "2".repeat(64), new String[] {"CODE", "DYNAMIC_EXEC"}, null),
                file("c.txt", "MODIFIED", null, new String[0], "+1 -0 lines"),
                file("c.txt", "MATCH", "3".repeat(64), new String[] {"CODE"}, "+2 -0 lines"),
                file("d.py", "MATCH", "3".repeat(64), new String[] {"CODE"}, "+2 -0 lines"));
        Tables.InternalFileRows converter = new Tables.InternalFileRows();
        for (Row r : rows) {
            assertEquals(spark.apply(r), converter.apply(r), r.toString());
        }
    }

    private static Row file(String path, String status, String sha256, String[] flags, String detail) {
        // a new String per row, as the scanner makes them: equal text, not the same object
        return RowFactory.create("pypi", "demo", "1.0", "demo-1.0.tar.gz", new String("demo-1.0/" + path),
                new String(path), new String(status), "compare.blob-equal", sha256 == null ? null : new String(sha256),
                sha256, null, "d".repeat(40), 12L, 12L, flags, false, detail, "e".repeat(40), "CODE", "fetch");
    }
}
