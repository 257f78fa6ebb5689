package dev.divergence.registry.maven;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a compiled class's source is when no {@code .java} of its name is in the voted source root: a second top-level
 * type of a file of its package (commons-net's {@code ThreadContainer} in {@code Threader.java}), or a second source
 * root the build compiles into the same jar (commons-beanutils 1.7's {@code optional/bean-collections/src/java}, by an
 * Ant sub-build). The class is then judged against that file as any other.
 */
class ClassSourcesTest {

    @TempDir
    Path dir;

    private static final String POM = "<project><modelVersion>4.0.0</modelVersion><groupId>org.acme</groupId>"
            + "<artifactId>acme-core</artifactId><version>2.0</version></project>\n";

    /** Threader.java as commons-net writes it: a public class and a package-private one (with an anonymous class). */
    private static final String THREADER = "package org.acme;\n\n/** Threads messages; see class Decoy (a comment). */\n"
            + "public class Threader {\n    static final String NOTE = \"class Fake {\";\n"
            + "    ThreadContainer root() {\n        return new ThreadContainer();\n    }\n}\n\n"
            + "/* class Ghost */\nclass ThreadContainer {\n    ThreadContainer child;\n"
            + "    Runnable walker() {\n        return new Runnable() {\n            public void run() {\n"
            + "                child = null;\n            }\n        };\n    }\n}\n";

    /** Tags the tree as v2.0, publishes acme-core 2.0 with the given jar entries, scans the jar. */
    private ArtifactReport scanJar(SortedMap<String, byte[]> tree, Map<String, byte[]> entries) throws Exception {
        Path world = Files.createTempDirectory(dir, "world");
        try (GitHistoryBuilder git = GitHistoryBuilder.init(world.resolve("repo"))) {
            git.commit(tree, "release 2.0", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v2.0", true);
        }
        try (LocalMaven repo = new LocalMaven(world.resolve("m2"), "org.acme", "acme-core")) {
            repo.metadata(List.of("2.0"));
            repo.file("2.0", ".pom", POM.getBytes(StandardCharsets.UTF_8), null);
            repo.file("2.0", ".jar", LocalMaven.jar(entries), null);
            MavenSupport support = new MavenSupport(repo.baseUrl(), ScanWorld.fetcher());
            Release r = support.registry().releases(PackageId.parse("pkg:maven/org.acme/acme-core")).get(0);
            return artifact(ScanWorld.scanner(support, world).scan(r, Optional.of(world.resolve("repo").toString())), ".jar");
        }
    }

    private static void assertCompiledFrom(ArtifactReport a, String classPath, String sourcePath) {
        FileDivergence f = row(a, classPath);
        assertEquals(FileStatus.GENERATED, f.status(), classPath + " " + f.detail());
        assertEquals(MavenGeneratedFiles.CLASS_FROM_SOURCE, f.ruleId(), classPath);
        assertEquals(sourcePath, f.sourcePath().orElseThrow(), classPath);
    }

    private static void assertWithoutSource(ArtifactReport a, String classPath) {
        FileDivergence f = row(a, classPath);
        assertEquals(FileStatus.PHANTOM, f.status(), classPath);
        assertEquals(MavenGeneratedFiles.CLASS_WITHOUT_SOURCE, f.ruleId(), classPath);
        assertTrue(f.riskFlags().contains(dev.divergence.model.RiskFlag.CODE), classPath);
    }

    @Test
    void topLevelTypesAreReadFromCodeOnly() {
        String source = "package a;\nimport b.Foo;\n@Anno(value = Foo.class, name = \"class Str\")\n"
                + "public final class Main<T extends Comparable<T>> {\n  class Inner {}\n  enum E { A }\n"
                + "  Object o = new Object() { class Local {} };\n}\n// class Line\n/* interface Block */\n"
                + "interface Second {}\nenum Third { X; class NestedInEnum {} }\nrecord Fourth(int x) {}\n"
                + "@interface Fifth { Class<?> c() default String.class; }\nsealed class /* c */ Sixth permits Seventh {}\n"
                + "final class Seventh extends Sixth { char q = '\"'; String s = \"\\\" class Esc {\"; }\n";
        assertEquals(Set.of("Main", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh"),
                SourceNames.topLevelTypes(source));
    }

    @Test
    void aSecondTopLevelClassIsComparedWithTheFileOfItsPackageThatDeclaresIt() throws Exception {
        Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Threader.java", THREADER),
                "--release", "8"));
        assertTrue(jar.containsKey("org/acme/ThreadContainer$1.class"), jar.keySet().toString());
        ArtifactReport a = scanJar(files("pom.xml", POM, "src/main/java/org/acme/Threader.java", THREADER), jar);
        assertCompiledFrom(a, "org/acme/Threader.class", "src/main/java/org/acme/Threader.java");
        assertCompiledFrom(a, "org/acme/ThreadContainer.class", "src/main/java/org/acme/Threader.java");
        assertCompiledFrom(a, "org/acme/ThreadContainer$1.class", "src/main/java/org/acme/Threader.java");
        assertEquals(Verdict.EXPLAINED, a.verdict());
    }

    @Test
    void aClassClaimingTheFileButNotDeclaredThereOrWithCodeItsSourceLacksIsNotExplained() throws Exception {
        // the same ThreadContainer with a process call, and classes the file names only in a comment or a string,
        // compiled from a Threader.java of their own (their SourceFile attribute says Threader.java)
        String forged = THREADER.replace("    ThreadContainer child;\n", "    ThreadContainer child;\n"
                + "    static { try { Runtime.getRuntime().exec(\"sh\"); } catch (Exception e) { } }\n");
        Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Threader.java", forged),
                "--release", "8"));
        Map<String, byte[]> decoys = LocalMaven.javac(Map.of("org/acme/Threader.java", "package org.acme;\n"
                + "public class Threader {}\nclass Decoy { static { System.getenv(); } }\nclass Fake {}\nclass Ghost {}\n"),
                "--release", "8");
        for (String name : List.of("Decoy", "Fake", "Ghost")) {
            jar.put("org/acme/" + name + ".class", decoys.get("org/acme/" + name + ".class"));
        }
        ArtifactReport a = scanJar(files("pom.xml", POM, "src/main/java/org/acme/Threader.java", THREADER), jar);
        FileDivergence container = row(a, "org/acme/ThreadContainer.class");
        assertEquals(FileStatus.MODIFIED, container.status());
        assertEquals(MavenGeneratedFiles.CLASS_CALLS_BEYOND_SOURCE, container.ruleId());
        assertEquals("src/main/java/org/acme/Threader.java", container.sourcePath().orElseThrow());
        assertTrue(container.highRisk());
        for (String name : List.of("Decoy", "Fake", "Ghost")) {
            assertWithoutSource(a, "org/acme/" + name + ".class");
        }
        assertEquals(Verdict.HIGH_RISK, a.verdict());
    }

    @Test
    void aDeclaredClassWhoseSourceFileAttributeNamesAnotherFileIsNotExplained() throws Exception {
        // ThreadContainer as Threader.java declares it, but compiled from Other.java: the attribute can only narrow
        String other = "package org.acme;\npublic class Other {}\n" + THREADER.substring(THREADER.indexOf("class ThreadContainer"));
        Map<String, byte[]> compiled = LocalMaven.javac(Map.of("org/acme/Other.java", other), "--release", "8");
        Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Threader.java", THREADER),
                "--release", "8"));
        jar.put("org/acme/ThreadContainer.class", compiled.get("org/acme/ThreadContainer.class"));
        ArtifactReport a = scanJar(files("pom.xml", POM, "src/main/java/org/acme/Threader.java", THREADER), jar);
        FileDivergence container = row(a, "org/acme/ThreadContainer.class");
        assertEquals(FileStatus.MODIFIED, container.status());
        assertEquals(MavenGeneratedFiles.CLASS_OTHER_SOURCE_FILE, container.ruleId());
        assertEquals(Verdict.DIVERGENT, a.verdict());
        // without debug information (no SourceFile attribute) the declaration stands alone
        jar.putAll(LocalMaven.javac(Map.of("org/acme/Threader.java", THREADER), "--release", "8", "-g:none"));
        assertCompiledFrom(scanJar(files("pom.xml", POM, "src/main/java/org/acme/Threader.java", THREADER), jar),
                "org/acme/ThreadContainer.class", "src/main/java/org/acme/Threader.java");
    }

    /** The main root's code (its classes give that root the most votes, as commons-beanutils' src/java has). */
    private static final String WIDGET = "package org.acme;\npublic class Widget {\n"
            + "    static class Part {}\n    static class Gear {}\n    static class Knob {}\n}\n";
    private static final String BEAN_MAP = "package org.acme;\npublic class BeanMap {\n"
            + "    Runnable r = new Runnable() { public void run() { } };\n}\n";
    private static final String EXAMPLE = "package org.acme;\npublic class Example {\n"
            + "    public static void main(String[] args) { System.out.println(args.length); }\n}\n";

    /** commons-beanutils 1.7's Ant build: its own src/java, then a sub-build compiling another root into the jar. */
    private static final String MAIN_BUILD = "<project name=\"acme\" default=\"dist\" basedir=\".\">\n"
            + "  <property name=\"source.home\" value=\"src/java\"/>\n  <property name=\"test.home\" value=\"src/test\"/>\n"
            + "  <property name=\"build.home\" value=\"target\"/>\n"
            + "  <target name=\"compile\"><javac srcdir=\"${source.home}\" destdir=\"${build.home}/classes\"/></target>\n"
            + "  <target name=\"compile.tests\"><javac srcdir=\"${test.home}\" destdir=\"${build.home}/tests\"/></target>\n"
            + "  <target name=\"dist\" depends=\"compile\"><antcall target=\"extra-dist\"/></target>\n"
            + "  <target name=\"extra-dist\">\n"
            + "    <ant antfile=\"optional/extra/build.xml\" target=\"dist\" inheritAll=\"false\"/>\n  </target>\n</project>\n";
    private static final String EXTRA_BUILD = "<project name=\"acme-extra\" default=\"dist\" basedir=\".\">\n"
            + "  <property name=\"source.home\" value=\"src/java\"/>\n  <property name=\"build.home\" value=\"target\"/>\n"
            + "  <target name=\"compile\"><javac srcdir=\"${source.home}\" destdir=\"${build.home}/classes\"/></target>\n"
            + "  <target name=\"dist\" depends=\"compile\">\n"
            + "    <jar jarfile=\"../../dist/acme.jar\" basedir=\"${build.home}/classes\" update=\"true\"/>\n  </target>\n</project>\n";

    private static SortedMap<String, byte[]> antTree(String mainBuild) {
        return files("project.xml", "<project><id>acme-core</id><currentVersion>2.0</currentVersion>"
                        + "<build><sourceDirectory>src/java</sourceDirectory></build></project>\n",
                "build.xml", mainBuild,
                "src/java/org/acme/Widget.java", WIDGET,
                "src/test/org/acme/WidgetHelper.java", "package org.acme;\npublic class WidgetHelper {}\n",
                "src/examples/org/acme/Example.java", EXAMPLE,
                "src/java/overview.html", "<html><body>Acme</body></html>\n",
                "optional/extra/build.xml", EXTRA_BUILD,
                "optional/extra/src/java/overview.html", "<html><body>Acme extras</body></html>\n",
                "optional/extra/src/java/org/acme/BeanMap.java", BEAN_MAP);
    }

    private static Map<String, byte[]> antJar() throws Exception {
        Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Widget.java", WIDGET,
                "org/acme/BeanMap.java", BEAN_MAP), "--release", "8"));
        jar.putAll(LocalMaven.javac(Map.of("org/acme/Example.java", EXAMPLE,
                "org/acme/WidgetHelper.java", "package org.acme;\npublic class WidgetHelper {}\n"), "--release", "8"));
        jar.put("overview.html", "<html><body>Acme extras</body></html>\n".getBytes(StandardCharsets.UTF_8));
        return jar;
    }

    @Test
    void aClassFromASourceRootAnAntSubBuildCompilesIsComparedWithThatRoot() throws Exception {
        ArtifactReport a = scanJar(antTree(MAIN_BUILD), antJar());
        assertCompiledFrom(a, "org/acme/Widget.class", "src/java/org/acme/Widget.java");
        assertCompiledFrom(a, "org/acme/BeanMap.class", "optional/extra/src/java/org/acme/BeanMap.java");
        assertCompiledFrom(a, "org/acme/BeanMap$1.class", "optional/extra/src/java/org/acme/BeanMap.java");
        // a folder no build names as a jar's source root: examples, and tests compiled elsewhere
        assertWithoutSource(a, "org/acme/Example.class");
        assertWithoutSource(a, "org/acme/WidgetHelper.class");
        // both roots hold overview.html; the sub-build's copy, updated into the jar last, is the one shipped
        FileDivergence overview = row(a, "overview.html");
        assertEquals(FileStatus.MATCH, overview.status());
        assertEquals("optional/extra/src/java/overview.html", overview.sourcePath().orElseThrow());
        Map<String, byte[]> changed = antJar();
        changed.put("overview.html", "<html><body>Acme extras<script src=//evil></script></body></html>\n"
                .getBytes(StandardCharsets.UTF_8));
        FileDivergence modified = row(scanJar(antTree(MAIN_BUILD), changed), "overview.html");
        assertEquals(FileStatus.MODIFIED, modified.status());
        assertEquals("src/java/overview.html", modified.sourcePath().orElseThrow());
    }

    @Test
    void aRootNoBuildFileNamesExplainsNothing() throws Exception {
        // the same tree without the sub-build call: optional/extra/src/java holds the file, but nothing compiles it
        String noCall = MAIN_BUILD.replace("    <ant antfile=\"optional/extra/build.xml\" target=\"dist\" inheritAll=\"false\"/>\n", "");
        ArtifactReport a = scanJar(antTree(noCall), antJar());
        assertCompiledFrom(a, "org/acme/Widget.class", "src/java/org/acme/Widget.java");
        assertWithoutSource(a, "org/acme/BeanMap.class");
        assertFalse(a.verdict() == Verdict.EXPLAINED || a.verdict() == Verdict.CLEAN);
    }

    @Test
    void aClassFromARootTheBuildHelperPluginAddsIsComparedWithThatRoot() throws Exception {
        String pom = POM.replace("</project>", "<build><plugins><plugin><groupId>org.codehaus.mojo</groupId>"
                + "<artifactId>build-helper-maven-plugin</artifactId><executions><execution><id>extra</id>"
                + "<phase>generate-sources</phase><goals><goal>add-source</goal></goals><configuration><sources>"
                + "<source>${project.basedir}/src/extra/java</source></sources></configuration></execution></executions>"
                + "</plugin></plugins></build></project>");
        Map<String, byte[]> jar = new LinkedHashMap<>(LocalMaven.javac(Map.of("org/acme/Widget.java", WIDGET,
                "org/acme/BeanMap.java", BEAN_MAP), "--release", "8"));
        SortedMap<String, byte[]> tree = files("pom.xml", pom, "src/main/java/org/acme/Widget.java", WIDGET,
                "src/extra/java/org/acme/BeanMap.java", BEAN_MAP);
        ArtifactReport a = scanJar(tree, jar);
        assertCompiledFrom(a, "org/acme/BeanMap.class", "src/extra/java/org/acme/BeanMap.java");
        assertCompiledFrom(a, "org/acme/BeanMap$1.class", "src/extra/java/org/acme/BeanMap.java");
        // the plugin's other goal (add-test-source) adds a test root, not the jar's
        ArtifactReport test = scanJar(dev.divergence.fixtures.Trees.with(tree, "pom.xml",
                pom.replace("<goal>add-source</goal>", "<goal>add-test-source</goal>")), jar);
        assertWithoutSource(test, "org/acme/BeanMap.class");
    }
}
