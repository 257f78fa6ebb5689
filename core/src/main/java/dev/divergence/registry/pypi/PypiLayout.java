package dev.divergence.registry.pypi;

import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.SourceHints;
import dev.divergence.registry.Alignment;
import dev.divergence.registry.Layout;
import dev.divergence.registry.SourceFolders;
import dev.divergence.source.SourceTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * PyPI layouts. An sdist mirrors the repository (or a monorepo directory) under one {@code name-version/}
 * folder. A wheel holds import packages at its root; each top-level name is found where it lives in the
 * repository (root, {@code src/}, or any sub-directory) by where the most of its blobs match.
 * See https://packaging.python.org/en/latest/specifications/binary-distribution-format/.
 */
public final class PypiLayout implements Layout {

    @Override
    public Alignment align(Artifact artifact, List<ArtifactFile> files, SourceTree tree, SourceHints hints) {
        String base = hints.directory().map(d -> d.endsWith("/") ? d : d + "/").orElse("");
        if (artifact.kind() == ArtifactKind.WHEEL) {
            return alignWheel(files, tree, base);
        }
        return alignSdist(files, base);
    }

    static Alignment alignSdist(List<ArtifactFile> files, String base) {
        Optional<String> root = Layout.commonRoot(files);
        Map<String, String> map = new HashMap<>();
        for (ArtifactFile f : files) {
            String rel = root.map(r -> f.path().substring(r.length() + 1)).orElse(f.path());
            map.put(f.path(), base + rel);
        }
        String note = root.map(r -> "sdist root '" + r + "/' stripped").orElse("sdist has no single root folder");
        return new Alignment(map, List.of(base), Optional.of(note));
    }


    static Alignment alignWheel(List<ArtifactFile> files, SourceTree tree, String base) {
        // Contents of NAME.data/purelib and platlib install to site-packages like root entries.
        Map<String, String> installPath = new LinkedHashMap<>();
        Map<String, List<ArtifactFile>> byTop = new LinkedHashMap<>();
        for (ArtifactFile f : files) {
            String p = f.path();
            String[] parts = p.split("/", 3);
            if (parts[0].endsWith(".dist-info")) {
                continue;
            }
            if (parts[0].endsWith(".data") && parts.length == 3 && (parts[1].equals("purelib") || parts[1].equals("platlib"))) {
                p = parts[2];
            } else if (parts[0].endsWith(".data")) {
                continue;
            }
            installPath.put(f.path(), p);
            String top = p.contains("/") ? p.substring(0, p.indexOf('/')) : p;
            byTop.computeIfAbsent(top, k -> new ArrayList<>()).add(f);
        }
        Map<String, String> prefixOf = new HashMap<>();
        Map<String, Integer> prefixVotes = new HashMap<>();
        for (Map.Entry<String, List<ArtifactFile>> e : byTop.entrySet()) {
            if (runsByPlace(e.getKey())) {
                continue;
            }
            Optional<String> best = bestPrefix(e.getKey(), e.getValue(), installPath, tree, base, p -> true);
            best.ifPresent(b -> {
                prefixOf.put(e.getKey(), b);
                prefixVotes.merge(b, e.getValue().size(), Integer::sum);
            });
        }
        // A .pth or sitecustomize.py in site-packages runs because of where it is: only a file at an import root the
        // build installs from (the repository root, src/, or where this wheel's packages live) can be its source,
        // never a same-named file under tools/ or tests/.
        Set<String> importRoots = new TreeSet<>(List.of(base, base + "src/"));
        importRoots.addAll(prefixOf.values());
        for (Map.Entry<String, List<ArtifactFile>> e : byTop.entrySet()) {
            if (runsByPlace(e.getKey())) {
                bestPrefix(e.getKey(), e.getValue(), installPath, tree, base, importRoots::contains)
                        .ifPresent(b -> prefixOf.put(e.getKey(), b));
            }
        }
        // Top-level names found nowhere in the repository (a new module, a .pth) are looked for where the
        // package's other code lives, so the report names the exact path that does not exist.
        String fallback = prefixVotes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(base);
        Map<String, String> map = new HashMap<>();
        Set<String> scope = new TreeSet<>();
        for (Map.Entry<String, String> e : installPath.entrySet()) {
            String p = e.getValue();
            String top = p.contains("/") ? p.substring(0, p.indexOf('/')) : p;
            String prefix = prefixOf.getOrDefault(top, fallback);
            map.put(e.getKey(), prefix + p);
            if (prefixOf.containsKey(top) && p.contains("/")) {
                scope.add(prefix + top + "/");
            }
        }
        String note = "wheel packages at " + (prefixOf.isEmpty() ? "(none found)" : new TreeSet<>(prefixOf.entrySet()
                .stream().map(x -> (x.getValue().isEmpty() ? "" : x.getValue()) + x.getKey()).toList()));
        return new Alignment(map, new ArrayList<>(scope), Optional.of(note));
    }

    /** A top-level entry of site-packages that Python runs by its name or place (site.py's .pth, sitecustomize). */
    static boolean runsByPlace(String top) {
        String t = top.toLowerCase(java.util.Locale.ROOT);
        return t.endsWith(".pth") || t.matches("(?:site|user)customize(?:\\.[^/]+)?");
    }

    private static Optional<String> bestPrefix(String top, List<ArtifactFile> files, Map<String, String> installPath,
                                               SourceTree tree, String base,
                                               java.util.function.Predicate<String> allowed) {
        Set<String> prefixes = new TreeSet<>();
        for (String path : tree.files().keySet()) {
            if (!path.startsWith(base)) {
                continue;
            }
            String[] segs = path.split("/");
            StringBuilder prefix = new StringBuilder();
            for (String seg : segs) {
                // a module under tests/fixtures/ or examples/ is not where the wheel's packages are built from: the
                // same name shipped at the wheel's root (a malicious test sample shadowing another module) is new
                if (seg.equals(top) && allowed.test(prefix.toString())
                        && !SourceFolders.notPackageSource(prefix.substring(base.length()))) {
                    prefixes.add(prefix.toString());
                }
                prefix.append(seg).append('/');
            }
        }
        String best = null;
        int bestScore = -1;
        for (String prefix : prefixes) {
            int score = 0;
            for (ArtifactFile f : files) {
                Optional<SourceTree.SourceFile> s = tree.get(prefix + installPath.get(f.path()));
                if (s.isPresent()) {
                    score += s.get().blobId().equals(f.gitBlobId()) ? 2 : 1;
                }
            }
            // Prefer more matches, then the shorter (shallower) prefix.
            if (score > bestScore || (score == bestScore && best != null && prefix.length() < best.length())) {
                best = prefix;
                bestScore = score;
            }
        }
        return bestScore > 0 ? Optional.of(best) : Optional.empty();
    }
}
