package dev.divergence.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Builds sdists and wheels laid out the way setuptools lays them out, from files in memory, deterministically
 * (fixed times and modes, sorted entries) so that the same input always gives the same SHA-256. Used by the
 * bundled demo and by tests; it never runs any of the packaged code.
 * Sdist: https://packaging.python.org/en/latest/specifications/source-distribution-format/ ;
 * wheel: https://packaging.python.org/en/latest/specifications/binary-distribution-format/ ;
 * RECORD: https://packaging.python.org/en/latest/specifications/recording-installed-packages/ .
 */
public final class PythonDistributions {

    /** 2026-03-01T00:00:00Z: a fixed timestamp keeps archives reproducible. */
    static final long FIXED_MTIME_MILLIS = 1_772_323_200_000L;

    private PythonDistributions() {
    }

    /** The project name as it appears in file names (PEP 625 / wheel spec: lowercase, '-' → '_'). */
    public static String distName(String name) {
        return name.toLowerCase().replaceAll("[-_.]+", "_");
    }

    public static String sdistFilename(String name, String version) {
        return distName(name) + "-" + version + ".tar.gz";
    }

    public static String wheelFilename(String name, String version) {
        return distName(name) + "-" + version + "-py3-none-any.whl";
    }

    static String metadata(String name, String version, String summary) {
        return "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\nSummary: " + summary
                + "\nRequires-Python: >=3.9\nDescription-Content-Type: text/markdown\n\n";
    }

    /**
     * An sdist: every given source file under {@code name-version/}, plus setuptools' PKG-INFO, the
     * {@code NAME.egg-info/} folder and an {@code [egg_info]} block appended to setup.cfg.
     */
    public static byte[] sdist(String name, String version, SortedMap<String, byte[]> sourceFiles, List<String> topLevel)
            throws IOException {
        String root = distName(name) + "-" + version + "/";
        String egg = distName(name) + ".egg-info/";
        SortedMap<String, byte[]> entries = new TreeMap<>();
        String meta = metadata(name, version, name + " demo package");
        for (Map.Entry<String, byte[]> e : sourceFiles.entrySet()) {
            byte[] content = e.getValue();
            if (e.getKey().equals("setup.cfg")) {
                content = (new String(content, StandardCharsets.UTF_8).stripTrailing()
                        + "\n\n[egg_info]\ntag_build = \ntag_date = 0\n\n").getBytes(StandardCharsets.UTF_8);
            }
            entries.put(root + e.getKey(), content);
        }
        entries.put(root + "PKG-INFO", utf8(meta));
        entries.put(root + egg + "PKG-INFO", utf8(meta));
        entries.put(root + egg + "SOURCES.txt", utf8(String.join("\n", sourceFiles.keySet()) + "\n"));
        entries.put(root + egg + "dependency_links.txt", utf8("\n"));
        entries.put(root + egg + "top_level.txt", utf8(String.join("\n", topLevel) + "\n"));
        if (!sourceFiles.containsKey("setup.cfg")) {
            entries.put(root + "setup.cfg", utf8("[egg_info]\ntag_build = \ntag_date = 0\n\n"));
        }
        return tarGz(entries);
    }

    /** A pure-Python wheel: the given install paths (already relative to site-packages) plus dist-info. */
    public static byte[] wheel(String name, String version, SortedMap<String, byte[]> installFiles, List<String> topLevel)
            throws IOException {
        return wheel(name, version, installFiles, topLevel, Map.of());
    }

    /**
     * A wheel whose dist-info also holds {@code distInfoFiles} (names inside {@code NAME-VERSION.dist-info/}, e.g.
     * {@code entry_points.txt}, or {@code METADATA} to replace the default), all listed in RECORD.
     */
    public static byte[] wheel(String name, String version, SortedMap<String, byte[]> installFiles, List<String> topLevel,
                               Map<String, byte[]> distInfoFiles) throws IOException {
        String distInfo = distName(name) + "-" + version + ".dist-info/";
        Map<String, byte[]> entries = new LinkedHashMap<>(installFiles);
        entries.put(distInfo + "METADATA", utf8(metadata(name, version, name + " demo package")));
        entries.put(distInfo + "WHEEL", utf8("Wheel-Version: 1.0\nGenerator: setuptools (80.9.0)\nRoot-Is-Purelib: true\n"
                + "Tag: py3-none-any\n\n"));
        entries.put(distInfo + "top_level.txt", utf8(String.join("\n", topLevel) + "\n"));
        distInfoFiles.forEach((k, v) -> entries.put(distInfo + k, v));
        // RECORD lists every file with its urlsafe-base64 SHA-256 and size; its own line has neither.
        String record = entries.entrySet().stream()
                .map(e -> e.getKey() + ",sha256=" + recordHash(e.getValue()) + "," + e.getValue().length)
                .collect(Collectors.joining("\n", "", "\n" + distInfo + "RECORD,,\n"));
        entries.put(distInfo + "RECORD", utf8(record));
        return zip(entries);
    }

    static String recordHash(byte[] content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] tarGz(SortedMap<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GzipParameters gz = new GzipParameters();
        gz.setModificationTime(FIXED_MTIME_MILLIS);
        try (OutputStream out = new GzipCompressorOutputStream(bytes, gz);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setSize(e.getValue().length);
                te.setMode(0100644);
                te.setModTime(FIXED_MTIME_MILLIS);
                tar.putArchiveEntry(te);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    public static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipArchiveEntry ze = new ZipArchiveEntry(e.getKey());
                ze.setTime(FIXED_MTIME_MILLIS);
                ze.setUnixMode(0100644);
                zip.putArchiveEntry(ze);
                zip.write(e.getValue());
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    public static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
