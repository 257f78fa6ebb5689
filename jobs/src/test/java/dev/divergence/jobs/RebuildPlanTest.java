package dev.divergence.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.divergence.model.Ecosystem;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.SourceHints;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.junit.jupiter.api.Test;

/** Which already-scanned versions a run must redo for its mode: rebuilt once per strategy version. */
class RebuildPlanTest {

    private static Row previous(String version, String mode, String strategy) {
        Object[] values = new Object[Tables.RELEASES_SCHEMA.size()];
        values[Tables.RELEASES_SCHEMA.fieldIndex("ecosystem")] = "maven";
        values[Tables.RELEASES_SCHEMA.fieldIndex("package")] = "org.acme/acme-lib";
        values[Tables.RELEASES_SCHEMA.fieldIndex("version")] = version;
        values[Tables.RELEASES_SCHEMA.fieldIndex("mode")] = mode;
        values[Tables.RELEASES_SCHEMA.fieldIndex("rebuild_strategy")] = strategy;
        return new GenericRowWithSchema(values, Tables.RELEASES_SCHEMA);
    }

    private static Release release(String version) {
        return new Release(new PackageId(Ecosystem.MAVEN, "org.acme/acme-lib"), version, List.of(), Optional.empty(),
                false, Optional.empty(), SourceHints.none());
    }

    private static List<String> redo(ScanOptions.Mode mode, List<Row> before) {
        return ScanJob.modeWork(List.of(release("1.0"), release("1.1"), release("1.2"), release("1.3"), release("2.0")),
                new PackageKey("maven", "org.acme/acme-lib"), before, mode).stream().map(Release::version).toList();
    }

    @Test
    void aVersionIsRedoneOnlyForWhatItsRowsLack() {
        List<Row> before = List.of(previous("1.0", null, null), previous("1.1", "fetch", null),
                previous("1.2", "both", "maven/1"), previous("1.3", "both", "maven/0"));
        // 2.0 is new: the history plan scans it, not this one.
        assertEquals(List.of(), redo(ScanOptions.Mode.FETCH, before));
        assertEquals(List.of("1.0", "1.1", "1.3"), redo(ScanOptions.Mode.BOTH, before));
        assertEquals(List.of("1.0", "1.1", "1.3"), redo(ScanOptions.Mode.REBUILD, before));
        List<Row> rebuiltOnly = List.of(previous("1.0", "rebuild", "maven/1"));
        assertEquals(List.of("1.0"), redo(ScanOptions.Mode.FETCH, rebuiltOnly));
        assertEquals(List.of(), redo(ScanOptions.Mode.REBUILD, rebuiltOnly));
        assertEquals(List.of("1.0"), redo(ScanOptions.Mode.BOTH, rebuiltOnly));
    }

    /** The progress line says why a file was not rebuilt; a reproduction needs no reason. */
    @Test
    void theProgressLineSaysWhyAFileWasNotRebuilt() {
        dev.divergence.model.Artifact jar = new dev.divergence.model.Artifact("acme-lib-1.0.jar", "file:",
                dev.divergence.model.ArtifactKind.JAR, 0, java.util.Map.of(), Optional.empty(), false);
        var noSandbox = new dev.divergence.rebuild.RebuildReport(jar, "maven/1",
                dev.divergence.rebuild.RebuildVerdict.UNSUPPORTED_ENV,
                Optional.of("no sandbox: /usr/bin/bwrap not found (Debian package bubblewrap)"), List.of(),
                Optional.empty(), Optional.empty(), List.of(), 0);
        assertEquals(": no sandbox: /usr/bin/bwrap not found (Debian package bubblewrap)", ScanJob.whyNotBuilt(noSandbox));
        var failed = new dev.divergence.rebuild.RebuildReport(jar, "maven/1",
                dev.divergence.rebuild.RebuildVerdict.BUILD_FAILED,
                Optional.of("step build exited with status 1:\n[ERROR] cannot find symbol"), List.of(),
                Optional.empty(), Optional.empty(), List.of(), 0);
        assertEquals(": step build exited with status 1:", ScanJob.whyNotBuilt(failed));
        var reproduced = new dev.divergence.rebuild.RebuildReport(jar, "maven/1",
                dev.divergence.rebuild.RebuildVerdict.REPRODUCED, Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), List.of(), 0);
        assertEquals("", ScanJob.whyNotBuilt(reproduced));
    }
}
