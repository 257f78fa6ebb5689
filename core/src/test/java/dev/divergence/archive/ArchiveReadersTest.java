package dev.divergence.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.PythonDistributions;
import dev.divergence.fixtures.Trees;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.RiskFlag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveReadersTest {

    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static ArtifactFile file(ArchiveListing l, String path) {
        return l.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow(
                () -> new AssertionError(path + " not in " + l.files().stream().map(ArtifactFile::path).toList()));
    }

    @Test
    void sdistEntriesAreHashedWithSha256AndTheBlobIdGitWouldGive() throws IOException {
        SortedMap<String, byte[]> files = Trees.files("demo-1.0/demo/core.py", "def f():\n    return 1\n",
                "demo-1.0/README.md", "# demo\n");
        ArchiveListing l = ArchiveReaders.read(write("demo-1.0.tar.gz", PythonDistributions.tarGz(files)),
                ArchiveLimits.defaults());
        assertTrue(l.complete(), l.error().orElse(""));
        assertEquals("tar+gzip", l.format());
        ArtifactFile core = file(l, "demo-1.0/demo/core.py");
        byte[] content = files.get("demo-1.0/demo/core.py");
        assertEquals(EntryDigest.sha256(content), core.sha256());
        try (ObjectInserter.Formatter git = new ObjectInserter.Formatter()) {
            assertEquals(git.idFor(Constants.OBJ_BLOB, content).name(), core.gitBlobId());
        }
        assertEquals(content.length, core.size());
        assertEquals(0100644, core.mode());
        assertEquals(2, l.files().size());
    }

    @Test
    void wheelIsReadAsZipWhateverItsName() throws IOException {
        byte[] wheel = PythonDistributions.wheel("demo", "1.0", Trees.files("demo/__init__.py", ""), List.of("demo"));
        ArchiveListing l = ArchiveReaders.read(write("looks-like.tar.gz", wheel), ArchiveLimits.defaults());
        assertEquals("zip", l.format());
        assertEquals(List.of("demo/__init__.py", "demo-1.0.dist-info/METADATA", "demo-1.0.dist-info/WHEEL",
                "demo-1.0.dist-info/top_level.txt", "demo-1.0.dist-info/RECORD"),
                l.files().stream().map(ArtifactFile::path).toList());
    }

    @Test
    void traversalAbsoluteAndLinkEntriesAreRecordedAndFlaggedNeverFollowed() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            addFile(tar, "pkg-1.0/../../evil.py", "x = 1\n");
            addFile(tar, "/etc/cron.d/job", "* * * * * root true\n");
            TarArchiveEntry link = new TarArchiveEntry("pkg-1.0/link", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        ArchiveListing l = ArchiveReaders.read(write("evil.tar.gz", bytes.toByteArray()), ArchiveLimits.defaults());
        assertTrue(l.complete());
        assertTrue(file(l, "pkg-1.0/../../evil.py").flags().contains(RiskFlag.PATH_TRAVERSAL));
        ArtifactFile abs = file(l, "etc/cron.d/job");
        assertTrue(abs.flags().contains(RiskFlag.ABSOLUTE_PATH));
        assertEquals("/etc/cron.d/job", abs.rawName());
        ArtifactFile ln = file(l, "pkg-1.0/link");
        assertEquals(ArtifactFile.EntryType.SYMLINK, ln.type());
        assertTrue(ln.flags().contains(RiskFlag.LINK));
        assertEquals(EntryDigest.sha256("/etc/passwd".getBytes(StandardCharsets.UTF_8)), ln.sha256());
        assertFalse(Files.exists(dir.resolve("evil.py")));
    }

    @Test
    void truncatedGzipEndsTheListingWithAReasonAndKeepsWhatWasRead() throws IOException {
        SortedMap<String, byte[]> files = Trees.files("a/first.txt", "first\n", "a/second.bin", "x".repeat(200_000));
        byte[] full = PythonDistributions.tarGz(files);
        byte[] truncated = Arrays.copyOf(full, full.length - 40);
        ArchiveListing l = ArchiveReaders.read(write("cut.tar.gz", truncated), ArchiveLimits.defaults());
        assertFalse(l.complete());
        assertTrue(l.error().get().startsWith("corrupt or truncated archive"), l.error().get());
        assertEquals("a/first.txt", l.files().get(0).path());
    }

    @Test
    void compressionRatioLimitLeavesAZipBombEntryUnreadAndReadsTheNextEntries() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("zeros.bin", new byte[4 << 20]);
        entries.put("setup.py", "print(1)\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path bomb = write("bomb.zip", PythonDistributions.zip(entries));
        ArchiveLimits tight = new ArchiveLimits(1000, 1L << 40, 10, 0, 1 << 20);
        ArchiveListing l = ArchiveReaders.read(bomb, tight);
        assertTrue(l.limited());
        assertEquals(java.util.Optional.empty(), l.error());
        assertEquals(java.util.Set.of(RiskFlag.LIMIT_EXCEEDED), l.files().get(0).flags());
        assertEquals("", l.files().get(0).sha256(), "not hashed");
        assertEquals("setup.py", l.files().get(1).path());
        assertEquals(EntryDigest.sha256("print(1)\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                l.files().get(1).sha256());
        assertEquals(List.of("zeros.bin inflates beyond the per-entry compression-ratio limit (40800 bytes): its "
                + "content was not read"), l.warnings());
    }

    @Test
    void metadataEntriesAreKeptWholeFromTheOnePassWithinTheirOwnBudget() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("demo/__init__.py", "x = 1\n".getBytes(StandardCharsets.UTF_8));
        byte[] record = "demo/__init__.py,sha256=abc,6\n".repeat(10_000).getBytes(StandardCharsets.UTF_8); // ~300 KB
        entries.put("demo-1.0.dist-info/RECORD", record);
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 10; i++) {
            byte[] b = new byte[4 << 20];
            random.nextBytes(b);
            entries.put("x" + i + ".dist-info/RECORD", b);
        }
        Path wheel = write("demo-1.0-py3-none-any.whl", PythonDistributions.zip(entries));
        ArchiveListing l = ArchiveReaders.read(wheel, ArchiveLimits.defaults(), p -> p.endsWith("/RECORD"));
        assertEquals(12, l.files().size());
        Files.delete(wheel); // whatever comes back now came from the one pass, not from a second read
        Map<String, byte[]> kept = l.contents(wheel, Set.of("demo-1.0.dist-info/RECORD", "demo/__init__.py"), 8L << 20);
        assertArrayEquals(record, kept.get("demo-1.0.dist-info/RECORD"));
        assertEquals("x = 1\n", new String(kept.get("demo/__init__.py"), StandardCharsets.UTF_8));
        // 32 MB for kept-whole entries: the 300 KB RECORD and seven of the ten 4 MB look-alikes, no more.
        Set<String> lookAlikes = new java.util.HashSet<>();
        for (int i = 0; i < 10; i++) {
            lookAlikes.add("x" + i + ".dist-info/RECORD");
        }
        assertEquals(7, l.contents(wheel, lookAlikes, 8L << 20).size());
        // Without the predicate a 300 KB entry is not kept (small entries only).
        Path again = write("again.whl", PythonDistributions.zip(entries));
        ArchiveListing plain = ArchiveReaders.read(again, ArchiveLimits.defaults());
        Files.delete(again);
        assertEquals(Set.of("demo/__init__.py"), plain.contents(again,
                Set.of("demo-1.0.dist-info/RECORD", "demo/__init__.py"), 8L << 20).keySet());
    }

    @Test
    void entryCountLimitIsEnforced() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            entries.put("f" + i, new byte[] {(byte) i});
        }
        ArchiveLimits ten = new ArchiveLimits(10, 1L << 30, 1000, 1 << 20, 1 << 20);
        // A zip's central directory is parsed whole before any entry: one that lists too many is refused up front.
        ArchiveListing l = ArchiveReaders.read(write("many.zip", PythonDistributions.zip(entries)), ten);
        assertEquals(0, l.files().size());
        assertEquals("limit exceeded: more than 10 entries", l.error().get());
        // A tar streams: the entries before the limit are listed.
        ArchiveListing t = ArchiveReaders.read(write("many.tar.gz", PythonDistributions.tarGz(new java.util.TreeMap<>(
                entries))), ten);
        assertEquals(10, t.files().size());
        assertEquals("limit exceeded: more than 10 entries", t.error().get());
    }

    @Test
    void duplicateNamesAreFlagged() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            addFile(tar, "p/a.py", "one\n");
            addFile(tar, "p/a.py", "two\n");
        }
        ArchiveListing l = ArchiveReaders.read(write("dup.tar.gz", bytes.toByteArray()), ArchiveLimits.defaults());
        assertFalse(l.files().get(0).flags().contains(RiskFlag.DUPLICATE_ENTRY));
        assertTrue(l.files().get(1).flags().contains(RiskFlag.DUPLICATE_ENTRY));
    }

    @Test
    void unknownFormatIsAnErrorListing() throws IOException {
        ArchiveListing l = ArchiveReaders.read(write("x.whl", "not an archive".getBytes(StandardCharsets.UTF_8)),
                ArchiveLimits.defaults());
        assertEquals("unknown", l.format());
        assertTrue(l.error().get().startsWith("not a recognised archive"));
    }

    @Test
    void extractReturnsOnlyTheRequestedEntries() throws IOException {
        SortedMap<String, byte[]> files = Trees.files("p/a.py", "a\n", "p/b.py", "b\n", "p/c.py", "c\n");
        Path p = write("p.tar.gz", PythonDistributions.tarGz(files));
        Map<String, byte[]> got = ArchiveReaders.extract(p, Set.of("p/b.py", "p/missing"), 1024);
        assertEquals(Set.of("p/b.py"), got.keySet());
        assertArrayEquals("b\n".getBytes(StandardCharsets.UTF_8), got.get("p/b.py"));
    }

    private static void addFile(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(b.length);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
    }
}
