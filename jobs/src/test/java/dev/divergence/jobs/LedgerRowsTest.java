package dev.divergence.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * Release and artifact rows come back with task results; a task attempt that is repeated (speculation, a lost
 * executor) reports its versions again, and the ledger must still hold each key once, from the last report.
 */
class LedgerRowsTest {

    private static Tables.TableRow release(String version, long scanMillis) {
        return new Tables.TableRow(Tables.RELEASES, RowFactory.create("pypi", "demo", version, scanMillis));
    }

    private static Tables.TableRow artifact(String version, String filename) {
        return new Tables.TableRow(Tables.ARTIFACTS, RowFactory.create("pypi", "demo", version, filename));
    }

    @Test
    void aRepeatedAttemptLeavesOneRowPerKeyAndTheLastReportWins() {
        List<Tables.TableRow> reported = List.of(
                release("1.0", 10), artifact("1.0", "demo-1.0.tar.gz"), artifact("1.0", "demo-1.0-py3-none-any.whl"),
                release("1.1", 11), artifact("1.1", "demo-1.1.tar.gz"),
                release("1.0", 99), artifact("1.0", "demo-1.0.tar.gz")); // 1.0 again, from a second attempt
        List<Tables.TableRow> kept = ScanJob.distinctRows(reported);
        assertEquals(5, kept.size());
        assertEquals(List.of(99L, 11L), kept.stream().filter(t -> t.table().equals(Tables.RELEASES))
                .map(t -> t.row().getLong(3)).toList());
        assertEquals(List.of("demo-1.0.tar.gz", "demo-1.0-py3-none-any.whl", "demo-1.1.tar.gz"), kept.stream()
                .filter(t -> t.table().equals(Tables.ARTIFACTS)).map(t -> t.row().getString(3)).toList());
    }
}
