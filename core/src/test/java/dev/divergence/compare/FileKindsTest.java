package dev.divergence.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.divergence.model.Ecosystem;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileKind;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileKindsTest {

    @ParameterizedTest
    @CsvSource({
        "PYPI, demo-1.0/README.md, DOC",
        "PYPI, demo-1.0/README, DOC",
        "PYPI, demo-1.0/CHANGES.rst, DOC",
        "PYPI, demo-1.0/LICENSE.txt, DOC",
        "NPM, package/readme.zh-CN.md, DOC",
        "NPM, package/docs/guide.md, DOC",
        "MAVEN, org/acme/package.html, DOC",
        "PYPI, demo-1.0/notes.txt, OTHER",
        "PYPI, demo-1.0/requirements.txt, METADATA",
        "PYPI, demo-1.0/requirements-dev.txt, METADATA",
        "PYPI, demo-1.0/PKG-INFO, METADATA",
        "PYPI, demo-1.0.dist-info/METADATA, METADATA",
        "PYPI, demo-1.0/setup.cfg, METADATA",
        "PYPI, demo-1.0/Makefile, METADATA",
        "NPM, package/package.json, METADATA",
        "MAVEN, META-INF/maven/org.acme/demo/pom.xml, METADATA",
        "MAVEN, META-INF/MANIFEST.MF, METADATA",
        "PYPI, demo-1.0/tests/test_core.py, TEST",
        "PYPI, demo-1.0/demo/test_api.py, TEST",
        "NPM, package/lib/index.test.js, TEST",
        "MAVEN, src/test/java/org/acme/FooTest.java, TEST",
        "PYPI, demo-1.0/demo/core.py, CODE",
        "PYPI, demo-1.0/demo/LICENSE.py, CODE",
        "NPM, package/bin/cli, CODE",
        "NPM, package/index.mjs, CODE",
        "MAVEN, org/acme/Foo.class, BUILD_OUTPUT",
        "NPM, package/dist/index.js.map, BUILD_OUTPUT",
        "NPM, package/logo.png, OTHER",
    })
    void kindFollowsPathAndEcosystem(Ecosystem eco, String path, FileKind kind) {
        assertEquals(kind, FileKinds.ofPath(eco, path));
    }

    @Test
    void aFlagThatSaysTheFileRunsMakesItCodeWhateverItsName() {
        // npm `bin` pointing at README: the flag decides, not the name.
        FileDivergence f = new FileDivergence("widget-1.0.0.tgz", Optional.of("package/README"), Optional.of("README"),
                FileStatus.MODIFIED, "compare.unexplained", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 10, 10, Set.of(RiskFlag.AUTO_EXEC), true, Optional.empty());
        assertEquals(FileKind.CODE, FileKinds.of(Ecosystem.NPM, f));
        FileDivergence built = new FileDivergence("widget-1.0.0.tgz", Optional.of("package/dist/a.js"), Optional.empty(),
                FileStatus.BUILD_OUTPUT, "npm.build-output", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 10, -1, Set.of(), false, Optional.empty());
        assertEquals(FileKind.BUILD_OUTPUT, FileKinds.of(Ecosystem.NPM, built));
        // The plain CODE flag only repeats the extension: a test module stays a test.
        FileDivergence test = new FileDivergence("demo-1.0.tar.gz", Optional.of("demo-1.0/tests/test_x.py"),
                Optional.of("tests/test_x.py"), FileStatus.MODIFIED, "compare.unexplained", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 10, 10, Set.of(RiskFlag.CODE), false,
                Optional.empty());
        assertEquals(FileKind.TEST, FileKinds.of(Ecosystem.PYPI, test));
    }

    @Test
    void rememberedKindsStillFollowStatusAndEcosystem() {
        // Kinds are remembered per (ecosystem, paths): asking again, for another status or ecosystem, answers anew.
        assertEquals(FileKind.CODE, FileKinds.of(Ecosystem.NPM, java.util.List.of("package/dist/app.js"),
                FileStatus.MODIFIED));
        assertEquals(FileKind.CODE, FileKinds.of(Ecosystem.NPM, java.util.List.of("package/dist/app.js"),
                FileStatus.MODIFIED));
        assertEquals(FileKind.BUILD_OUTPUT, FileKinds.of(Ecosystem.NPM, java.util.List.of("package/dist/app.js"),
                FileStatus.BUILD_OUTPUT));
        assertEquals(FileKind.DOC, FileKinds.of(Ecosystem.MAVEN, java.util.List.of("org/acme/package.html"),
                FileStatus.MODIFIED)); // javadoc's page, a Maven name
        assertEquals(FileKind.OTHER, FileKinds.of(Ecosystem.NPM, java.util.List.of("org/acme/package.html"),
                FileStatus.MODIFIED));
        // The source path counts too: a test by its source name, not by the artifact's first path alone.
        assertEquals(FileKind.CODE, FileKinds.of(Ecosystem.PYPI, java.util.List.of("demo-1.0/demo/x.py"),
                FileStatus.MODIFIED));
        assertEquals(FileKind.TEST, FileKinds.of(Ecosystem.PYPI, java.util.List.of("demo-1.0/demo/x.py",
                "tests/x.py"), FileStatus.MODIFIED));
        assertEquals(FileKind.OTHER, FileKinds.of(Ecosystem.PYPI, java.util.List.of(), FileStatus.BUILD_OUTPUT));
    }

    /**
     * The regex-free answers give the patterns' answers, on random paths built from the pieces the patterns look
     * for (separators, folder names, suffixes, line terminators) — the same seed each run, so a failure reproduces.
     */
    @Test
    void fastMatchersAgreeWithThePatterns() {
        String[] pieces = {"/", "/", "/", "a", "b.", ".", "test", "tests", "__tests__", "spec", "specs", "testing", "Test",
            "Tests", "_test", "test_", "conftest", ".py", ".java", ".test", ".spec", ".js", ".mjs", ".tsx", ".dist-info",
            ".egg-info", "meta-inf", "maven", "requirements", ".txt", ".in", "readme", "changes", "release-notes",
            "code_of_conduct", "license", ".md", ".en", "\n", "\r", "\u2028", "\u0085", "x", "-", "_"};
        java.util.Random rnd = new java.util.Random(20261207);
        int[] hits = new int[2];
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + rnd.nextInt(8);
            for (int k = 0; k < n; k++) {
                b.append(pieces[rnd.nextInt(pieces.length)]);
            }
            String p = b.toString();
            String lower = p.toLowerCase(java.util.Locale.ROOT);
            String lowerName = lower.substring(lower.lastIndexOf('/') + 1);
            boolean testDir = FileKinds.TEST_DIR.matcher(lower).matches();
            boolean doc = FileKinds.DOC_NAME.matcher(lowerName).matches();
            assertEquals(testDir, FileKinds.testDir(lower), p);
            assertEquals(doc, FileKinds.docName(lowerName), p);
            hits[0] += testDir ? 1 : 0;
            hits[1] += doc ? 1 : 0;
        }
        for (int h : hits) { // each pattern must say yes often enough for the agreement to mean something
            org.junit.jupiter.api.Assertions.assertTrue(h > 200, java.util.Arrays.toString(hits));
        }
    }
}
