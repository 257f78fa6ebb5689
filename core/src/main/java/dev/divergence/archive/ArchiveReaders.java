package dev.divergence.archive;

import dev.divergence.model.ArtifactFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads archives: chooses the reader by magic bytes, never by name (a hostile file may be misnamed), and turns
 * malformed content and exceeded limits into a listing with an error instead of an exception.
 */
public final class ArchiveReaders {

    private static final List<ArchiveReader> READERS = List.of(new ZipArchiveReader(), new TarArchiveReader());

    private ArchiveReaders() {
    }

    /** Lists and hashes every entry. Only an unreadable file (missing, permissions) throws. */
    public static ArchiveListing read(Path archive, ArchiveLimits limits) throws IOException {
        return read(archive, limits, path -> false);
    }

    /**
     * @param keepWhole entries to keep in the listing whatever their size (up to {@link EntryCollector#KEEP_WHOLE}
     *     bytes each): those the ecosystem's consistency checks will read
     */
    public static ArchiveListing read(Path archive, ArchiveLimits limits, java.util.function.Predicate<String> keepWhole)
            throws IOException {
        byte[] head = head(archive);
        Optional<ArchiveReader> reader = readerFor(head);
        if (reader.isEmpty()) {
            return new ArchiveListing("unknown", List.of(),
                    Optional.of("not a recognised archive (first bytes " + hex(head, 8) + ")"));
        }
        EntryCollector out = new EntryCollector(archive, limits, keepWhole);
        try {
            reader.get().walk(archive, out);
            return new ArchiveListing(reader.get().format(head), out.files(), Optional.empty(), out.warnings(),
                    out.retained(), out.limited());
        } catch (IOException | RuntimeException e) {
            // Commons Compress reports corrupt input with IOException and, for some headers, runtime exceptions.
            return new ArchiveListing(reader.get().format(head), out.files(), Optional.of(describe(e)), out.warnings(),
                    out.retained(), out.limited() || e instanceof EntryDigest.LimitExceededException);
        }
    }

    /** A published file that is not an archive (a Maven POM): one entry named {@code name}. */
    public static ArchiveListing single(Path file, String name, ArchiveLimits limits) throws IOException {
        // Not compressed: the ratio limit does not apply, the size limit does.
        EntryCollector out = new EntryCollector(file, new ArchiveLimits(1, limits.maxTotalBytes(), 1,
                limits.maxTotalBytes(), limits.maxScanBytesPerEntry()), path -> false);
        try (InputStream in = Files.newInputStream(file)) {
            out.file(name, 0100644, in, Files.size(file));
        }
        return new ArchiveListing("file", out.files(), Optional.empty(), List.of(), out.retained());
    }

    /**
     * The bytes of selected entries (by normalised path), each at most {@code maxEach} bytes; larger entries
     * and entries past a read error are left out. A duplicated path gives its last copy, as an extractor would.
     */
    public static Map<String, byte[]> extract(Path archive, Set<String> paths, long maxEach) {
        Map<String, byte[]> out = new HashMap<>();
        walkWanted(archive, paths, maxEach, (p, b) -> out.put(p, b));
        return out;
    }

    /**
     * The bytes of the entries at the given paths whose content has one of the given SHA-256 digests, keyed by
     * digest: each copy of a duplicated path is found by its own content.
     */
    public static Map<String, byte[]> extractContents(Path archive, Map<String, Set<String>> shasByPath, long maxEach) {
        Map<String, byte[]> out = new HashMap<>();
        walkWanted(archive, shasByPath.keySet(), maxEach, (p, b) -> {
            String sha = EntryDigest.sha256(b);
            if (shasByPath.get(p).contains(sha)) {
                out.putIfAbsent(sha, b);
            }
        });
        return out;
    }

    private static void walkWanted(Path archive, Set<String> wanted, long maxEach,
                                   java.util.function.BiConsumer<String, byte[]> sink) {
        try {
            Optional<ArchiveReader> reader = readerFor(head(archive));
            if (reader.isEmpty()) {
                // a single-file artifact: its one entry is the file itself
                if (Files.size(archive) <= maxEach) {
                    byte[] b = Files.readAllBytes(archive);
                    wanted.forEach(p -> sink.accept(p, b));
                }
                return;
            }
            reader.get().walk(archive, new EntryVisitor() {
                @Override
                public boolean wants(String rawName) {
                    return wanted.contains(EntryPaths.normalize(rawName).path());
                }

                @Override
                public void file(String rawName, int mode, InputStream content, long size) throws IOException {
                    String p = EntryPaths.normalize(rawName).path();
                    if (wanted.contains(p) && size <= maxEach) {
                        byte[] b = content.readNBytes((int) maxEach + 1);
                        if (b.length <= maxEach) {
                            sink.accept(p, b);
                        }
                    }
                }

                @Override
                public void special(String rawName, int mode, ArtifactFile.EntryType type, String target) {
                }
            });
        } catch (IOException | RuntimeException e) {
            // what was extracted before the error is still useful; the listing already recorded the error
        }
    }

    private static byte[] head(Path archive) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            byte[] b = new byte[512];
            int n = in.readNBytes(b, 0, b.length);
            return Arrays.copyOf(b, n);
        }
    }

    private static Optional<ArchiveReader> readerFor(byte[] head) {
        return READERS.stream().filter(r -> r.recognizes(head)).findFirst();
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        String kind = e instanceof EntryDigest.LimitExceededException ? "limit exceeded"
                : "corrupt or truncated archive";
        return kind + ": " + (m == null ? e.getClass().getSimpleName() : m);
    }

    static String hex(byte[] b, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(max, b.length); i++) {
            sb.append(String.format("%02x", b[i]));
        }
        return sb.toString();
    }
}
