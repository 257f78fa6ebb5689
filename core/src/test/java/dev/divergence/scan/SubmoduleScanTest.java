package dev.divergence.scan;

import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.compare.Classifier;
import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.LocalNpm;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.Verdict;
import dev.divergence.registry.npm.NpmSupport;
import dev.divergence.source.Mirrors;
import dev.divergence.source.RepositoryCache;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files an npm package vendors through a git submodule (as express 1.x shipped {@code support/jade}, lodash 0.x
 * {@code vendor/benchmark.js}) are compared with the blob the submodule's pinned commit holds, in the submodule's own
 * repository, opened through an operator's mirror rule.
 */
class SubmoduleScanTest {

    /** A template engine's real shape: dynamic evaluation is its job, not a payload. */
    private static final String ENGINE = "exports.compile = function (src) {\n"
            + "  return new Function('locals', 'with (locals) { return ' + JSON.stringify(src) + '; }');\n};\n";
    private static final String SUB_URL = "https://example.test/visionmedia/jade.git";

    @TempDir
    Path dir;
    private GitHistoryBuilder git;
    private Instant when = Instant.parse("2026-01-01T00:00:00Z");
    private String pinned;
    private String later;

    @BeforeEach
    void repositories() throws Exception {
        try (GitHistoryBuilder jade = GitHistoryBuilder.init(dir.resolve("mirrors/jade"))) {
            pinned = jade.commit(files("lib/jade.js", ENGINE, "package.json", "{\"name\": \"jade\"}\n"), "0.1",
                    when);
            later = jade.commit(files("lib/jade.js", ENGINE + "exports.version = '0.2';\n", "lib/later.js",
                    "module.exports = 2;\n", "package.json", "{\"name\": \"jade\"}\n"), "0.2", when.plusSeconds(60));
        }
        git = GitHistoryBuilder.init(dir.resolve("repo"));
    }

    @AfterEach
    void forget() {
        git.close();
        RepositoryCache.useMirrors(Mirrors.NONE);
        RepositoryCache.clear();
    }

    private static String pkgJson(String version) {
        return "{\n  \"name\": \"widget\",\n  \"version\": \"" + version + "\",\n  \"main\": \"./index.js\"\n}\n";
    }

    private static String gitmodules(String url) {
        return "[submodule \"support/jade\"]\n\tpath = support/jade\n\turl = " + url + "\n";
    }

    /** Commits {@code tree} with the submodule pinned at {@code commit}, publishes {@code shipped}, scans it. */
    private ArtifactReport scan(SortedMap<String, byte[]> tree, String commit, String version,
                                SortedMap<String, byte[]> shipped, String repository) throws Exception {
        git.gitlink("support/jade", commit);
        when = when.plusSeconds(3600);
        git.commit(tree, version, when);
        git.tag("v" + version, false);
        RepositoryCache.clear(); // a new run: the repository's tags as they are now
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm-" + version), "widget")) {
            npm.publish(version, shipped);
            npm.write();
            NpmSupport support = new NpmSupport(npm.baseUrl(), ScanWorld.fetcher());
            Release r = support.registry().releases(PackageId.parse("pkg:npm/widget")).stream()
                    .filter(x -> x.version().equals(version)).findFirst().orElseThrow();
            return ScanWorld.scanner(support, dir).scan(r, Optional.of(repository)).artifacts().get(0);
        }
    }

    private ArtifactReport scan(SortedMap<String, byte[]> tree, String version, SortedMap<String, byte[]> shipped)
            throws Exception {
        return scan(tree, pinned, version, shipped, git.dir().toString());
    }

    private SortedMap<String, byte[]> tree(String version, String url) {
        return files("package.json", pkgJson(version), "index.js", "module.exports = require('./support/jade');\n",
                ".gitmodules", gitmodules(url));
    }

    private void mirrorJade() {
        RepositoryCache.useMirrors(Mirrors.parse(List.of(SUB_URL + "=" + dir.resolve("mirrors/jade"))));
    }

    @Test
    void aVendoredFileEqualToThePinnedBlobMatchesAndTheVersionIsClean() throws Exception {
        mirrorJade();
        SortedMap<String, byte[]> tree = tree("1.0.0", SUB_URL);
        ArtifactReport a = scan(tree, "1.0.0", with(tree, "support/jade/lib/jade.js", ENGINE));
        FileDivergence f = row(a, "package/support/jade/lib/jade.js");
        assertEquals(FileStatus.MATCH, f.status());
        assertEquals(Classifier.SUBMODULE_BLOB_EQUAL, f.ruleId());
        assertEquals("support/jade/lib/jade.js", f.sourcePath().orElseThrow());
        assertEquals("same blob as lib/jade.js of submodule support/jade (" + SUB_URL + ") at its pinned commit "
                + pinned, f.detail().orElseThrow());
        assertFalse(f.highRisk(), "unverified, the same bytes are HIGH_RISK (see the unreachable case)");
        assertEquals(Verdict.CLEAN, a.verdict());
    }

    @Test
    void aPayloadAddedToAVendoredFileIsModifiedAndHighRisk() throws Exception {
        mirrorJade();
        SortedMap<String, byte[]> tree = tree("1.0.1", SUB_URL);
        ArtifactReport a = scan(tree, "1.0.1", with(tree, "support/jade/lib/jade.js", ENGINE
                + "eval(Buffer.from('Y29uc29sZS5sb2coInB3bmVkIik=', 'base64').toString());\n"));
        FileDivergence f = row(a, "package/support/jade/lib/jade.js");
        assertEquals(FileStatus.MODIFIED, f.status());
        assertEquals(Classifier.SUBMODULE_BLOB_DIFFERS, f.ruleId());
        assertTrue(f.riskFlags().contains(RiskFlag.DYNAMIC_EXEC), f.riskFlags().toString());
        assertTrue(f.highRisk());
        assertEquals("+1 -0 lines, first difference at line 4, against lib/jade.js of submodule support/jade ("
                + SUB_URL + ") at its pinned commit " + pinned, f.detail().orElseThrow());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void onlyThePinnedCommitCountsNotTheSubmodulesLaterHistory() throws Exception {
        mirrorJade();
        SortedMap<String, byte[]> tree = tree("1.0.2", SUB_URL);
        ArtifactReport a = scan(tree, "1.0.2", with(tree, "support/jade/lib/later.js", "module.exports = 2;\n",
                "support/jade/lib/jade.js", ENGINE + "exports.version = '0.2';\n"));
        FileDivergence onlyLater = row(a, "package/support/jade/lib/later.js");
        assertEquals(FileStatus.PHANTOM, onlyLater.status());
        assertEquals(Classifier.SUBMODULE_BLOB_ABSENT, onlyLater.ruleId());
        assertEquals("no file lib/later.js of submodule support/jade (" + SUB_URL + ") at its pinned commit " + pinned,
                onlyLater.detail().orElseThrow());
        FileDivergence newer = row(a, "package/support/jade/lib/jade.js");
        assertEquals(FileStatus.MODIFIED, newer.status(), "the later commit's content is not the pinned one");
        assertEquals(Verdict.DIVERGENT, a.verdict());
        // pinned at the later commit, the same files match
        SortedMap<String, byte[]> again = tree("1.0.3", SUB_URL);
        ArtifactReport b = scan(again, later, "1.0.3", with(again, "support/jade/lib/later.js", "module.exports = 2;\n",
                "support/jade/lib/jade.js", ENGINE + "exports.version = '0.2';\n"), git.dir().toString());
        assertEquals(FileStatus.MATCH, row(b, "package/support/jade/lib/later.js").status());
        assertEquals(Verdict.CLEAN, b.verdict());
    }

    @Test
    void anUnreachableSubmoduleOrAMissingPinnedCommitKeepsTheFileInSubmoduleWithTheReason() throws Exception {
        SortedMap<String, byte[]> tree = tree("1.1.0", "https://example.invalid/jade.git");
        ArtifactReport a = scan(tree, "1.1.0", with(tree, "support/jade/lib/jade.js", ENGINE));
        FileDivergence f = row(a, "package/support/jade/lib/jade.js");
        assertEquals(FileStatus.IN_SUBMODULE, f.status());
        assertEquals(Classifier.IN_SUBMODULE, f.ruleId());
        assertTrue(f.detail().orElseThrow().startsWith("in submodule support/jade at commit " + pinned
                + ": not verifiable (submodule repository https://example.invalid/jade.git unavailable: cannot clone"),
                f.detail().orElseThrow());
        assertTrue(f.highRisk(), "judged whole, as before: dynamic evaluation nothing verifies");

        mirrorJade();
        String never = "0123456789abcdef0123456789abcdef01234567";
        SortedMap<String, byte[]> next = tree("1.1.1", SUB_URL);
        FileDivergence g = row(scan(next, never, "1.1.1", with(next, "support/jade/lib/jade.js", ENGINE),
                git.dir().toString()), "package/support/jade/lib/jade.js");
        assertEquals(FileStatus.IN_SUBMODULE, g.status());
        assertEquals("in submodule support/jade at commit " + never + ": not verifiable (the pinned commit is not in "
                + SUB_URL + " (a mirror that lacks it, or a commit never pushed))", g.detail().orElseThrow());
    }

    @Test
    void aGitmodulesUrlNamingLocalFilesOrAnotherSchemeIsRefusedUnlessAMirrorNamesIt() throws Exception {
        Path local = dir.resolve("mirrors/jade");
        List<String[]> refused = List.of(
                new String[] {local.toString(), "not an https:// URL"},
                new String[] {local.toUri().toString(), "file:// repository URL"},
                new String[] {"../../mirrors/jade", "not an https:// URL"}, // relative to a local --repo: a local path
                new String[] {"ext::sh -c touch% /tmp/divergence-ext", "not an https:// URL"},
                new String[] {"git://git.internal.example/jade.git", "git:// repository URL"},
                new String[] {"https://127.0.0.1/jade.git", "loopback, private or internal address"});
        int n = 0;
        for (String[] url : refused) {
            String version = "2.0." + n++;
            SortedMap<String, byte[]> tree = tree(version, url[0]);
            FileDivergence f = row(scan(tree, version, with(tree, "support/jade/lib/jade.js", ENGINE)),
                    "package/support/jade/lib/jade.js");
            assertEquals(FileStatus.IN_SUBMODULE, f.status(), url[0]);
            assertTrue(f.detail().orElseThrow().contains("not verifiable (submodule URL refused: ")
                    && f.detail().orElseThrow().contains(url[1]), f.detail().orElseThrow());
        }
        // the operator's mirror rule for that very path is the permission
        RepositoryCache.useMirrors(Mirrors.parse(List.of(local + "=" + local)));
        SortedMap<String, byte[]> tree = tree("2.1.0", local.toString());
        FileDivergence f = row(scan(tree, "2.1.0", with(tree, "support/jade/lib/jade.js", ENGINE)),
                "package/support/jade/lib/jade.js");
        assertEquals(FileStatus.MATCH, f.status());
    }

    @Test
    void aRelativeSubmoduleUrlResolvesAgainstThePackageRepositoryUrlThroughAPrefixMirror() throws Exception {
        // the package's repository and its sibling, both under one mirrored owner: /mirrors/widget is this repo
        java.nio.file.Files.createSymbolicLink(dir.resolve("mirrors/widget"), dir.resolve("repo"));
        RepositoryCache.useMirrors(Mirrors.parse(List.of("https://example.test/visionmedia/=" + dir.resolve("mirrors"))));
        SortedMap<String, byte[]> tree = tree("3.0.0", "../jade.git");
        ArtifactReport a = scan(tree, pinned, "3.0.0", with(tree, "support/jade/lib/jade.js", ENGINE),
                "https://example.test/visionmedia/widget");
        FileDivergence f = row(a, "package/support/jade/lib/jade.js");
        assertEquals(FileStatus.MATCH, f.status());
        assertTrue(f.detail().orElseThrow().contains("(https://example.test/visionmedia/jade.git)"), f.detail().get());
        assertEquals(Verdict.CLEAN, a.verdict());
    }
}
