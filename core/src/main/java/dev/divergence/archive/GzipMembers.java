package dev.divergence.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The decompressed bytes of every member of a gzip file, read the way CPython's {@code gzip} module (and so
 * {@code tarfile} and pip) reads them: member after member (RFC 1952 allows several), zero bytes between and after
 * members skipped, the header CRC not checked. The JDK's reader stops at zero padding and calls it garbage, so
 * bytes pip unpacks would go unseen. Anything after a member that is neither zeros nor another member is where
 * CPython raises an error and other tools stop silently: it is reported as a finding, never ignored.
 */
final class GzipMembers extends InputStream {

    private final BufferedInputStream raw;
    private final Consumer<String> finding;
    private GzipCompressorInputStream member;
    private int members;
    private boolean done;

    /** @param raw must support mark/reset: each member's reader leaves it exactly after that member's trailer */
    GzipMembers(BufferedInputStream raw, Consumer<String> finding) throws IOException {
        this.raw = raw;
        this.finding = finding;
        this.member = open();
    }

    /** A gzip header's file name or comment (NUL-terminated, buffered whole by the reader) is refused past this. */
    static final int MAX_HEADER_FIELD = 1 << 20;

    private GzipCompressorInputStream open() throws IOException {
        members++;
        checkHeaderFields();
        // One member at a time: Commons Compress's own concatenation refuses zero padding that CPython skips.
        return GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(false).get();
    }

    /**
     * Commons Compress buffers FNAME and FCOMMENT (RFC 1952 2.3.1) until their NUL, however far that is: the
     * fields are measured here first, on the mark, and a member whose field runs past the bound is refused.
     */
    private void checkHeaderFields() throws IOException {
        raw.mark(12 + 65535 + 2 * (MAX_HEADER_FIELD + 1));
        try {
            byte[] h = raw.readNBytes(10);
            if (h.length < 10) {
                return; // the reader reports the truncated header
            }
            int flags = h[3] & 0xff;
            if ((flags & 0x04) != 0) { // FEXTRA: a 16-bit length, bounded by itself
                byte[] xlen = raw.readNBytes(2);
                if (xlen.length < 2) {
                    return;
                }
                raw.readNBytes((xlen[0] & 0xff) | (xlen[1] & 0xff) << 8);
            }
            for (int bit : new int[] {0x08, 0x10}) { // FNAME, FCOMMENT
                if ((flags & bit) == 0) {
                    continue;
                }
                long n = 0;
                int c;
                while ((c = raw.read()) > 0) {
                    if (++n > MAX_HEADER_FIELD) {
                        throw new EntryDigest.LimitExceededException("gzip header " + (bit == 0x08 ? "file name"
                                : "comment") + " of member " + members + " is longer than " + MAX_HEADER_FIELD + " bytes");
                    }
                }
                if (c < 0) {
                    return;
                }
            }
        } finally {
            raw.reset();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!done) {
            int n = member.read(b, off, len);
            if (n > 0) {
                return n;
            }
            if (!nextMember()) {
                done = true;
            }
        }
        return -1;
    }

    /** After a member's trailer: skip zeros as CPython's {@code _read_eof} does, then expect a member or the end. */
    private boolean nextMember() throws IOException {
        long zeros = 0;
        while (true) {
            raw.mark(2);
            int c = raw.read();
            if (c == -1) {
                return false;
            }
            if (c != 0) {
                break;
            }
            zeros++;
        }
        raw.reset();
        raw.mark(2);
        int a = raw.read();
        int b = raw.read();
        raw.reset();
        if (a == 0x1f && b == 0x8b) {
            member = open();
            return true;
        }
        long rest = 0;
        while (true) { // counted, not kept: the compressed file is bounded by the download limit
            long k = raw.skip(1 << 20);
            if (k > 0) {
                rest += k;
            } else if (raw.read() >= 0) {
                rest++;
            } else {
                break;
            }
        }
        finding.accept(rest + " bytes after gzip member " + members + (zeros > 0 ? " (and " + zeros + " zero bytes)" : "")
                + " are not a gzip member: CPython's gzip stops there with an error, other readers ignore them");
        return false;
    }

    int members() {
        return members;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
