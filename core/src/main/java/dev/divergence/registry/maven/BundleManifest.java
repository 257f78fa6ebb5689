package dev.divergence.registry.maven;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A jar manifest's main section as OSGi frameworks read it, not as {@link java.util.jar.Manifest} does. Equinox
 * ({@code org.eclipse.osgi.util.ManifestElement.parseBundleManifest}, which installs every bundle) reads its own
 * lines: CR, LF and CRLF end a line, of any length; a line end followed by one space continues the line; the section
 * ends at the first empty line or at the end of the bytes, so a last line without its line end still counts; a header
 * is the text before the line's first colon, both sides trimmed, and the last of a repeated header wins. A line with
 * no colon makes it refuse the manifest. Felix ({@code BundleCache.getMainAttributes}) reads the same or less (a lone
 * CR is no line end there, a colon must be followed by a space, a repeated header is refused), so every header Felix
 * sees Equinox sees too.
 *
 * <p>The JDK's reader differs: a line over 511 bytes is refused, and one of 511 bytes ending in CRLF is split at the
 * 512-byte buffer so the LF reads as the empty line that ends the section; it drops a last line without a line end
 * and refuses {@code Key:value} with no space or a name outside {@code [A-Za-z0-9_-]{1,70}}. A manifest on which the
 * two disagree names to a framework headers the JVM's view does not show.
 */
final class BundleManifest {
    private BundleManifest() {
    }

    /**
     * The main section's headers as Equinox reads them, names compared case-insensitively as the framework looks
     * them up (the last of a repeated header wins); empty when it would refuse the manifest.
     */
    static Optional<Map<String, String>> mainHeaders(byte[] bytes) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int[] at = {0};
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        while (true) {
            String l = readLine(bytes, at, line);
            if (l.isEmpty()) { // the empty line, or the end of the bytes
                return Optional.of(out);
            }
            int colon = l.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            out.put(l.substring(0, colon).trim(), l.substring(colon + 1).trim());
        }
    }

    /** One header line, its continuation lines joined (each one's leading space dropped), decoded as UTF-8. */
    private static String readLine(byte[] bytes, int[] at, ByteArrayOutputStream line) {
        line.reset();
        int i = at[0];
        while (i < bytes.length) {
            byte c = bytes[i];
            if (c == '\n' || c == '\r') {
                int next = i + 1;
                if (c == '\r' && next < bytes.length && bytes[next] == '\n') {
                    next++;
                }
                if (next < bytes.length && bytes[next] == ' ') {
                    i = next + 1; // a continuation: its first space is not part of the value
                    continue;
                }
                i = next;
                break;
            }
            line.write(c);
            i++;
        }
        at[0] = i;
        return line.toString(StandardCharsets.UTF_8);
    }
}
