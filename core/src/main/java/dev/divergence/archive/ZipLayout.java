package dev.divergence.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Accounts for every byte of a zip file against its central directory (APPNOTE 4.3.6: local header, data, optional
 * descriptor per entry; then the central directory and its end records). pip and the JVM read the central
 * directory; streaming readers (and some unzip modes) walk local headers from the start. Bytes no central-directory
 * entry covers — a local-header-only entry, data before the first header or after the end record, a second
 * central directory — are what the two kinds of reader disagree on; each is reported.
 */
final class ZipLayout {

    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int DESCRIPTOR = 0x08074b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int MAX_FINDINGS = 10;
    /** Gap bytes searched for stray headers; a longer gap is reported by its size alone past this. */
    private static final int MAX_GAP_SCAN = 1 << 20;

    private ZipLayout() {
    }

    private record Range(long start, long end) {
    }

    /**
     * @param localNames central-directory name per local header offset
     * @param compressedSizes central-directory compressed size per local header offset
     */
    static List<String> unreferenced(Bytes ch, Map<Long, byte[]> localNames, Map<Long, Long> compressedSizes) {
        List<String> out = new ArrayList<>();
        try {
            long size = ch.size();
            long end = findEnd(ch, size);
            if (end < 0) {
                return out; // the reader found one; a layout it cannot place is left to the reader's own checks
            }
            ByteBuffer eocd = read(ch, end, 22);
            long endOfRecord = end + 22 + (eocd.getShort(20) & 0xffff);
            long cdSize = eocd.getInt(12) & 0xffffffffL;
            long cdStart = eocd.getInt(16) & 0xffffffffL;
            List<Range> covered = new ArrayList<>();
            covered.add(new Range(end, Math.min(endOfRecord, size)));
            long directoryEnd = end;
            if ((cdStart == 0xffffffffL || cdSize == 0xffffffffL) && end >= 20) {
                ByteBuffer loc = read(ch, end - 20, 20);
                if (loc.getInt(0) == ZIP64_LOCATOR) {
                    long z = loc.getLong(8);
                    ByteBuffer z64 = read(ch, z, 56);
                    if (z64.getInt(0) == ZIP64_END) {
                        cdSize = z64.getLong(40);
                        cdStart = z64.getLong(48);
                        covered.add(new Range(z, end)); // zip64 end record and locator
                        directoryEnd = z;
                    }
                }
            }
            // Readers place the directory right before its end record and shift every recorded offset by the
            // difference (bytes prepended to the archive, or an archive appended to another): so does this.
            if (directoryEnd - cdSize >= 0) {
                cdStart = directoryEnd - cdSize;
            }
            covered.add(new Range(cdStart, cdStart + cdSize));
            for (Map.Entry<Long, byte[]> e : localNames.entrySet()) {
                long at = e.getKey();
                ByteBuffer h = read(ch, at, 30);
                if (h.getInt(0) != LOCAL) {
                    continue; // reported as a header disagreement
                }
                long data = at + 30 + (h.getShort(26) & 0xffff) + (h.getShort(28) & 0xffff);
                long stop = data + compressedSizes.getOrDefault(at, 0L);
                if ((h.getShort(6) & 0x08) != 0) { // sizes and CRC follow the data (APPNOTE 4.3.9)
                    ByteBuffer d = read(ch, stop, 4);
                    stop += (d.getInt(0) == DESCRIPTOR ? 4 : 0) + 12;
                    if (stop + 8 <= size && read(ch, stop, 4).getInt(0) != LOCAL && read(ch, stop, 4).getInt(0) != CENTRAL
                            && isHeader(read(ch, stop + 8, 4).getInt(0))) {
                        stop += 8; // zip64 descriptor: 8-byte sizes
                    }
                }
                covered.add(new Range(at, stop));
            }
            covered.sort(java.util.Comparator.comparingLong(Range::start));
            long cursor = 0;
            for (Range r : covered) {
                if (out.size() >= MAX_FINDINGS) {
                    break;
                }
                if (r.start() < cursor) {
                    out.add("entries overlap at offset " + r.start());
                } else if (r.start() > cursor) {
                    out.add(describeGap(ch, cursor, r.start()));
                }
                cursor = Math.max(cursor, r.end());
            }
            if (cursor < size && out.size() < MAX_FINDINGS) {
                out.add((size - cursor) + " bytes after the end of central directory record");
            }
        } catch (IOException | RuntimeException e) {
            out.add("zip layout unreadable: " + e.getMessage());
        }
        return out;
    }

    /**
     * How many central-directory records a reader will parse (up to {@code stopAfter}), counted from the places a
     * reader may start — the recorded offset and the one right before the end record — without building anything.
     * Commons Compress parses the whole directory into objects several times its size before the first entry is
     * visited; a directory of millions of empty records must be refused before that.
     */
    static long centralRecords(Bytes ch, long stopAfter) throws IOException {
        {
            long size = ch.size();
            long end = findEnd(ch, size);
            if (end < 0) {
                return 0;
            }
            ByteBuffer eocd = read(ch, end, 22);
            long cdSize = eocd.getInt(12) & 0xffffffffL;
            long cdStart = eocd.getInt(16) & 0xffffffffL;
            long directoryEnd = end;
            if ((cdStart == 0xffffffffL || cdSize == 0xffffffffL) && end >= 20) {
                ByteBuffer loc = read(ch, end - 20, 20);
                if (loc.getInt(0) == ZIP64_LOCATOR) {
                    ByteBuffer z64 = read(ch, loc.getLong(8), 56);
                    if (z64.getInt(0) == ZIP64_END) {
                        cdSize = z64.getLong(40);
                        cdStart = z64.getLong(48);
                        directoryEnd = loc.getLong(8);
                    }
                }
            }
            long most = count(ch, cdStart, size, stopAfter);
            if (directoryEnd - cdSize >= 0 && directoryEnd - cdSize != cdStart) {
                most = Math.max(most, count(ch, directoryEnd - cdSize, size, stopAfter));
            }
            return most;
        }
    }

    private static long count(Bytes ch, long at, long size, long stopAfter) throws IOException {
        long n = 0;
        while (n < stopAfter && at >= 0 && at + 46 <= size) {
            ByteBuffer h = read(ch, at, 46);
            if (h.getInt(0) != CENTRAL) {
                break;
            }
            n++;
            at += 46 + (h.getShort(28) & 0xffff) + (h.getShort(30) & 0xffff) + (h.getShort(32) & 0xffff);
        }
        return n;
    }

    private static boolean isHeader(int sig) {
        return sig == LOCAL || sig == CENTRAL || sig == END || sig == ZIP64_END;
    }

    /** The last end-of-central-directory signature within the last 64 KiB + 22 bytes, as readers search for it. */
    private static long findEnd(Bytes ch, long size) throws IOException {
        long from = Math.max(0, size - 22 - 65535);
        ByteBuffer tail = read(ch, from, (int) (size - from));
        for (int i = tail.limit() - 22; i >= 0; i--) {
            if (tail.getInt(i) == END) {
                return from + i;
            }
        }
        return -1;
    }

    private static String describeGap(Bytes ch, long from, long to) throws IOException {
        String where = from == 0 ? (to - from) + " bytes before the first local header"
                : (to - from) + " bytes at offset " + from + " that no entry covers";
        ByteBuffer gap = read(ch, from, (int) Math.min(to - from, MAX_GAP_SCAN));
        List<String> found = new ArrayList<>();
        for (int i = 0; i + 4 <= gap.limit() && found.size() < 5; i++) {
            int sig = gap.getInt(i);
            if (sig == LOCAL && i + 30 <= gap.limit()) {
                int n = Math.min(gap.getShort(i + 26) & 0xffff, gap.limit() - i - 30);
                byte[] name = new byte[n];
                gap.get(i + 30, name);
                found.add("local header for " + new String(name, StandardCharsets.UTF_8) + " not in the central directory");
            } else if (sig == CENTRAL) {
                found.add("a central directory record not in use");
            } else if (sig == END) {
                found.add("a second end of central directory record");
            }
        }
        return found.isEmpty() ? where : where + ": " + String.join(", ", found);
    }

    /** {@code n} bytes at {@code at}, little-endian, zero-padded past the end of the file. */
    static ByteBuffer read(Bytes ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Math.max(0, n)).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(b.array(), at, Math.max(0, n));
        return b; // position 0, limit n: bytes past the end read as zeros
    }

    /**
     * Positional reads of one zip file through a window of {@link #WINDOW} bytes: the layout checks visit the
     * central directory and the local headers in order, a few dozen bytes each, so one system call serves many of
     * them instead of one call per header.
     */
    static final class Bytes implements AutoCloseable {
        static final int WINDOW = 128 * 1024;
        private final FileChannel ch;
        private final long size;
        private final byte[] window = new byte[WINDOW];
        private long windowStart = -1;
        private int windowLength;

        Bytes(Path file) throws IOException {
            this.ch = FileChannel.open(file);
            this.size = ch.size();
        }

        long size() {
            return size;
        }

        /** Fills {@code dst[0, n)} from offset {@code at}; what lies past the end of the file is left as is. */
        void read(byte[] dst, long at, int n) throws IOException {
            if (n <= 0) {
                return;
            }
            if (at < 0) {
                throw new IllegalArgumentException("Negative position"); // as FileChannel says it
            }
            if (at >= size) {
                return;
            }
            int wanted = (int) Math.min(n, size - at);
            if (wanted > WINDOW) { // a large gap: straight from the file
                ByteBuffer b = ByteBuffer.wrap(dst, 0, wanted);
                while (b.hasRemaining() && ch.read(b, at + b.position()) >= 0) {
                    // fill
                }
                return;
            }
            if (windowStart < 0 || at < windowStart || at + wanted > windowStart + windowLength) {
                windowStart = at;
                ByteBuffer b = ByteBuffer.wrap(window, 0, (int) Math.min(WINDOW, size - at));
                while (b.hasRemaining() && ch.read(b, at + b.position()) >= 0) {
                    // fill
                }
                windowLength = b.position();
                wanted = (int) Math.min(wanted, windowLength);
            }
            System.arraycopy(window, (int) (at - windowStart), dst, 0, wanted);
        }

        /**
         * Up to {@code len} bytes at {@code at} into {@code dst[off..]}: how many were read, -1 at or past the end of
         * the file. Reads inside the window are copies; the entries of an archive are visited in physical order, so
         * consecutive small entries share one system call.
         */
        int readAt(long at, byte[] dst, int off, int len) throws IOException {
            if (at < 0) {
                throw new IllegalArgumentException("Negative position");
            }
            if (at >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - at);
            if (n <= 0) {
                return 0;
            }
            if (n > WINDOW / 2 && (windowStart < 0 || at < windowStart || at + n > windowStart + windowLength)) {
                return Math.max(0, ch.read(ByteBuffer.wrap(dst, off, n), at)); // large: straight from the file
            }
            if (windowStart < 0 || at < windowStart || at + n > windowStart + windowLength) {
                windowStart = at;
                ByteBuffer b = ByteBuffer.wrap(window, 0, (int) Math.min(WINDOW, size - at));
                while (b.hasRemaining() && ch.read(b, at + b.position()) >= 0) {
                    // fill
                }
                windowLength = b.position();
                if (windowLength == 0) {
                    return -1;
                }
                n = Math.min(n, windowLength);
            }
            System.arraycopy(window, (int) (at - windowStart), dst, off, n);
            return n;
        }

        /** The {@code length} bytes at {@code start} (fewer if the file ends first), as a stream. */
        java.io.InputStream stream(long start, long length) {
            return new java.io.InputStream() {
                private long position = start;
                private long remaining = length;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n <= 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return 0;
                    }
                    if (remaining <= 0) {
                        return -1;
                    }
                    int n = readAt(position, b, off, (int) Math.min(len, remaining));
                    if (n <= 0) {
                        return -1;
                    }
                    position += n;
                    remaining -= n;
                    return n;
                }
            };
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
