package dev.divergence.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorsTest {

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        RepositoryCache.useMirrors(Mirrors.NONE);
        RepositoryCache.clear();
    }

    @Test
    void aRuleNamingOneRepositoryMatchesItsSpellingsOnly() {
        Mirrors m = Mirrors.parse(List.of("https://github.com/lodash/lodash=/srv/git/lodash"));
        assertEquals(Optional.of("/srv/git/lodash"), m.rewrite("https://github.com/lodash/lodash"));
        assertEquals(Optional.of("/srv/git/lodash"), m.rewrite("https://github.com/Lodash/lodash.git"));
        assertEquals(Optional.of("/srv/git/lodash"), m.rewrite("https://github.com/lodash/lodash/"));
        assertEquals(Optional.empty(), m.rewrite("https://github.com/lodash/lodash-cli"), "a prefix covers whole segments");
        assertEquals(Optional.empty(), m.rewrite("https://github.com/lodash/other"));
    }

    @Test
    void aPrefixRuleAppendsTheRestBelowItsTargetAndTheLongestPrefixWins() throws Exception {
        Files.createDirectories(dir.resolve("all/acme/widget.git"));
        Files.createDirectories(dir.resolve("all/acme/gadget"));
        Mirrors m = Mirrors.parse(List.of("https://github.com/=" + dir.resolve("all"),
                "https://github.com/special/=https://git.internal.example/special/"));
        assertEquals(Optional.of(dir.resolve("all/acme/widget.git").toString()), m.rewrite("https://github.com/acme/widget"));
        assertEquals(Optional.of(dir.resolve("all/acme/gadget").toString()), m.rewrite("https://github.com/acme/gadget.git"));
        assertEquals(Optional.of("https://git.internal.example/special/tool.git"),
                m.rewrite("https://github.com/special/tool.git"));
        assertEquals(Optional.empty(), m.rewrite("https://gitlab.com/acme/widget"));
    }

    @Test
    void theRestOfAUrlNeverClimbsOutOfTheTarget() {
        Mirrors m = Mirrors.parse(List.of("https://github.com/=" + dir.resolve("all")));
        assertEquals(Optional.empty(), m.rewrite("https://github.com/../../etc/secrets"));
        assertEquals(Optional.empty(), m.rewrite("https://github.com/acme/..%2F/../x"));
        assertEquals(Optional.empty(), m.rewrite("https://github.com/acme//x"));
        assertEquals(Optional.empty(), m.rewrite("https://github.com/acme\\..\\..\\x"));
    }

    @Test
    void aMalformedRuleIsRefused() {
        assertEquals("a mirror is URL_PREFIX=PATH_OR_URL, not 'https://github.com/x'", assertThrows(
                IllegalArgumentException.class, () -> Mirrors.parse(List.of("https://github.com/x"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Mirrors.parse(List.of("=/srv")));
        assertThrows(IllegalArgumentException.class, () -> Mirrors.parse(List.of("https://x/=")));
    }

    @Test
    void theCacheOpensAMirroredUrlAtItsTargetAndKeepsTheUrlAsItsLocation() throws Exception {
        String c;
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("widget"))) {
            c = git.commit(Trees.files("a.txt", "a\n"), "one", Instant.parse("2026-01-01T00:00:00Z"));
        }
        String url = "https://example.test/acme/widget.git";
        assertEquals(true, RepositoryCache.tryOpen(url, dir.resolve("cache")).repository().isEmpty(),
                "no mirror: the host does not exist");
        long clones = clones();
        RepositoryCache.useMirrors(Mirrors.parse(List.of("https://example.test/acme=" + dir)));
        SourceRepository repo = RepositoryCache.open(url, dir.resolve("cache"));
        assertEquals(url, repo.location());
        assertEquals(List.of("a.txt"), List.copyOf(repo.tree(c).files().keySet()));
        assertEquals(clones, clones(), "opened in place, not cloned");
    }

    private long clones() throws java.io.IOException {
        if (!Files.isDirectory(dir.resolve("cache/repos"))) {
            return 0;
        }
        try (var l = Files.list(dir.resolve("cache/repos"))) {
            return l.count();
        }
    }

    @Test
    void aFailedOpenIsRememberedUntilTheNextRun() throws Exception {
        Path later = dir.resolve("later");
        RepositoryCache.Opened first = RepositoryCache.tryOpen(later.toString(), dir.resolve("cache"));
        assertEquals(Optional.of("repository path does not exist: " + later), first.problem());
        try (GitHistoryBuilder git = GitHistoryBuilder.init(later)) {
            git.commit(Trees.files("a.txt", "a\n"), "one", Instant.parse("2026-01-01T00:00:00Z"));
        }
        assertEquals(first.problem(), RepositoryCache.tryOpen(later.toString(), dir.resolve("cache")).problem(),
                "one attempt per location per run");
        RepositoryCache.clear();
        assertEquals(Optional.empty(), RepositoryCache.tryOpen(later.toString(), dir.resolve("cache")).problem());
    }
}
