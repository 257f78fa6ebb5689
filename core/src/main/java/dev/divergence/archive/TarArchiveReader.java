package dev.divergence.archive;

import dev.divergence.model.ArtifactFile;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** Tar, plain or compressed with gzip (sdists, npm tarballs), bzip2 or xz (older sdists). */
final class TarArchiveReader implements ArchiveReader {

    @Override
    public boolean recognizes(byte[] h) {
        return compression(h) != null || isPlainTar(h);
    }

    @Override
    public String format(byte[] h) {
        String c = compression(h);
        return c == null ? "tar" : "tar+" + c;
    }

    private static String compression(byte[] h) {
        if (h.length >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
            return "gzip";
        }
        if (h.length >= 3 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h') {
            return "bzip2";
        }
        if (h.length >= 6 && (h[0] & 0xff) == 0xfd && h[1] == '7' && h[2] == 'z' && h[3] == 'X' && h[4] == 'Z') {
            return "xz";
        }
        return null;
    }

    private static boolean isPlainTar(byte[] h) {
        return h.length >= 262 && h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
    }

    @Override
    public void walk(Path archive, EntryVisitor v) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(archive)) {
            head = in.readNBytes(8);
        }
        String comp = compression(head);
        try (BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             AfterEnd decompressed = new AfterEnd(decompress(raw, comp, v));
             GuardedTarInputStream tar = new GuardedTarInputStream(decompressed)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName();
                int mode = e.getMode();
                if (e.isDirectory()) {
                    continue;
                }
                if (e.isSymbolicLink()) {
                    v.special(name, mode, ArtifactFile.EntryType.SYMLINK, e.getLinkName());
                } else if (e.isLink()) {
                    v.special(name, mode, ArtifactFile.EntryType.HARDLINK, e.getLinkName());
                } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                    v.special(name, mode, ArtifactFile.EntryType.DEVICE, "");
                } else if (e.isFile()) {
                    if (v.wants(name)) {
                        v.file(name, mode, tar, e.getSize());
                    }
                } else {
                    v.special(name, mode, ArtifactFile.EntryType.OTHER, "");
                }
            }
            decompressed.drain().ifPresent(v::warning);
        }
    }

    private static InputStream decompress(BufferedInputStream raw, String comp, EntryVisitor v) throws IOException {
        if (comp == null) {
            return raw;
        }
        return switch (comp) {
            // Every member, zero padding skipped, as CPython reads it; anything else after a member is a finding.
            case "gzip" -> new GzipMembers(raw, v::warning);
            case "bzip2" -> new BZip2CompressorInputStream(raw, true);
            case "xz" -> new XZCompressorInputStream(raw, true);
            default -> throw new IllegalStateException(comp);
        };
    }

    /** Metadata entries (GNU long name/link, PAX headers) are buffered whole by the reader: at most this each. */
    static final long MAX_METADATA_ENTRY = 1 << 20;
    /** Metadata entries chained before one real entry (the reader recurses once per link of the chain). */
    static final int MAX_METADATA_CHAIN = 16;
    /** Header records read for one entry (old GNU sparse headers extend themselves record by record). */
    static final int MAX_HEADER_RECORDS = 4096;
    /** Bytes the reader may consume between two entries (headers, names, PAX records, sparse maps). */
    static final long MAX_HEADER_BYTES = 4L << 20;
    /** Zero bytes read after the end-of-archive marker before giving up looking for more. */
    static final long MAX_ZERO_TAIL = 64L << 20;

    /**
     * Commons Compress (1.28) reads a GNU long name, long link or PAX header by buffering its declared size whole,
     * and follows chains of them by recursion: a small gzip of zeros declaring a 4 GB name exhausts the heap, a
     * long chain the stack. Each header record is checked here before the reader acts on it.
     */
    private static final class GuardedTarInputStream extends TarArchiveInputStream {
        private final AfterEnd source;
        private int depth;
        private int records;

        GuardedTarInputStream(AfterEnd source) {
            super(source);
            this.source = source;
        }

        @Override
        public TarArchiveEntry getNextEntry() throws IOException {
            if (depth == 0) {
                records = 0;
                if (getCurrentEntry() != null && available() > 0) {
                    // the rest of the current entry's content, read before the header phase (nothing left, the
                    // usual case, needs no skip: each skip costs commons-io a scratch buffer cleared on release)
                    skip(Long.MAX_VALUE);
                }
                source.headerPhase(true);
            }
            if (++depth > MAX_METADATA_CHAIN) {
                throw new EntryDigest.LimitExceededException("more than " + MAX_METADATA_CHAIN
                        + " chained tar metadata headers (GNU long name/link, PAX) before one entry");
            }
            try {
                return super.getNextEntry();
            } finally {
                if (--depth == 0) {
                    source.headerPhase(false);
                }
            }
        }

        @Override
        protected byte[] readRecord() throws IOException {
            byte[] r = super.readRecord();
            if (r == null || r.length < 512) {
                return r;
            }
            if (++records > MAX_HEADER_RECORDS) {
                throw new EntryDigest.LimitExceededException("more than " + MAX_HEADER_RECORDS
                        + " tar header records for one entry");
            }
            if (isEOFRecord(r)) {
                source.ended(); // from here on every byte is past the end-of-archive marker
                return r;
            }
            byte type = r[156];
            if (type == 'L' || type == 'K' || type == 'x' || type == 'X' || type == 'g') {
                long size;
                try {
                    size = TarUtils.parseOctalOrBinary(r, 124, 12);
                } catch (IllegalArgumentException malformed) {
                    return r; // the reader reports the malformed header itself
                }
                if (size < 0 || size > MAX_METADATA_ENTRY) {
                    throw new EntryDigest.LimitExceededException("tar " + metadataKind(type) + " header declares "
                            + size + " bytes (at most " + MAX_METADATA_ENTRY + " are read)");
                }
            }
            return r;
        }

        private static String metadataKind(byte type) {
            return switch (type) {
                case 'L' -> "GNU long name";
                case 'K' -> "GNU long link";
                case 'g' -> "PAX global";
                default -> "PAX";
            };
        }
    }

    /**
     * The decompressed tar stream, watched after the end-of-archive marker. Python's tarfile stops at the first zero
     * record, but npm's tar reads on past a single one: entries hidden there are installed by npm and seen by no
     * reader that stops. No mark/reset, so the reader's look at a second end record passes through the watch too.
     */
    private static final class AfterEnd extends java.io.FilterInputStream {
        private boolean ended;
        private boolean headerPhase;
        private long headerBytes;
        private long zerosAfterEnd;
        private long nonZeroAt = -1;

        AfterEnd(InputStream in) {
            super(in);
        }

        void ended() {
            ended = true;
        }

        /**
         * Everything the reader consumes while finding the next entry (header records, long names, PAX records,
         * sparse maps, padding) is counted, whatever the structure: the reader keeps much of it in memory.
         */
        void headerPhase(boolean on) {
            headerPhase = on;
            headerBytes = 0;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (headerPhase && n > 0 && (headerBytes += n) > MAX_HEADER_BYTES) {
                throw new EntryDigest.LimitExceededException("tar headers before one entry exceed " + MAX_HEADER_BYTES
                        + " bytes");
            }
            if (ended && n > 0 && nonZeroAt < 0) {
                for (int i = 0; i < n; i++) {
                    if (b[off + i] != 0) {
                        nonZeroAt = zerosAfterEnd + i;
                        break;
                    }
                }
                if (nonZeroAt < 0) {
                    zerosAfterEnd += n;
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        /** Reads what follows the end marker (zeros up to a bound) and says what was found there, if anything. */
        Optional<String> drain() throws IOException {
            if (!ended) {
                return Optional.empty(); // the archive ended without a marker, or the reader stopped early
            }
            byte[] buf = new byte[1 << 16];
            while (nonZeroAt < 0 && zerosAfterEnd <= MAX_ZERO_TAIL && read(buf, 0, buf.length) >= 0) {
                // read() records the first non-zero byte
            }
            if (nonZeroAt >= 0) {
                return Optional.of("data after the tar end-of-archive marker (" + nonZeroAt + " bytes after it): npm's "
                        + "tar reads entries past a single zero record, Python's tarfile stops there");
            }
            if (zerosAfterEnd > MAX_ZERO_TAIL) {
                return Optional.of("more than " + MAX_ZERO_TAIL + " bytes after the tar end-of-archive marker, not read");
            }
            return Optional.empty();
        }
    }
}
