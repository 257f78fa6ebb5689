package dev.divergence.registry.pypi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.divergence.compare.Normalizations;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import dev.divergence.registry.GeneratedFiles;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The Cargo manifests of an sdist that maturin or setuptools-rust build with Cargo at install: what Cargo fetches and
 * compiles (https://doc.rust-lang.org/cargo/reference/specifying-dependencies.html). A {@code Cargo.toml} is compared
 * with the source's as TOML data: a dependency under {@code [dependencies]}, {@code [build-dependencies]},
 * {@code [target.*.dependencies]}/{@code [target.*.build-dependencies]}, {@code [workspace.dependencies]},
 * {@code [patch.*]} or {@code [replace]} that the source's file lacks or gives otherwise (a git, registry or path
 * source: its build script and code run in the build), or another {@code [package] build} script, is
 * {@value PypiGeneratedFiles#CARGO_DEPENDENCY}, HIGH_RISK. A dependency whose only difference is its {@code path} is not (maturin
 * rewrites the paths of the local crates it copies; the crate itself is compared as its files). A {@code Cargo.lock}
 * is a finding only when a package source outside crates.io appears that the source's lock lacks (a git repository
 * or another registry); one the source does not commit is left to the other rules. Development dependencies are not
 * built by an install and are not compared. {@code .cargo/config.toml} is judged by
 * {@link PypiGeneratedFiles#executionRelevance} (it sets {@code rustc-wrapper}, linkers, {@code [patch]},
 * {@code [source]} replacement: run by the build).
 */
final class CargoFiles implements GeneratedFiles.ContentRule {

    /** Compared as data, before the shared text normalisations (a version token in a git tag is no version line). */
    static final Pattern BY_NAME = Pattern.compile("(?:.*/)?Cargo\\.(?:toml|lock)");
    /** Cargo's configuration, read from the build's folder and every folder above it. */
    static final Pattern CONFIG = Pattern.compile("(?:.*/)?\\.cargo/config(?:\\.toml)?");
    private static final Set<String> CRATES_IO = Set.of("registry+https://github.com/rust-lang/crates.io-index",
            "sparse+https://index.crates.io/");

    @Override
    public String id() {
        return PypiGeneratedFiles.CARGO_DEPENDENCY;
    }

    @Override
    public Optional<GeneratedFiles.Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                                     String version, GeneratedFiles.SourceView view) {
        if (!BY_NAME.matcher(path).matches()) {
            return Optional.empty();
        }
        Optional<String> root = PypiGeneratedFiles.sdistRoot(artifact);
        Optional<GeneratedFiles.Decision> finding = Optional.empty();
        if (artifact.kind() == ArtifactKind.SDIST && root.isPresent() && path.startsWith(root.get())) {
            finding = path.endsWith(".toml") ? manifest(bytes, source) : lock(bytes, source);
        }
        if (finding.isPresent() || source.isEmpty()) {
            return finding;
        }
        return Normalizations.explain(bytes, source.get(), version)
                .map(e -> GeneratedFiles.Decision.of(e.status(), e.ruleId()));
    }

    static Optional<GeneratedFiles.Decision> manifest(byte[] bytes, Optional<byte[]> source) {
        Optional<JsonNode> mine = toml(bytes);
        if (mine.isEmpty()) {
            return Optional.of(PypiGeneratedFiles.unreadable(source, "Cargo.toml", "a TOML parser"));
        }
        Map<String, JsonNode> theirs = dependencies(source.flatMap(CargoFiles::toml).orElse(MissingNode.getInstance()));
        Set<String> added = new TreeSet<>();
        dependencies(mine.get()).forEach((key, value) -> {
            JsonNode was = theirs.get(key);
            if (was == null || !withoutPath(was).equals(withoutPath(value))) {
                added.add(key + " = " + value + (was == null ? "" : " (source: " + was + ")"));
            }
        });
        return finding(source, added, "Cargo dependencies or build script the source's manifest does not declare ");
    }

    static Optional<GeneratedFiles.Decision> lock(byte[] bytes, Optional<byte[]> source) {
        Optional<JsonNode> mine = toml(bytes);
        if (mine.isEmpty()) {
            return Optional.of(PypiGeneratedFiles.unreadable(source, "Cargo.lock", "a TOML parser"));
        }
        if (source.isEmpty()) {
            return Optional.empty();
        }
        Set<String> theirs = foreignSources(source.flatMap(CargoFiles::toml).orElse(MissingNode.getInstance()));
        Set<String> added = foreignSources(mine.get());
        added.removeAll(theirs);
        return finding(source, added, "package sources outside crates.io the source's Cargo.lock does not have ");
    }

    private static Optional<GeneratedFiles.Decision> finding(Optional<byte[]> source, Set<String> added, String what) {
        if (added.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GeneratedFiles.Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                PypiGeneratedFiles.CARGO_DEPENDENCY, Set.of(RiskFlag.NEW_DEPENDENCY),
                Optional.of(what + added + " (Cargo fetches and builds them when pip builds this sdist)")));
    }

    /** Each dependency-like entry of a manifest, by its table path and name. */
    static Map<String, JsonNode> dependencies(JsonNode cargo) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (String table : List.of("dependencies", "build-dependencies", "replace")) {
            entries(out, table, cargo.path(table));
        }
        entries(out, "workspace.dependencies", cargo.path("workspace").path("dependencies"));
        fields(cargo.path("patch")).forEachRemaining(p -> entries(out, "patch." + p.getKey(), p.getValue()));
        fields(cargo.path("target")).forEachRemaining(t -> {
            for (String table : List.of("dependencies", "build-dependencies")) {
                entries(out, "target." + t.getKey() + "." + table, t.getValue().path(table));
            }
        });
        JsonNode build = cargo.path("package").path("build");
        if (!build.isMissingNode()) {
            out.put("package.build", build);
        }
        return out;
    }

    private static void entries(Map<String, JsonNode> out, String table, JsonNode node) {
        fields(node).forEachRemaining(e -> out.put(table + "." + e.getKey(), e.getValue()));
    }

    private static Iterator<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        return node.isObject() ? node.fields() : java.util.Collections.emptyIterator();
    }

    private static JsonNode withoutPath(JsonNode dependency) {
        if (!dependency.isObject() || !dependency.has("path")) {
            return dependency;
        }
        ObjectNode copy = ((ObjectNode) dependency).deepCopy();
        copy.put("path", "(local crate)");
        return copy;
    }

    /** A lock's package sources outside crates.io, without the commit a git source resolved to. */
    private static Set<String> foreignSources(JsonNode lock) {
        Set<String> out = new TreeSet<>();
        for (JsonNode p : lock.path("package")) {
            String s = p.path("source").asText("");
            if (!s.isEmpty() && !CRATES_IO.contains(s)) {
                out.add(s.startsWith("git+") ? s.replaceFirst("#[^#]*$", "") : s);
            }
        }
        return out;
    }

    private static Optional<JsonNode> toml(byte[] bytes) {
        return PythonProject.toml(Optional.of(new String(bytes, StandardCharsets.UTF_8)));
    }
}
