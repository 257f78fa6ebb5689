package dev.divergence.registry.maven;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"))) {
            git.commit(tree, "release " + version, Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v" + version, true);
        }
        try (LocalMaven repo = new LocalMaven(dir.resolve("m2"), "org.acme", "acme-core")) {
            repo.metadata(List.of(version));
            repo.file(version, ".pom", tree.get("pom.xml"), null);
            repo.file(version, ".jar", LocalMaven.jar(jarEntries), null);
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
}
