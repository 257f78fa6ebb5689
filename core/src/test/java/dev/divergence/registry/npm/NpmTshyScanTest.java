package dev.divergence.registry.npm;

import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.LocalNpm;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.Verdict;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tshy rewrites {@code exports} (and type/main/types/module) from its {@code tshy.exports} config when a publish
 * script runs it: a committed {@code exports} left stale (lru-cache 10.2.1: {@code ./dist/mjs} targets) is published
 * as tshy computes it. Only that exact output is explained.
 */
class NpmTshyScanTest {

    @TempDir
    Path dir;
    private GitHistoryBuilder git;
    private Instant when = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void repo() throws Exception {
        git = GitHistoryBuilder.init(dir.resolve("repo"));
    }

    private static final String TSHY = "\"tshy\": {\"exports\": {\".\": \"./src/index.ts\", \"./min\": {\"import\": "
            + "{\"types\": \"./dist/esm/index.d.ts\", \"default\": \"./dist/esm/index.min.js\"}}}}";
    /** What tshy 3 writes for TSHY. */
    private static final String WRITTEN = "\"exports\": {\".\": {\"import\": {\"types\": \"./dist/esm/index.d.ts\", "
            + "\"default\": \"./dist/esm/index.js\"}, \"require\": {\"types\": \"./dist/commonjs/index.d.ts\", "
            + "\"default\": \"./dist/commonjs/index.js\"}}, \"./min\": {\"import\": {\"types\": \"./dist/esm/index.d.ts\", "
            + "\"default\": \"./dist/esm/index.min.js\"}}}";

    private static String manifest(String version, String exports, String scripts) {
        return "{\n  \"name\": \"tshyjs\",\n  \"version\": \"" + version + "\",\n  \"type\": \"module\",\n  " + exports
                + ",\n  \"main\": \"./dist/commonjs/index.js\",\n  \"types\": \"./dist/commonjs/index.d.ts\",\n  "
                + TSHY + ",\n  \"scripts\": " + scripts + "\n}\n";
    }

    private static final String STALE = "\"exports\": {\".\": {\"import\": {\"types\": \"./dist/esm/index.d.ts\", "
            + "\"default\": \"./dist/esm/index.js\"}, \"require\": {\"types\": \"./dist/commonjs/index.d.ts\", "
            + "\"default\": \"./dist/commonjs/index.js\"}}, \"./min\": {\"import\": {\"types\": \"./dist/mjs/index.d.ts\", "
            + "\"default\": \"./dist/mjs/index.min.js\"}}}";
    private static final String PREPARE = "{\"prepare\": \"tshy\", \"test\": \"tap\"}";

    private ArtifactReport publishAndScan(String version, String committed, String shipped) throws Exception {
        SortedMap<String, byte[]> tree = files("package.json", committed, ".gitignore", "/dist\n",
                "src/index.ts", "export const x: number = 1;\n");
        when = when.plusSeconds(3600);
        git.commit(tree, version, when);
        git.tag("v" + version, false);
        SortedMap<String, byte[]> out = with(tree, "package.json", shipped,
                "dist/esm/index.js", "export const x = 1;\n", "dist/esm/index.d.ts", "export declare const x: number;\n",
                "dist/esm/index.min.js", "export const x=1;\n",
                "dist/commonjs/index.js", "\"use strict\";\nexports.x = 1;\n",
                "dist/commonjs/index.d.ts", "export declare const x: number;\n");
        out.remove("src/index.ts");
        out.remove(".gitignore");
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm-" + version), "tshyjs")) {
            npm.publish(version, out);
            npm.write();
            NpmSupport support = new NpmSupport(npm.baseUrl(), ScanWorld.fetcher());
            Release r = support.registry().releases(PackageId.parse("pkg:npm/tshyjs")).stream()
                    .filter(x -> x.version().equals(version)).findFirst().orElseThrow();
            return ScanWorld.scanner(support, dir).scan(r, Optional.of(git.dir().toString())).artifacts().get(0);
        }
    }

    @Test
    void aStaleCommittedExportsPublishedAsTshyWritesItIsExplained() throws Exception {
        ArtifactReport a = publishAndScan("1.0.0", manifest("1.0.0", STALE, PREPARE), manifest("1.0.0", WRITTEN, PREPARE));
        FileDivergence pj = row(a, "package/package.json");
        assertEquals(FileStatus.MATCH_NORMALIZED, pj.status(), pj.toString());
        assertEquals(NpmTshy.RULE, pj.ruleId());
        assertEquals(Verdict.EXPLAINED, a.verdict(), a.toString());
    }

    @Test
    void exportsTheConfigDoesNotNameAreNotExplained() throws Exception {
        // a target the config does not name
        String extra = WRITTEN.replace("\"./min\": {", "\"./evil\": \"./dist/esm/evil.js\", \"./min\": {");
        ArtifactReport a = publishAndScan("1.1.0", manifest("1.1.0", STALE, PREPARE), manifest("1.1.0", extra, PREPARE));
        assertNotEquals(NpmTshy.RULE, row(a, "package/package.json").ruleId());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void exportsInAnotherConditionOrderAreNotExplained() throws Exception {
        // require before import: the same JSON object, another resolution order
        String reordered = "\"exports\": {\".\": {\"require\": {\"types\": \"./dist/commonjs/index.d.ts\", \"default\": "
                + "\"./dist/commonjs/index.js\"}, \"import\": {\"types\": \"./dist/esm/index.d.ts\", \"default\": "
                + "\"./dist/esm/index.js\"}}, \"./min\": {\"import\": {\"types\": \"./dist/esm/index.d.ts\", "
                + "\"default\": \"./dist/esm/index.min.js\"}}}";
        ArtifactReport b = publishAndScan("1.2.0", manifest("1.2.0", STALE, PREPARE), manifest("1.2.0", reordered, PREPARE));
        assertNotEquals(NpmTshy.RULE, row(b, "package/package.json").ruleId());
        assertTrue(b.verdict() == Verdict.DIVERGENT || b.verdict() == Verdict.HIGH_RISK, b.verdict().toString());
    }

    @Test
    void exportsRewrittenWithoutATshyRunAreNotExplained() throws Exception {
        String noTshy = "{\"prepare\": \"tsc\", \"test\": \"tap\"}";
        ArtifactReport c = publishAndScan("1.3.0", manifest("1.3.0", STALE, noTshy), manifest("1.3.0", WRITTEN, noTshy));
        assertNotEquals(NpmTshy.RULE, row(c, "package/package.json").ruleId());
        assertNotEquals(Verdict.EXPLAINED, c.verdict());
    }
}
