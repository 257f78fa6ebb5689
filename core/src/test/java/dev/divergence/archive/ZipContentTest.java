package dev.divergence.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zip reader inflates entries itself (one inflater per archive, bytes from its window): for every entry of
 * intact, truncated and corrupted archives it must give what Commons Compress's own stream gives — the same bytes,
 * or the same error at the same point.
 */
class ZipContentTest {

    @TempDir
    Path dir;

    @Test
    void sameBytesAndErrorsAsCommonsCompress() throws Exception {
        Random rnd = new Random(7);
        byte[] zip = archive(rnd);
        int compared = 0;
        int failures = 0;
        List<byte[]> variants = new ArrayList<>();
        variants.add(zip);
        Path intact = dir.resolve("intact.zip");
        Files.write(intact, zip);
        try (ZipFile z = ZipFile.builder().setPath(intact).get()) {
            for (ZipArchiveEntry e : Collections.list(z.getEntriesInPhysicalOrder())) {
                if (e.getMethod() != ZipEntry.DEFLATED || e.getCompressedSize() < 50) {
                    continue;
                }
                // damaged deflate data: it no longer inflates, inflates to other bytes, or ends early
                byte[] v = zip.clone();
                int at = (int) (e.getDataOffset() + e.getCompressedSize() / 2);
                for (int i = 0; i < 8; i++) {
                    v[at + i] ^= (byte) (1 + rnd.nextInt(255));
                }
                variants.add(v);
                byte[] head = zip.clone(); // a zeroed first block header
                for (int i = 0; i < 4; i++) {
                    head[(int) e.getDataOffset() + i] = (byte) 0xff;
                }
                variants.add(head);
            }
        }
        for (byte[] v : variants) {
            Path f = dir.resolve("v" + compared + ".zip");
            Files.write(f, v);
            try (ZipFile z = ZipFile.builder().setPath(f).get(); ZipLayout.Bytes bytes = new ZipLayout.Bytes(f)) {
                java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
                for (ZipArchiveEntry e : Collections.list(z.getEntriesInPhysicalOrder())) {
                    String ours = outcome(() -> ZipArchiveReader.content(z, e, bytes, inflater));
                    String theirs = outcome(() -> z.getInputStream(e));
                    assertEquals(theirs, ours, e.getName());
                    compared++;
                    failures += theirs.startsWith("error") ? 1 : 0;
                }
                inflater.end();
            } catch (IOException unreadableDirectory) {
                // the damage hit the central directory: nothing to compare
            }
        }
        assertTrue(compared > 100, "entries compared: " + compared);
        assertTrue(failures > 0, "some damaged entries must fail to inflate");
    }

    interface Open {
        InputStream open() throws IOException;
    }

    /** The bytes read (length and CRC) in small and odd-sized reads, or the error and how far reading got. */
    private static String outcome(Open open) {
        long got = 0;
        CRC32 crc = new CRC32();
        try (InputStream in = open.open()) {
            byte[] buf = new byte[777];
            int n;
            while ((n = in.read(buf, 0, 1 + (int) (got % buf.length))) >= 0) {
                crc.update(buf, 0, n);
                got += n;
            }
            return "bytes " + got + " crc " + crc.getValue();
        } catch (IOException | RuntimeException e) {
            return "error " + e.getClass().getName() + ": " + e.getMessage() + " after " + got;
        }
    }

    private static byte[] archive(Random rnd) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < 60; i++) {
                byte[] content = new byte[i % 7 == 0 ? 300_000 : rnd.nextInt(20_000)];
                for (int k = 0; k < content.length; k++) {
                    content[k] = (byte) (i % 3 == 0 ? rnd.nextInt(256) : 'a' + rnd.nextInt(4)); // some incompressible
                }
                ZipEntry e = new ZipEntry("pkg/f" + i + (i % 5 == 0 ? ".bin" : ".py"));
                if (i % 4 == 0) {
                    CRC32 crc = new CRC32();
                    crc.update(content);
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(content.length);
                    e.setCompressedSize(content.length);
                    e.setCrc(crc.getValue());
                }
                z.putNextEntry(e);
                z.write(content);
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
