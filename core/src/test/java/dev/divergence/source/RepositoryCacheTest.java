package dev.divergence.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryCacheTest {

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        RepositoryCache.clear();
    }

    private static void setRef(Path gitDir, String name, String commit) throws Exception {
        try (Repository r = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
            RefUpdate u = r.updateRef(name);
            u.setNewObjectId(ObjectId.fromString(commit));
            u.forceUpdate();
        }
    }

    private static List<String> refs(Path gitDir) throws Exception {
        try (Repository r = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
            return r.getRefDatabase().getRefs().stream().map(Ref::getName).filter(n -> n.startsWith("refs/")).sorted()
                    .toList();
        }
    }

    @Test
    void aMirrorHoldsOnlyBranchesAndTagsEvenWhenAnOlderMirrorCarriedPullRefs() throws Exception {
        String pr;
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("origin"))) {
            git.commit(Trees.files("a.py", "a\n"), "one", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v1", true);
            pr = git.commit(Trees.files("a.py", "payload\n"), "pull request", Instant.parse("2026-01-02T00:00:00Z"));
        }
        Path origin = dir.resolve("origin/.git");
        setRef(origin, "refs/pull/1/head", pr);
        try (Repository r = new FileRepositoryBuilder().setGitDir(origin.toFile()).build()) {
            RefUpdate u = r.updateRef("refs/heads/main"); // main back to the tag: the payload is only in the pull ref
            u.setNewObjectId(r.resolve("v1^{commit}"));
            u.forceUpdate();
        }
        String url = origin.toUri().toString();
        Path cache = dir.resolve("cache");
        RepositoryCache.open(url, cache);
        Path mirror;
        try (var dirs = Files.list(cache.resolve("repos"))) {
            mirror = dirs.findFirst().orElseThrow();
        }
        assertEquals(List.of("refs/heads/main", "refs/tags/v1"), refs(mirror));

        String tagged;
        try (Repository r = new FileRepositoryBuilder().setGitDir(mirror.toFile()).build()) {
            tagged = r.resolve("v1^{commit}").name();
        }
        setRef(mirror, "refs/pull/7/head", tagged); // as a mirror made by an earlier version would hold
        assertEquals(List.of("refs/heads/main", "refs/pull/7/head", "refs/tags/v1"), refs(mirror));
        RepositoryCache.clear();
        SourceRepository again = RepositoryCache.open(url, cache);
        assertEquals(List.of("refs/heads/main", "refs/tags/v1"), refs(mirror));
        assertEquals(1, again.index().commitCount());
    }

    @Test
    void aMirrorsHeadNamesTheRemotesDefaultBranchSoSideBranchesAreToldApart() throws Exception {
        String side;
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("origin"))) {
            git.commit(Trees.files("a.py", "a\n"), "one", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v1", true);
            side = git.commit(Trees.files("a.py", "bot\n"), "bump", Instant.parse("2026-01-02T00:00:00Z"));
        }
        Path origin = dir.resolve("origin/.git");
        try (Repository r = new FileRepositoryBuilder().setGitDir(origin.toFile()).build()) {
            // Only a bot's branch holds the second commit; the default branch is "develop", not what init names.
            setRef(origin, "refs/heads/bot/bump", side);
            RefUpdate u = r.updateRef("refs/heads/develop");
            u.setNewObjectId(r.resolve("v1^{commit}"));
            u.forceUpdate();
            r.updateRef("HEAD").link("refs/heads/develop");
            RefUpdate d = r.updateRef("refs/heads/main");
            d.setForceUpdate(true);
            d.delete();
        }
        SourceRepository mirror = RepositoryCache.open(origin.toUri().toString(), dir.resolve("cache"));
        assertEquals(java.util.Optional.of("bot/bump"), mirror.index().branchOnlyRefOf(ObjectId.fromString(side)));
        try (var dirs = Files.list(dir.resolve("cache/repos"))) {
            Path m = dirs.findFirst().orElseThrow();
            try (Repository r = new FileRepositoryBuilder().setGitDir(m.toFile()).build()) {
                assertEquals("refs/heads/develop", r.exactRef("HEAD").getTarget().getName());
            }
        }
    }
}
