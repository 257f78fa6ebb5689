package dev.divergence.archive;

import dev.divergence.model.ArtifactFile;
import dev.divergence.model.RiskFlag;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Collects entries for one archive, enforcing entry-count and size limits and flagging duplicates. */
final class EntryCollector implements EntryVisitor {

    private final ArchiveLimits limits;
    private final EntryDigest.ByteBudget budget;
    private final List<ArtifactFile> files = new ArrayList<>();
    private final java.util.Map<String, String> folded = new java.util.HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final java.util.Map<String, String> firstContent = new java.util.HashMap<>();
    private final Set<String> differing = new HashSet<>();
    /**
     * Small entries kept from the one pass, so that explaining a difference needs no second decompression; by
     * SHA-256 of their content.
     */
    private final java.util.Map<String, byte[]> retained = new java.util.HashMap<>();
    private long retainedBytes;
    private final EntryDigest.Digester digester = new EntryDigest.Digester();
    static final int RETAIN_ENTRY = 64 * 1024;
    static final long RETAIN_TOTAL = 16L << 20;

    /** Entries the caller will read again (metadata for consistency checks) are kept up to this size. */
    static final int KEEP_WHOLE = 8 << 20;
    static final long KEEP_WHOLE_TOTAL = 32L << 20;
    private long keptWholeBytes;
    private final java.util.function.Predicate<String> keepWhole;

    EntryCollector(Path archive, ArchiveLimits limits, java.util.function.Predicate<String> keepWhole)
            throws IOException {
        this.limits = limits;
        this.keepWhole = keepWhole;
        this.compressed = Files.size(archive);
        long byRatio = byRatio(compressed);
        long archiveBound = byRatio > Long.MAX_VALUE / (2 * ArchiveLimits.ARCHIVE_RATIO_FACTOR) ? Long.MAX_VALUE / 2
                : byRatio * ArchiveLimits.ARCHIVE_RATIO_FACTOR;
        this.budget = new EntryDigest.ByteBudget(Math.min(limits.maxTotalBytes(), archiveBound));
    }

    private final long compressed;

    /** Uncompressed bytes {@code compressedBytes} may inflate to under the ratio limit. */
    private long byRatio(long compressedBytes) {
        return compressedBytes > 0 && limits.maxRatio() > (Long.MAX_VALUE / 4) / compressedBytes ? Long.MAX_VALUE / 4
                : Math.min(Long.MAX_VALUE / 4, Math.max(0, compressedBytes) * limits.maxRatio()) + limits.ratioSlackBytes();
    }

    void checkCount() throws EntryDigest.LimitExceededException {
        if (files.size() >= limits.maxEntries()) {
            throw new EntryDigest.LimitExceededException("more than " + limits.maxEntries() + " entries");
        }
    }

    @Override
    public void file(String rawName, int mode, InputStream content, long declaredSize) throws IOException {
        file(rawName, mode, content, declaredSize, -1);
    }

    @Override
    public void file(String rawName, int mode, InputStream content, long declaredSize, long compressedSize)
            throws IOException {
        checkCount();
        EntryPaths.Normalized n = EntryPaths.normalize(rawName);
        // The ratio limit is per entry: one padding entry is left unread, the entries after it are still read.
        boolean streamed = compressedSize < 0; // tar: the rest of the entry must be read to reach the next one
        long entryBound = byRatio(streamed ? compressed : compressedSize);
        if (declaredSize > entryBound) {
            unread(n, rawName, mode, content, declaredSize, streamed, entryBound);
            return;
        }
        EntryDigest.ByteBudget entryBudget = new EntryDigest.ByteBudget(entryBound, budget);
        // Kept-whole entries have their own budget: a hostile archive may name a thousand entries like metadata.
        // The budget is charged by the declared size before reading: a header that lies still spends it.
        boolean whole = declaredSize >= 0 && declaredSize <= Math.min(KEEP_WHOLE, KEEP_WHOLE_TOTAL - keptWholeBytes)
                && keepWhole.test(n.path());
        if (whole) {
            keptWholeBytes += declaredSize;
        }
        int keep = whole ? (int) declaredSize
                : retainedBytes < RETAIN_TOTAL ? (int) Math.min(RETAIN_ENTRY, RETAIN_TOTAL - retainedBytes) : 0;
        EntryDigest.Result r;
        try {
            r = digester.digest(content, declaredSize, n.path(), limits.maxScanBytesPerEntry(), entryBudget, keep);
        } catch (EntryDigest.EntryLimitExceededException tooLarge) {
            unread(n, rawName, mode, content, declaredSize, streamed, entryBound);
            return;
        }
        // By content: each copy of a duplicated path keeps its own bytes (a path would name only one of them).
        if (r.content() != null && !retained.containsKey(r.sha256())) {
            retained.put(r.sha256(), r.content());
            if (!whole) {
                retainedBytes += r.size();
            }
        }
        Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
        flags.addAll(n.flags());
        flags.addAll(r.flags());
        add(new ArtifactFile(n.path(), rawName, mode, r.size(), r.sha256(), r.gitBlobId(),
                ArtifactFile.EntryType.FILE, flags));
    }

    /**
     * An entry beyond the per-entry ratio limit: listed with its name flags and {@link RiskFlag#LIMIT_EXCEEDED},
     * its digests empty (its content was not hashed). A tar entry is read to its end (charged to the archive's
     * budget) to reach the next header; a zip entry is abandoned.
     */
    private void unread(EntryPaths.Normalized n, String rawName, int mode, InputStream content, long declaredSize,
                        boolean streamed, long bound) throws IOException {
        if (streamed) {
            byte[] buf = new byte[64 * 1024];
            int got;
            while ((got = content.read(buf)) > 0) {
                budget.consume(got);
            }
        }
        Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
        flags.addAll(n.flags());
        flags.addAll(new ContentSignals(n.path(), 0, false).flags()); // what its name says (setup.py, .pth, .so)
        flags.add(RiskFlag.LIMIT_EXCEEDED);
        if (warnings.stream().filter(w -> w.contains("compression-ratio limit")).count() < 10) {
            warnings.add(n.path() + " inflates beyond the per-entry compression-ratio limit (" + bound
                    + " bytes): its content was not read");
        }
        add(new ArtifactFile(n.path(), rawName, mode, Math.max(0, declaredSize), "", "", ArtifactFile.EntryType.FILE,
                flags));
    }

    boolean limited() {
        return files.stream().anyMatch(f -> f.flags().contains(RiskFlag.LIMIT_EXCEEDED));
    }

    /** Links and special entries are recorded with the hash of their target text, never followed. */
    @Override
    public void special(String rawName, int mode, ArtifactFile.EntryType type, String target) throws IOException {
        checkCount();
        EntryPaths.Normalized n = EntryPaths.normalize(rawName);
        Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
        flags.addAll(n.flags());
        flags.add(type == ArtifactFile.EntryType.DEVICE || type == ArtifactFile.EntryType.OTHER
                ? RiskFlag.SPECIAL_ENTRY : RiskFlag.LINK);
        flags.addAll(new ContentSignals(n.path(), 0, false).flags()); // what its name says (setup.py, .pth, .js)
        if (target == null) {
            target = "";
        }
        byte[] t = target.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        linkTargets.put(rawName, target);
        add(new ArtifactFile(n.path(), rawName, mode, t.length, EntryDigest.sha256(t), EntryDigest.gitBlobId(t), type,
                flags));
    }

    private void add(ArtifactFile f) {
        Set<RiskFlag> extra = EnumSet.noneOf(RiskFlag.class);
        if (!pending.isEmpty()) {
            Set<RiskFlag> flagged = pending.remove(f.rawName());
            if (flagged != null) {
                extra.addAll(flagged);
            }
        }
        // The first copy's content by path; a path already there is a duplicate entry.
        String before = firstContent.putIfAbsent(f.path(), f.sha256());
        if (before != null) {
            extra.add(RiskFlag.DUPLICATE_ENTRY);
            if (!before.equals(f.sha256()) && differing.add(f.path()) && differing.size() <= 10) {
                // No packaging tool writes two different files under one name; which one a reader keeps varies.
                warnings.add(f.path() + " is stored more than once with different contents (extractors keep the last)");
            }
        } else {
            // README.md vs readme.md, or é composed vs decomposed: one file on case-insensitive or
            // normalising file systems, two in the archive.
            String key = foldKey(f.path());
            String other = folded.putIfAbsent(key, f.path());
            if (other != null) {
                extra.add(RiskFlag.NAME_COLLISION);
                if (!firstContent.get(other).equals(f.sha256()) && differing.add(f.path()) && differing.size() <= 10) {
                    // On macOS/Windows the later entry is written over the earlier one: two files become one.
                    warnings.add(f.path() + " and " + other + " are one file on case-insensitive or normalising "
                            + "file systems and differ (the later overwrites the earlier)");
                }
            }
        }
        if (!extra.isEmpty()) {
            Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
            flags.addAll(f.flags());
            flags.addAll(extra);
            f = new ArtifactFile(f.path(), f.rawName(), f.mode(), f.size(), f.sha256(), f.gitBlobId(), f.type(), flags);
        }
        files.add(f);
    }

    /** The name a case-insensitive, normalising file system sees: NFC, lower case (ASCII is its own NFC). */
    static String foldKey(String path) {
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) >= 0x80) {
                return java.text.Normalizer.normalize(path, java.text.Normalizer.Form.NFC).toLowerCase(java.util.Locale.ROOT);
            }
        }
        return path.toLowerCase(java.util.Locale.ROOT);
    }

    private final java.util.Map<String, Set<RiskFlag>> pending = new java.util.HashMap<>();

    @Override
    public void flag(String rawName, RiskFlag flag) {
        pending.computeIfAbsent(rawName, k -> EnumSet.noneOf(RiskFlag.class)).add(flag);
    }

    @Override
    public long maxEntries() {
        return limits.maxEntries();
    }

    @Override
    public void warning(String message) {
        warnings.add(message);
    }

    List<String> warnings() {
        return warnings;
    }

    java.util.Map<String, byte[]> retained() {
        return retained;
    }

    List<ArtifactFile> files() {
        if (!linksResolved) {
            linksResolved = true;
            resolveLinks();
        }
        return files;
    }

    private boolean linksResolved;
    private final java.util.Map<String, String> linkTargets = new java.util.HashMap<>();

    /** Content flags a link takes from the file it points to: what the installed path would hold. */
    private static final Set<RiskFlag> CONTENT_FLAGS = EnumSet.of(RiskFlag.CODE, RiskFlag.DYNAMIC_EXEC,
            RiskFlag.ENCODED_BLOB, RiskFlag.OBFUSCATED, RiskFlag.BINARY, RiskFlag.PTH_EXECUTES, RiskFlag.NESTED_ARCHIVE);

    /**
     * A link whose target, resolved lexically (a symbolic link from its own folder, a hard link from the archive
     * root, as tar stores them), is a regular file of this archive inside the link's top folder, small enough to
     * have been kept from the one pass (its content scanned under the link's name), gets
     * {@link RiskFlag#LINK_IN_ARCHIVE} and the target's content flags. Anything else — absolute, climbing out,
     * pointing at a folder, another link or nothing — stays a bare {@link RiskFlag#LINK}: an escape.
     */
    private void resolveLinks() {
        if (linkTargets.isEmpty()) {
            return; // no link in this archive: nothing to resolve
        }
        java.util.Map<String, ArtifactFile> regular = new java.util.HashMap<>();
        for (ArtifactFile f : files) {
            if (f.type() == ArtifactFile.EntryType.FILE) {
                regular.put(f.path(), f); // the last copy: what an extractor leaves
            }
        }
        Set<String> seen = new HashSet<>();
        Set<String> repeated = new HashSet<>();
        for (ArtifactFile f : files) {
            if (!seen.add(f.path())) {
                repeated.add(f.path());
            }
        }
        for (int i = 0; i < files.size(); i++) {
            ArtifactFile f = files.get(i);
            String target = linkTargets.get(f.rawName());
            if (target == null || !f.flags().contains(RiskFlag.LINK) || repeated.contains(f.path())) {
                // another entry at the link's path: an extractor writes that entry's bytes through the link, into
                // the target — nothing to judge it by, it stays an escape
                continue;
            }
            Optional<String> resolved = resolve(f.path(), target, f.type() == ArtifactFile.EntryType.HARDLINK);
            ArtifactFile to = resolved.map(regular::get).orElse(null);
            byte[] content = to == null ? null : retained.get(to.sha256());
            if (content == null || f.flags().contains(RiskFlag.PATH_TRAVERSAL)
                    || f.flags().contains(RiskFlag.ABSOLUTE_PATH)) {
                continue; // nothing to judge it by (a large target is not kept): it stays an escape
            }
            Set<RiskFlag> flags = EnumSet.copyOf(f.flags());
            flags.add(RiskFlag.LINK_IN_ARCHIVE);
            // the installed path holds the target's bytes under the link's name: scan them as that file
            for (RiskFlag c : ContentSignals.scan(f.path(), content, content.length + 1L)) {
                if (CONTENT_FLAGS.contains(c)) {
                    flags.add(c);
                }
            }
            for (RiskFlag c : to.flags()) {
                if (CONTENT_FLAGS.contains(c)) {
                    flags.add(c);
                }
            }
            files.set(i, new ArtifactFile(f.path(), f.rawName(), f.mode(), f.size(), f.sha256(), f.gitBlobId(),
                    f.type(), flags));
        }
    }

    /** The archive path a link points to, if it stays inside the link's top folder. */
    static Optional<String> resolve(String linkPath, String target, boolean fromRoot) {
        if (target.isEmpty() || target.startsWith("/") || target.contains("\\") || target.contains(":")
                || target.chars().anyMatch(ch -> ch < 0x20)) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        if (!fromRoot) {
            String[] base = linkPath.split("/");
            parts.addAll(List.of(base).subList(0, base.length - 1));
        }
        for (String seg : target.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (parts.isEmpty()) {
                    return Optional.empty();
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(seg);
            }
        }
        String top = linkPath.contains("/") ? linkPath.substring(0, linkPath.indexOf('/')) : null;
        if (parts.isEmpty() || (top != null && (parts.size() < 2 || !parts.get(0).equals(top)))) {
            return Optional.empty();
        }
        return Optional.of(String.join("/", parts));
    }
}
