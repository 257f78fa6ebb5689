package dev.divergence.jobs;

import static dev.divergence.jobs.DatasetQueries.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write protocol's recovery, step by step: what a run stopped between two file operations leaves, and what
 * the next run's start makes of it. Rows have the signals table's shape whatever the table: only files move here.
 */
class StagingTest {

    @TempDir
    Path dir;

    private static Dataset<Row> rows(String... packageAndDetail) {
        List<Row> rows = new ArrayList<>();
        for (String s : packageAndDetail) {
            String[] p = s.split(":");
            rows.add(RowFactory.create("pypi", p[0], "1.0", "NEW_FILE", p[1], "run", new Timestamp(0)));
        }
        return SparkTestSession.get().createDataFrame(rows, Tables.SIGNALS_SCHEMA);
    }

    private static List<String> read(Path out, String table) throws Exception {
        return query("select package, detail from read_parquet('" + out.resolve(table)
                + "/**/*.parquet', hive_partitioning=true) order by all");
    }

    /** A dataset whose files table holds packages a and b, as an earlier run left it. */
    private DatasetLocation earlierRun(Path out) {
        SparkSession spark = SparkTestSession.get();
        DatasetLocation location = DatasetLocation.of(out.toString());
        Staging first = Staging.of(spark, location, "earlier");
        first.stage(rows("a:old-a", "b:old-b"), Tables.FILES, true);
        first.replace(Tables.FILES);
        first.finish();
        return location;
    }

    @Test
    void aReplaceStoppedBetweenDeleteAndRenameIsFinishedByTheNextStart() throws Exception {
        Path out = dir.resolve("out");
        DatasetLocation location = earlierRun(out);
        Staging run = Staging.of(SparkTestSession.get(), location, "stopped");
        run.stage(rows("a:new-a", "b:new-b"), Tables.FILES, true);
        // The replace had deleted b's partition when the process died; neither partition was moved in yet.
        try (Stream<Path> s = Files.walk(out.resolve("files/ecosystem=pypi/package=b"))) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertEquals(List.of("a|old-a"), read(out, "files"));

        List<String> notes = Staging.recover(SparkTestSession.get(), location);
        assertEquals(List.of("discarded the unfinished writes of the interrupted run stopped (moved in its complete "
                + "files)"), notes);
        assertEquals(List.of("a|new-a", "b|new-b"), read(out, "files"));
        assertFalse(Files.exists(out.resolve(Staging.DIR)));
    }

    @Test
    void anUncommittedLedgerIsDiscardedAndACommittedOneMovedIn() throws Exception {
        Path out = dir.resolve("out");
        DatasetLocation location = earlierRun(out);
        Staging uncommitted = Staging.of(SparkTestSession.get(), location, "uncommitted");
        uncommitted.stage(rows("a:ledger-1"), Tables.RELEASES, true);
        uncommitted.stage(rows("a:signal-1"), Tables.SIGNALS, true);
        assertEquals(List.of("discarded the unfinished writes of the interrupted run uncommitted"),
                Staging.recover(SparkTestSession.get(), location));
        assertFalse(Files.exists(out.resolve("releases")));
        assertFalse(Files.exists(out.resolve("signals")));

        Staging committed = Staging.of(SparkTestSession.get(), location, "committed");
        committed.stage(rows("a:ledger-2"), Tables.RELEASES, true);
        committed.stage(rows("a:signal-2"), Tables.SIGNALS, true);
        committed.commit();
        assertEquals(List.of("completed the interrupted run committed (moved in: releases, signals)"),
                Staging.recover(SparkTestSession.get(), location));
        assertEquals(List.of("a|ledger-2"), read(out, "releases"));
        assertEquals(List.of("a|signal-2"), read(out, "signals"));
        assertEquals(List.of(), Staging.recover(SparkTestSession.get(), location), "nothing left to do");
    }

    @Test
    void sparkWorkFoldersLeftInsideATableAreRemovedAndNothingElse() throws Exception {
        Path out = dir.resolve("out");
        DatasetLocation location = earlierRun(out);
        // What a Spark write killed mid-task leaves: truncated Parquet where DuckDB's ** glob finds it.
        Path staging = out.resolve("files/.spark-staging-0a1b/ecosystem=pypi/package=a/part-00000.parquet");
        Path temporary = out.resolve("files/_temporary/0/_temporary/attempt_1/ecosystem=pypi/part-00001.parquet");
        for (Path p : List.of(staging, temporary)) {
            Files.createDirectories(p.getParent());
            Files.write(p, "PAR1".getBytes());
        }
        Path foreign = out.resolve("files/.hidden-by-someone-else");
        Files.writeString(foreign, "kept");
        assertThrows(java.sql.SQLException.class, () -> read(out, "files"), "they break the README's query");

        List<String> notes = Staging.recover(SparkTestSession.get(), location);
        assertEquals(List.of("removed files/.spark-staging-0a1b left by an interrupted write",
                "removed files/_temporary left by an interrupted write"), notes.stream().sorted().toList());
        assertEquals(List.of("a|old-a", "b|old-b"), read(out, "files"), "the README's glob reads the table again");
        assertTrue(Files.exists(foreign), "only Spark's own folder names are removed");
    }
}
