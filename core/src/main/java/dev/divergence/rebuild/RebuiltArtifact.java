package dev.divergence.rebuild;

import dev.divergence.archive.ArchiveListing;
import dev.divergence.compare.Reference;
import dev.divergence.model.ArtifactFile;
import dev.divergence.source.SourceTree;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Rebuild mode's reference: the file rebuilt from the commit, read through the same archive readers as the published
 * one. Its entries are the last copy of each regular file's path (what an extractor leaves), in archive order; its
 * bytes are read from the rebuilt archive on demand. It has no history: content it does not hold is nowhere.
 *
 * @param sha256 the whole rebuilt file's SHA-256
 * @param commit the commit it was built from
 */
public final class RebuiltArtifact implements Reference {

    private final Path file;
    private final ArchiveListing listing;
    private final String sha256;
    private final String commit;
    private final Map<String, ArtifactFile> byPath;
    private final Map<String, SourceTree.SourceFile> files;
    private final Map<String, SourceTree.SourceFile> byLowerPath = new LinkedHashMap<>();
    private final Map<String, SourceTree.SourceFile> byBlob = new LinkedHashMap<>();

    public RebuiltArtifact(Path file, ArchiveListing listing, String sha256, String commit) {
        this.file = file;
        this.listing = listing;
        this.sha256 = sha256;
        this.commit = commit;
        this.byPath = entries(listing);
        Map<String, SourceTree.SourceFile> m = new LinkedHashMap<>();
        byPath.forEach((p, f) -> m.put(p, new SourceTree.SourceFile(p, f.gitBlobId(), f.mode())));
        this.files = Collections.unmodifiableMap(m);
        files.values().forEach(f -> {
            byLowerPath.putIfAbsent(f.path().toLowerCase(Locale.ROOT), f);
            byBlob.putIfAbsent(f.blobId(), f);
        });
    }

    public Path file() {
        return file;
    }

    public ArchiveListing listing() {
        return listing;
    }

    public String sha256() {
        return sha256;
    }

    @Override
    public Mode mode() {
        return Mode.REBUILD;
    }

    @Override
    public String describe() {
        return "the file rebuilt from commit " + commit + " (SHA-256 " + sha256 + ")";
    }

    @Override
    public Map<String, SourceTree.SourceFile> files() {
        return files;
    }

    /** The rebuilt archive's entry at {@code path}, as the readers listed it. */
    public Optional<ArtifactFile> entry(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    @Override
    public Optional<SourceTree.SourceFile> getIgnoreCase(String path) {
        return Optional.ofNullable(byLowerPath.get(path.toLowerCase(Locale.ROOT)));
    }

    @Override
    public Optional<SourceTree.SourceFile> findBlob(String blobId) {
        return Optional.ofNullable(byBlob.get(blobId));
    }

    @Override
    public Optional<byte[]> read(SourceTree.SourceFile entry, long max) {
        Optional<ArtifactFile> f = entry(entry.path());
        if (f.isEmpty() || f.get().size() > max) {
            return Optional.empty();
        }
        return Optional.ofNullable(listing.contentsOf(file, List.of(f.get()), max).get(f.get().sha256()));
    }

    /** The bytes of several entries at once (one pass over the archive), keyed by their SHA-256. */
    public Map<String, byte[]> read(List<ArtifactFile> entries, long max) {
        return entries.isEmpty() ? Map.of() : listing.contentsOf(file, entries, max);
    }

    @Override
    public String sha256(SourceTree.SourceFile entry) {
        return entry(entry.path()).map(ArtifactFile::sha256).orElseThrow();
    }

    @Override
    public long size(SourceTree.SourceFile entry) {
        return entry(entry.path()).map(ArtifactFile::size).orElseThrow();
    }

    @Override
    public boolean inHistory(String blobId) {
        return false;
    }

    /** The last copy of each regular file's path, in archive order. */
    static Map<String, ArtifactFile> entries(ArchiveListing listing) {
        Map<String, ArtifactFile> out = new LinkedHashMap<>();
        for (ArtifactFile f : listing.files()) {
            if (f.type() == ArtifactFile.EntryType.FILE && !f.path().endsWith("/")) {
                out.remove(f.path());
                out.put(f.path(), f);
            }
        }
        return out;
    }
}
