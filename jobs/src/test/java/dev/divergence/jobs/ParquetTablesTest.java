package dev.divergence.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;

/** The parts of reading Parquet without Spark that the export's end-to-end test does not reach. */
class ParquetTablesTest {

    @Test
    void partitionFolderNamesAreUnescapedAsHiveEscapesThem() {
        assertEquals("@scope/name", ParquetTables.partitionValue(new Path("/d/releases/pypi/package=%40scope%2Fname"),
                "package"));
        assertEquals("commons-cli/commons-cli", ParquetTables.partitionValue(
                new Path("/d/package=commons-cli%2Fcommons-cli"), "package"));
        assertEquals("c++", ParquetTables.partitionValue(new Path("/d/package=c++"), "package")); // '+' is no space
        assertNull(ParquetTables.partitionValue(new Path("/d/_staging"), "package"));
    }

    @Test
    void int96TimestampsAreNanosOfDayThenJulianDay() {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(3_723_000_000_123L); // 01:02:03.000000123
        b.putInt(2_440_588 + 20_536); // 2026-03-24
        assertEquals(Instant.parse("2026-03-24T01:02:03.000000123Z"), ParquetTables.int96(Binary.fromConstantByteArray(
                b.array())));
    }
}
