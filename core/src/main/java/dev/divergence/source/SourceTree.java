package dev.divergence.source;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files of one commit: path to blob id and mode, read from Git tree objects without reading any content.
 */
public final class SourceTree {

    public record SourceFile(String path, String blobId, int mode) {
    }

    private final String commit;
    private final Map<String, SourceFile> files;
    private final Map<String, String> gitlinks;
    private Map<String, SourceFile> byLowerPath;
    private Map<String, java.util.List<SourceFile>> byBlob;

    public SourceTree(String commit, Map<String, SourceFile> files) {
        this(commit, files, Map.of());
    }

    /** @param gitlinks submodule paths of the commit to the submodule commit they pin */
    public SourceTree(String commit, Map<String, SourceFile> files, Map<String, String> gitlinks) {
        this.commit = commit;
        this.files = Collections.unmodifiableMap(new TreeMap<>(files));
        this.gitlinks = Collections.unmodifiableMap(new TreeMap<>(gitlinks));
    }

    /** Submodule paths of the commit and the commits they pin (their files are in other repositories). */
    public Map<String, String> gitlinks() {
        return gitlinks;
    }

    /** The submodule (path, pinned commit) that {@code path} lies under, if any. */
    public Optional<Map.Entry<String, String>> submoduleOf(String path) {
        for (Map.Entry<String, String> g : gitlinks.entrySet()) {
            if (path.startsWith(g.getKey() + "/")) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    public String commit() {
        return commit;
    }

    public Map<String, SourceFile> files() {
        return files;
    }

    public Optional<SourceFile> get(String path) {
        return Optional.ofNullable(files.get(path));
    }

    /** Case-insensitive lookup: {@code README.md} in the artifact, {@code Readme.md} in Git. */
    public Optional<SourceFile> getIgnoreCase(String path) {
        if (byLowerPath == null) {
            Map<String, SourceFile> m = new TreeMap<>();
            files.values().forEach(f -> m.putIfAbsent(f.path().toLowerCase(Locale.ROOT), f));
            byLowerPath = m;
        }
        return Optional.ofNullable(byLowerPath.get(path.toLowerCase(Locale.ROOT)));
    }

    /** A file of this commit with the given blob, at any path. */
    public Optional<SourceFile> findBlob(String blobId) {
        return filesWithBlob(blobId).stream().findFirst();
    }

    /** Every file of this commit with the given blob, by path. */
    public java.util.List<SourceFile> filesWithBlob(String blobId) {
        if (byBlob == null) {
            Map<String, java.util.List<SourceFile>> m = new java.util.HashMap<>();
            files.values().forEach(f -> m.computeIfAbsent(f.blobId(), k -> new java.util.ArrayList<>(1)).add(f));
            byBlob = m;
        }
        return byBlob.getOrDefault(blobId, java.util.List.of());
    }
}
