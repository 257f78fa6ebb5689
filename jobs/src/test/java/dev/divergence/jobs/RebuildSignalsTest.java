package dev.divergence.jobs;

import static dev.divergence.jobs.DatasetQueries.query;
import static dev.divergence.jobs.DatasetQueries.table;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.divergence.archive.ArchiveLimits;
import dev.divergence.archive.ArchiveReaders;
import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.demo.PypiIndexWriter;
import dev.divergence.demo.PythonDistributions;
import dev.divergence.fixtures.LocalPypi;
import dev.divergence.fixtures.Tools;
import dev.divergence.fixtures.Trees;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.Ecosystem;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.SourceHints;
import dev.divergence.rebuild.Instructions;
import dev.divergence.rebuild.PythonRebuild;
import dev.divergence.rebuild.RebuildEnvironment;
import dev.divergence.rebuild.RebuildStrategy;
import dev.divergence.rebuild.Sandbox;
import dev.divergence.rebuild.SourceCheckout;
import dev.divergence.source.RepositoryCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rebuild rows name the rebuilt archive's entries (an sdist's {@code NAME-VERSION/...}), never source paths: history
 * signals computed over file rows (NEW_FILE) read fetch rows only, or every version's sdist would look new.
 */
class RebuildSignalsTest {

    @TempDir
    Path dir;

    @Test
    void rebuildRowsNeverMakeAFileLookNew() throws Exception {
        Tools.require(Sandbox.system().unavailable());
        Tools.require(RebuildEnvironment.toolVersion("/usr/bin/python3", "-c", "import build, setuptools; print(1)")
                .isPresent() ? Optional.empty() : Optional.of("Debian python3-build/python3-setuptools not installed"));
        RebuildEnvironment env = new RebuildEnvironment(Sandbox.system(), dir.resolve("cache"), Map.of(),
                Sandbox.Limits.defaults());
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"));
             LocalPypi pypi = new LocalPypi(dir.resolve("registry"), "acme-py", Map.of())) {
            Instant when = Instant.parse("2026-01-01T00:00:00Z");
            for (String version : List.of("1.0.0", "1.0.1")) {
                String commit = git.commit(Trees.files("pyproject.toml", "[build-system]\nrequires = [\"setuptools>=61\"]\n"
                                + "build-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"acme-py\"\nversion = \""
                                + version + "\"\n", "acme_py/__init__.py", "def greet(who):\n    return 'hello ' + who\n"),
                        version, when);
                git.tag("v" + version, true);
                when = when.plusSeconds(86_400);
                for (Map.Entry<String, byte[]> f : publish(env, git, commit, version).entrySet()) {
                    pypi.index().add(new PypiIndexWriter.Upload(version, f.getKey(), f.getValue(), when));
                }
            }
            pypi.write();
            Path out = dir.resolve("dataset");
            ScanJob.Result result = ScanJob.run(SparkTestSession.get(), ScanOptions.parse(List.of("pkg:pypi/acme-py", "--repo",
                    git.dir().toString(), "--pypi-url", pypi.baseUrl(), "--out", out.toString(), "--cache",
                    dir.resolve("cache").toString(), "--mode", "both")));
            assertEquals(List.of("1.0.0|both|REPRODUCED_AFTER_STABILIZE", "1.0.1|both|REPRODUCED_AFTER_STABILIZE"),
                    query("select version, mode, rebuild_verdict from " + table(out, "releases") + " order by version"));
            // The rebuilt sdist's acme-py-1.0.1/acme_py/__init__.py is no file new in 1.0.1.
            assertEquals(1, query("select * from " + table(out, "files") + " where mode = 'rebuild' and source_path"
                    + " = 'acme-py-1.0.1/acme_py/__init__.py'").size());
            assertEquals(List.of(), result.signals().stream().map(r -> r.getString(3) + " " + r.getString(2) + " "
                    + r.getString(4)).toList());
        }
    }

    /** The publisher: sdist and wheel built from the commit by the Python strategy. */
    private Map<String, byte[]> publish(RebuildEnvironment env, GitHistoryBuilder git, String commit, String version)
            throws Exception {
        Path placeholder = dir.resolve("acme-py-" + version + ".tar.gz");
        Files.write(placeholder, PythonDistributions.tarGz(new TreeMap<>(Map.of("acme-py-" + version + "/PKG-INFO",
                new byte[] {'x'}))));
        var repo = RepositoryCache.open(git.dir().toString(), dir.resolve("publisher-cache"));
        PythonRebuild py = new PythonRebuild();
        Release release = new Release(new PackageId(Ecosystem.PYPI, "acme-py"), version, List.of(), Optional.empty(),
                false, Optional.empty(), SourceHints.none());
        var plan = py.plan(new RebuildStrategy.Request(release, new Artifact(placeholder.getFileName().toString(),
                "file:", ArtifactKind.SDIST, 0, Map.of(), Optional.empty(), false), placeholder,
                ArchiveReaders.read(placeholder, ArchiveLimits.defaults()), repo, git.dir().toString(), commit), env);
        Instructions ins = ((RebuildStrategy.Plan.Ready) plan).instructions();
        Path work = env.newWorkDir();
        SourceCheckout.write(repo, commit, work.resolve("src"));
        py.build(ins, work, env);
        Map<String, byte[]> out = new TreeMap<>();
        try (var files = Files.list(work.resolve("out"))) {
            for (Path f : files.toList()) {
                out.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        Sandbox.deleteTree(work);
        return out;
    }
}
