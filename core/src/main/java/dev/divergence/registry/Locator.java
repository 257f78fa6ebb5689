package dev.divergence.registry;

import dev.divergence.model.Release;
import dev.divergence.source.SourceRepository;
import dev.divergence.source.SourceTree;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Ecosystem-specific signals for tying a version to a commit: which files declare the version, and how to
 * read it from them statically (nothing is executed). Used to validate a tag (OSS Rebuild reads the
 * manifest at its candidate too) and to find the commit where the manifest first declares the version.
 */
public interface Locator {

    /** Repository paths that may declare the version, most authoritative first. */
    List<String> manifestPaths(Release release);

    /** The version a manifest file declares, when it can be read statically. */
    Optional<String> versionIn(String path, byte[] content, Release release);

    /**
     * When the version itself names the time it was built (Maven 1's {@code YYYYMMDD.HHMMSS} snapshot deployed as a
     * version), that time: read like a publication time when the registry gives none, a bound for which commit it can
     * have been built from. Empty for an ordinary version.
     */
    default Optional<java.time.Instant> versionTime(Release release) {
        return Optional.empty();
    }

    /** The other project a manifest file belongs to (a shared history's other project), when it is not the release's. */
    default Optional<String> otherProject(String path, byte[] content, Release release) {
        return Optional.empty();
    }

    /**
     * The other project whose manifest stands at this commit's tree where the release's would be, when the first
     * manifest present there is not the release's own (apache/commons-validator's first commits are commons-net's).
     */
    default Optional<String> otherProjectAt(SourceRepository repo, SourceTree tree, Release release) {
        for (String path : manifestPaths(release)) {
            Optional<SourceTree.SourceFile> f = tree.get(path);
            if (f.isEmpty()) {
                continue;
            }
            try {
                Optional<byte[]> bytes = repo.read(f.get().blobId(), 1 << 20);
                if (bytes.isEmpty() || versionIn(path, bytes.get(), release).isPresent()) {
                    return Optional.empty();
                }
                Optional<String> other = otherProject(path, bytes.get(), release);
                if (other.isPresent()) {
                    return other;
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Build files besides the manifests that may declare the version (an Ant {@code build.xml}'s version property),
     * read by {@link #versionIn} too. They never choose a commit; they only keep a tag spelling the version from being
     * set aside when a stale manifest of the same commit declares another one ({@link #declaringBuildFile}).
     */
    default List<String> otherBuildFiles(Release release) {
        return List.of();
    }

    /**
     * The first build file at this commit's tree — a manifest, or one of {@link #otherBuildFiles} — that declares
     * this very version (commons-beanutils' tag BEANUTILS_1_4_1: project.xml says 1.0-dev, the build.xml that built
     * the jar says 1.4.1). Empty when none does.
     */
    default Optional<String> declaringBuildFile(SourceRepository repo, SourceTree tree, Release release) {
        List<String> paths = new java.util.ArrayList<>(manifestPaths(release));
        paths.addAll(otherBuildFiles(release));
        return paths.stream().filter(path -> declared(repo, tree, path, release)
                .filter(v -> dev.divergence.source.VersionSpelling.same(v, release.version())).isPresent()).findFirst();
    }

    /** The version the manifest declares at this commit's tree. */
    default Optional<String> declaredVersion(SourceRepository repo, SourceTree tree, Release release) {
        return manifestPaths(release).stream().map(path -> declared(repo, tree, path, release))
                .flatMap(Optional::stream).findFirst();
    }

    /** The version the build file at {@code path} of the tree declares; an absent or unreadable one declares nothing. */
    private Optional<String> declared(SourceRepository repo, SourceTree tree, String path, Release release) {
        Optional<SourceTree.SourceFile> f = tree.get(path);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        try {
            return repo.read(f.get().blobId(), 1 << 20).flatMap(b -> versionIn(path, b, release));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
