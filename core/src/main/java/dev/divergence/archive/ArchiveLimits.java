package dev.divergence.archive;

/**
 * Bounds on what reading one archive may cost. Archives are untrusted: a zip bomb or a million-entry tarball
 * must end as a row with a reason, not as an out-of-memory error or a stuck task.
 *
 * @param maxEntries entries read before giving up
 * @param maxTotalBytes uncompressed bytes read before giving up
 * @param maxRatio uncompressed bytes per compressed byte of one entry (plus {@code ratioSlackBytes}); a zip entry
 *     is measured by its own compressed size, a tar entry (a stream cannot attribute compressed bytes) by the whole
 *     archive's. An entry beyond it is listed, flagged {@code LIMIT_EXCEEDED} and its content left unread, and the
 *     entries after it are read: padding cannot hide what follows. The whole archive may inflate to
 *     {@link #ARCHIVE_RATIO_FACTOR} times the per-archive bound before reading stops.
 * @param ratioSlackBytes allowance so that tiny, highly compressible archives are not refused
 * @param maxScanBytesPerEntry content inspected for risk signals per entry (hashing always covers everything)
 */
public record ArchiveLimits(long maxEntries, long maxTotalBytes, long maxRatio, long ratioSlackBytes,
                            long maxScanBytesPerEntry) {

    /** How many times the ratio bound of the whole archive its entries may inflate to, together. */
    public static final long ARCHIVE_RATIO_FACTOR = 16;

    public static ArchiveLimits defaults() {
        return new ArchiveLimits(200_000, 8L << 30, 200, 16L << 20, 16L << 20);
    }
}
