package dev.divergence.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds the bundled offline demo from {@code datasets/demo/}: a Git repository whose history follows
 * {@code demo.json} (each step = the previous tree plus the files of {@code changes/STEP/}, version bumped in
 * pyproject.toml and {@code __init__.py}), an sdist and a wheel for each published step, and the tampered
 * versions built from a tag's tree plus files that were never committed. Writes PyPI's JSON API layout under
 * {@code registry/} for {@link StaticRegistryServer}. Nothing in the package is ever executed.
 */
public final class DemoProject {

    /** What was built: where the repository is, and what the registry root holds (served later). */
    public record Built(Path repository, Path registryRoot, String packageName, List<String> tamperedVersions,
                        PypiIndexWriter index) {
    }

    private DemoProject() {
    }

    public static Built build(Path demoDir, Path workDir) throws IOException {
        JsonNode spec = new ObjectMapper().readTree(demoDir.resolve("demo.json").toFile());
        String name = spec.path("package").asText();
        Map<String, String> urls = new LinkedHashMap<>();
        spec.path("project_urls").fields().forEachRemaining(e -> urls.put(e.getKey(), e.getValue().asText()));
        List<String> packages = new ArrayList<>();
        spec.path("wheel_packages").forEach(p -> packages.add(p.asText()));
        List<String> exclude = new ArrayList<>();
        spec.path("sdist_exclude").forEach(p -> exclude.add(p.asText()));

        Path repoDir = workDir.resolve("repo");
        Path registry = workDir.resolve("registry");
        deleteTree(repoDir);
        deleteTree(registry);
        PypiIndexWriter index = new PypiIndexWriter(registry, name, urls);
        SortedMap<String, byte[]> tree = readTree(demoDir.resolve("project"));
        Map<String, SortedMap<String, byte[]>> tagged = new HashMap<>();
        try (GitHistoryBuilder git = GitHistoryBuilder.init(repoDir)) {
            for (JsonNode step : spec.path("history")) {
                String version = step.path("version").asText();
                if (step.hasNonNull("changes")) {
                    tree.putAll(readTree(demoDir.resolve("changes").resolve(step.path("changes").asText())));
                }
                tree = bumpVersion(tree, name, version);
                Instant when = Instant.parse(step.path("date").asText());
                git.commit(tree, step.path("message").asText(), when.minusSeconds(3600));
                if (step.hasNonNull("tag")) {
                    git.tag(step.path("tag").asText(), !step.path("lightweight_tag").asBoolean(false));
                    tagged.put(step.path("tag").asText(), new TreeMap<>(tree));
                }
                if (step.path("publish").asBoolean()) {
                    List<String> crlf = new ArrayList<>();
                    step.path("sdist_crlf").forEach(p -> crlf.add(p.asText()));
                    publish(index, name, version, tree, packages, exclude, crlf, List.of(), when);
                }
            }
        }
        List<String> tampered = new ArrayList<>();
        for (JsonNode t : spec.path("tampered")) {
            String version = t.path("version").asText();
            SortedMap<String, byte[]> base = tagged.get(t.path("base").asText());
            if (base == null) {
                throw new IllegalArgumentException("demo.json: tampered " + version + " names unknown base tag");
            }
            SortedMap<String, byte[]> files = new TreeMap<>(base);
            files.putAll(readTree(demoDir.resolve("changes").resolve(t.path("changes").asText())));
            files = bumpVersion(files, name, version);
            List<String> rootFiles = new ArrayList<>();
            t.path("wheel_root_files").forEach(p -> rootFiles.add(p.asText()));
            publish(index, name, version, files, packages, exclude, List.of(), rootFiles,
                    Instant.parse(t.path("date").asText()));
            tampered.add(version);
        }
        return new Built(repoDir, registry, name, tampered, index);
    }

    private static void publish(PypiIndexWriter index, String name, String version, SortedMap<String, byte[]> tree,
                                List<String> packages, List<String> exclude, List<String> crlf,
                                List<String> wheelRootFiles, Instant when) throws IOException {
        SortedMap<String, byte[]> sdistFiles = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : tree.entrySet()) {
            if (exclude.stream().noneMatch(x -> e.getKey().equals(x) || (x.endsWith("/") && e.getKey().startsWith(x)))) {
                byte[] content = e.getValue();
                if (crlf.contains(e.getKey())) {
                    // A release built on a machine with autocrlf: same text, other line endings.
                    content = new String(content, StandardCharsets.UTF_8).replace("\n", "\r\n")
                            .getBytes(StandardCharsets.UTF_8);
                }
                sdistFiles.put(e.getKey(), content);
            }
        }
        SortedMap<String, byte[]> wheelFiles = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : tree.entrySet()) {
            if (packages.stream().anyMatch(p -> e.getKey().startsWith(p + "/")) || wheelRootFiles.contains(e.getKey())) {
                wheelFiles.put(e.getKey(), e.getValue());
            }
        }
        index.add(new PypiIndexWriter.Upload(version, PythonDistributions.sdistFilename(name, version),
                PythonDistributions.sdist(name, version, sdistFiles, packages), when));
        index.add(new PypiIndexWriter.Upload(version, PythonDistributions.wheelFilename(name, version),
                PythonDistributions.wheel(name, version, wheelFiles, packages), when.plusSeconds(20)));
    }

    /** Writes the release's version where setuptools projects declare it. */
    static SortedMap<String, byte[]> bumpVersion(SortedMap<String, byte[]> tree, String name, String version) {
        SortedMap<String, byte[]> out = new TreeMap<>(tree);
        replace(out, "pyproject.toml", "(?m)^version = \"[^\"]*\"", "version = \"" + version + "\"");
        replace(out, name.replace('-', '_') + "/__init__.py", "(?m)^__version__ = \"[^\"]*\"",
                "__version__ = \"" + version + "\"");
        return out;
    }

    private static void replace(SortedMap<String, byte[]> tree, String path, String regex, String replacement) {
        byte[] b = tree.get(path);
        if (b != null) {
            tree.put(path, new String(b, StandardCharsets.UTF_8).replaceAll(regex, replacement)
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    static SortedMap<String, byte[]> readTree(Path dir) throws IOException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                try {
                    files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return files;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
