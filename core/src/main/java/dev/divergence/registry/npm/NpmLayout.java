package dev.divergence.registry.npm;

import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.SourceHints;
import dev.divergence.registry.Alignment;
import dev.divergence.registry.Layout;
import dev.divergence.source.SourceTree;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An npm tarball holds the package under one folder (almost always {@code package/}), which maps to the
 * repository root or to the monorepo {@code repository.directory}. Files npm always includes (README,
 * LICENSE, CHANGELOG) are looked for at the repository root too when the package directory lacks them.
 * See https://docs.npmjs.com/cli/commands/npm-pack and package.json {@code files}.
 */
public final class NpmLayout implements Layout {

    private static final Pattern ALWAYS_INCLUDED = Pattern.compile("(?i)^(readme|license|licence|changelog|history|notice)([.-].*)?$");

    /** Where npm's extraction puts every entry, spelled under one folder so entries that collide share a key. */
    static final String INSTALLED_ROOT = "package/";

    /** {@code ANY/rest} → {@code package/rest}; a top-level entry (no folder) keeps its path. */
    static String installedPath(String artifactPath) {
        int slash = artifactPath.indexOf('/');
        return slash > 0 ? INSTALLED_ROOT + artifactPath.substring(slash + 1) : artifactPath;
    }

    /** The entry npm leaves on disk as the package's package.json: the last one below any top folder. */
    /**
     * The package's own manifest on both sides: the installed {@code package.json} of the artifact (its folder
     * {@code prefix}), the commit's {@code package.json} it aligns with (its folder {@code sourceDir}) and that file
     * parsed, when it is a JSON object.
     */
    record SourceManifest(String prefix, String sourceDir, com.fasterxml.jackson.databind.node.ObjectNode manifest) {

        static Optional<SourceManifest> of(dev.divergence.registry.GeneratedFiles.SourceView view) {
            Optional<String> installed = installedManifest(view.artifactFiles());
            Optional<String> source = installed.flatMap(m -> view.alignment().sourcePath(m));
            Optional<byte[]> bytes = source.flatMap(view::sourceBytes);
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            try {
                com.fasterxml.jackson.databind.JsonNode n = MANIFEST_READER.readTree(bytes.get());
                if (n == null || !n.isObject()) {
                    return Optional.empty();
                }
                int cut = "package.json".length();
                return Optional.of(new SourceManifest(installed.get().substring(0, installed.get().length() - cut),
                        source.get().substring(0, source.get().length() - cut),
                        (com.fasterxml.jackson.databind.node.ObjectNode) n));
            } catch (java.io.IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MANIFEST_READER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    static Optional<String> installedManifest(List<ArtifactFile> files) {
        String last = null;
        for (ArtifactFile f : files) {
            if (f.type() == ArtifactFile.EntryType.FILE && f.path().matches("[^/]+/package\\.json")) {
                last = f.path();
            }
        }
        return Optional.ofNullable(last);
    }

    /** The distinct first segments of entries that have a folder. */
    static Set<String> topFolders(List<ArtifactFile> files) {
        Set<String> s = new java.util.TreeSet<>();
        for (ArtifactFile f : files) {
            int slash = f.path().indexOf('/');
            if (slash > 0) {
                s.add(f.path().substring(0, slash));
            }
        }
        return s;
    }

    @Override
    public Alignment align(Artifact artifact, List<ArtifactFile> files, SourceTree tree, SourceHints hints) {
        String base = hints.directory().map(d -> d.endsWith("/") ? d : d + "/").orElse("");
        Optional<String> root = Layout.commonRoot(files).filter(r -> !r.toLowerCase(Locale.ROOT).equals("node_modules"));
        Set<String> roots = topFolders(files);
        boolean nodeModulesRoot = roots.size() == 1 && root.isEmpty() && Layout.commonRoot(files).isPresent();
        Map<String, String> map = new HashMap<>();
        for (ArtifactFile f : files) {
            // npm (pacote, tar strip: 1) drops the first segment of every entry, whatever it is called, so each
            // entry lands at its path below its own top folder: x/index.js overwrites package/index.js.
            String rel = f.path().indexOf('/') > 0 && !nodeModulesRoot ? f.path().substring(f.path().indexOf('/') + 1)
                    : f.path();
            String candidate = base + rel;
            if (!base.isEmpty() && !rel.contains("/") && ALWAYS_INCLUDED.matcher(rel).matches()
                    && tree.get(candidate).isEmpty() && tree.getIgnoreCase(candidate).isEmpty()
                    && (tree.get(rel).isPresent() || tree.getIgnoreCase(rel).isPresent())) {
                candidate = rel; // a monorepo package that ships the repository's README/LICENSE
            }
            if (!rel.contains("/") && ALWAYS_INCLUDED.matcher(rel).matches() && tree.get(candidate).isEmpty()) {
                // README.md published from readme.md (a case-insensitive disk) with other content: compare the two
                // (the same content is the classifier's case-only rename)
                Optional<SourceTree.SourceFile> other = tree.getIgnoreCase(candidate);
                if (other.isPresent() && !other.get().blobId().equals(f.gitBlobId())) {
                    candidate = other.get().path();
                }
            }
            map.put(f.path(), candidate);
        }
        String note = root.map(r -> "tarball root '" + r + "/' stripped")
                .orElse(roots.size() > 1 ? "first segment of each entry stripped (top folders " + roots + ")"
                        : "tarball has no single root folder")
                + (base.isEmpty() ? "" : "; directory " + base);
        return new Alignment(map, List.of(base), Optional.of(note));
    }

}
