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
}
