package dev.divergence.archive;

import dev.divergence.model.RiskFlag;
import java.util.EnumSet;
import java.util.Set;

/** Normalises entry names and flags the ones that would escape an extraction directory. */
final class EntryPaths {

    private EntryPaths() {
    }

    record Normalized(String path, Set<RiskFlag> flags) {
    }

    static Normalized normalize(String raw) {
        if (alreadyNormal(raw)) {
            return new Normalized(raw, Set.of()); // the common case: nothing to rewrite, nothing to flag
        }
        return normalizeFully(raw);
    }

    static Normalized normalizeFully(String raw) {
        Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
        if (raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == 0xfffd)) {
            flags.add(RiskFlag.ODD_NAME); // NUL, control characters, or bytes that did not decode as UTF-8
        }
        if (raw.length() > 1024 || raw.chars().filter(c -> c == '/').count() > 64) {
            flags.add(RiskFlag.LONG_PATH);
        }
        String p = raw.replace('\\', '/');
        boolean drive = p.length() >= 3 && Character.isLetter(p.charAt(0)) && p.charAt(1) == ':' && p.charAt(2) == '/';
        if (p.startsWith("/") || drive) {
            flags.add(RiskFlag.ABSOLUTE_PATH);
            p = p.substring(drive ? 2 : 0).replaceFirst("^/+", "");
        }
        StringBuilder out = new StringBuilder();
        for (String seg : p.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                flags.add(RiskFlag.PATH_TRAVERSAL);
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(seg);
        }
        return new Normalized(out.toString(), flags);
    }

    /**
     * Whether {@link #normalize} would return {@code raw} itself with no flag: printable, not too long or deep, no
     * backslash, not absolute (no leading slash, no drive letter), no empty, {@code .} or {@code ..} segment.
     */
    static boolean alreadyNormal(String raw) {
        int n = raw.length();
        if (n > 1024 || (n >= 2 && raw.charAt(1) == ':')) {
            return false;
        }
        int slashes = 0;
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f || c == 0xfffd || c == '\\') {
                return false;
            }
            boolean segmentStart = i == 0 || raw.charAt(i - 1) == '/';
            if (c == '/') {
                if (segmentStart || i == n - 1 || ++slashes > 64) {
                    return false; // leading, doubled or trailing slash: an empty segment
                }
            } else if (c == '.' && segmentStart) {
                boolean dot = i + 1 == n || raw.charAt(i + 1) == '/';
                boolean dotDot = i + 1 < n && raw.charAt(i + 1) == '.' && (i + 2 == n || raw.charAt(i + 2) == '/');
                if (dot || dotDot) {
                    return false;
                }
            }
        }
        return true;
    }
}
