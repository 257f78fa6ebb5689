package dev.divergence.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.PythonDistributions;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.SourceHints;
import dev.divergence.registry.npm.NpmGeneratedFiles;
import dev.divergence.registry.pypi.PypiGeneratedFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input corpus: archives built here, each read as an untrusted artifact would be. Every case must end
 * as a listing (or finding) with a clear reason or flag — never an exception, never a file written outside the
 * cache, never unbounded time or memory.
 */
class HostileArchiveCorpusTest {

    @TempDir
    Path dir;

    /** What a case must produce: an error starting with a text, or a flag on a path, or a warning. */
    record Expect(String error, String path, RiskFlag flag, String warning) {
        static Expect error(String prefix) {
            return new Expect(prefix, null, null, null);
        }

        static Expect flag(String path, RiskFlag flag) {
            return new Expect(null, path, flag, null);
        }

        static Expect warning(String prefix) {
            return new Expect(null, null, null, prefix);
        }
    }

    record Case(String name, byte[] bytes, ArchiveLimits limits, Expect expect) {
        Case(String name, byte[] bytes, Expect expect) {
            this(name, bytes, ArchiveLimits.defaults(), expect);
        }
    }

    // ---- builders -------------------------------------------------------------------------------------------

    interface TarBody {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private static byte[] tar(String compression, TarBody body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream out = switch (compression) {
            case "gz" -> new GzipCompressorOutputStream(bytes);
            case "bz2" -> new BZip2CompressorOutputStream(bytes);
            case "xz" -> new XZCompressorOutputStream(bytes);
            default -> bytes;
        };
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            body.write(tar);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void special(TarArchiveOutputStream tar, String name, byte type, String link) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        if (link != null) {
            e.setLinkName(link);
        }
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        return PythonDistributions.zip(entries);
    }

    private static byte[] zipWith(String name, byte[] content, int unixMode) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(bytes)) {
            ZipArchiveEntry e = new ZipArchiveEntry(name);
            e.setUnixMode(unixMode);
            z.putArchiveEntry(e);
            z.write(content);
            z.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    /** An uncompressed entry, so that its bytes can be altered after the CRC was recorded. */
    private static byte[] storedZip(String name, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(bytes)) {
            ZipArchiveEntry e = new ZipArchiveEntry(name);
            e.setMethod(ZipArchiveEntry.STORED);
            e.setSize(content.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(content);
            e.setCrc(crc.getValue());
            z.putArchiveEntry(e);
            z.write(content);
            z.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] cut(byte[] b, int keep) {
        return Arrays.copyOf(b, keep);
    }

    private static byte[] flip(byte[] b, int from, int count) {
        byte[] c = b.clone();
        for (int i = from; i < Math.min(c.length, from + count); i++) {
            c[i] = (byte) ~c[i];
        }
        return c;
    }

    private static byte[] replaceAll(byte[] b, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.ISO_8859_1);
        byte[] t = to.getBytes(StandardCharsets.ISO_8859_1);
        byte[] c = b.clone();
        for (int i = 0; i + f.length <= c.length; i++) {
            if (Arrays.equals(c, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, c, i, t.length);
            }
        }
        return c;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new java.util.Random(42).nextBytes(b);
        return b;
    }

    // ---- the corpus -----------------------------------------------------------------------------------------

    private List<Case> corpus() throws IOException {
        List<Case> c = new ArrayList<>();
        byte[] payload = utf8("x = 1\n");
        c.add(new Case("tar path traversal", tar("gz", t -> file(t, "pkg-1.0/../../evil.py", payload)),
                Expect.flag("pkg-1.0/../../evil.py", RiskFlag.PATH_TRAVERSAL)));
        c.add(new Case("zip path traversal", zip(Map.of("../../../etc/cron.d/x", payload)),
                Expect.flag("../../../etc/cron.d/x", RiskFlag.PATH_TRAVERSAL)));
        c.add(new Case("tar absolute path", tar("gz", t -> file(t, "/etc/passwd", payload)),
                Expect.flag("etc/passwd", RiskFlag.ABSOLUTE_PATH)));
        c.add(new Case("zip windows absolute path", zip(Map.of("C:\\Windows\\evil.dll", payload)),
                Expect.flag("Windows/evil.dll", RiskFlag.ABSOLUTE_PATH)));
        c.add(new Case("symlink inside", tar("gz", t -> special(t, "p/link", TarArchiveEntry.LF_SYMLINK, "target.py")),
                Expect.flag("p/link", RiskFlag.LINK)));
        c.add(new Case("symlink outside", tar("gz", t -> special(t, "p/passwd", TarArchiveEntry.LF_SYMLINK, "/etc/passwd")),
                Expect.flag("p/passwd", RiskFlag.LINK)));
        c.add(new Case("hardlink inside", tar("gz", t -> {
            file(t, "p/a.py", payload);
            special(t, "p/b.py", TarArchiveEntry.LF_LINK, "p/a.py");
        }), Expect.flag("p/b.py", RiskFlag.LINK)));
        c.add(new Case("hardlink outside", tar("gz", t -> special(t, "p/shadow", TarArchiveEntry.LF_LINK, "../../etc/shadow")),
                Expect.flag("p/shadow", RiskFlag.LINK)));
        c.add(new Case("zip symlink", zipWith("p/link", utf8("/etc/passwd"), 0120777), Expect.flag("p/link", RiskFlag.LINK)));
        c.add(new Case("character device", tar("gz", t -> special(t, "p/tty", TarArchiveEntry.LF_CHR, null)),
                Expect.flag("p/tty", RiskFlag.SPECIAL_ENTRY)));
        c.add(new Case("fifo", tar("gz", t -> special(t, "p/pipe", TarArchiveEntry.LF_FIFO, null)),
                Expect.flag("p/pipe", RiskFlag.SPECIAL_ENTRY)));
        // The ratio limit is per entry: the bomb is listed and flagged, its content left unread, the rest read.
        c.add(new Case("zip bomb by ratio", zip(Map.of("zeros", new byte[8 << 20])),
                new ArchiveLimits(1000, 1L << 40, 50, 0, 1 << 20), Expect.flag("zeros", RiskFlag.LIMIT_EXCEEDED)));
        c.add(new Case("tar bomb by ratio", tar("gz", t -> file(t, "p/zeros", new byte[8 << 20])),
                new ArchiveLimits(1000, 1L << 40, 100, 0, 1 << 20), Expect.flag("p/zeros", RiskFlag.LIMIT_EXCEEDED)));
        c.add(new Case("entries after a tar bomb are read", tar("gz", t -> {
            file(t, "p/zeros", new byte[8 << 20]);
            file(t, "p/setup.py", utf8("print(1)\n"));
        }), new ArchiveLimits(1000, 1L << 40, 100, 0, 1 << 20), Expect.flag("p/setup.py", RiskFlag.INSTALL_SCRIPT)));
        Map<String, byte[]> padded = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            padded.put("pad/" + i, new byte[900 << 10]); // each within its own bound, together beyond the archive's
        }
        c.add(new Case("zip bombs together beyond the archive's bound", zip(padded),
                new ArchiveLimits(1000, 1L << 40, 1, 1 << 20, 1 << 20), Expect.error("limit exceeded: uncompressed size exceeds")));
        c.add(new Case("zip bomb by total size", zip(Map.of("a", random(3 << 20), "b", random(3 << 20))),
                new ArchiveLimits(1000, 4L << 20, 1000, 0, 1 << 20), Expect.error("limit exceeded: uncompressed size exceeds")));
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            many.put("f/" + i, new byte[0]);
        }
        c.add(new Case("zip bomb by entry count", zip(many), new ArchiveLimits(100, 1L << 30, 1000, 1 << 20, 1 << 20),
                Expect.error("limit exceeded: more than 100 entries")));
        c.add(new Case("nested archive", tar("gz", t -> file(t, "p/inner.whl", zip(Map.of("a", payload)))),
                Expect.flag("p/inner.whl", RiskFlag.NESTED_ARCHIVE)));
        byte[] big = tar("gz", t -> {
            file(t, "p/a", payload);
            file(t, "p/b", random(300_000));
        });
        c.add(new Case("truncated gzip", cut(big, big.length / 2), Expect.error("corrupt or truncated archive")));
        c.add(new Case("corrupt gzip", flip(big, big.length / 2, 64), Expect.error("corrupt or truncated archive")));
        byte[] bz = tar("bz2", t -> file(t, "p/b", random(200_000)));
        c.add(new Case("truncated bzip2", cut(bz, bz.length / 2), Expect.error("corrupt or truncated archive")));
        byte[] xz = tar("xz", t -> file(t, "p/b", random(200_000)));
        c.add(new Case("corrupt xz", flip(xz, xz.length / 2, 32), Expect.error("corrupt or truncated archive")));
        byte[] z = zip(Map.of("a", payload, "b", random(1000)));
        c.add(new Case("truncated zip", cut(z, z.length - 30), Expect.error("corrupt or truncated archive")));
        byte[] plainTar = tar("", t -> file(t, "p/a.py", payload));
        c.add(new Case("corrupt tar header checksum", flip(plainTar, 148, 6), Expect.error("corrupt or truncated archive")));
        byte[] stored = storedZip("data.txt", utf8("hello hello hello hello hello hello\n"));
        c.add(new Case("zip bad CRC", replaceAll(stored, "hello hello", "jello hello"), Expect.warning("CRC mismatch for")));
        c.add(new Case("duplicate names, different contents", tar("gz", t -> {
            file(t, "p/a.py", payload);
            file(t, "p/a.py", utf8("import os\n"));
        }), Expect.flag("p/a.py", RiskFlag.DUPLICATE_ENTRY)));
        c.add(new Case("zip local header disagrees with central directory",
                localOnlyRename(zip(Map.of("good.py", payload)), "good.py", "evil.py"),
                Expect.warning("zip local headers disagree with the central directory")));
        c.add(new Case("zip entry whose local header names another file",
                localOnlyRename(zip(Map.of("good.py", payload)), "good.py", "evil.py"),
                Expect.flag("good.py", RiskFlag.HEADER_MISMATCH)));
        c.add(new Case("case collision", tar("gz", t -> {
            file(t, "p/README.md", payload);
            file(t, "p/readme.md", utf8("other\n"));
        }), Expect.flag("p/readme.md", RiskFlag.NAME_COLLISION)));
        c.add(new Case("unicode normalisation collision", tar("gz", t -> {
            file(t, "p/caf\u00e9.py", payload);
            file(t, "p/cafe\u0301.py", utf8("other\n"));
        }), Expect.flag("p/cafe\u0301.py", RiskFlag.NAME_COLLISION)));
        c.add(new Case("non-UTF-8 name", nonUtf8Zip(), Expect.flag("p/\ufffd.py", RiskFlag.ODD_NAME)));
        c.add(new Case("NUL in name", zip(Map.of("p/a\u0000.py", payload)), Expect.flag("p/a\u0000.py", RiskFlag.ODD_NAME)));
        String longName = "p/" + "d/".repeat(80) + "x".repeat(900) + ".py";
        c.add(new Case("very long path", tar("gz", t -> file(t, longName, payload)), Expect.flag(longName, RiskFlag.LONG_PATH)));
        c.add(new Case("empty file", new byte[0], Expect.error("not a recognised archive")));
        c.add(new Case("HTML error page named .whl", utf8("<html><body>502 Bad Gateway</body></html>"),
                Expect.error("not a recognised archive")));
        c.add(new Case("encrypted zip entry", encrypted(zip(Map.of("secret.py", payload))),
                Expect.error("corrupt or truncated archive")));
        return c;
    }

    /** Renames an entry in its local header only; the central directory keeps the old name. */
    private static byte[] localOnlyRename(byte[] zip, String from, String to) {
        byte[] c = zip.clone();
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + 30 + f.length <= c.length; i++) {
            if (c[i] == 'P' && c[i + 1] == 'K' && c[i + 2] == 3 && c[i + 3] == 4
                    && Arrays.equals(c, i + 30, i + 30 + f.length, f, 0, f.length)) {
                System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, c, i + 30, f.length);
                return c;
            }
        }
        throw new AssertionError("local header not found");
    }

    /** Sets the "encrypted" bit in every header: readers must refuse, not crash. */
    private static byte[] encrypted(byte[] zip) {
        byte[] c = zip.clone();
        for (int i = 0; i + 10 < c.length; i++) {
            if (c[i] == 'P' && c[i + 1] == 'K' && c[i + 2] == 3 && c[i + 3] == 4) {
                c[i + 6] |= 1;
            }
            if (c[i] == 'P' && c[i + 1] == 'K' && c[i + 2] == 1 && c[i + 3] == 2) {
                c[i + 8] |= 1;
            }
        }
        return c;
    }

    /** A zip whose name bytes are Latin-1 without the UTF-8 flag (0xE9 alone is not UTF-8). */
    private static byte[] nonUtf8Zip() throws IOException {
        byte[] z = zip(Map.of("p/X.py", utf8("x\n")));
        byte[] c = z.clone();
        for (int i = 0; i + 6 <= c.length; i++) {
            if (c[i] == 'p' && c[i + 1] == '/' && c[i + 2] == 'X' && c[i + 3] == '.' && c[i + 4] == 'p' && c[i + 5] == 'y') {
                c[i + 2] = (byte) 0xe9;
            }
        }
        // clear the UTF-8 (EFS) flag bit 11 so the name is taken as bytes
        for (int i = 0; i + 10 < c.length; i++) {
            if (c[i] == 'P' && c[i + 1] == 'K' && c[i + 2] == 3 && c[i + 3] == 4) {
                c[i + 7] &= ~0x08;
            }
            if (c[i] == 'P' && c[i + 1] == 'K' && c[i + 2] == 1 && c[i + 3] == 2) {
                c[i + 9] &= ~0x08;
            }
        }
        return c;
    }

    @Test
    void everyHostileArchiveEndsAsAListingWithAReasonOrAFlag() throws Exception {
        List<Case> corpus = corpus();
        assertTrue(corpus.size() >= 30, "the corpus has " + corpus.size() + " cases");
        Path work = dir.resolve("cases");
        Files.createDirectories(work);
        List<String> outcomes = new ArrayList<>();
        for (Case k : corpus) {
            Path file = work.resolve(k.name().replaceAll("[^a-z0-9]+", "-") + ".bin");
            Files.write(file, k.bytes());
            ArchiveListing l = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ArchiveReaders.read(file, k.limits()),
                    k.name());
            Expect e = k.expect();
            if (e.error() != null) {
                assertTrue(l.error().isPresent() && l.error().get().startsWith(e.error()),
                        k.name() + ": expected error '" + e.error() + "', got " + l.error() + " " + l.files());
                outcomes.add(k.name() + " -> " + l.error().get());
            } else if (e.warning() != null) {
                assertTrue(l.warnings().stream().anyMatch(w -> w.startsWith(e.warning())), k.name() + ": " + l.warnings());
                outcomes.add(k.name() + " -> " + l.warnings().get(0));
            } else {
                ArtifactFile f = l.files().stream().filter(x -> x.path().equals(e.path()) && x.flags().contains(e.flag()))
                        .findFirst().orElseThrow(() -> new AssertionError(k.name() + ": no " + e.flag() + " on " + e.path()
                                + " in " + l.files().stream().map(x -> x.path() + x.flags()).toList() + " " + l.error()));
                outcomes.add(k.name() + " -> " + f.path().substring(0, Math.min(40, f.path().length())) + " " + f.flags());
            }
        }
        // Nothing was extracted anywhere: the only files are the cases themselves.
        try (Stream<Path> s = Files.walk(dir)) {
            assertEquals(corpus.size(), s.filter(Files::isRegularFile).count());
        }
        assertFalse(Files.exists(Path.of("/etc/cron.d/x")));
        System.out.println(String.join("\n", outcomes));
    }

    @Test
    void malformedMetadataIsAFindingNotACrash() {
        Release release = new Release(PackageId.parse("pkg:pypi/demo"), "1.0", List.of(), Optional.empty(), false,
                Optional.empty(), SourceHints.none());
        Artifact wheel = new Artifact("demo-1.0-py3-none-any.whl", "u", ArtifactKind.WHEEL, 1, Map.of(), Optional.empty(), false);
        ArtifactFile mod = new ArtifactFile("demo/x.py", "demo/x.py", 0, 2, "00".repeat(32), "00".repeat(20),
                ArtifactFile.EntryType.FILE, Set.of());
        ArtifactFile record = new ArtifactFile("demo-1.0.dist-info/RECORD", "", 0, 1, "11".repeat(32), "11".repeat(20),
                ArtifactFile.EntryType.FILE, Set.of());
        ArtifactFile meta = new ArtifactFile("demo-1.0.dist-info/METADATA", "", 0, 1, "22".repeat(32), "22".repeat(20),
                ArtifactFile.EntryType.FILE, Set.of());
        List<String> p = new PypiGeneratedFiles().consistency(release, wheel, List.of(mod, record, meta), paths -> Map.of(
                "demo-1.0.dist-info/RECORD", utf8("garbage line without commas\ndemo/x.py,sha256=AAAA,2\n"),
                "demo-1.0.dist-info/METADATA", utf8("Summary: no name here\n")));
        assertEquals(List.of("malformed RECORD line 1", "RECORD hash mismatch for demo/x.py", "not in RECORD: "
                + "demo-1.0.dist-info/METADATA", "malformed demo-1.0.dist-info/METADATA: no Name or Version"), p);

        Release npm = new Release(PackageId.parse("pkg:npm/widget"), "1.0.0", List.of(), Optional.empty(), false,
                Optional.empty(), SourceHints.none());
        Artifact tgz = new Artifact("widget-1.0.0.tgz", "u", ArtifactKind.NPM_TARBALL, 1, Map.of(), Optional.empty(), false);
        ArtifactFile pj = new ArtifactFile("package/package.json", "", 0, 1, "33".repeat(32), "33".repeat(20),
                ArtifactFile.EntryType.FILE, Set.of());
        List<String> q = new NpmGeneratedFiles().consistency(npm, tgz, List.of(pj),
                paths -> Map.of("package/package.json", utf8("{\"name\": \"widget\", \"version\": ")));
        assertTrue(q.get(0).startsWith("malformed package.json"), q.toString());
    }

    @Test
    void aOneGibEntryStreamsInASmallHeap() throws Exception {
        // 1 GiB of zeros in a tar.gz of about 1 MB, read by a JVM limited to 96 MiB of heap.
        Path file = dir.resolve("gib.tar.gz");
        try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(file));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry e = new TarArchiveEntry("p/huge.bin");
            long size = 1L << 30;
            e.setSize(size);
            tar.putArchiveEntry(e);
            byte[] zeros = new byte[1 << 20];
            for (long w = 0; w < size; w += zeros.length) {
                tar.write(zeros);
            }
            tar.closeArchiveEntry();
        }
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
                "-cp", System.getProperty("java.class.path"), BoundedMemoryProbe.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "reading 1 GiB took more than two minutes");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        // sha256 of 2^30 zero bytes
        assertEquals("1073741824 49bc20df15e412a64472421e13fe86ff1c5165e18b2afccf160d4dc19fe68a14 ok", out);
    }
}
