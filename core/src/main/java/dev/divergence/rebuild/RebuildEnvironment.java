package dev.divergence.rebuild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one executor brings to rebuilds: the sandbox, the JDKs installed, the registries dependencies may come from,
 * and a cache folder holding the dependency repositories shared by every build of this executor (warm across
 * builds and runs) and the per-build work dirs.
 *
 * The registries dependencies may come from are each strategy's own (its ecosystem's options).
 *
 * @param jdks JDK major version to its home ({@code 17 -> /usr/lib/jvm/java-17-openjdk-amd64}), in ascending order
 */
public record RebuildEnvironment(Sandbox sandbox, Path cacheRoot, Map<Integer, Path> jdks, Sandbox.Limits limits) {

    public RebuildEnvironment {
        // In ascending order: "the lowest installed JDK meeting the POM" reads the first (Map.copyOf has no order).
        jdks = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(jdks));
    }

    /** The environment of this machine: JDKs under {@code /usr/lib/jvm}, the system sandbox, default limits. */
    public static RebuildEnvironment local(Path cacheRoot) {
        return new RebuildEnvironment(Sandbox.system(), cacheRoot, jdksUnder(Path.of("/usr/lib/jvm")),
                Sandbox.Limits.defaults());
    }

    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(1\\.)?(\\d+)");

    /** Every JDK under {@code root} (a folder with a {@code release} file and {@code bin/javac}), by major version. */
    public static Map<Integer, Path> jdksUnder(Path root) {
        Map<Integer, Path> out = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.sorted().toList()) {
                Path release = d.resolve("release");
                if (Files.isSymbolicLink(d) || !Files.isRegularFile(release) || !Files.isExecutable(d.resolve("bin/javac"))) {
                    continue; // Debian's java-1.17.0-openjdk-amd64 style aliases are links: the real folder is listed too
                }
                Matcher m = JAVA_VERSION.matcher(Files.readString(release));
                if (m.find()) {
                    out.putIfAbsent(Integer.parseInt(m.group(2)), d);
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** The dependency repository shared by the builds of one tool ({@code maven}, {@code npm}) on this executor. */
    public Path sharedRepository(String tool) throws IOException {
        return Files.createDirectories(cacheRoot.resolve("rebuild").resolve(tool + "-repository"));
    }

    /** A fresh work dir for one build. */
    public Path newWorkDir() throws IOException {
        return Files.createTempDirectory(Files.createDirectories(cacheRoot.resolve("rebuild").resolve("work")), "build-");
    }

    /** The version line of a tool on this machine ({@code mvn -v}), empty when it does not run. */
    public static Optional<String> toolVersion(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out.lines().map(l -> l.replaceAll("\u001B\\[[0-9;]*m", "").strip())
                    .filter(l -> !l.isEmpty()).findFirst() : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
