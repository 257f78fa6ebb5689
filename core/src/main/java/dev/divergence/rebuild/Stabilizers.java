package dev.divergence.rebuild;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Named, versioned stabilisation passes (after diffoscope/strip-nondeterminism and OSS Rebuild's stabilizers):
 * each removes exactly one kind of build-time noise and nothing else, so that "equal after pass P" says what
 * differed. A pass's version changes whenever what it removes changes; rows name {@code NAME/VERSION}.
 * <p>
 * Entry-content passes compare one entry's bytes on both sides; archive passes ({@link #ENTRY_ORDER},
 * {@link #ENTRY_TIMESTAMPS}, {@link #ENTRY_PERMISSIONS}, {@link #ARCHIVE_CONTAINER}) are named when the archives
 * differ in that respect while every entry's name and bytes are equal.
 */
public final class Stabilizers {

    /** The archive lists the same entries in another order. */
    public static final String ENTRY_ORDER = "entry-order/1";
    /** Entry modification times differ (a build without {@code project.build.outputTimestamp}, SOURCE_DATE_EPOCH). */
    public static final String ENTRY_TIMESTAMPS = "entry-timestamps/1";
    /** Entry modes differ (the builder's umask). */
    public static final String ENTRY_PERMISSIONS = "entry-permissions/1";
    /**
     * Names, order, times, modes and bytes of every entry equal, and the files still differ: compression level, zip
     * extra fields, tar owner names — the container, not anything an installer extracts.
     */
    public static final String ARCHIVE_CONTAINER = "archive-container/1";
    /**
     * {@code META-INF/MANIFEST.MF} equal once the attributes naming the build's JDK, tool, user and time are removed
     * ({@link #BUILD_ATTRIBUTES}); compared as attribute maps, so line wrapping and attribute order do not count.
     * Attributes that run code ({@code Main-Class}, {@code Premain-Class}, {@code Class-Path}, ...) are never removed.
     */
    public static final String JAR_MANIFEST = "jar-manifest-build-attributes/1";
    /** Maven's {@code pom.properties}: the {@code #date} comment line(s) removed, properties compared as a set. */
    public static final String POM_PROPERTIES = "pom-properties-date/1";
    /** A wheel's {@code *.dist-info/RECORD}: the same lines in another order. */
    public static final String WHEEL_RECORD = "wheel-record-order/1";

    static final Set<String> BUILD_ATTRIBUTES = Set.of("build-jdk", "build-jdk-spec", "built-by", "created-by",
            "bnd-lastmodified", "build-time", "build-date", "build-timestamp", "tool", "originally-created-by");

    private Stabilizers() {
    }

    /** The content pass that makes {@code published} equal to {@code rebuilt} for this path, if any. */
    public static Optional<String> equalAfter(String path, byte[] published, byte[] rebuilt) {
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("meta-inf/manifest.mf")) {
            Optional<Map<String, Map<String, String>>> a = manifest(published);
            Optional<Map<String, Map<String, String>>> b = manifest(rebuilt);
            return a.isPresent() && a.equals(b) ? Optional.of(JAR_MANIFEST) : Optional.empty();
        }
        if (lower.startsWith("meta-inf/maven/") && lower.endsWith("/pom.properties")) {
            return properties(published).equals(properties(rebuilt)) ? Optional.of(POM_PROPERTIES) : Optional.empty();
        }
        if (lower.matches("[^/]+\\.dist-info/record")) {
            return lines(published).equals(lines(rebuilt)) ? Optional.of(WHEEL_RECORD) : Optional.empty();
        }
        return Optional.empty();
    }

    /** Main and per-entry sections, attribute names lowercased, build attributes of the main section removed. */
    static Optional<Map<String, Map<String, String>>> manifest(byte[] bytes) {
        try {
            Manifest m = new Manifest(new ByteArrayInputStream(bytes));
            Map<String, Map<String, String>> out = new TreeMap<>();
            out.put("", attributes(m.getMainAttributes(), true));
            m.getEntries().forEach((name, attrs) -> out.put("entry:" + name, attributes(attrs, false)));
            return Optional.of(out);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a manifest the JVM would not read is never "equal"
        }
    }

    private static Map<String, String> attributes(Attributes a, boolean main) {
        Map<String, String> out = new TreeMap<>();
        a.forEach((k, v) -> {
            String name = k.toString().toLowerCase(java.util.Locale.ROOT);
            if (!main || !BUILD_ATTRIBUTES.contains(name)) {
                out.put(name, String.valueOf(v));
            }
        });
        return out;
    }

    /**
     * Property lines without comments (Maven writes the build date as {@code #Tue Aug 10 ...}), as a set. Lines end
     * where {@code java.util.Properties.load} ends them (LF, CR or CRLF): a comment ends at a lone CR too.
     */
    static Set<String> properties(byte[] bytes) {
        Set<String> out = new TreeSet<>();
        for (String l : new String(bytes, StandardCharsets.UTF_8).split("\r\n|\r|\n")) {
            if (!l.startsWith("#") && !l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }

    /** The lines as a sorted list (duplicates kept: a line listed twice is not the same RECORD). */
    static List<String> lines(byte[] bytes) {
        List<String> out = new ArrayList<>(List.of(new String(bytes, StandardCharsets.UTF_8).split("\r?\n")));
        out.removeIf(String::isEmpty);
        java.util.Collections.sort(out);
        return out;
    }
}
