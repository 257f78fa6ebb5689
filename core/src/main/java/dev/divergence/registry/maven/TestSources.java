package dev.divergence.registry.maven;

import dev.divergence.registry.SourceFolders;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Folders of a Maven or Gradle repository whose files no build of the published jar reads: besides the shared test,
 * fixture, example and documentation folders ({@link SourceFolders}), maven-invoker-plugin's integration test
 * projects ({@code src/it/}), Gradle's test fixtures and other test source sets ({@code src/testFixtures/},
 * {@code src/integrationTest/}, {@code src/functionalTest/}, {@code integration-tests/}) and JMH benchmarks
 * ({@code src/jmh/}). A manifest, registry or build file there configures a test project, not the jar.
 */
final class TestSources {
    private static final Set<String> NAMES = Set.of("testfixtures", "jmh", "benchmark", "benchmarks");
    /** A Gradle source set named for tests (camel case, integrationTest) or a folder named so (it-tests). */
    private static final Pattern TEST_SET = Pattern.compile("[a-z][A-Za-z0-9]*Tests?|[A-Za-z0-9]+[-_][Tt]ests?");

    private TestSources() {
    }

    /** Whether the file at {@code path} (relative to the repository root) lies in such a folder. */
    static boolean contains(String path) {
        String folder = path.substring(0, path.lastIndexOf('/') + 1);
        if (SourceFolders.notPackageSource(folder)) {
            return true;
        }
        String[] segments = folder.split("/");
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (NAMES.contains(s.toLowerCase(Locale.ROOT)) || TEST_SET.matcher(s).matches()
                    || (s.equals("it") && i > 0 && segments[i - 1].equals("src"))) {
                return true;
            }
        }
        return false;
    }
}
