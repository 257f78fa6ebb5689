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
}
