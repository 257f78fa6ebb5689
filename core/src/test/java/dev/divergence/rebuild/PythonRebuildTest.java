package dev.divergence.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.archive.ArchiveLimits;
import dev.divergence.archive.ArchiveReaders;
import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.demo.PypiIndexWriter;
import dev.divergence.demo.PythonDistributions;
import dev.divergence.fixtures.LocalPypi;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Tools;
import dev.divergence.fixtures.Trees;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.Ecosystem;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.SourceHints;
import dev.divergence.model.Verdict;
import dev.divergence.registry.pypi.PypiSupport;
import dev.divergence.source.RepositoryCache;
import dev.divergence.store.ArtifactStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python rebuilds with the OS's build backends: an sdist and a pure wheel built from the tag, offline. */
class PythonRebuildTest {

    static final String PYPROJECT = "[build-system]\nrequires = [\"setuptools>=61\"]\n"
            + "build-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"acme-py\"\nversion = \"1.0.0\"\n";

    @TempDir
    Path dir;
    RebuildEnvironment env;

    @BeforeEach
    void needsTheSandboxAndPythonBuild() {
        Tools.require(Sandbox.system().unavailable());
        Tools.require(RebuildEnvironment.toolVersion("/usr/bin/python3", "-c", "import build, setuptools; print(1)")
                .isPresent() ? Optional.empty() : Optional.of("Debian python3-build/python3-setuptools not installed"));
        env = new RebuildEnvironment(Sandbox.system(), dir.resolve("cache"), Map.of(), Sandbox.Limits.defaults());
    }

    private static SortedMap<String, byte[]> project(String pyproject) {
        return Trees.files("pyproject.toml", pyproject, "README.md", "acme\n",
                "acme_py/__init__.py", "def greet(who):\n    return 'hello ' + who\n");
    }

    /** The publisher: sdist and wheel built from the commit by the Python strategy. */
    private Map<String, byte[]> publish(GitHistoryBuilder git, String commit) throws IOException {
        Path placeholder = dir.resolve("acme-py-1.0.0.tar.gz");
        Files.write(placeholder, PythonDistributions.tarGz(new TreeMap<>(Map.of("acme-py-1.0.0/PKG-INFO", new byte[] {'x'}))));
        var repo = RepositoryCache.open(git.dir().toString(), dir.resolve("publisher-cache"));
        PythonRebuild py = new PythonRebuild();
        Release release = new Release(new PackageId(Ecosystem.PYPI, "acme-py"), "1.0.0", List.of(), Optional.empty(),
                false, Optional.empty(), SourceHints.none());
        var plan = py.plan(new RebuildStrategy.Request(release, new Artifact("acme-py-1.0.0.tar.gz", "file:",
                ArtifactKind.SDIST, 0, Map.of(), Optional.empty(), false), placeholder,
                ArchiveReaders.read(placeholder, ArchiveLimits.defaults()), repo, git.dir().toString(), commit), env);
        Instructions ins = ((RebuildStrategy.Plan.Ready) plan).instructions();
        Path work = env.newWorkDir();
        SourceCheckout.write(repo, commit, work.resolve("src"));
        RebuildStrategy.Built built = py.build(ins, work, env);
        assertTrue(built.output().isPresent(), built.failure().orElse(""));
        Map<String, byte[]> out = new TreeMap<>();
        try (var files = Files.list(work.resolve("out"))) {
            for (Path f : files.toList()) {
                out.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        Sandbox.deleteTree(work);
        return out;
    }

    private List<RebuildReport> scanAndRebuild(GitHistoryBuilder git, Map<String, byte[]> files) throws Exception {
        try (LocalPypi pypi = new LocalPypi(dir.resolve("registry"), "acme-py", Map.of())) {
            files.forEach((name, bytes) -> pypi.index().add(new PypiIndexWriter.Upload("1.0.0", name, bytes,
                    Instant.parse("2026-01-02T00:00:00Z"))));
            pypi.write();
            PypiSupport support = new PypiSupport(pypi.baseUrl(), ScanWorld.fetcher());
            Release release = support.registry().releases(new PackageId(Ecosystem.PYPI, "acme-py")).get(0);
            ReleaseReport fetch = ScanWorld.scanner(support, dir).scan(release, Optional.of(git.dir().toString()));
            return new Rebuilder(new PythonRebuild(), env, new ArtifactStore(dir.resolve("cache/artifacts"),
                    ScanWorld.fetcher(), 1L << 30), dir.resolve("cache"), ArchiveLimits.defaults(), new Semaphore(1))
                    .rebuild(fetch);
        }
    }

    private static RebuildReport of(List<RebuildReport> rs, String suffix) {
        return rs.stream().filter(r -> r.artifact().filename().endsWith(suffix)).findFirst().orElseThrow();
    }

    @Test
    void sdistAndWheelAreReproducedAndATamperedModuleDiffers() throws Exception {
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"))) {
            String commit = git.commit(project(PYPROJECT), "1.0.0", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v1.0.0", true);
            Map<String, byte[]> published = publish(git, commit);
            assertEquals(List.of("acme-py-1.0.0.tar.gz", "acme_py-1.0.0-py3-none-any.whl"), List.copyOf(published.keySet()));

            List<RebuildReport> clean = scanAndRebuild(git, published);
            RebuildReport wheel = of(clean, ".whl");
            assertEquals(RebuildVerdict.REPRODUCED, wheel.rebuildVerdict(), wheel.reason().orElse(""));
            // setuptools writes PKG-INFO and the egg-info at build time (their entry times are the build's; every file
            // of the commit has the commit's time): every entry's bytes are equal.
            RebuildReport sdist = of(clean, ".tar.gz");
            assertEquals(RebuildVerdict.REPRODUCED_AFTER_STABILIZE, sdist.rebuildVerdict(), sdist.reason().orElse(""));
            assertEquals(List.of(Stabilizers.ENTRY_TIMESTAMPS), sdist.passes());
            Instructions ins = wheel.instructions().orElseThrow();
            assertEquals(PythonRebuild.VERSION, ins.strategy());
            assertEquals("setuptools.build_meta", ins.toolchain().get("backend"));
            assertTrue(ins.steps().get(0).command().get(2).endsWith("/usr/bin/python3 -m build --no-isolation --outdir /build/out"));
            assertEquals(String.valueOf(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond()),
                    ins.steps().get(0).env().get("SOURCE_DATE_EPOCH"));

            Map<String, byte[]> tampered = new TreeMap<>(published);
            tampered.put("acme_py-1.0.0-py3-none-any.whl", dev.divergence.fixtures.MavenProject.rewrite(
                    published.get("acme_py-1.0.0-py3-none-any.whl"), (name, b) -> name.equals("acme_py/__init__.py")
                            ? "import os\nos.system('curl x')\n".getBytes(StandardCharsets.UTF_8) : b, 0));
            RebuildReport differs = of(scanAndRebuild(git, tampered), ".whl");
            assertEquals(RebuildVerdict.DIFFERS, differs.rebuildVerdict());
            assertEquals(Optional.of("differs: acme_py/__init__.py"), differs.reason());
            FileDivergence row = differs.files().stream().filter(f -> f.displayPath().equals("acme_py/__init__.py"))
                    .findFirst().orElseThrow();
            assertEquals(FileStatus.MODIFIED, row.status());
            assertTrue(row.highRisk());
            assertEquals(Verdict.HIGH_RISK, differs.verdict());
        }
    }

    @Test
    void aBackendTheOsLacksIsUnsupportedEnvNamingIt() throws Exception {
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"))) {
            git.commit(project(PYPROJECT.replace("[\"setuptools>=61\"]", "[\"pdm-backend\"]")
                    .replace("setuptools.build_meta", "pdm.backend")), "1.0.0", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v1.0.0", true);
            byte[] sdist = PythonDistributions.tarGz(new TreeMap<>(Map.of("acme-py-1.0.0/PKG-INFO",
                    "Metadata-Version: 2.1\nName: acme-py\nVersion: 1.0.0\n".getBytes(StandardCharsets.UTF_8))));
            List<RebuildReport> r = scanAndRebuild(git, Map.of("acme-py-1.0.0.tar.gz", sdist));
            assertEquals(1, r.size());
            assertEquals(RebuildVerdict.UNSUPPORTED_ENV, r.get(0).rebuildVerdict());
            assertEquals(Optional.of("build requirement(s) [pdm-backend] of backend pdm.backend not provided by this "
                    + "machine's OS (it has [flit-core, hatch-vcs, hatchling, poetry-core, setuptools, setuptools-scm, "
                    + "wheel])"), r.get(0).reason());
        }
    }
}
