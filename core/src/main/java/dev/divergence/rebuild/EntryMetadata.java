package dev.divergence.rebuild;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * What the archive passes compare besides bytes: every entry's name, time and mode, in the archive's order (a zip's
 * central directory, a tar's headers). Contents are compared by the archive readers' digests, not here.
 */
record EntryMetadata(String name, long time, int mode) {

    static Optional<List<EntryMetadata>> read(Path archive) {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(archive)) {
            if (in.readNBytes(head, 0, 4) < 2) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            if (head[0] == 'P' && head[1] == 'K') {
                List<EntryMetadata> out = new ArrayList<>();
                try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
                    for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
                        out.add(new EntryMetadata(e.getName(), e.getTime(), e.getUnixMode()));
                    }
                }
                return Optional.of(out);
            }
            if ((head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                List<EntryMetadata> out = new ArrayList<>();
                try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                        new BufferedInputStream(Files.newInputStream(archive)), true))) {
                    TarArchiveEntry e;
                    while ((e = tar.getNextEntry()) != null) {
                        out.add(new EntryMetadata(e.getName(), e.getModTime().getTime(), e.getMode()));
                    }
                }
                return Optional.of(out);
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
