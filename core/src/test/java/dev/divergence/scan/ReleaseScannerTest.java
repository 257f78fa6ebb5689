package dev.divergence.scan;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.Trees.flatProject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.PypiIndexWriter;
import dev.divergence.demo.PythonDistributions;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Trees;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.DigestStatus;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseScannerTest {

    @TempDir
    Path dir;

    @Test
    void digestMismatchMakesAnOtherwiseCleanArtifactDivergentWithTheReason() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> tree = flatProject("1.0.0");
            w.commit(tree, "1.0.0");
            w.tag("v1.0.0");
            byte[] wheel = PythonDistributions.wheel("demo", "1.0.0", Trees.under(tree, ""), List.of("demo"));
            w.pypi.index().add(new PypiIndexWriter.Upload("1.0.0", "demo-1.0.0-py3-none-any.whl", wheel,
                    Instant.parse("2026-01-02T00:00:00Z"), false, Optional.of("ab".repeat(32))));
            ReleaseReport r = w.scan("1.0.0");
            ArtifactReport a = artifact(r, ".whl");
            assertEquals(DigestStatus.MISMATCH, a.digestStatus());
            assertEquals(Verdict.DIVERGENT, a.verdict());
            assertTrue(a.reason().orElseThrow().startsWith("sha256 mismatch: registry says abab"), a.reason().orElseThrow());
            assertEquals(Verdict.DIVERGENT, r.verdict());
        }
    }

    @Test
    void oneUnfetchableArtifactIsAnErrorRowAndTheOthersAreStillCompared() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> tree = flatProject("1.0.0");
            w.commit(tree, "1.0.0");
            w.tag("v1.0.0");
            w.publish("1.0.0", tree, Trees.under(tree, ""));
            dev.divergence.model.Release release = w.release("1.0.0");
            Files.delete(dir.resolve("registry/packages/demo-1.0.0.tar.gz"));
            ReleaseReport r = w.scanner().scan(release, Optional.of(w.git.dir().toString()));
            ArtifactReport sdist = artifact(r, ".tar.gz");
            assertEquals(Verdict.ERROR, sdist.verdict());
            assertEquals(DigestStatus.NOT_FETCHED, sdist.digestStatus());
            assertTrue(sdist.reason().orElseThrow().startsWith("download failed: HTTP 404"));
            assertEquals(Verdict.EXPLAINED, artifact(r, ".whl").verdict());
            assertEquals(Verdict.ERROR, r.verdict());
        }
    }

    @Test
    void corruptArchiveIsAnErrorWithTheReason() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.pypi.index().add(new PypiIndexWriter.Upload("1.0.0", "demo-1.0.0.tar.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2},
                    Instant.parse("2026-01-02T00:00:00Z")));
            ReleaseReport r = w.scan("1.0.0");
            ArtifactReport a = artifact(r, ".tar.gz");
            assertEquals(Verdict.ERROR, a.verdict());
            assertTrue(a.reason().orElseThrow().startsWith("corrupt or truncated archive"), a.reason().orElseThrow());
        }
    }

    @Test
    void versionWithoutFilesIsKeptAsAnErrorRow() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.pypi.index().addEmptyVersion("0.0.1");
            ReleaseReport r = w.scan("0.0.1");
            assertEquals(Verdict.ERROR, r.verdict());
            assertEquals("the registry lists no files for this version", r.reason().orElseThrow());
        }
    }
}
