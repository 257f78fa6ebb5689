package dev.divergence.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.archive.ArchiveLimits;
import dev.divergence.archive.ArchiveReaders;
import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.demo.PythonDistributions;
import dev.divergence.fixtures.Trees;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.Verdict;
import dev.divergence.rebuild.RebuildComparison;
import dev.divergence.rebuild.RebuildVerdict;
import dev.divergence.rebuild.RebuiltArtifact;
import dev.divergence.source.RepositoryCache;
import dev.divergence.source.SourceRepository;
import dev.divergence.source.SourceTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two references a published file is compared with — a commit's tree and a file rebuilt from it — answer the
 * same questions the same way for the same content, and the rebuild comparison judges through that seam.
 */
class ReferenceTest {

    @TempDir
    Path dir;

    private static final SortedMap<String, byte[]> FILES = Trees.files(
            "pkg/App.class", "compiled app",
            "pkg/Util.class", "compiled util",
            "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n");

    private RebuiltArtifact rebuilt(String name, Map<String, byte[]> entries) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, PythonDistributions.zip(new TreeMap<>(entries)));
        return new RebuiltArtifact(file, ArchiveReaders.read(file, ArchiveLimits.defaults()),
                com.google.common.io.MoreFiles.asByteSource(file).hash(com.google.common.hash.Hashing.sha256()).toString(),
                "c0ffee");
    }

    @Test
    void aCommitAndARebuiltFileAnswerLookupsAlike() throws Exception {
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"))) {
            String old = git.commit(Trees.with(FILES, "pkg/Old.class", "removed later"), "1", Instant.parse("2026-01-01T00:00:00Z"));
            String commit = git.commit(FILES, "2", Instant.parse("2026-01-02T00:00:00Z"));
            SourceRepository repo = RepositoryCache.open(git.dir().toString(), dir.resolve("cache"));
            Reference tree = new CommitReference(repo.tree(commit), repo);
            Reference built = rebuilt("app.jar", FILES);
            assertEquals(Reference.Mode.FETCH, tree.mode());
            assertEquals(Reference.Mode.REBUILD, built.mode());
            assertEquals("commit " + commit, tree.describe());
            assertTrue(built.describe().startsWith("the file rebuilt from commit c0ffee"), built.describe());
            for (Reference ref : List.of(tree, built)) {
                assertEquals(FILES.keySet(), new java.util.TreeSet<>(ref.files().keySet()), ref.describe());
                SourceTree.SourceFile app = ref.get("pkg/App.class").orElseThrow();
                assertArrayEquals("compiled app".getBytes(StandardCharsets.UTF_8), ref.read(app, 1 << 20).orElseThrow());
                assertEquals(Optional.empty(), ref.read(app, 3), "larger than asked for: not read");
                assertEquals(12, ref.size(app));
                assertEquals(com.google.common.hash.Hashing.sha256().hashBytes("compiled app".getBytes(StandardCharsets.UTF_8))
                        .toString(), ref.sha256(app));
                assertEquals(Optional.of("pkg/App.class"), ref.getIgnoreCase("PKG/app.class").map(SourceTree.SourceFile::path));
                assertEquals(Optional.of("pkg/App.class"), ref.findBlob(app.blobId()).map(SourceTree.SourceFile::path));
                assertEquals(Optional.empty(), ref.get("pkg/Old.class"));
            }
            // Only the commit has a history: the removed class is there, a rebuild holds nothing but what it wrote.
            String removed = repo.tree(old).get("pkg/Old.class").orElseThrow().blobId();
            assertTrue(tree.inHistory(removed));
            assertFalse(built.inHistory(removed));
        }
    }

    @Test
    void aRebuildComparisonJudgesEveryEntryAgainstTheRebuiltReference() throws Exception {
        Map<String, byte[]> published = new TreeMap<>(FILES);
        published.put("pkg/App.class", "tampered app".getBytes(StandardCharsets.UTF_8));
        published.put("pkg/Extra.class", "not built".getBytes(StandardCharsets.UTF_8));
        published.put("README.txt", "only in the release".getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> built = new TreeMap<>(FILES);
        built.put("pkg/Generated.class", "the build writes this".getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("published.jar");
        Files.write(file, PythonDistributions.zip(new TreeMap<>(published)));
        RebuiltArtifact reference = rebuilt("rebuilt.jar", built);

        RebuildComparison.Result r = RebuildComparison.compare("app.jar", file,
                ArchiveReaders.read(file, ArchiveLimits.defaults()), reference);
        assertEquals(RebuildVerdict.DIFFERS, r.verdict());
        Map<String, FileDivergence> rows = new TreeMap<>();
        r.files().forEach(f -> rows.put(f.displayPath(), f));
        assertEquals(FileStatus.MATCH, rows.get("pkg/Util.class").status());
        assertEquals(RebuildComparison.ENTRY_EQUAL, rows.get("pkg/Util.class").ruleId());
        FileDivergence app = rows.get("pkg/App.class");
        assertEquals(FileStatus.MODIFIED, app.status());
        assertEquals(RebuildComparison.DIFFERS, app.ruleId());
        assertTrue(app.highRisk(), "a differing class runs");
        assertEquals(Optional.of(reference.sha256(reference.get("pkg/App.class").orElseThrow())), app.sourceSha256());
        assertEquals(FileStatus.PHANTOM, rows.get("pkg/Extra.class").status());
        assertTrue(rows.get("pkg/Extra.class").highRisk());
        assertEquals(FileStatus.PHANTOM, rows.get("README.txt").status());
        assertFalse(rows.get("README.txt").highRisk(), "a text file the build does not write does not run");
        FileDivergence extra = rows.get("pkg/Generated.class");
        assertEquals(FileStatus.SOURCE_ONLY, extra.status());
        assertEquals(RebuildComparison.NOT_SHIPPED, extra.ruleId());
        assertEquals(21, extra.sourceSize());
        assertEquals(List.of("README.txt", "pkg/App.class", "pkg/Extra.class", "pkg/Generated.class"),
                r.differing().stream().sorted().toList());
        // The rows' verdict is fetch mode's: one high-risk row makes the artifact HIGH_RISK.
        assertEquals(Verdict.HIGH_RISK, Verdicts.artifact(r.files()));
    }
}
