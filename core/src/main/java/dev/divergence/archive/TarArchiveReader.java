package dev.divergence.archive;

import dev.divergence.model.ArtifactFile;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
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
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             InputStream decompressed = decompress(raw, comp);
             TarArchiveInputStream tar = new TarArchiveInputStream(decompressed)) {
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
        }
    }

    private static InputStream decompress(InputStream raw, String comp) throws IOException {
        if (comp == null) {
            return raw;
        }
        return switch (comp) {
            // The JDK reader follows concatenated members and, like GNU tar and npm, ignores trailing garbage
            // after the last member (old npm tarballs have some); Commons Compress refuses those archives.
            case "gzip" -> new java.util.zip.GZIPInputStream(raw, 1 << 16);
            case "bzip2" -> new BZip2CompressorInputStream(raw, true);
            case "xz" -> new XZCompressorInputStream(raw, true);
            default -> throw new IllegalStateException(comp);
        };
    }
}
