package dev.divergence.rebuild;

import static dev.divergence.fixtures.Trees.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.archive.ArchiveLimits;
import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.LocalMaven;
import dev.divergence.fixtures.MavenMirror;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Tools;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.Verdict;
import dev.divergence.registry.maven.MavenSupport;
import dev.divergence.store.ArtifactStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.BiFunction;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maven rebuilds end to end on a generated project: a Git repository, a jar built from its tag in the sandbox (the
 * "publisher"), published — intact or tampered — on a local Maven repository, scanned in fetch mode, then rebuilt.
 * Plugins resolve from {@link MavenMirror} (this machine's ~/.m2) into one warm repository kept under
 * {@code target/} for every test and run.
 */
class MavenRebuildTest {

    static final String POM = """
            <project>
              <modelVersion>4.0.0</modelVersion>
              <groupId>org.acme</groupId>
              <artifactId>acme-lib</artifactId>
              <version>1.0.0</version>
              <properties>
                <project.build.outputTimestamp>2026-01-01T00:00:00Z</project.build.outputTimestamp>
                <maven.compiler.release>17</maven.compiler.release>
                <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
              </properties>
              <build>
                <plugins>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.1</version></plugin>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.6</version></plugin>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
                </plugins>
              </build>
            </project>
            """;

    static final Path CACHE = Path.of("target", "rebuild-test-cache").toAbsolutePath();
    static Path world;
    static GitHistoryBuilder git;
    static String commit;
    static MavenMirror mirror;
    static RebuildEnvironment env;
    /** The jar the "publisher" built from the tag, in the sandbox. */
    static byte[] published;

    @TempDir
    Path dir;

    @BeforeAll
    static void publishFromTheTag() throws Exception {
        Tools.require(Sandbox.system().unavailable());
        Tools.require(Files.isExecutable(Path.of("/usr/bin/mvn")) ? Optional.empty() : Optional.of("mvn not installed"));
        world = Files.createTempDirectory("maven-rebuild-world");
        git = GitHistoryBuilder.init(world.resolve("repo"));
        commit = git.commit(files(
                "pom.xml", POM,
                "src/main/java/org/acme/Greeter.java", "package org.acme;\npublic class Greeter {\n"
                        + "  public String greet(String who) { return \"Hello, \" + who; }\n}\n",
                "src/main/java/org/acme/Main.java", "package org.acme;\npublic class Main {\n"
                        + "  public static void main(String[] a) { System.out.println(new Greeter().greet(\"world\")); }\n}\n",
                "src/main/resources/org/acme/messages.properties", "hello=Hello\n",
                "README.md", "acme\n"), "release 1.0.0", Instant.parse("2026-01-01T00:00:00Z"));
        git.tag("v1.0.0", true);
        mirror = new MavenMirror(CACHE.resolve("mirror"));
        env = new RebuildEnvironment(Sandbox.system(), CACHE, RebuildEnvironment.jdksUnder(Path.of("/usr/lib/jvm")),
                mirror.uri(), java.net.URI.create("http://127.0.0.1:9/"), Sandbox.Limits.defaults());
        Tools.require(env.jdks().containsKey(17) ? Optional.empty() : Optional.of("no JDK 17 under /usr/lib/jvm"));
        // The publisher: the same strategy, from the same tag, with a placeholder saying JDK 17 built it.
        Path placeholder = world.resolve("acme-lib-1.0.0.jar");
        Files.write(placeholder, LocalMaven.jar(Map.of()));
        var listing = dev.divergence.archive.ArchiveReaders.read(placeholder, ArchiveLimits.defaults());
        var repo = dev.divergence.source.RepositoryCache.open(git.dir().toString(), world.resolve("cache"));
        Release release = new Release(new PackageId(dev.divergence.model.Ecosystem.MAVEN, "org.acme/acme-lib"), "1.0.0",
                List.of(), Optional.empty(), false, Optional.empty(), dev.divergence.model.SourceHints.none());
        MavenRebuild maven = new MavenRebuild();
        var plan = maven.plan(new RebuildStrategy.Request(release, new dev.divergence.model.Artifact("acme-lib-1.0.0.jar",
                "file:", dev.divergence.model.ArtifactKind.JAR, 0, Map.of(), Optional.empty(), false), placeholder, listing,
                repo, git.dir().toString(), commit), env);
        Instructions ins = ((RebuildStrategy.Plan.Ready) plan).instructions();
        Path work = env.newWorkDir();
        SourceCheckout.write(repo, commit, work.resolve("src"));
        RebuildStrategy.Built built = maven.build(ins, work, env);
        assertTrue(built.output().isPresent(), built.failure().orElse(""));
        published = Files.readAllBytes(built.output().get());
        Sandbox.deleteTree(work);
    }

    @AfterAll
    static void close() throws IOException {
        if (mirror != null) {
            mirror.close();
        }
        if (git != null) {
            git.close();
            Sandbox.deleteTree(world);
        }
    }

    /** Fetch mode, then rebuild mode, of the release publishing {@code jar}. */
    private Scanned scanAndRebuild(byte[] jar) throws Exception {
        try (LocalMaven registry = new LocalMaven(dir.resolve("registry"), "org.acme", "acme-lib")) {
            registry.metadata(List.of("1.0.0"));
            registry.file("1.0.0", ".pom", POM.getBytes(StandardCharsets.UTF_8), null);
            registry.file("1.0.0", ".jar", jar, null);
            MavenSupport support = new MavenSupport(registry.baseUrl(), ScanWorld.fetcher());
            Release release = support.registry().releases(new PackageId(dev.divergence.model.Ecosystem.MAVEN,
                    "org.acme/acme-lib")).get(0);
            ReleaseReport fetch = ScanWorld.scanner(support, dir).scan(release, Optional.of(git.dir().toString()));
            Rebuilder rebuilder = new Rebuilder(new MavenRebuild(), env, new ArtifactStore(dir.resolve("cache/artifacts"),
                    ScanWorld.fetcher(), 1L << 30), dir.resolve("cache"), ArchiveLimits.defaults(), new Semaphore(1));
            List<RebuildReport> rebuilds = rebuilder.rebuild(fetch);
            assertEquals(1, rebuilds.size(), "only the jar is rebuilt, not the POM");
            return new Scanned(fetch, rebuilds.get(0));
        }
    }

    record Scanned(ReleaseReport fetch, RebuildReport rebuild) {
    }

    @Test
    void aCleanReleaseIsReproducedBitForBitWithItsInstructions() throws Exception {
        Scanned s = scanAndRebuild(published);
        RebuildReport r = s.rebuild();
        assertEquals(RebuildVerdict.REPRODUCED, r.rebuildVerdict(), r.reason().orElse(""));
        assertEquals(Verdict.CLEAN, r.verdict());
        assertEquals(List.of(), r.passes());
        assertTrue(r.files().stream().allMatch(f -> f.status() == FileStatus.MATCH
                && f.ruleId().equals(RebuildComparison.BIT_IDENTICAL)), r.files().toString());
        assertTrue(r.files().stream().anyMatch(f -> f.displayPath().equals("org/acme/Greeter.class")));
        Instructions ins = r.instructions().orElseThrow();
        assertEquals(MavenRebuild.VERSION, ins.strategy());
        assertEquals(commit, ins.commit());
        assertEquals("", ins.directory());
        assertEquals("17", ins.toolchain().get("jdk"));
        assertEquals("src/target/acme-lib-1.0.0.jar", ins.output());
        assertEquals(List.of("JDK 17 from the published jar's Build-Jdk-Spec: 17",
                "project.build.outputTimestamp 2026-01-01T00:00:00Z (set by the POM)"), ins.notes());
        assertEquals("none", ins.steps().get(0).network());
        assertTrue(ins.steps().get(0).command().get(2).endsWith("mvn -B -s /build/settings.xml -Dmaven.repo.local=/m2 -o "
                + "-DskipTests -Dgpg.skip package"), ins.steps().get(0).command().toString());
        assertEquals(ins, Instructions.fromJson(ins.toJson()));
        assertEquals(s.fetch().verdict(), RebuildReport.combine(s.fetch().verdict(), List.of(r)));
    }

    @Test
    void aTamperedClassWithUntouchedSourceDiffersNamingTheClassAndMakesTheVersionHighRisk() throws Exception {
        byte[] tampered = rewrite(published, (name, bytes) -> name.equals("org/acme/Greeter.class")
                ? replace(bytes, "Hello, ", "Pwned, ") : bytes, 0);
        Scanned s = scanAndRebuild(tampered);
        // Fetch mode explains a .class by its .java: it cannot see this.
        assertFalse(s.fetch().verdict() == Verdict.HIGH_RISK, s.fetch().verdict() + " " + s.fetch().reason());
        RebuildReport r = s.rebuild();
        assertEquals(RebuildVerdict.DIFFERS, r.rebuildVerdict());
        assertEquals(Optional.of("differs: org/acme/Greeter.class"), r.reason());
        FileDivergence row = r.files().stream().filter(f -> f.displayPath().equals("org/acme/Greeter.class")).findFirst()
                .orElseThrow();
        assertEquals(FileStatus.MODIFIED, row.status());
        assertEquals(RebuildComparison.DIFFERS, row.ruleId());
        assertTrue(row.highRisk());
        assertEquals(List.of("org/acme/Greeter.class"), r.highRiskPaths());
        assertEquals(Verdict.HIGH_RISK, r.verdict());
        assertEquals(Verdict.HIGH_RISK, RebuildReport.combine(s.fetch().verdict(), List.of(r)));
        assertTrue(r.files().stream().filter(f -> !f.displayPath().equals("org/acme/Greeter.class"))
                .allMatch(f -> f.status() == FileStatus.MATCH && f.ruleId().equals(RebuildComparison.ENTRY_EQUAL)));
    }

    @Test
    void buildNoiseIsReproducedAfterTheNamedPasses() throws Exception {
        // Another build time on every entry, a build user in the manifest, Maven's date comment in pom.properties.
        byte[] noisy = rewrite(published, (name, bytes) -> {
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (name.equals("META-INF/MANIFEST.MF")) {
                return text.replace("Build-Jdk-Spec: 17\r\n", "Build-Jdk-Spec: 17\r\nBuilt-By: release-manager\r\n")
                        .getBytes(StandardCharsets.UTF_8);
            }
            if (name.endsWith("/pom.properties")) {
                return ("#Generated by Maven\n#Thu Jan 01 10:00:00 UTC 2026\n" + text).getBytes(StandardCharsets.UTF_8);
            }
            return bytes;
        }, 86_400_000L);
        RebuildReport r = scanAndRebuild(noisy).rebuild();
        assertEquals(RebuildVerdict.REPRODUCED_AFTER_STABILIZE, r.rebuildVerdict(), r.reason().orElse(""));
        assertEquals(List.of(Stabilizers.ENTRY_TIMESTAMPS, Stabilizers.JAR_MANIFEST, Stabilizers.POM_PROPERTIES), r.passes());
        assertEquals(Verdict.EXPLAINED, r.verdict());
        assertEquals(FileStatus.MATCH_NORMALIZED, r.files().stream()
                .filter(f -> f.displayPath().equals("META-INF/MANIFEST.MF")).findFirst().orElseThrow().status());
    }

    @Test
    void aMainClassAddedToTheManifestIsNoBuildNoise() throws Exception {
        byte[] tampered = rewrite(published, (name, bytes) -> name.equals("META-INF/MANIFEST.MF")
                ? new String(bytes, StandardCharsets.UTF_8).replace("Build-Jdk-Spec: 17\r\n",
                "Build-Jdk-Spec: 17\r\nPremain-Class: org.acme.Main\r\n").getBytes(StandardCharsets.UTF_8) : bytes, 0);
        RebuildReport r = scanAndRebuild(tampered).rebuild();
        assertEquals(RebuildVerdict.DIFFERS, r.rebuildVerdict());
        assertEquals(List.of("META-INF/MANIFEST.MF"), r.highRiskPaths());
    }

    @Test
    void aJdkThisMachineLacksIsUnsupportedEnvSayingWhich() throws Exception {
        byte[] jdk21 = rewrite(published, (name, bytes) -> name.equals("META-INF/MANIFEST.MF")
                ? new String(bytes, StandardCharsets.UTF_8).replace("Build-Jdk-Spec: 17", "Build-Jdk-Spec: 21")
                .getBytes(StandardCharsets.UTF_8) : bytes, 0);
        RebuildEnvironment only17 = new RebuildEnvironment(env.sandbox(), env.cacheRoot(), Map.of(17, env.jdks().get(17)),
                env.mavenRepository(), env.npmRegistry(), env.limits());
        RebuildEnvironment saved = env;
        env = only17;
        try {
            RebuildReport r = scanAndRebuild(jdk21).rebuild();
            assertEquals(RebuildVerdict.UNSUPPORTED_ENV, r.rebuildVerdict());
            assertEquals(Optional.of("built with JDK 21 (Build-Jdk-Spec: 21); this machine has JDK [17]"), r.reason());
            assertEquals("21", r.instructions().orElseThrow().toolchain().get("jdk"));
            assertEquals(Verdict.NO_SOURCE, r.verdict());
            assertEquals(List.of(), r.files());
        } finally {
            env = saved;
        }
    }

    /** The jar with each entry's bytes passed through {@code edit} and every time moved by {@code shiftMillis}. */
    static byte[] rewrite(byte[] jar, BiFunction<String, byte[], byte[]> edit, long shiftMillis) throws IOException {
        Path tmp = Files.createTempFile("jar", ".jar");
        try {
            Files.write(tmp, jar);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipFile in = ZipFile.builder().setPath(tmp).get(); ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
                List<ZipArchiveEntry> entries = new ArrayList<>(Collections.list(in.getEntries()));
                for (ZipArchiveEntry e : entries) {
                    byte[] content = in.getInputStream(e).readAllBytes();
                    ZipArchiveEntry n = new ZipArchiveEntry(e.getName());
                    n.setTime(e.getTime() + shiftMillis);
                    n.setUnixMode(e.getUnixMode());
                    out.putArchiveEntry(n);
                    out.write(e.isDirectory() ? content : edit.apply(e.getName(), content));
                    out.closeArchiveEntry();
                }
            }
            return bytes.toByteArray();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static byte[] replace(byte[] bytes, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = bytes.clone();
        for (int i = 0; i + f.length <= out.length; i++) {
            if (java.util.Arrays.equals(out, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(to.getBytes(StandardCharsets.ISO_8859_1), 0, out, i, f.length);
                return out;
            }
        }
        throw new AssertionError(from + " not found");
    }
}
