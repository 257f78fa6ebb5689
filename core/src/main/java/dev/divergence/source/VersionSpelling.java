package dev.divergence.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version reduced to a canonical form so that the spellings of one version compare equal:
 * PEP 440 ({@code 1.0.0rc1}, {@code 1.0rc1}), semver ({@code 1.0.0-rc.1}), Maven ({@code 1.0.0-RC1},
 * {@code 1.0.0.RELEASE}, {@code 1.0.0-final}), zero padding ({@code 1.2} = {@code 1.2.0}).
 * See https://peps.python.org/pep-0440/#normalization and https://semver.org.
 *
 * @param release release segment without trailing zeros
 * @param pre pre-release label (a, b, rc, or a raw label) and number, e.g. "rc1"; empty for a final release
 * @param post post-release number, -1 when absent
 * @param dev dev-release number, -1 when absent
 */
public record VersionSpelling(List<Long> release, String pre, long post, long dev) {

    private static final Pattern FORM = Pattern.compile(
            "^(\\d+(?:\\.\\d+)*)"                                   // release
            + "(?:[-_.]?(alpha|beta|preview|pre|a|b|c|rc|milestone|m)[-_.]?(\\d*))?"  // pre
            + "(?:(?:-(\\d+))|(?:[-_.]?(?:post|rev|r)[-_.]?(\\d*)))?"  // post
            + "(?:[-_.]?dev[-_.]?(\\d*))?"                          // dev
            + "(?:[-_.]?(?:release|final|ga))?"                    // Maven/Spring qualifiers meaning "final"
            + "(?:\\+[a-z0-9.]+)?$");                               // local / build metadata (ignored)

    private static final Pattern SEMVER_PRE = Pattern.compile("^(\\d+\\.\\d+\\.\\d+)-([0-9a-z.-]+)(?:\\+[0-9a-z.-]+)?$");

    /** Parses a version, or returns empty when the text is not a version at all. */
    public static Optional<VersionSpelling> parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("v")) {
            s = s.substring(1);
        }
        Matcher m = FORM.matcher(s);
        if (m.matches()) {
            List<Long> rel = new ArrayList<>();
            for (String part : m.group(1).split("\\.")) {
                if (part.length() > 18) {
                    return Optional.empty();
                }
                rel.add(Long.parseLong(part));
            }
            while (rel.size() > 1 && rel.get(rel.size() - 1) == 0) {
                rel.remove(rel.size() - 1);
            }
            String pre = "";
            if (m.group(2) != null) {
                String label = switch (m.group(2)) {
                    case "alpha", "a" -> "a";
                    case "beta", "b" -> "b";
                    case "c", "rc", "pre", "preview" -> "rc";
                    default -> "m";
                };
                pre = label + (m.group(3).isEmpty() ? "0" : Long.parseLong(m.group(3)));
            }
            long post = -1;
            if (m.group(4) != null) {
                post = Long.parseLong(m.group(4));
            } else if (m.group(5) != null) {
                post = m.group(5).isEmpty() ? 0 : Long.parseLong(m.group(5));
            }
            long dev = m.group(6) == null ? -1 : (m.group(6).isEmpty() ? 0 : Long.parseLong(m.group(6)));
            return Optional.of(new VersionSpelling(List.copyOf(rel), pre, post, dev));
        }
        // semver pre-releases that PEP 440 cannot spell (1.0.0-0, 1.0.0-beta.x.y): keep the raw label.
        Matcher sm = SEMVER_PRE.matcher(s);
        if (sm.matches()) {
            Optional<VersionSpelling> base = parse(sm.group(1));
            return base.map(b -> new VersionSpelling(b.release(), "~" + sm.group(2), -1, -1));
        }
        return Optional.empty();
    }

    /** Canonical text, e.g. {@code 1.2rc1.post0}. Equal canonical text means the same version. */
    public String canonical() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < release.size(); i++) {
            sb.append(i == 0 ? "" : ".").append(release.get(i));
        }
        sb.append(pre);
        if (post >= 0) {
            sb.append(".post").append(post);
        }
        if (dev >= 0) {
            sb.append(".dev").append(dev);
        }
        return sb.toString();
    }

    public static boolean same(String a, String b) {
        // One spelling is the same version even when no form above covers it (Jackson's 2.9.0.pr1, 2.10.0.pr3).
        String at = a.trim();
        if (!at.isEmpty() && Character.isDigit(at.charAt(0)) && at.equals(b.trim())) {
            return true;
        }
        Optional<VersionSpelling> x = parse(a);
        Optional<VersionSpelling> y = parse(b);
        return x.isPresent() && y.isPresent() && x.get().canonical().equals(y.get().canonical());
    }

    /**
     * Release order when the ecosystem is unknown ({@link VersionOrder#any()}: PEP 440). Kept for callers that
     * list versions without an ecosystem; the order that counts is {@link VersionOrder#of}, per ecosystem.
     */
    public static int compare(String a, String b) {
        return VersionOrder.any().compare(a, b);
    }
}
