package dev.divergence.registry.maven;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.LocalMaven;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.RefMethod;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a Maven release is tied to its commit in real histories: tags named after the repository or the project
 * ({@code SLF4J_1.3.0}, {@code POOL_2_2}, {@code v_1.7.8}), manifests of another project in a shared history
 * (apache/commons-validator starts with commons-net's commits), a published POM that declares {@code 1.0-dev}, and
 * sources jars built on Windows among several commits declaring the version.
 */
class MavenLocateTest {

    @TempDir
    Path dir;

    private static final byte[] CLASS = {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61};

    private static String pom(String group, String artifact, String version) {
        return "<project><modelVersion>4.0.0</modelVersion><groupId>" + group + "</groupId><artifactId>" + artifact
                + "</artifactId><version>" + version + "</version></project>\n";
    }

    private static String projectXml(String id, String version) {
        return "<?xml version=\"1.0\"?>\n<project>\n  <pomVersion>3</pomVersion>\n  <id>" + id + "</id>\n"
                + "  <currentVersion>" + version + "</currentVersion>\n</project>\n";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes {@code files} (by suffix) as {@code group:artifact:version} and scans it against {@code repo}. */
    private ReleaseReport scan(Path repo, String group, String artifact, String version, Map<String, byte[]> files)
            throws Exception {
        Path m2 = java.nio.file.Files.createTempDirectory(dir, "m2");
        try (LocalMaven maven = new LocalMaven(m2, group, artifact)) {
            maven.metadata(List.of(version));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                maven.file(version, f.getKey(), f.getValue(), null);
            }
            MavenSupport support = new MavenSupport(maven.baseUrl(), ScanWorld.fetcher());
            Release release = support.registry().releases(PackageId.parse("pkg:maven/" + group + "/" + artifact)).get(0);
            return ScanWorld.scanner(support, m2).scan(release, Optional.of(repo.toString()));
        }
    }

    // ---- tags named after the repository, or after the artifactId without its digits -----------------------------

    private static SortedMap<String, byte[]> slf4j(String version, String body) {
        return files("pom.xml", "<project><groupId>org.slf4j</groupId><artifactId>slf4j-parent</artifactId><version>"
                        + version + "</version><packaging>pom</packaging><modules><module>slf4j-api</module></modules>"
                        + "</project>\n",
                "slf4j-api/pom.xml", "<project><parent><groupId>org.slf4j</groupId><artifactId>slf4j-parent</artifactId>"
                        + "<version>" + version + "</version></parent><artifactId>slf4j-api</artifactId></project>\n",
                "slf4j-api/src/main/java/org/slf4j/Logger.java", "package org.slf4j;\npublic interface Logger {" + body
                        + "}\n");
    }

    @Test
    void aTagNamedAfterTheRepositoryOrSpelledVUnderscoreIsTheVersionsTag() throws Exception {
        // qos-ch/slf4j tags SLF4J_1.3.0 (the repository's name) and v_1.7.8; the module is slf4j-api. The version's
        // tagged commit is followed by a commit that still declares it and changes the code (never released).
        Path repo = dir.resolve("slf4j");
        String tagged130;
        String tagged178;
        try (GitHistoryBuilder git = GitHistoryBuilder.init(repo)) {
            tagged130 = git.commit(slf4j("1.3.0", ""), "1.3.0", Instant.parse("2007-01-01T00:00:00Z"));
            git.tag("SLF4J_1.3.0", true);
            git.commit(slf4j("1.3.0", " void later();"), "after the release", Instant.parse("2007-01-02T00:00:00Z"));
            tagged178 = git.commit(slf4j("1.7.8", " void trace();"), "1.7.8", Instant.parse("2014-01-01T00:00:00Z"));
            git.tag("v_1.7.8", false);
            git.commit(slf4j("1.7.8", " void trace(); void debug();"), "work", Instant.parse("2014-01-02T00:00:00Z"));
        }
        ReleaseReport r130 = scan(repo, "org.slf4j", "slf4j-api", "1.3.0", Map.of(".jar",
                LocalMaven.jar(Map.of("org/slf4j/Logger.class", CLASS))));
        assertEquals(RefMethod.TAG, r130.ref().method(), r130.ref().note().orElse(""));
        assertEquals("SLF4J_1.3.0", r130.ref().tag().orElseThrow());
        assertEquals(tagged130, r130.ref().commit().orElseThrow());
        ReleaseReport r178 = scan(repo, "org.slf4j", "slf4j-api", "1.7.8", Map.of(".jar",
                LocalMaven.jar(Map.of("org/slf4j/Logger.class", CLASS))));
        assertEquals(RefMethod.TAG, r178.ref().method(), r178.ref().note().orElse(""));
        assertEquals("v_1.7.8", r178.ref().tag().orElseThrow());
        assertEquals(tagged178, r178.ref().commit().orElseThrow());
    }

    /**
     * slf4j 1.7.8 and 1.7.19: the v_ tag's commit declares the version's own snapshot and the deployed POM the version;
     * the next commit (the following snapshot) holds more of the jar's files but adds a dependency. The tag is the
     * version's commit; a tag on another version's snapshot is still set aside.
     */
    @Test
    void aTagOnTheVersionsOwnSnapshotIsTheVersionsTag() throws Exception {
        Path repo = dir.resolve("slf4j-snapshot");
        String tagged;
        try (GitHistoryBuilder git = GitHistoryBuilder.init(repo)) {
            git.commit(slf4j("1.7.7-SNAPSHOT", ""), "1.7.7 line", Instant.parse("2014-01-01T00:00:00Z"));
            git.tag("v_1.7.6", false);
            tagged = git.commit(slf4j("1.7.8-SNAPSHOT", " void trace();"), "1.7.8", Instant.parse("2014-02-01T00:00:00Z"));
            git.tag("v_1.7.8", false);
            git.commit(with(slf4j("1.7.9-SNAPSHOT", " void trace();"), "slf4j-api/src/main/java/org/slf4j/Marker.java",
                    "package org.slf4j;\npublic interface Marker {}\n"), "next", Instant.parse("2014-02-02T00:00:00Z"));
        }
        Map<String, byte[]> published = Map.of(".jar", LocalMaven.jar(Map.of("org/slf4j/Logger.class", CLASS,
                "org/slf4j/Marker.class", CLASS)));
        ReleaseReport r = scan(repo, "org.slf4j", "slf4j-api", "1.7.8", published);
        assertEquals(RefMethod.TAG, r.ref().method(), r.ref().note().orElse(""));
        assertEquals(tagged, r.ref().commit().orElseThrow());
        assertTrue(r.ref().note().orElse("").contains("the version's own snapshot"), r.ref().note().orElse(""));
        ReleaseReport r176 = scan(repo, "org.slf4j", "slf4j-api", "1.7.6", Map.of(".jar",
                LocalMaven.jar(Map.of("org/slf4j/Logger.class", CLASS))));
        assertNotEquals(RefMethod.TAG, r176.ref().method(), r176.ref().note().orElse(""));
    }

    @Test
    void theArtifactsOwnTagWinsOverOneNamedAfterTheProjectWithoutItsDigits() throws Exception {
        // apache/commons-pool: commons-pool2 2.6.1 tagged commons-pool-2.6.1 and POOL_2_2 for 2.2; a tag spelled with the
        // artifactId itself, when there is one, is preferred to the looser spelling on another commit.
        Path repo = dir.resolve("commons-pool");
        String pool22;
        String own;
        try (GitHistoryBuilder git = GitHistoryBuilder.init(repo)) {
            SortedMap<String, byte[]> v22 = files("pom.xml", pom("org.apache.commons", "commons-pool2", "2.2"),
                    "src/main/java/org/apache/commons/pool2/Pool.java", "package org.apache.commons.pool2;\nclass Pool {}\n");
            pool22 = git.commit(v22, "2.2", Instant.parse("2014-01-01T00:00:00Z"));
            git.tag("POOL_2_2", true);
            git.commit(with(v22, "src/main/java/org/apache/commons/pool2/Extra.java", "class Extra {}\n"),
                    "after 2.2, same version", Instant.parse("2014-01-02T00:00:00Z"));
            SortedMap<String, byte[]> v261 = files("pom.xml", pom("org.apache.commons", "commons-pool2", "2.6.1"),
                    "src/main/java/org/apache/commons/pool2/Pool.java", "package org.apache.commons.pool2;\nclass Pool { }\n");
            git.commit(v261, "2.6.1 candidate", Instant.parse("2018-01-01T00:00:00Z"));
            git.tag("commons-pool-2.6.1", true);
            own = git.commit(with(v261, "README.md", "2.6.1\n"), "2.6.1", Instant.parse("2018-01-02T00:00:00Z"));
            git.tag("commons-pool2-2.6.1", true);
        }
        Map<String, byte[]> jar = Map.of(".jar", LocalMaven.jar(Map.of("org/apache/commons/pool2/Pool.class", CLASS)));
        ReleaseReport r22 = scan(repo, "org.apache.commons", "commons-pool2", "2.2", jar);
        assertEquals(RefMethod.TAG, r22.ref().method(), r22.ref().note().orElse(""));
        assertEquals("POOL_2_2", r22.ref().tag().orElseThrow());
        assertEquals(pool22, r22.ref().commit().orElseThrow());
        ReleaseReport r261 = scan(repo, "org.apache.commons", "commons-pool2", "2.6.1", jar);
        assertEquals(RefMethod.TAG, r261.ref().method());
        assertEquals("commons-pool2-2.6.1", r261.ref().tag().orElseThrow());
        assertEquals(own, r261.ref().commit().orElseThrow());
        assertTrue(r261.ref().candidates().stream().anyMatch(c -> c.startsWith("tag:commons-pool-2.6.1=")),
                r261.ref().candidates().toString());
    }

    @Test
    void aTagOnACommitHoldingAnotherProjectsManifestIsNotTheVersionsTag() throws Exception {
        // adversarial: one repository, two projects. ACME_2_0 (the repository's name) is the legacy acme's 2.0; the
        // looser spelling must not make it acme2's 2.0, whose own commit only its manifest history finds.
        Path repo = dir.resolve("acme");
        String legacy;
        String own;
        try (GitHistoryBuilder git = GitHistoryBuilder.init(repo)) {
            legacy = git.commit(files("pom.xml", pom("org.acme", "acme", "2.0"),
                    "src/main/java/org/acme/Old.java", "package org.acme;\nclass Old {}\n"), "acme 2.0",
                    Instant.parse("2010-01-01T00:00:00Z"));
            git.tag("ACME_2_0", true);
            own = git.commit(files("pom.xml", pom("org.acme", "acme2", "2.0"),
                    "src/main/java/org/acme2/New.java", "package org.acme2;\nclass New {}\n"), "acme2 2.0",
                    Instant.parse("2015-01-01T00:00:00Z"));
        }
        ReleaseReport r = scan(repo, "org.acme", "acme2", "2.0", Map.of(".jar",
                LocalMaven.jar(Map.of("org/acme2/New.class", CLASS))));
        assertEquals(RefMethod.MANIFEST_HISTORY, r.ref().method(), r.ref().note().orElse(""));
        assertEquals(own, r.ref().commit().orElseThrow());
        assertTrue(r.ref().candidates().contains("tag:ACME_2_0=" + legacy), r.ref().candidates().toString());
        assertTrue(r.ref().note().orElseThrow().contains("tag ACME_2_0 (" + legacy.substring(0, 12)
                + ") is not a match: its manifest is another project's (acme)"), r.ref().note().orElseThrow());
    }

    // ---- the project's own manifest, and what the published POM declares -----------------------------------------

    /**
     * commons-validator's history: commons-net's commit (project.xml {@code <id>commons-net</id>}, 1.0.0), then the
     * validator's own (1.0-dev) tagged VALIDATOR_1_0 when {@code tag}; the jar's classes are the validator's.
     */
    private ReleaseReport validator(boolean tag, String publishedPomVersion) throws Exception {
        Path repo = dir.resolve("commons-validator");
        SortedMap<String, byte[]> net = files("project.xml", projectXml("commons-net", "1.0.0"),
                "src/java/org/apache/commons/net/Ftp.java", "package org.apache.commons.net;\nclass Ftp {}\n",
                "src/java/org/apache/commons/validator/Field.java", "package org.apache.commons.validator;\nclass Field {}\n");
        SortedMap<String, byte[]> validator = files("project.xml", projectXml("commons-validator", "1.0-dev"),
                "src/share/org/apache/commons/validator/Field.java", "package org.apache.commons.validator;\nclass Field {}\n",
                "src/share/org/apache/commons/validator/Form.java", "package org.apache.commons.validator;\nclass Form {}\n");
        try (GitHistoryBuilder git = GitHistoryBuilder.init(repo)) {
            git.commit(net, "commons-net", Instant.parse("2002-01-01T00:00:00Z"));
            git.commit(validator, "validator 1.0", Instant.parse("2003-01-01T00:00:00Z"));
            if (tag) {
                git.tag("VALIDATOR_1_0", false);
            }
        }
        return scan(repo, "commons-validator", "commons-validator", "1.0", Map.of(
                ".pom", utf8(pom("commons-validator", "commons-validator", publishedPomVersion)),
                ".jar", LocalMaven.jar(Map.of("org/apache/commons/validator/Field.class", CLASS,
                        "org/apache/commons/validator/Form.class", CLASS))));
    }

    @Test
    void aTagWhoseManifestDeclaresWhatThePublishedPomDeclaresIsUsed() throws Exception {
        // commons-validator 1.0: the published POM says <version>1.0-dev</version>, and so does VALIDATOR_1_0's project.xml
        ReleaseReport r = validator(true, "1.0-dev");
        assertEquals(RefMethod.TAG, r.ref().method(), r.ref().note().orElse(""));
        assertEquals("VALIDATOR_1_0", r.ref().tag().orElseThrow());
        assertTrue(r.ref().note().orElseThrow().contains("declares 1.0-dev, as the published manifest does"),
                r.ref().note().orElseThrow());
    }

    @Test
    void aTagWhoseManifestDeclaresAnotherVersionThanThePublishedPomStaysSetAside() throws Exception {
        // negative: the POM says 1.0 (what the registry lists), the tag's manifest 1.0-dev: a disagreement, as before
        ReleaseReport r = validator(true, "1.0");
        assertNotEquals(RefMethod.TAG, r.ref().method(), r.ref().note().orElse(""));
        assertTrue(r.ref().candidates().stream().anyMatch(c -> c.startsWith("tag:VALIDATOR_1_0=")),
                r.ref().candidates().toString());
        assertTrue(r.ref().commit().isEmpty(), "nothing else ties it to a commit: " + r.ref().commit());
    }

    @Test
    void anotherProjectsManifestInASharedHistoryNeverDeclaresTheVersion() throws Exception {
        // without the tag, commons-net's project.xml (currentVersion 1.0.0 = 1.0) must not make its commit the baseline
        ReleaseReport r = validator(false, "1.0-dev");
        assertNotEquals(RefMethod.MANIFEST_HISTORY, r.ref().method(), r.ref().note().orElse(""));
        assertTrue(r.ref().candidates().stream().noneMatch(c -> c.startsWith("manifest:")), r.ref().candidates().toString());
        assertTrue(r.ref().manifestVersion().isEmpty() || !r.ref().manifestVersion().get().equals("1.0.0"),
                r.ref().manifestVersion().toString());
    }

    @Test
    void theProjectsOwnManifestIsReadAndAnAggregatorOfItsGroupToo() {
        Release core = new Release(PackageId.parse("pkg:maven/org.acme/acme-core"), "2.0", List.of(),
                Optional.empty(), false, Optional.empty(), dev.divergence.model.SourceHints.none());
        MavenLocator l = new MavenLocator();
        assertEquals(Optional.of("2.0"), l.versionIn("pom.xml", utf8(pom("org.acme", "acme-core", "2.0")), core));
        assertEquals(Optional.of("2.0"), l.versionIn("pom.xml", utf8("<project><groupId>org.acme</groupId><artifactId>"
                + "acme-parent</artifactId><version>2.0</version><modules><module>core</module></modules></project>"), core));
        assertEquals(Optional.of("2.0"), l.versionIn("project.xml", utf8(projectXml("acme-core", "2.0")), core));
        // a manifest naming no artifactId (inherited) cannot say whose it is: read as before
        assertEquals(Optional.of("2.0"), l.versionIn("pom.xml", utf8("<project><version>2.0</version></project>"), core));
        // another project's: a sibling module, another group's aggregator, a Maven 1 project of another id
        assertEquals(Optional.empty(), l.versionIn("pom.xml", utf8(pom("org.acme", "acme-cli", "2.0")), core));
        assertEquals(Optional.empty(), l.versionIn("pom.xml", utf8("<project><groupId>org.other</groupId><artifactId>"
                + "acme-parent</artifactId><version>2.0</version><modules><module>core</module></modules></project>"), core));
        assertEquals(Optional.empty(), l.versionIn("project.xml", utf8(projectXml("commons-net", "2.0")), core));
    }

    // ---- a sources jar built on Windows among several commits declaring the version --------------------------------

    private static String crlf(String lf) {
        return lf.replace("\n", "\r\n");
    }

    /**
     * Three commits declare 2.0.0-alpha0 (slf4j's "start 2.0.0-alpha0", then work, then the release state); none is
     * tagged. The sources jar ships the last one's sources with CRLF line endings, {@code payload} appended to B.java.
     */
    private ReleaseReport windowsBuiltUntaggedRelease(String payload) throws Exception {
        Path repo = dir.resolve("acme");
        String pom = pom("org.acme", "acme-core", "2.0.0-alpha0");
        SortedMap<String, byte[]> start = files("pom.xml", pom,
                "src/main/java/org/acme/A.java", "package org.acme;\n\npublic class A {\n}\n",
                "src/main/java/org/acme/B.java", "package org.acme;\n\npublic class B {\n}\n",
                "src/main/java/org/acme/C.java", "package org.acme;\n\npublic class C {\n}\n");
        SortedMap<String, byte[]> work = with(start, "src/main/java/org/acme/A.java",
                "package org.acme;\n\npublic class A {\n  int a;\n}\n");
        SortedMap<String, byte[]> done = with(work, "src/main/java/org/acme/B.java",
                "package org.acme;\n\npublic class B {\n  int b;\n}\n",
                "src/main/java/org/acme/C.java", "package org.acme;\n\npublic class C {\n  int c;\n}\n");
        try (GitHistoryBuilder git = GitHistoryBuilder.init(repo)) {
            git.commit(files("pom.xml", pom("org.acme", "acme-core", "1.8.0")), "1.8.0", Instant.parse("2018-01-01T00:00:00Z"));
            git.commit(start, "start 2.0.0-alpha0", Instant.parse("2019-04-28T00:00:00Z"));
            git.commit(work, "work", Instant.parse("2019-05-01T00:00:00Z"));
            git.commit(done, "release state", Instant.parse("2019-06-13T00:00:00Z"));
            git.commit(files("pom.xml", pom("org.acme", "acme-core", "2.0.0-alpha1-SNAPSHOT")), "next",
                    Instant.parse("2019-07-01T00:00:00Z"));
        }
        Map<String, byte[]> sources = new LinkedHashMap<>();
        for (String c : List.of("A", "B", "C")) {
            String text = crlf(new String(done.get("src/main/java/org/acme/" + c + ".java"), StandardCharsets.UTF_8));
            sources.put("org/acme/" + c + ".java", utf8(c.equals("B") ? text + payload : text));
        }
        return scan(repo, "org.acme", "acme-core", "2.0.0-alpha0", Map.of("-sources.jar", LocalMaven.jar(sources)));
    }

    @Test
    void amongCommitsDeclaringTheVersionTheOneHoldingItsSourcesAfterLineEndingNormalisationIsChosen() throws Exception {
        ReleaseReport r = windowsBuiltUntaggedRelease("");
        assertEquals(RefMethod.MANIFEST_HISTORY, r.ref().method());
        assertTrue(r.ref().note().orElseThrow().contains("manifest-history commits scored after line-ending normalisation"),
                r.ref().note().orElseThrow());
        ArtifactReport sources = artifact(r, "-sources.jar");
        for (String c : List.of("A", "B", "C")) {
            assertEquals(FileStatus.MATCH_NORMALIZED, row(sources, "org/acme/" + c + ".java").status(), c);
        }
        assertTrue(sources.divergentPaths().isEmpty(), sources.divergentPaths().toString());
    }

    @Test
    void aPayloadInAWindowsBuiltSourcesJarStaysModifiedAgainstTheChosenCommit() throws Exception {
        ReleaseReport r = windowsBuiltUntaggedRelease("class Evil { static { Runtime.getRuntime(); } }\r\n");
        ArtifactReport sources = artifact(r, "-sources.jar");
        assertEquals(FileStatus.MATCH_NORMALIZED, row(sources, "org/acme/C.java").status());
        assertEquals(FileStatus.MODIFIED, row(sources, "org/acme/B.java").status());
        assertEquals(List.of("org/acme/B.java"), sources.divergentPaths());
        assertFalse(r.verdict() == dev.divergence.model.Verdict.CLEAN
                || r.verdict() == dev.divergence.model.Verdict.EXPLAINED, r.verdict().toString());
    }

    // ---- Maven 1 versions naming their build time (yyyyMMdd.HHmmss), with no publication time from the registry ----

    private static final String LICENSE = "Apache License\n";

    /**
     * commons-net's history in small: the licence never changes (the only artifact file a commit holds byte for
     * byte), B.java is added on 2003-06-23 at 12:47:39 and removed again in 2004; project.xml declares 1.0-dev
     * throughout. Returns the commits: before, at and after the build time 20030623.125255.
     */
    private List<String> timestampHistory(Path repo) throws IOException {
        String a = "package org.apache.commons.net;\nclass A {}\n";
        String b = "package org.apache.commons.net;\nclass B {}\n";
        try (GitHistoryBuilder git = GitHistoryBuilder.init(repo)) {
            String c1 = git.commit(files("project.xml", projectXml("commons-net", "1.0-dev"), "LICENSE.txt", LICENSE,
                    "src/java/org/apache/commons/net/A.java", a), "1.0", Instant.parse("2003-01-01T00:00:00Z"));
            String c2 = git.commit(files("project.xml", projectXml("commons-net", "1.0-dev"), "LICENSE.txt", LICENSE,
                    "src/java/org/apache/commons/net/A.java", a, "src/java/org/apache/commons/net/B.java", b),
                    "add B", Instant.parse("2003-06-23T12:47:39Z"));
            String c3 = git.commit(files("project.xml", projectXml("commons-net", "1.0-dev"), "LICENSE.txt", LICENSE,
                    "src/java/org/apache/commons/net/A.java", a), "drop B", Instant.parse("2004-03-01T00:00:00Z"));
            git.tag("NET_1_0_0", false); // a lower version in Maven's order, released after the build time
            return List.of(c1, c2, c3);
        }
    }

    private ReleaseReport timestampRelease(Path repo, String version, String... extraClasses) throws Exception {
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/LICENSE.txt", utf8(LICENSE));
        jar.put("org/apache/commons/net/A.class", CLASS);
        jar.put("org/apache/commons/net/B.class", CLASS);
        for (String c : extraClasses) {
            jar.put(c, CLASS);
        }
        return scan(repo, "commons-net", "commons-net", version, Map.of(".jar", LocalMaven.jar(jar)));
    }

    @Test
    void aVersionNamingItsBuildTimeChoosesTheNewestEquallyGoodCommitBeforeIt() throws Exception {
        Path repo = dir.resolve("commons-net-ts");
        List<String> commits = timestampHistory(repo);
        // every commit holds the licence, nothing else byte for byte: a tie, which the build time breaks (not the
        // newest commit of all, which no longer has B.java)
        ReleaseReport r = timestampRelease(repo, "20030623.125255");
        assertEquals(RefMethod.BLOB_OVERLAP, r.ref().method(), r.ref().note().orElse(""));
        assertEquals(commits.get(1), r.ref().commit().orElseThrow(), r.ref().note().orElse(""));
        assertTrue(artifact(r, ".jar").divergentPaths().isEmpty(), artifact(r, ".jar").divergentPaths().toString());
        // the repository holds commits after the build time: it is not older than the release, although the
        // version sorts above every version it declares (commons-codec 20041127.091804 was flagged so)
        assertFalse(r.ref().repositoryOlder(), r.ref().note().orElse(""));
        // 1.0.0 sorts below it but was released after it was built: no roll-back from it (commons-codec
        // 20041127.091804 was said to roll back from 1.22.1)
        assertFalse(r.reason().orElse("").contains("baseline older than a previous release"), r.reason().orElse(""));
        assertFalse(r.ref().note().orElse("").contains("baseline older than a previous release"),
                r.ref().note().orElse(""));
        // a bare date bounds the end of its day
        ReleaseReport day = timestampRelease(repo, "20030623");
        assertEquals(commits.get(1), day.ref().commit().orElseThrow(), day.ref().note().orElse(""));
    }

    @Test
    void theBuildTimeOnlyBreaksTiesAndExplainsNoContent() throws Exception {
        Path repo = dir.resolve("commons-net-ts2");
        List<String> commits = timestampHistory(repo);
        // a class with no source in any commit stays unexplained against the commit the build time chose
        ReleaseReport payload = timestampRelease(repo, "20030623.125255", "org/apache/commons/net/Evil.class");
        assertEquals(commits.get(1), payload.ref().commit().orElseThrow());
        assertEquals(List.of("org/apache/commons/net/Evil.class"), artifact(payload, ".jar").divergentPaths());
        assertFalse(payload.verdict() == dev.divergence.model.Verdict.CLEAN
                || payload.verdict() == dev.divergence.model.Verdict.EXPLAINED, payload.verdict().toString());
        // a build time after the newest commit by more than a day: the repository is older than the release
        ReleaseReport later = timestampRelease(repo, "20090101.000000");
        assertTrue(later.ref().repositoryOlder(), later.ref().note().orElse(""));
        assertEquals(commits.get(2), later.ref().commit().orElseThrow());
        // an ordinary number that is no date (month 13) bounds nothing: the newest tied commit, as without a time
        ReleaseReport number = timestampRelease(repo, "20031301.000000");
        assertEquals(commits.get(2), number.ref().commit().orElseThrow());
    }

    // ---- a stale Maven 1 project.xml beside the Ant build.xml that built the release -----------------------------

    /**
     * commons-beanutils 1.4.1: the tag's project.xml still says 1.0-dev while the build.xml that built the jar
     * (Created-By Ant) declares {@code buildXmlProperty}; an earlier commit is the 1.4 release. Scanned as 1.4.1.
     */
    private ReleaseReport beanutils(String buildXmlProperty) throws Exception {
        Path repo = dir.resolve("commons-beanutils-" + Math.abs(buildXmlProperty.hashCode()));
        String bean = "package org.apache.commons.beanutils;\nclass BeanUtils {}\n";
        String fix = "package org.apache.commons.beanutils;\nclass Fix {}\n";
        String build14 = "<project name=\"Bean Utilities\" default=\"compile\" basedir=\".\">\n"
                + "  <property name=\"component.version\" value=\"1.4\"/>\n</project>\n";
        String build141 = "<project name=\"Bean Utilities\" default=\"compile\" basedir=\".\">\n"
                + "  <property name=\"junit.version\" value=\"3.7\"/>\n  " + buildXmlProperty + "\n</project>\n";
        try (GitHistoryBuilder git = GitHistoryBuilder.init(repo)) {
            git.commit(files("project.xml", projectXml("commons-beanutils", "1.0-dev"), "build.xml", build14,
                    "src/java/org/apache/commons/beanutils/BeanUtils.java", bean), "1.4",
                    Instant.parse("2002-08-01T00:00:00Z"));
            git.tag("BEANUTILS_1_4", false);
            git.commit(files("project.xml", projectXml("commons-beanutils", "1.0-dev"), "build.xml", build141,
                    "src/java/org/apache/commons/beanutils/BeanUtils.java", bean,
                    "src/java/org/apache/commons/beanutils/Fix.java", fix), "1.4.1",
                    Instant.parse("2002-08-10T00:00:00Z"));
            git.tag("BEANUTILS_1_4_1", false);
        }
        return scan(repo, "commons-beanutils", "commons-beanutils", "1.4.1", Map.of(
                ".jar", LocalMaven.jar(Map.of("org/apache/commons/beanutils/BeanUtils.class", CLASS,
                        "org/apache/commons/beanutils/Fix.class", CLASS))));
    }

    @Test
    void aTagIsNotSetAsideByAStaleManifestWhenTheBuildXmlDeclaresTheVersion() throws Exception {
        ReleaseReport r = beanutils("<property name=\"component.version\"       value=\"1.4.1\"/>");
        assertEquals(RefMethod.TAG, r.ref().method(), r.ref().note().orElse(""));
        assertEquals("BEANUTILS_1_4_1", r.ref().tag().orElseThrow());
        assertTrue(r.ref().note().orElseThrow().contains("its manifest declares 1.0-dev, its build.xml declares the "
                + "version"), r.ref().note().orElseThrow());
        assertTrue(artifact(r, ".jar").divergentPaths().isEmpty(), artifact(r, ".jar").divergentPaths().toString());
    }

    @Test
    void aTagStaysSetAsideWhenNoBuildFileDeclaresTheVersion() throws Exception {
        // another version, a dependency's version property, a property the build fills in: none declares 1.4.1
        for (String property : List.of("<property name=\"component.version\" value=\"1.4.2\"/>",
                "<property name=\"ant.version\" value=\"1.4.1\"/>",
                "<property name=\"component.version\" value=\"${release}\"/>",
                "<target name=\"x\"><property name=\"component.version\" value=\"1.4.1\"/></target>")) {
            ReleaseReport r = beanutils(property);
            assertNotEquals(RefMethod.TAG, r.ref().method(), property + ": " + r.ref().note().orElse(""));
            assertTrue(r.ref().candidates().stream().anyMatch(c -> c.startsWith("tag:BEANUTILS_1_4_1=")),
                    r.ref().candidates().toString());
            assertTrue(r.ref().commit().isEmpty(), property + ": nothing else ties it to a commit: " + r.ref().commit());
        }
    }
}
