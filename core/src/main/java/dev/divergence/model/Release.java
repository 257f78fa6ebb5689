package dev.divergence.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One published version of a package with all its files. */
public record Release(
        PackageId pkg,
        String version,
        List<Artifact> artifacts,
        Optional<Instant> published,
        boolean yanked,
        Optional<String> yankedReason,
        SourceHints hints) {

    public Release {
        artifacts = distinctFilenames(artifacts);
    }

    /**
     * The filename is an artifact's key in every table; a registry listing one name twice (two uploads, two URLs)
     * must not lose one of them. Later copies are named {@code NAME#2}, {@code NAME#3}, ...
     */
    private static List<Artifact> distinctFilenames(List<Artifact> artifacts) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        artifacts.forEach(a -> seen.add(a.filename()));
        if (seen.size() == artifacts.size()) {
            return List.copyOf(artifacts);
        }
        java.util.Set<String> used = new java.util.HashSet<>();
        List<Artifact> out = new java.util.ArrayList<>();
        for (Artifact a : artifacts) {
            String name = a.filename();
            for (int n = 2; !used.add(name); n++) {
                name = a.filename() + "#" + n;
            }
            out.add(name.equals(a.filename()) ? a : new Artifact(name, a.url(), a.kind(), a.size(), a.digests(),
                    a.uploaded(), a.yanked(), a.digestUrls(), a.registryManifest()));
        }
        return List.copyOf(out);
    }
}
