package dev.divergence.archive;

import dev.divergence.model.ArtifactFile;
import dev.divergence.model.RiskFlag;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Zip-based formats: wheels, jars, sources jars, zip sdists. Read through the central directory (the view
 * pip and the JVM use), in physical order, so sizes are known before the content is hashed.
 */
final class ZipArchiveReader implements ArchiveReader {

    @Override
    public boolean recognizes(byte[] h) {
        // Local file header, or an empty archive's end-of-central-directory record.
        return h.length >= 4 && h[0] == 'P' && h[1] == 'K' && ((h[2] == 3 && h[3] == 4) || (h[2] == 5 && h[3] == 6));
    }

    @Override
    public String format(byte[] head) {
        return "zip";
    }

    @Override
    public void walk(Path archive, EntryVisitor v) throws IOException {
        // One windowed reader serves the layout checks (central records, local headers, gaps): a few system calls
        // per archive instead of several per entry.
        try (ZipLayout.Bytes bytes = new ZipLayout.Bytes(archive)) {
            walk(archive, bytes, v);
        }
    }

    private void walk(Path archive, ZipLayout.Bytes bytes, EntryVisitor v) throws IOException {
        if (v.maxEntries() < Long.MAX_VALUE - 1 && ZipLayout.centralRecords(bytes, v.maxEntries() + 1) > v.maxEntries()) {
            throw new EntryDigest.LimitExceededException("more than " + v.maxEntries() + " entries");
        }
        java.util.Map<Long, byte[]> localNames = new java.util.TreeMap<>();
        java.util.Map<Long, Long> compressedSizes = new java.util.HashMap<>();
        List<String> mismatched;
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            List<ZipArchiveEntry> entries = Collections.list(zip.getEntriesInPhysicalOrder());
            entries.forEach(e -> {
                if (e.getRawName() != null && e.getLocalHeaderOffset() >= 0) {
                    localNames.put(e.getLocalHeaderOffset(), e.getRawName());
                    compressedSizes.put(e.getLocalHeaderOffset(), e.getCompressedSize());
                }
            });
            java.util.Set<Long> disagreeing = new java.util.HashSet<>();
            mismatched = localHeaderMismatches(bytes, localNames, disagreeing);
            for (ZipArchiveEntry e : entries) {
                if (e.isDirectory()) {
                    continue;
                }
                if (disagreeing.contains(e.getLocalHeaderOffset())) {
                    v.flag(name(e), RiskFlag.HEADER_MISMATCH); // this entry's row says so too, not only the artifact
                }
                int mode = e.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? e.getUnixMode() : 0;
                if (e.isUnixSymlink()) {
                    try (InputStream in = zip.getInputStream(e)) {
                        v.special(e.getName(), mode, ArtifactFile.EntryType.SYMLINK,
                                new String(in.readNBytes(4096), StandardCharsets.UTF_8));
                    }
                    continue;
                }
                String name = name(e);
                if (!v.wants(name)) {
                    continue;
                }
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                boolean whole;
                try (InputStream in = new java.util.zip.CheckedInputStream(content(zip, e, bytes, inflater), crc)) {
                    v.file(name, mode, in, e.getSize(), e.getCompressedSize());
                    whole = in.read() < 0; // an entry left unread (over a limit) has no CRC to check
                }
                if (whole && e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    v.warning("CRC mismatch for " + e.getName() + " (the bytes are not what the archive recorded)");
                }
            }
        } finally {
            inflater.end();
        }
        if (!mismatched.isEmpty()) {
            // pip and the JVM read the central directory, some tools the local headers: they would disagree.
            v.warning("zip local headers disagree with the central directory (" + String.join(", ", mismatched) + ")");
        }
        List<String> unlisted = ZipLayout.unreferenced(bytes, localNames, compressedSizes);
        if (!unlisted.isEmpty()) {
            // pip reads the central directory, streaming readers the local headers: bytes only one of them sees.
            v.warning("zip bytes outside the central directory's entries (" + String.join(", ", unlisted) + ")");
        }
    }

    private static final byte[] ONE_ZERO_BYTE = new byte[1];

    /**
     * An entry's bytes as Commons Compress's {@link ZipFile#getInputStream} gives them, for the two methods wheels and
     * jars use (stored, deflated) read from the archive's window with one inflater reset per entry instead of a new
     * one (a native stream and a buffer per entry, for archives of thousands of small files). The same JDK inflater
     * stream, fed the same bytes (the entry's compressed bytes and one zero byte, as Commons Compress feeds it), so
     * the same bytes and the same errors. Anything else (encrypted, other methods, an unknown data offset) is read by
     * Commons Compress itself.
     */
    static InputStream content(ZipFile zip, ZipArchiveEntry e, ZipLayout.Bytes bytes,
                                       java.util.zip.Inflater inflater) throws IOException {
        long start = e.getDataOffset();
        long length = e.getCompressedSize();
        int method = e.getMethod();
        if (start < 0 || length < 0 || start + length < start || e.getGeneralPurposeBit().usesEncryption()
                || (method != java.util.zip.ZipEntry.STORED && method != java.util.zip.ZipEntry.DEFLATED)) {
            return zip.getInputStream(e);
        }
        InputStream raw = bytes.stream(start, length);
        if (method == java.util.zip.ZipEntry.STORED) {
            return raw;
        }
        inflater.reset();
        return new java.util.zip.InflaterInputStream(new java.io.SequenceInputStream(raw,
                new java.io.ByteArrayInputStream(ONE_ZERO_BYTE)), inflater, 512); // its input size, so its errors
    }

    /**
     * Reads the name in each entry's local header, at the offset the central directory gives (a few bytes per
     * entry, nothing decompressed), and lists the entries where the two names differ.
     */
    private static List<String> localHeaderMismatches(ZipLayout.Bytes bytes, java.util.Map<Long, byte[]> centralNames,
                                                      java.util.Set<Long> disagreeing) {
        List<String> out = new java.util.ArrayList<>();
        try {
            for (java.util.Map.Entry<Long, byte[]> e : centralNames.entrySet()) {
                java.nio.ByteBuffer head = ZipLayout.read(bytes, e.getKey(), 30);
                if (e.getKey() + 30 > bytes.size() || head.getInt(0) != 0x04034b50) {
                    disagreeing.add(e.getKey());
                    out.add("no local header for " + new String(e.getValue(), StandardCharsets.UTF_8));
                    continue;
                }
                int nameLength = head.getShort(26) & 0xffff;
                java.nio.ByteBuffer name = ZipLayout.read(bytes, e.getKey() + 30, nameLength);
                if (!java.util.Arrays.equals(name.array(), e.getValue())) {
                    disagreeing.add(e.getKey());
                    out.add("local header says " + new String(name.array(), StandardCharsets.UTF_8) + " where the central "
                            + "directory says " + new String(e.getValue(), StandardCharsets.UTF_8));
                }
                if (out.size() >= 10) {
                    break;
                }
            }
        } catch (IOException e) {
            out.add("local headers unreadable: " + e.getMessage());
        }
        return out;
    }

    /**
     * The entry name; bytes that are not UTF-8 become U+FFFD (Commons Compress would make them '?', which a
     * name can legitimately contain), so the odd name is flagged.
     */
    private static String name(ZipArchiveEntry e) {
        byte[] raw = e.getRawName();
        if (raw == null) {
            return e.getName();
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw));
            return e.getName();
        } catch (java.nio.charset.CharacterCodingException notUtf8) {
            return new String(raw, StandardCharsets.UTF_8);
        }
    }
}
