package dev.divergence.faults;

import static dev.divergence.fixtures.Trees.flatProject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.compare.Normalizations;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Trees;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RefMethod;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repositories that cannot be cloned, are empty or shallow, hold submodules or LFS pointers. */
class RepositoryFaultsTest {

    @TempDir
    Path dir;

    private ScanWorld published(String version) throws Exception {
        ScanWorld w = new ScanWorld(dir.resolve("world"), "demo");
        SortedMap<String, byte[]> tree = flatProject(version);
        w.publish(version, tree, Trees.files("demo/core.py", "def add(a, b):\n    return a + b\n"));
        return w;
    }

    @Test
    void aRepositoryThatCannotBeClonedIsNoSourceWithTheReason() throws Exception {
        try (ScanWorld w = published("1.0.0")) {
            w.commit(flatProject("1.0.0"), "unused");
            ReleaseReport r = w.scanner().scan(w.release("1.0.0"), Optional.of("http://127.0.0.1:9/nothing.git"));
            assertEquals(Verdict.NO_SOURCE, r.verdict());
            assertTrue(r.ref().note().orElseThrow().startsWith("repository unavailable: cannot clone http://127.0.0.1:9/nothing.git"),
                    r.ref().note().orElseThrow());
            assertEquals(FileStatus.UNCOMPARED, r.artifacts().get(0).files().get(0).status());
            assertTrue(r.artifacts().get(0).sha256().isPresent(), "hashes are recorded all the same");
        }
    }

    @Test
    void anEmptyRepositoryIsNoSource() throws Exception {
        try (ScanWorld w = published("1.0.0")) {
            Path empty = dir.resolve("empty");
            Git.init().setDirectory(empty.toFile()).call().close();
            ReleaseReport r = w.scanner().scan(w.release("1.0.0"), Optional.of(empty.toString()));
            assertEquals(Verdict.NO_SOURCE, r.verdict());
            assertEquals(Optional.of("repository has no commits"), r.ref().note());
        }
    }

    @Test
    void aShallowCloneStillLocatesWhatItHolds() throws Exception {
        try (ScanWorld w = published("1.1.0")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            String head = w.commit(flatProject("1.1.0"), "1.1.0");
            w.tag("v1.1.0");
            Path shallow = dir.resolve("shallow");
            Git.cloneRepository().setURI(w.git.dir().toUri().toString()).setDirectory(shallow.toFile()).setDepth(1)
                    .setCloneAllBranches(false).call().close();
            ReleaseReport r = w.scanner().scan(w.release("1.1.0"), Optional.of(shallow.toString()));
            assertEquals(head, r.ref().commit().orElseThrow());
            assertTrue(r.verdict() == Verdict.EXPLAINED || r.verdict() == Verdict.CLEAN, r.verdict() + " " + r.reason());
        }
    }

    @Test
    void submodulesAreSkippedAndLfsPointersCompareByTheirOid() throws Exception {
        byte[] model = "binary model weights".getBytes(StandardCharsets.UTF_8);
        String pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:"
                + dev.divergence.archive.EntryDigest.sha256(model) + "\nsize " + model.length + "\n";
        try (ScanWorld w = new ScanWorld(dir.resolve("world"), "demo")) {
            SortedMap<String, byte[]> tree = Trees.with(flatProject("2.0.0"), "demo/model.bin", pointer);
            w.commit(tree, "2.0.0");
            // add a gitlink (submodule) entry by hand: a tree entry of mode 160000
            try (Git git = Git.open(w.git.dir().toFile())) {
                var repo = git.getRepository();
                var inserter = repo.newObjectInserter();
                var builder = repo.lockDirCache().builder();
                var cache = repo.readDirCache();
                for (int i = 0; i < cache.getEntryCount(); i++) {
                    builder.add(cache.getEntry(i));
                }
                var entry = new org.eclipse.jgit.dircache.DirCacheEntry("vendor/lib");
                entry.setFileMode(FileMode.GITLINK);
                entry.setObjectId(ObjectId.fromString("0123456789012345678901234567890123456789"));
                builder.add(entry);
                builder.commit();
                inserter.close();
                git.commit().setMessage("add submodule").setSign(false).call();
                git.tag().setName("v2.0.0").setSigned(false).call();
            }
            SortedMap<String, byte[]> shipped = Trees.with(Trees.without(tree, "demo/model.bin"));
            shipped.put("demo/model.bin", model);
            w.publish("2.0.0", shipped, Trees.files("demo/core.py", "def add(a, b):\n    return a + b\n"));
            ReleaseReport r = w.scan("2.0.0");
            var sdist = ScanWorld.artifact(r, ".tar.gz");
            var lfs = ScanWorld.row(sdist, "demo-2.0.0/demo/model.bin");
            assertEquals(FileStatus.MATCH_NORMALIZED, lfs.status());
            assertEquals(Normalizations.LFS_POINTER, lfs.ruleId());
            assertTrue(sdist.files().stream().noneMatch(f -> f.displayPath().startsWith("vendor/")), "gitlink skipped");
            assertEquals(RefMethod.TAG, r.ref().method());
            assertTrue(Files.isDirectory(w.git.dir()));
        }
    }
}
