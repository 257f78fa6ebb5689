package dev.divergence.archive;

import dev.divergence.model.RiskFlag;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * SHA-256, git blob id and content signals of one entry in a single pass over its bytes.
 * The git blob id needs the size up front ("blob SIZE\0" prefix); archive headers supply it, and a header
 * that lies is caught by comparing with the bytes actually read.
 */
public final class EntryDigest {

    private static final int BUFFER = 64 * 1024;

    /**
     * @param content the entry's bytes when they were kept (small entries, see {@link Digester#digest}), else null
     */
    public record Result(long size, String sha256, String gitBlobId, Set<RiskFlag> flags, boolean sizeMatched,
                         byte[] content) {
    }

    private EntryDigest() {
    }

    /** Digests a stream whose size is known in advance (one-off use; archives use one {@link Digester}). */
    public static Result of(InputStream in, long declaredSize, String path, long maxScanBytes, ByteBudget budget)
            throws IOException {
        return new Digester().digest(in, declaredSize, path, maxScanBytes, budget, 0);
    }

    /**
     * The hashers and the read buffer of one archive's pass, reused entry after entry: an archive of thousands
     * of small files must not pay two digest lookups and a 64 KB buffer per entry.
     */
    public static final class Digester {
        private final MessageDigest sha256 = newDigest("SHA-256");
        private final MessageDigest sha1 = newDigest("SHA-1");
        private final byte[] buf = new byte[BUFFER];

        /**
         * @param keepUpTo entries whose declared size is at most this many bytes are read whole into an array of
         *     that size, hashed from it and returned in {@link Result#content()} (no second copy); 0 keeps nothing
         */
        public Result digest(InputStream in, long declaredSize, String path, long maxScanBytes, ByteBudget budget,
                             int keepUpTo) throws IOException {
            sha256.reset();
            sha1.reset();
            sha1.update(("blob " + declaredSize + "\0").getBytes(StandardCharsets.US_ASCII));
            // Name and magic only: content is scanned later, and only for the files that differ from the source.
            ContentSignals signals = new ContentSignals(path, maxScanBytes, false);
            long total = 0;
            byte[] whole = declaredSize >= 0 && declaredSize <= keepUpTo ? new byte[(int) declaredSize] : null;
            if (whole != null) {
                int filled = in.readNBytes(whole, 0, whole.length);
                budget.consume(filled);
                sha256.update(whole, 0, filled);
                sha1.update(whole, 0, filled);
                signals.update(whole, 0, filled);
                total = filled;
                if (filled < whole.length) {
                    whole = null; // shorter than its header said: not kept
                }
            }
            int n;
            while ((n = in.read(buf)) > 0) {
                whole = null; // longer than its header said: not kept
                budget.consume(n);
                sha256.update(buf, 0, n);
                sha1.update(buf, 0, n);
                signals.update(buf, 0, n);
                total += n;
            }
            Set<RiskFlag> flags = signals.flags();
            boolean matched = total == declaredSize;
            if (!matched) {
                flags.add(RiskFlag.SIZE_MISMATCH);
            }
            HexFormat hex = HexFormat.of();
            return new Result(total, hex.formatHex(sha256.digest()), hex.formatHex(sha1.digest()), flags, matched,
                    whole);
        }
    }

    /** The git blob id of bytes in memory (tests, demo builders, source files). */
    public static String gitBlobId(byte[] content) {
        MessageDigest sha1 = newDigest("SHA-1");
        sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha1.digest(content));
    }

    public static String sha256(byte[] content) {
        return HexFormat.of().formatHex(newDigest("SHA-256").digest(content));
    }

    static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by the JDK spec", e);
        }
    }

    /**
     * Shared across the entries of one archive: total uncompressed bytes and ratio limits. A budget for one entry
     * has the archive's as parent: exceeding its own bound throws {@link EntryLimitExceededException} (that entry's
     * content is left unread, reading goes on), exceeding the parent's stops the archive.
     */
    public static final class ByteBudget {
        private final long maxTotal;
        private final ByteBudget parent;
        private long used;

        public ByteBudget(long maxTotal) {
            this(maxTotal, null);
        }

        ByteBudget(long maxTotal, ByteBudget parent) {
            this.maxTotal = maxTotal;
            this.parent = parent;
        }

        void consume(long n) throws LimitExceededException {
            if (parent != null) {
                parent.consume(n);
            }
            used += n;
            if (used > maxTotal) {
                if (parent != null) {
                    throw new EntryLimitExceededException("entry exceeds the compression-ratio limit of " + maxTotal
                            + " bytes");
                }
                throw new LimitExceededException("uncompressed size exceeds the limit of " + maxTotal
                        + " bytes (zip bomb or oversized archive)");
            }
        }

        public long used() {
            return used;
        }
    }

    /** One entry's bound was hit: that entry's content is not read, the archive's next entries are. */
    public static final class EntryLimitExceededException extends LimitExceededException {
        public EntryLimitExceededException(String message) {
            super(message);
        }
    }

    /** A resource limit was hit: the listing stops with this message as its error. */
    public static class LimitExceededException extends IOException {
        public LimitExceededException(String message) {
            super(message);
        }
    }
}
