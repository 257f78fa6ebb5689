package dev.divergence.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new-file signals from first appearances gathered by the tasks as they write the file rows are those the query
 * over the files table as written gives; a gathering made for another publication order is not used.
 */
class FirstSeenTest {

    private static final PackageKey P = new PackageKey("pypi", "p");
    private static final Set<String> ALL = Set.of("1.0", "1.1", "1.2");

    @TempDir
    Path dir;

    private static Row file(String version, String artifactPath, String sourcePath, String status, String mode,
                            String... flags) {
        return RowFactory.create("pypi", "p", version, "p-" + version + ".tar.gz", artifactPath, sourcePath, status,
                "rule", null, null, null, null, 1L, 1L, flags, false, null, "c0ffee", "code", mode);
    }

    /** Per version (1.0, 1.1, 1.2), its file rows. */
    private static List<List<Row>> files() {
        List<Row> v10 = List.of(file("1.0", "p-1.0/a.py", "a.py", "MATCH", "fetch", "CODE"),
                file("1.0", "p-1.0/README.md", "README.md", "MATCH", null));
        List<Row> v11 = new ArrayList<>(List.of(file("1.1", "p-1.1/a.py", "a.py", "MATCH", "fetch", "CODE"),
                file("1.1", "p-1.1/b.py", "b.py", "MODIFIED", "fetch", "CODE"), // new and relevant
                file("1.1", "p-1.1/tool.sh", "tool.sh", "MATCH", "fetch"), // new, not relevant here
                file("1.1", "p-1.1/gen.py", "gen.py", "GENERATED", "fetch", "CODE"), // made by the build
                file("1.1", "x.py", "x.py", "MATCH", "rebuild", "CODE"))); // a rebuild row
        List<Row> v12 = List.of(file("1.2", "p-1.2/a.py", "a.py", "MATCH", "fetch", "CODE"),
                file("1.2", "p-1.2/tool.sh", "tool.sh", "MODIFIED", "fetch", "CODE"),
                file("1.2", "p-1.2/x.py", "x.py", "MATCH", "fetch", "CODE"),
                file("1.2", "c.pth", null, "PHANTOM", "fetch", "PTH_FILE"), // no source path: the artifact's
                file("1.2", "p-1.2/notes.txt", "notes.txt", "MATCH", "fetch"),
                file("1.2", null, "only-in-source.py", "SOURCE_ONLY", "fetch", "CODE"));
        return List.of(v10, v11, v12);
    }

    private static List<Row> releases() {
        List<Row> out = new ArrayList<>();
        String[] versions = {"1.0", "1.1", "1.2"};
        for (int i = 0; i < versions.length; i++) {
            Row template = Tables.packageErrorRow("pypi", "p", "", Optional.empty(), Instant.EPOCH).row();
            Object[] v = new Object[template.size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = template.get(j);
            }
            v[Tables.RELEASES_SCHEMA.fieldIndex("version")] = versions[i];
            v[Tables.RELEASES_SCHEMA.fieldIndex("published")] = new Timestamp(1000L * (i + 1));
            v[Tables.RELEASES_SCHEMA.fieldIndex("verdict")] = "CLEAN";
            out.add(RowFactory.create(v));
        }
        return out;
    }

    private static FirstSeenAccumulator.Gathered gathered(List<String> order) {
        FirstSeenAccumulator tasks = new FirstSeenAccumulator();
        List<List<Row>> files = files();
        for (List<Row> version : files) { // one task per version, placed where the order given says
            FirstSeenAccumulator oneTask = new FirstSeenAccumulator();
            oneTask.addAll(version, order.indexOf(version.get(0).getString(2)));
            tasks.merge(oneTask);
        }
        return new FirstSeenAccumulator.Gathered(Map.of(P, order), tasks.value());
    }

    private static List<String> newFiles(List<Row> signals) {
        return signals.stream().map(r -> r.getString(2) + " " + r.getString(3) + " " + r.getString(4)).toList();
    }

    @Test
    void theTasksGatheringGivesWhatTheQueryOverTheWrittenFilesGives() {
        var spark = SparkTestSession.get();
        DatasetLocation location = DatasetLocation.of(dir.resolve("out").toString());
        List<String> expected = List.of("1.1 NEW_FILE b.py", "1.2 NEW_FILE c.pth", "1.2 NEW_FILE x.py");

        // No files table at all: only the tasks' gathering can say anything.
        List<Row> gatheredOnly = ScanJob.derivedSignals(spark, location, releases(), Map.of(P, ALL), "run",
                Instant.EPOCH, Optional.of(gathered(List.of("1.0", "1.1", "1.2"))));
        assertEquals(expected, newFiles(gatheredOnly));

        Staging run = Staging.of(spark, location, "written");
        run.stage(spark.createDataFrame(files().stream().flatMap(List::stream).toList(), Tables.FILES_SCHEMA),
                Tables.FILES, true);
        run.replace(Tables.FILES);
        run.finish();
        List<Row> queried = ScanJob.derivedSignals(spark, location, releases(), Map.of(P, ALL), "run", Instant.EPOCH,
                Optional.empty());
        assertEquals(expected, newFiles(queried));

        // Gathered for another order (a version placed elsewhere than the ledger says): the query decides.
        List<Row> otherOrder = ScanJob.derivedSignals(spark, location, releases(), Map.of(P, ALL), "run",
                Instant.EPOCH, Optional.of(gathered(List.of("1.1", "1.0", "1.2"))));
        assertEquals(expected, newFiles(otherOrder));
    }

    @Test
    void aTasksGatheringTravelsBackWhole() throws Exception {
        FirstSeenAccumulator task = new FirstSeenAccumulator();
        for (List<Row> version : files()) {
            task.addAll(version, Integer.parseInt(version.get(0).getString(2).substring(2)));
        }
        Map<FirstSeenAccumulator.Key, Long> sent = new java.util.HashMap<>(task.value());
        sent.put(new FirstSeenAccumulator.Key("npm", "@scope/q", "d\u00e9j\u00e0/\u6587.js"), 7L);
        sent.put(new FirstSeenAccumulator.Key("npm", "@scope/q", null), 3L);
        var bytes = new java.io.ByteArrayOutputStream();
        FirstSeenAccumulator.write(sent, new java.io.DataOutputStream(bytes));
        Map<FirstSeenAccumulator.Key, Long> received = FirstSeenAccumulator.read(
                new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(sent, received);
        assertEquals(9, received.size()); // the 7 paths of p gathered from its fetch rows, and two more
    }
}
