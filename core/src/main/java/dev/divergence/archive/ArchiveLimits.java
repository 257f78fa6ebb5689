package dev.divergence.archive;

/**
 * Bounds on what reading one archive may cost. Archives are untrusted: a zip bomb or a million-entry tarball
 * must end as a row with a reason, not as an out-of-memory error or a stuck task.
 *
 * @param maxEntries entries read before giving up
 * @param maxTotalBytes uncompressed bytes read before giving up
 * @param maxRatio uncompressed bytes per compressed byte of the whole archive (plus {@code ratioSlackBytes})
 * @param ratioSlackBytes allowance so that tiny, highly compressible archives are not refused
 * @param maxScanBytesPerEntry content inspected for risk signals per entry (hashing always covers everything)
 */
public record ArchiveLimits(long maxEntries, long maxTotalBytes, long maxRatio, long ratioSlackBytes,
                            long maxScanBytesPerEntry) {

    public static ArchiveLimits defaults() {
        return new ArchiveLimits(200_000, 8L << 30, 200, 16L << 20, 16L << 20);
    }
}
