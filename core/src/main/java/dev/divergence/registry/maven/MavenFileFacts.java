package dev.divergence.registry.maven;

import dev.divergence.registry.FileFacts;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What Java, the JVM and Maven make of a file (see {@link FileFacts} for each field's use). */
final class MavenFileFacts {

    static final FileFacts FACTS = new FileFacts(
            Set.of("java", "kt", "kts", "groovy", "scala", "clj", "jar"),
            Set.of("class"),
            Set.of("pom.xml", "pom.properties", "manifest.mf", "build.gradle", "build.gradle.kts", "settings.gradle"),
            List.of("(^|.*/)meta-inf/maven/.*"),
            List.of("[^/]*Tests?\\.java"),
            Set.of("package.html", "overview.html"), // javadoc's
            Set.of("java", "class", "kt", "groovy"),
            Set.of(),
            Map.of(),
            Map.of(),
            List.of(),
            List.of("Runtime\\.getRuntime\\(\\)\\.exec"),
            List.of(),
            List.of(),
            Set.of(),
            List.of(),
            // JVM bytecode is expected to be binary: judged by whether its source exists, not by its bytes
            Map.of("class", MavenFileFacts::bytecodeExec),
            List.of(),
            Map.of());

    private MavenFileFacts() {
    }

    /**
     * A class file that starts processes, evaluates scripts or loads code from URLs: its constant pool names
     * {@code java/lang/ProcessBuilder}, {@code java/lang/Runtime} together with a method {@code exec} (a Utf8 entry:
     * length 4, then the name), {@code javax/script/ScriptEngine}, {@code java/net/URLClassLoader} or JMX's
     * {@code MLet}. Names in a constant pool are length-prefixed, so the source-text patterns
     * never match them.
     */
    static boolean bytecodeExec(String classText) {
        return classText.contains("java/lang/ProcessBuilder") || classText.contains("javax/script/ScriptEngine")
                || (classText.contains("java/lang/Runtime") && classText.contains("\u0000\u0004exec"))
                // red team round 8 (c12): code loaded from URLs — a shaded class is scanned by these names alone
                || classText.contains("java/net/URLClassLoader") || classText.contains("javax/management/loading/MLet");
    }
}
