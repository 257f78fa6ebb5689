package dev.divergence.registry.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.divergence.source.SourceTree;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The source roots build files name, read as Maven (1 and 2+) and Ant resolve them. */
class SourceRootsTest {

    private static List<String> declared(String module, String... pathsAndTexts) {
        Map<String, byte[]> texts = new LinkedHashMap<>();
        Map<String, SourceTree.SourceFile> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            texts.put(pathsAndTexts[i], pathsAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
            files.put(pathsAndTexts[i], new SourceTree.SourceFile(pathsAndTexts[i], "0".repeat(40), 0100644));
        }
        return SourceRoots.declared(module, new SourceTree("c", files), p -> Optional.ofNullable(texts.get(p)));
    }

    @Test
    void aMaven1ProjectInheritsTheSourceDirectoryOfTheProjectItExtends() {
        assertEquals(List.of("tools/src/share/"), declared("tools/",
                "project.xml", "<project><build><sourceDirectory>src/share</sourceDirectory></build></project>",
                "tools/project.xml", "<project><extend>${basedir}/../project.xml</extend><id>tools</id></project>"));
    }

    @Test
    void antRootsFollowPropertiesBasedirAndTheSubBuildsItRuns() {
        String main = "<project basedir=\".\"><property name=\"src\" location=\"src/main\"/>"
                + "<property name=\"src\" value=\"ignored\"/><property name=\"out\" value=\"build/classes\"/>"
                + "<target name=\"c\"><javac destdir=\"${out}\" srcdir=\"${src}:gen\"><src path=\"more\"/>"
                + "<src><pathelement location=\"third\"/></src></javac>"
                + "<javac srcdir=\"src/test\" destdir=\"build/test-classes\"/>"
                + "<javac srcdir=\"src/unknown/${nowhere}\" destdir=\"${out}\"/>"
                + "<javac srcdir=\"../outside\" destdir=\"${out}\"/>"
                + "<javac srcdir=\"samples/java\" destdir=\"${out}\"/></target>"
                + "<target name=\"d\"><ant dir=\"plugins/a\"/><ant antfile=\"plugins/b/build.xml\" inheritAll=\"false\"/>"
                + "<ant antfile=\"plugins/c/build.xml\"/></target></project>";
        String sub = "<project basedir=\".\"><javac srcdir=\"java\" destdir=\"classes\"/></project>";
        // a: dir given, the sub-build's basedir is that folder; b: inheritAll=false, its own basedir (its folder);
        // c: the caller's basedir is inherited, so its "java" is the caller's
        assertEquals(List.of("src/main/", "gen/", "more/", "third/", "plugins/a/java/", "plugins/b/java/", "java/"),
                declared("", "build.xml", main, "plugins/a/build.xml", sub, "plugins/b/build.xml", sub,
                        "plugins/c/build.xml", sub));
    }

    @Test
    void aPomNamesItsSourceDirectoryAndTheBuildHelperItsAddedRoots() {
        String parent = "<project><groupId>g</groupId><artifactId>p</artifactId><version>1</version>"
                + "<build><sourceDirectory>src/java</sourceDirectory></build></project>";
        String child = "<project><parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version></parent>"
                + "<artifactId>c</artifactId><build><plugins><plugin><artifactId>build-helper-maven-plugin</artifactId>"
                + "<executions><execution><goals><goal>add-source</goal></goals><configuration><sources>"
                + "<source>${project.basedir}/src/gen</source><source>${other}/x</source></sources></configuration>"
                + "</execution><execution><goals><goal>add-test-source</goal></goals><configuration><sources>"
                + "<source>src/it-java</source></sources></configuration></execution></executions></plugin></plugins>"
                + "</build></project>";
        assertEquals(List.of("core/src/java/", "core/src/gen/"), declared("core/", "pom.xml", parent,
                "core/pom.xml", child));
    }
}
