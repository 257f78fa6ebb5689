package dev.divergence.rebuild;

import dev.divergence.archive.ArchiveLimits;
import dev.divergence.archive.ArchiveListing;
import dev.divergence.archive.ArchiveReaders;
import dev.divergence.compare.Classifier;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import dev.divergence.source.SourceTree;
import java.io.IOException;
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
        return compare(filename, published, publishedListing, new RebuiltArtifact(rebuilt,
                ArchiveReaders.read(rebuilt, limits), sha256(rebuilt), ""));
    }

    /**
     * The published file judged against its rebuild as the reference, through the same row shape as fetch mode
     * ({@link Classifier#row}, {@link Classifier#unshipped}); only the explanation differs: a stabilisation pass
     * instead of the packaging rules, and an entry is high risk when it runs ({@link #executionRelevant}).
     */
    public static Result compare(String filename, Path published, ArchiveListing publishedListing,
                                 RebuiltArtifact reference) throws IOException {
        String rebuiltSha = reference.sha256();
        List<FileDivergence> rows = new ArrayList<>();
        if (rebuiltSha.equals(sha256(published))) {
            for (ArtifactFile f : publishedListing.files()) {
                rows.add(Classifier.row(filename, f, reference, Optional.of(new SourceTree.SourceFile(f.path(),
                        f.gitBlobId(), f.mode())), Optional.of(f.path()), FileStatus.MATCH, BIT_IDENTICAL, f.flags(),
                        false, Optional.empty()));
            }
            return new Result(RebuildVerdict.REPRODUCED, rebuiltSha, List.of(), List.of(), rows);
        }
        Map<String, ArtifactFile> ours = RebuiltArtifact.entries(publishedListing);
        List<ArtifactFile> toRead = new ArrayList<>();
        List<ArtifactFile> toReadRebuilt = new ArrayList<>();
        for (ArtifactFile f : ours.values()) {
            Optional<ArtifactFile> r = reference.entry(f.path());
            if (r.isPresent() && !r.get().sha256().equals(f.sha256()) && f.size() <= MAX_CONTENT
                    && r.get().size() <= MAX_CONTENT) {
                toRead.add(f);
                toReadRebuilt.add(r.get());
            }
        }
        Map<String, byte[]> ourBytes = toRead.isEmpty() ? Map.of() : publishedListing.contentsOf(published, toRead, MAX_CONTENT);
        Map<String, byte[]> theirBytes = reference.read(toReadRebuilt, MAX_CONTENT);
        Set<String> passes = new LinkedHashSet<>();
        List<String> differing = new ArrayList<>();
        for (ArtifactFile f : ours.values()) {
            Optional<SourceTree.SourceFile> entry = reference.get(f.path());
            Optional<String> at = entry.map(SourceTree.SourceFile::path);
            if (entry.isEmpty()) {
                differing.add(f.path());
                rows.add(Classifier.row(filename, f, reference, entry, at, FileStatus.PHANTOM, NOT_BUILT, f.flags(),
                        executionRelevant(f), Optional.of("the build from the commit does not write this entry")));
                continue;
            }
            ArtifactFile r = reference.entry(f.path()).orElseThrow();
            if (r.sha256().equals(f.sha256())) {
                rows.add(Classifier.row(filename, f, reference, entry, at, FileStatus.MATCH, ENTRY_EQUAL, f.flags(),
                        false, Optional.empty()));
                continue;
            }
            byte[] a = ourBytes.get(f.sha256());
            byte[] b = theirBytes.get(r.sha256());
            Optional<String> pass = a == null || b == null ? Optional.empty() : Stabilizers.equalAfter(f.path(), a, b);
            if (pass.isPresent()) {
                passes.add(pass.get());
                rows.add(Classifier.row(filename, f, reference, entry, at, FileStatus.MATCH_NORMALIZED,
                        STABILIZED + ":" + pass.get(), f.flags(), false, Optional.of("equal after " + pass.get())));
            } else {
                differing.add(f.path());
                rows.add(Classifier.row(filename, f, reference, entry, at, FileStatus.MODIFIED, DIFFERS, f.flags(),
                        executionRelevant(f), Optional.of("rebuilt " + r.size() + " bytes, published " + f.size()
                                + " bytes" + (a != null && b != null ? ", first difference at byte "
                                + firstDifference(a, b) : ""))));
            }
        }
        List<FileDivergence> extra = Classifier.unshipped(filename, reference, ours.keySet(), path -> true, NOT_SHIPPED,
                true, Optional.of("the build writes this entry; the release lacks it"));
        extra.forEach(x -> differing.add(x.sourcePath().orElseThrow()));
        rows.addAll(extra);
        if (!differing.isEmpty()) {
            return new Result(RebuildVerdict.DIFFERS, rebuiltSha, List.copyOf(passes), differing, rows);
        }
        passes.addAll(archivePasses(published, reference.file()));
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
                || f.flags().contains(RiskFlag.PTH_FILE) || f.flags().contains(RiskFlag.PYTHON_BYTECODE);
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
