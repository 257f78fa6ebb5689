package dev.divergence.archive;

import dev.divergence.model.ArtifactFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
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
        java.util.List<String> central = new java.util.ArrayList<>();
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            Collections.list(zip.getEntriesInPhysicalOrder()).forEach(e -> {
                if (!e.isDirectory()) {
                    central.add(e.getName());
                }
            });
            for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
                if (e.isDirectory()) {
                    continue;
                }
                int mode = e.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? e.getUnixMode() : 0;
                if (e.isUnixSymlink()) {
                    try (InputStream in = zip.getInputStream(e)) {
                        v.special(e.getName(), mode, ArtifactFile.EntryType.SYMLINK,
                                new String(in.readNBytes(4096), StandardCharsets.UTF_8));
                    }
                    continue;
                }
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                try (InputStream in = new java.util.zip.CheckedInputStream(zip.getInputStream(e), crc)) {
                    v.file(name(e), mode, in, e.getSize());
                }
                if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    v.warning("CRC mismatch for " + e.getName() + " (the bytes are not what the archive recorded)");
                }
            }
        }
        java.util.List<String> local = localHeaderNames(archive);
        if (!new java.util.TreeSet<>(local).equals(new java.util.TreeSet<>(central))) {
            java.util.Set<String> onlyLocal = new java.util.TreeSet<>(local);
            onlyLocal.removeAll(central);
            java.util.Set<String> onlyCentral = new java.util.TreeSet<>(central);
            onlyCentral.removeAll(local);
            // pip and the JVM read the central directory, some tools the local headers: they would disagree.
            v.warning("zip local headers disagree with the central directory (only in local headers: " + onlyLocal
                    + ", only in the central directory: " + onlyCentral + ")");
        }
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

    /** Names as a streaming reader sees them (local file headers), without reading contents into memory. */
    private static java.util.List<String> localHeaderNames(Path archive) {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (InputStream raw = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(archive));
             org.apache.commons.compress.archivers.zip.ZipArchiveInputStream zin =
                     new org.apache.commons.compress.archivers.zip.ZipArchiveInputStream(raw, "UTF-8", true, true)) {
            ZipArchiveEntry e;
            while ((e = zin.getNextEntry()) != null) {
                if (!e.isDirectory()) {
                    names.add(e.getName());
                }
            }
        } catch (IOException | RuntimeException e) {
            // a stream that cannot be read past some point: compare what was seen
        }
        return names;
    }
}
