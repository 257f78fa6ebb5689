package dev.divergence.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.archive.ArchiveLimits;
import dev.divergence.archive.ArchiveReaders;
import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.demo.PythonDistributions;
import dev.divergence.fixtures.LocalNpm;
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
import dev.divergence.registry.npm.NpmSupport;
import dev.divergence.source.RepositoryCache;
import dev.divergence.store.ArtifactStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * npm rebuilds end to end: a package whose tarball ships {@code dist/index.js} made by its build script, packed by
 * its publisher from the tag with {@code npm ci --ignore-scripts}, {@code npm run build}, {@code npm pack}.
 */
class NpmRebuildTest {

    static final String PACKAGE_JSON = "{\"name\":\"acme-js\",\"version\":\"1.0.0\",\"main\":\"dist/index.js\","
            + "\"files\":[\"dist\"],\"scripts\":{\"build\":\"node build.js\"},"
            + "\"repository\":{\"type\":\"git\",\"url\":\"https://github.com/acme/acme-js.git\"}}\n";

    @TempDir
    Path dir;
    RebuildEnvironment env;

    @BeforeEach
    void needsTheSandboxAndNpm() {
        Tools.require(Sandbox.system().unavailable());
        Tools.require(RebuildEnvironment.toolVersion("npm", "-v").isPresent() ? Optional.empty()
                : Optional.of("npm not installed"));
        env = new RebuildEnvironment(Sandbox.system(), dir.resolve("cache"), RebuildEnvironment.jdksUnder(Path.of("/usr/lib/jvm")),
                Sandbox.Limits.defaults());
    }

    private static SortedMap<String, byte[]> project(boolean lockfile) {
        SortedMap<String, byte[]> files = Trees.files(
                "package.json", PACKAGE_JSON,
                ".gitignore", "dist/\nnode_modules/\n",
                "build.js", "const fs = require('fs');\nfs.mkdirSync('dist', {recursive: true});\n"
                        + "fs.writeFileSync('dist/index.js', '// built\\n' + fs.readFileSync('src/index.js', 'utf8'));\n",
                "src/index.js", "module.exports = (who) => 'hello ' + who;\n");
        if (lockfile) {
            files.put("package-lock.json", ("{\"name\":\"acme-js\",\"version\":\"1.0.0\",\"lockfileVersion\":3,"
                    + "\"requires\":true,\"packages\":{\"\":{\"name\":\"acme-js\",\"version\":\"1.0.0\"}}}\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    /** The publisher: the npm strategy from the commit, for a tarball known to ship dist/index.js. */
    private byte[] publish(GitHistoryBuilder git, String commit) throws IOException {
        Path placeholder = dir.resolve("placeholder.tgz");
        Files.write(placeholder, PythonDistributions.tarGz(new TreeMap<>(Map.of(
                "package/package.json", PACKAGE_JSON.getBytes(StandardCharsets.UTF_8),
                "package/dist/index.js", new byte[] {'x'}))));
        var repo = RepositoryCache.open(git.dir().toString(), dir.resolve("publisher-cache"));
        NpmRebuild npm = new NpmRebuild(java.net.URI.create("http://127.0.0.1:9/"));
        Release release = new Release(new PackageId(Ecosystem.NPM, "acme-js"), "1.0.0", List.of(), Optional.empty(), false,
                Optional.empty(), SourceHints.none());
        var plan = npm.plan(new RebuildStrategy.Request(release, new Artifact("acme-js-1.0.0.tgz", "file:",
                ArtifactKind.NPM_TARBALL, 0, Map.of(), Optional.empty(), false), placeholder,
                ArchiveReaders.read(placeholder, ArchiveLimits.defaults()), repo, git.dir().toString(), commit), env);
        Instructions ins = ((RebuildStrategy.Plan.Ready) plan).instructions();
        Path work = env.newWorkDir();
        SourceCheckout.write(repo, commit, work.resolve("src"));
        RebuildStrategy.Built built = npm.build(ins, work, env);
        assertTrue(built.output().isPresent(), built.failure().orElse(""));
        byte[] tgz = Files.readAllBytes(built.output().get());
        Sandbox.deleteTree(work);
        return tgz;
    }

    private RebuildReport scanAndRebuild(GitHistoryBuilder git, byte[] tgz) throws Exception {
        return scanAndRebuild(git, tgz, Optional.empty());
    }

    /** @param nodeVersion the {@code _nodeVersion} the registry's version document carries, as npm publish writes it */
    private RebuildReport scanAndRebuild(GitHistoryBuilder git, byte[] tgz, Optional<String> nodeVersion)
            throws Exception {
        try (LocalNpm registry = new LocalNpm(dir.resolve("registry"), "acme-js")) {
            var doc = registry.publishTarball("1.0.0", tgz, PACKAGE_JSON.getBytes(StandardCharsets.UTF_8));
            nodeVersion.ifPresent(v -> doc.put("_nodeVersion", v));
            registry.write();
            NpmSupport support = new NpmSupport(registry.baseUrl(), ScanWorld.fetcher());
            Release release = support.registry().releases(new PackageId(Ecosystem.NPM, "acme-js")).get(0);
            ReleaseReport fetch = ScanWorld.scanner(support, dir).scan(release, Optional.of(git.dir().toString()));
            List<RebuildReport> r = new Rebuilder(new NpmRebuild(java.net.URI.create(registry.baseUrl())), env, new ArtifactStore(
                    dir.resolve("cache/artifacts"), ScanWorld.fetcher(), 1L << 30), dir.resolve("cache"),
                    ArchiveLimits.defaults(), new Semaphore(1)).rebuild(fetch);
            assertEquals(1, r.size());
            return r.get(0);
        }
    }

    @Test
    void aCleanTarballIsReproducedAndATamperedDistFileDiffers() throws Exception {
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"))) {
            String commit = git.commit(project(true), "1.0.0", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v1.0.0", true);
            byte[] published = publish(git, commit);

            RebuildReport clean = scanAndRebuild(git, published);
            assertEquals(RebuildVerdict.REPRODUCED, clean.rebuildVerdict(), clean.reason().orElse(""));
            Instructions ins = clean.instructions().orElseThrow();
            assertEquals(NpmRebuild.VERSION, ins.strategy());
            assertEquals(List.of("resolve", "build"), ins.steps().stream().map(Instructions.Step::name).toList());
            assertTrue(ins.steps().get(0).command().get(2).endsWith("npm ci --ignore-scripts --no-audit --no-fund"));
            assertTrue(ins.steps().get(1).command().get(2).endsWith("&& npm run build && mkdir -p /build/out && npm pack "
                    + "--ignore-scripts --pack-destination /build/out"), ins.steps().get(1).command().get(2));
            assertEquals("out/acme-js-1.0.0.tgz", ins.output());
            assertEquals(List.of("the tarball holds 1 file(s) the commit lacks (dist/index.js): the package's build "
                    + "script makes them"), ins.notes());

            byte[] tampered = retar(published, "package/dist/index.js", "require('child_process').exec('curl x');\n");
            RebuildReport differs = scanAndRebuild(git, tampered);
            assertEquals(RebuildVerdict.DIFFERS, differs.rebuildVerdict());
            assertEquals(Optional.of("differs: package/dist/index.js"), differs.reason());
            FileDivergence row = differs.files().stream().filter(f -> f.displayPath().equals("package/dist/index.js"))
                    .findFirst().orElseThrow();
            assertEquals(FileStatus.MODIFIED, row.status());
            assertTrue(row.highRisk());
            assertEquals(Verdict.HIGH_RISK, differs.verdict());
        }
    }

    @Test
    void buildOutputWithoutALockfileIsUnsupportedEnv() throws Exception {
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"))) {
            git.commit(project(false), "1.0.0", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v1.0.0", true);
            byte[] tgz = PythonDistributions.tarGz(new TreeMap<>(Map.of(
                    "package/package.json", PACKAGE_JSON.getBytes(StandardCharsets.UTF_8),
                    "package/dist/index.js", "module.exports = 1;\n".getBytes(StandardCharsets.UTF_8))));
            RebuildReport r = scanAndRebuild(git, tgz);
            assertEquals(RebuildVerdict.UNSUPPORTED_ENV, r.rebuildVerdict());
            assertEquals(Optional.of("the tarball holds build output and the commit has no package-lock.json or "
                    + "npm-shrinkwrap.json: the build's dependencies cannot be pinned"), r.reason());
        }
    }

    /**
     * The Node major comes from the registry's publish metadata ({@code _nodeVersion}): this machine's major rebuilds
     * and is recorded in the instructions; another major is UNSUPPORTED_ENV naming the version, with the
     * instructions kept.
     */
    @Test
    void theNodeMajorIsThePublishersAndAnotherMajorIsUnsupportedEnv() throws Exception {
        String machine = RebuildEnvironment.toolVersion("node", "-v").orElseThrow().replaceFirst("^v", "");
        String major = machine.replaceFirst("\\..*$", "");
        String sameMajor = major + ".0.1";
        String otherMajor = (Integer.parseInt(major) - 2) + ".19.0";
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"))) {
            String commit = git.commit(project(true), "1.0.0", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v1.0.0", true);
            byte[] published = publish(git, commit);

            RebuildReport same = scanAndRebuild(git, published, Optional.of(sameMajor));
            assertEquals(RebuildVerdict.REPRODUCED, same.rebuildVerdict(), same.reason().orElse(""));
            Instructions ins = same.instructions().orElseThrow();
            assertEquals(sameMajor, ins.toolchain().get("node_published"));
            assertEquals("v" + machine, ins.toolchain().get("node"));
            assertTrue(ins.notes().contains("Node " + major + " as published (_nodeVersion " + sameMajor
                    + " in the registry's version document)"), ins.notes().toString());

            RebuildReport other = scanAndRebuild(git, published, Optional.of(otherMajor));
            assertEquals(RebuildVerdict.UNSUPPORTED_ENV, other.rebuildVerdict());
            assertEquals(Optional.of("published with Node " + otherMajor + " (_nodeVersion); this machine has Node v"
                    + machine + " only, and npm pack's output may depend on the Node major"), other.reason());
            assertEquals(otherMajor, other.instructions().orElseThrow().toolchain().get("node_published"));
            assertTrue(other.files().isEmpty());
        }
    }

    /** The tarball with one entry's content replaced, every other header and entry as it was. */
    static byte[] retar(byte[] tgz, String path, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(tgz)));
             TarArchiveOutputStream out = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                byte[] b = in.readAllBytes();
                if (e.getName().equals(path)) {
                    b = content.getBytes(StandardCharsets.UTF_8);
                }
                e.setSize(b.length);
                out.putArchiveEntry(e);
                out.write(b);
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
