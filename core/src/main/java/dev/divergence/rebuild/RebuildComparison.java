package dev.divergence.rebuild;

import dev.divergence.archive.ArchiveLimits;
import dev.divergence.archive.ArchiveListing;
import dev.divergence.archive.ArchiveReaders;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The published file compared with the one rebuilt from its commit: the whole file's SHA-256 first (bit for bit),
 * then entry by entry through the same archive readers as fetch mode, with the same file statuses — the rebuilt
 * archive is the reference: {@code MATCH} (same bytes), {@code MATCH_NORMALIZED} (equal after a named
 * {@link Stabilizers} pass), {@code MODIFIED} (the build writes other bytes), {@code PHANTOM} (the build does not
 * write this entry), {@code SOURCE_ONLY} (the build writes an entry the release lacks).
 */
public final class RebuildComparison {

    public static final String BIT_IDENTICAL = "rebuild.bit-identical";
    public static final String ENTRY_EQUAL = "rebuild.entry-equal";
    public static final String STABILIZED = "rebuild.stabilized";
    public static final String DIFFERS = "rebuild.differs";
    public static final String NOT_BUILT = "rebuild.not-built";
    public static final String NOT_SHIPPED = "rebuild.not-shipped";

    static final long MAX_CONTENT = 8L << 20;

    /**
     * @param verdict REPRODUCED, REPRODUCED_AFTER_STABILIZE or DIFFERS
     * @param passes the stabilisation passes that were needed, in a stable order
     * @param differing the entries that differ (MODIFIED, PHANTOM, SOURCE_ONLY)
     */
    public record Result(RebuildVerdict verdict, String rebuiltSha256, List<String> passes, List<String> differing,
                         List<FileDivergence> files) {
        public Result {
            passes = List.copyOf(passes);
            differing = List.copyOf(differing);
            files = List.copyOf(files);
        }
    }

    private RebuildComparison() {
    }

    public static Result compare(String filename, Path published, ArchiveListing publishedListing, Path rebuilt,
                                 ArchiveLimits limits) throws IOException {
        String rebuiltSha = sha256(rebuilt);
        String publishedSha = sha256(published);
        ArchiveListing rebuiltListing = ArchiveReaders.read(rebuilt, limits);
        Map<String, ArtifactFile> theirs = byPath(rebuiltListing.files());
        List<FileDivergence> rows = new ArrayList<>();
        if (rebuiltSha.equals(publishedSha)) {
            for (ArtifactFile f : publishedListing.files()) {
                rows.add(row(filename, f, Optional.of(f), FileStatus.MATCH, BIT_IDENTICAL, false, Optional.empty()));
            }
            return new Result(RebuildVerdict.REPRODUCED, rebuiltSha, List.of(), List.of(), rows);
        }
        Map<String, ArtifactFile> ours = byPath(publishedListing.files());
        List<ArtifactFile> toRead = new ArrayList<>();
        List<ArtifactFile> toReadRebuilt = new ArrayList<>();
        for (ArtifactFile f : ours.values()) {
            ArtifactFile r = theirs.get(f.path());
            if (r != null && !r.sha256().equals(f.sha256()) && f.size() <= MAX_CONTENT && r.size() <= MAX_CONTENT) {
                toRead.add(f);
                toReadRebuilt.add(r);
            }
        }
        Map<String, byte[]> ourBytes = toRead.isEmpty() ? Map.of() : publishedListing.contentsOf(published, toRead, MAX_CONTENT);
        Map<String, byte[]> theirBytes = toReadRebuilt.isEmpty() ? Map.of()
                : rebuiltListing.contentsOf(rebuilt, toReadRebuilt, MAX_CONTENT);
        Set<String> passes = new LinkedHashSet<>();
        List<String> differing = new ArrayList<>();
        for (ArtifactFile f : ours.values()) {
            ArtifactFile r = theirs.get(f.path());
            if (r == null) {
                boolean high = executionRelevant(f);
                differing.add(f.path());
                rows.add(row(filename, f, Optional.empty(), FileStatus.PHANTOM, NOT_BUILT, high,
                        Optional.of("the build from the commit does not write this entry")));
            } else if (r.sha256().equals(f.sha256())) {
                rows.add(row(filename, f, Optional.of(r), FileStatus.MATCH, ENTRY_EQUAL, false, Optional.empty()));
            } else {
                byte[] a = ourBytes.get(f.sha256());
                byte[] b = theirBytes.get(r.sha256());
                Optional<String> pass = a == null || b == null ? Optional.empty() : Stabilizers.equalAfter(f.path(), a, b);
                if (pass.isPresent()) {
                    passes.add(pass.get());
                    rows.add(row(filename, f, Optional.of(r), FileStatus.MATCH_NORMALIZED, STABILIZED + ":" + pass.get(),
                            false, Optional.of("equal after " + pass.get())));
                } else {
                    boolean high = executionRelevant(f);
                    differing.add(f.path());
                    rows.add(row(filename, f, Optional.of(r), FileStatus.MODIFIED, DIFFERS, high,
                            Optional.of("rebuilt " + r.size() + " bytes, published " + f.size() + " bytes"
                                    + (a != null && b != null ? ", first difference at byte " + firstDifference(a, b) : ""))));
                }
            }
        }
        for (ArtifactFile r : theirs.values()) {
            if (!ours.containsKey(r.path())) {
                differing.add(r.path());
                rows.add(new FileDivergence(filename, Optional.empty(), Optional.of(r.path()), FileStatus.SOURCE_ONLY,
                        NOT_SHIPPED, Optional.empty(), Optional.of(r.sha256()), Optional.empty(), Optional.of(r.gitBlobId()),
                        -1, r.size(), Set.of(), false, Optional.of("the build writes this entry; the release lacks it")));
            }
        }
        if (!differing.isEmpty()) {
            return new Result(RebuildVerdict.DIFFERS, rebuiltSha, List.copyOf(passes), differing, rows);
        }
        passes.addAll(archivePasses(published, rebuilt));
        return new Result(RebuildVerdict.REPRODUCED_AFTER_STABILIZE, rebuiltSha, ordered(passes), List.of(), rows);
    }

    /** What differs between two archives whose entries have equal names and bytes. */
    static List<String> archivePasses(Path published, Path rebuilt) {
        Optional<List<EntryMetadata>> a = EntryMetadata.read(published);
        Optional<List<EntryMetadata>> b = EntryMetadata.read(rebuilt);
        List<String> out = new ArrayList<>();
        if (a.isEmpty() || b.isEmpty()) {
            out.add(Stabilizers.ARCHIVE_CONTAINER);
            return out;
        }
        if (!a.get().stream().map(EntryMetadata::name).toList().equals(b.get().stream().map(EntryMetadata::name).toList())) {
            out.add(Stabilizers.ENTRY_ORDER);
        }
        Map<String, EntryMetadata> byName = new LinkedHashMap<>();
        b.get().forEach(e -> byName.put(e.name(), e));
        boolean times = false;
        boolean modes = false;
        for (EntryMetadata e : a.get()) {
            EntryMetadata o = byName.get(e.name());
            if (o != null) {
                times |= e.time() != o.time();
                modes |= e.mode() != o.mode();
            }
        }
        if (times) {
            out.add(Stabilizers.ENTRY_TIMESTAMPS);
        }
        if (modes) {
            out.add(Stabilizers.ENTRY_PERMISSIONS);
        }
        if (out.isEmpty()) {
            out.add(Stabilizers.ARCHIVE_CONTAINER);
        }
        return out;
    }

    private static List<String> ordered(Set<String> passes) {
        return passes.stream().sorted().toList();
    }

    /**
     * A differing entry that runs: compiled classes, nested jars, service registrations and the manifest (which names
     * main classes, agents and the class path), JavaScript modules, Python, native code, package.json (install
     * scripts), anything the readers flag as code or auto-executed.
     */
    public static boolean executionRelevant(ArtifactFile f) {
        String p = f.path().toLowerCase(Locale.ROOT);
        String name = p.substring(p.lastIndexOf('/') + 1);
        return p.endsWith(".class") || p.endsWith(".jar") || p.startsWith("meta-inf/services/")
                || p.equals("meta-inf/manifest.mf") || name.equals("package.json") || p.endsWith(".pth")
                || f.flags().contains(RiskFlag.CODE) || f.flags().contains(RiskFlag.BINARY)
                || f.flags().contains(RiskFlag.AUTO_EXEC) || f.flags().contains(RiskFlag.INSTALL_SCRIPT)
                || f.flags().contains(RiskFlag.ENTRY_POINT) || f.flags().contains(RiskFlag.ENTRY_MODULE)
                || f.flags().contains(RiskFlag.PTH_FILE);
    }

    private static FileDivergence row(String filename, ArtifactFile f, Optional<ArtifactFile> rebuilt, FileStatus status,
                                      String rule, boolean high, Optional<String> detail) {
        return new FileDivergence(filename, Optional.of(f.path()), rebuilt.map(ArtifactFile::path), status, rule,
                Optional.of(f.sha256()), rebuilt.map(ArtifactFile::sha256), Optional.of(f.gitBlobId()),
                rebuilt.map(ArtifactFile::gitBlobId), f.size(), rebuilt.map(ArtifactFile::size).orElse(-1L), f.flags(),
                high, detail);
    }

    /** The last copy of each path, as an extractor leaves it, in archive order. */
    private static Map<String, ArtifactFile> byPath(List<ArtifactFile> files) {
        Map<String, ArtifactFile> out = new LinkedHashMap<>();
        for (ArtifactFile f : files) {
            if (f.type() == ArtifactFile.EntryType.FILE && !f.path().endsWith("/")) {
                out.remove(f.path());
                out.put(f.path(), f);
            }
        }
        return out;
    }

    private static int firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return n;
    }

    /** Lowercase hex SHA-256 of a file. */
    static String sha256(Path file) throws IOException {
        return com.google.common.io.MoreFiles.asByteSource(file).hash(com.google.common.hash.Hashing.sha256()).toString();
    }
}
