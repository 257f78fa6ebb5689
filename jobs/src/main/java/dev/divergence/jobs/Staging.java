package dev.divergence.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * How a run writes the dataset so that an interruption at any moment leaves nothing a reader trips on and nothing
 * the next run cannot complete. Spark writes every table into {@code _staging/RUN/TABLE} — outside the table
 * folders, so a truncated Parquet file of a killed writer is never under a path a reader globs
 * ({@code files/**}{@code /*.parquet}) — and a finished table is then moved into place through Hadoop's
 * FileSystem (so hdfs:// works as a local folder does):
 * <ul>
 *   <li>{@link #replace}: each staged partition (ecosystem, package) replaces the table's partition (delete, then
 *       rename), as Spark's dynamic partition overwrite would, but only once the whole table is staged;</li>
 *   <li>{@link #append}: each staged file is renamed into the table (signals, scans).</li>
 * </ul>
 * A run stages files and artifacts and moves them in (the ledger, releases, still says their versions are to do),
 * then stages signals, releases and its scans row, marks the run {@code _COMMITTED}, and only then moves those
 * three in. {@link #recover}, at the start of every run, finishes what a killed run left: a committed run is
 * rolled forward (releases, signals, scans moved in: the signals are never lost once the ledger advanced), an
 * uncommitted one keeps only its fully staged files/artifacts (moved in, harmless: the ledger makes the next run
 * redo those versions) and the rest is deleted. One run at a time per dataset: a run's start completes or discards
 * whatever another left in {@code _staging}.
 */
final class Staging {

    static final String DIR = "_staging";
    private static final String STAGED = "_STAGED";
    private static final String COMMITTED = "_COMMITTED";

    private final FileSystem fs;
    private final DatasetLocation out;
    private final Path run;

    private Staging(FileSystem fs, DatasetLocation out, Path run) {
        this.fs = fs;
        this.out = out;
        this.run = run;
    }

    static Staging of(SparkSession spark, DatasetLocation out, String runId) {
        Path run = new Path(out.base() + "/" + DIR + "/" + runId);
        return new Staging(fileSystem(spark, run), out, run);
    }

    private static FileSystem fileSystem(SparkSession spark, Path p) {
        try {
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the dataset's filesystem for " + p, e);
        }
    }

    /** Writes a table's rows into this run's staging area; {@code partitioned} by (ecosystem, package). */
    void stage(Dataset<Row> rows, String table, boolean partitioned) {
        Path dir = new Path(run, table);
        var writer = rows.write().mode(SaveMode.Overwrite).option("partitionOverwriteMode", "static");
        if (partitioned) {
            writer = writer.partitionBy(Tables.PARTITION_COLUMNS.toArray(new String[0]));
        }
        writer.parquet(dir.toString());
        io(() -> fs.create(new Path(dir, STAGED), true).close());
    }

    /** Moves the staged partitions of {@code table} into the dataset, each replacing the one it supersedes. */
    void replace(String table) {
        io(() -> replace(fs, new Path(run, table), new Path(out.table(table))));
    }

    /** Moves the staged files of {@code table} into the dataset next to the ones already there. */
    void append(String table) {
        io(() -> append(fs, new Path(run, table), new Path(out.table(table))));
    }

    /** The point after which the next run completes this one instead of redoing it. */
    void commit() {
        io(() -> fs.create(new Path(run, COMMITTED), true).close());
    }

    void finish() {
        io(() -> {
            fs.delete(run, true);
            Path root = run.getParent();
            if (fs.listStatus(root).length == 0) {
                fs.delete(root, false);
            }
        });
    }

    /**
     * Completes or discards what interrupted runs left (see the class comment), and removes the temporary folders
     * older versions of divergence let Spark leave inside the tables. Returns one note per thing done; a dataset
     * without leftovers costs one existence check per table.
     */
    static List<String> recover(SparkSession spark, DatasetLocation out) {
        List<String> notes = new ArrayList<>();
        Path root = new Path(out.base() + "/" + DIR);
        FileSystem fs = fileSystem(spark, root);
        io(() -> {
            if (fs.exists(root)) {
                for (FileStatus r : fs.listStatus(root)) {
                    if (r.isDirectory()) {
                        notes.add(recoverRun(fs, out, r.getPath()));
                    }
                }
                fs.delete(root, true);
            }
            for (String table : List.of(Tables.FILES, Tables.ARTIFACTS, Tables.RELEASES, Tables.SIGNALS,
                    Tables.SCANS)) {
                Path t = new Path(out.table(table));
                if (!fs.exists(t)) {
                    continue;
                }
                for (FileStatus s : fs.listStatus(t)) {
                    String name = s.getPath().getName();
                    // Only the names Spark's commit protocols give their work folders.
                    if (name.startsWith(".spark-staging-") || name.equals("_temporary")) {
                        fs.delete(s.getPath(), true);
                        notes.add("removed " + table + "/" + name + " left by an interrupted write");
                    }
                }
            }
        });
        return notes;
    }

    private static String recoverRun(FileSystem fs, DatasetLocation out, Path run) throws IOException {
        String id = run.getName();
        List<String> moved = new ArrayList<>();
        for (String table : List.of(Tables.FILES, Tables.ARTIFACTS)) {
            if (fs.exists(new Path(new Path(run, table), STAGED))
                    && replace(fs, new Path(run, table), new Path(out.table(table))) > 0) {
                moved.add(table);
            }
        }
        if (fs.exists(new Path(run, COMMITTED))) {
            for (String table : List.of(Tables.RELEASES, Tables.SIGNALS, Tables.SCANS)) {
                Path staged = new Path(run, table);
                int n = table.equals(Tables.RELEASES) ? replace(fs, staged, new Path(out.table(table)))
                        : append(fs, staged, new Path(out.table(table)));
                if (n > 0) {
                    moved.add(table);
                }
            }
            return "completed the interrupted run " + id + " (moved in: " + String.join(", ", moved) + ")";
        }
        return "discarded the unfinished writes of the interrupted run " + id
                + (moved.isEmpty() ? "" : " (moved in its complete " + String.join(", ", moved) + ")");
    }

    /**
     * Partition folders {@code ecosystem=…/package=…} of {@code staged} replace those of {@code table}. Idempotent:
     * a partition already moved is no longer staged, so an interrupted replace is finished by calling it again.
     */
    private static int replace(FileSystem fs, Path staged, Path table) throws IOException {
        int moved = 0;
        if (!fs.exists(staged)) {
            return moved;
        }
        for (FileStatus eco : fs.listStatus(staged)) {
            if (!eco.isDirectory() || !isPartition(eco.getPath())) {
                continue;
            }
            Path ecoTarget = new Path(table, eco.getPath().getName());
            for (FileStatus pkg : fs.listStatus(eco.getPath())) {
                if (!pkg.isDirectory() || !isPartition(pkg.getPath())) {
                    continue;
                }
                Path target = new Path(ecoTarget, pkg.getPath().getName());
                // Hadoop's rename moves a folder *into* an existing one: the target must be gone first.
                if (fs.exists(target) && !fs.delete(target, true)) {
                    throw new IOException("cannot delete " + target);
                }
                fs.mkdirs(ecoTarget);
                if (!fs.rename(pkg.getPath(), target)) {
                    throw new IOException("cannot move " + pkg.getPath() + " to " + target);
                }
                moved++;
            }
        }
        return moved;
    }

    /** Every staged data file moves to the same relative path under {@code table}; file names are unique per write. */
    private static int append(FileSystem fs, Path staged, Path table) throws IOException {
        if (!fs.exists(staged)) {
            return 0;
        }
        String prefix = fs.makeQualified(staged).toUri().getPath();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(staged, true);
        List<Path> data = new ArrayList<>();
        while (files.hasNext()) {
            Path p = files.next().getPath();
            String rel = p.toUri().getPath().substring(prefix.length() + 1);
            if (!rel.startsWith("_") && !rel.startsWith(".") && !p.getName().startsWith("_")
                    && !p.getName().startsWith(".")) {
                data.add(p);
            }
        }
        for (Path p : data) {
            String rel = p.toUri().getPath().substring(prefix.length() + 1);
            Path target = new Path(table, rel);
            fs.mkdirs(target.getParent());
            if (!fs.rename(p, target)) {
                throw new IOException("cannot move " + p + " to " + target);
            }
        }
        return data.size();
    }

    private static boolean isPartition(Path p) {
        return p.getName().contains("=") && !p.getName().startsWith("_") && !p.getName().startsWith(".");
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void io(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the dataset: " + e.getMessage(), e);
        }
    }
}
