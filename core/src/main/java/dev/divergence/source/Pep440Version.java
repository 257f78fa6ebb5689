package dev.divergence.source;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version as PEP 440 defines it, with its normal form and its order. No maintained Java library implements
 * PEP 440, so this follows the reference implementation ({@code packaging.version}) line by line: the regular
 * expression of PEP 440 Appendix B, the normalisation rules (https://peps.python.org/pep-0440/#normalization)
 * and the sort key of {@code packaging.version._cmpkey}. Numbers are unbounded (PEP 440 sets no limit).
 *
 * @param epoch {@code N!}, 0 when absent
 * @param release release segment as written (trailing zeros are ignored only when comparing)
 * @param preLabel {@code a}, {@code b} or {@code rc} (normalised), empty for no pre-release
 * @param pre pre-release number (0 when implicit), null when no pre-release
 * @param post post-release number (0 when implicit), null when none
 * @param dev dev-release number (0 when implicit), null when none
 * @param local local version label segments, lowercase; empty when none
 */
public record Pep440Version(BigInteger epoch, List<BigInteger> release, String preLabel, BigInteger pre,
                            BigInteger post, BigInteger dev, List<String> local) implements Comparable<Pep440Version> {

    // PEP 440, Appendix B: "Parsing version strings with regular expressions" (VERSION_PATTERN).
    private static final Pattern PATTERN = Pattern.compile(
            "^\\s*v?"
            + "(?:(?<epoch>[0-9]+)!)?"
            + "(?<release>[0-9]+(?:\\.[0-9]+)*)"
            + "(?<pre>[-_.]?(?<prel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pren>[0-9]+)?)?"
            + "(?<post>(?:-(?<postn1>[0-9]+))|(?:[-_.]?(?<postl>post|rev|r)[-_.]?(?<postn2>[0-9]+)?))?"
            + "(?<dev>[-_.]?(?<devl>dev)[-_.]?(?<devn>[0-9]+)?)?"
            + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?"
            + "\\s*$", Pattern.CASE_INSENSITIVE);

    public Pep440Version {
        release = List.copyOf(release);
        local = List.copyOf(local);
    }

    /** The version, or empty when PEP 440 does not accept the text (it is then "invalid", not a version). */
    public static Optional<Pep440Version> parse(String text) {
        Matcher m = PATTERN.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigInteger epoch = m.group("epoch") == null ? BigInteger.ZERO : new BigInteger(m.group("epoch"));
        List<BigInteger> release = new ArrayList<>();
        for (String part : m.group("release").split("\\.")) {
            release.add(new BigInteger(part));
        }
        String preLabel = "";
        BigInteger pre = null;
        if (m.group("pre") != null) {
            // Spellings: alpha -> a, beta -> b, c/pre/preview -> rc; an implicit number is 0.
            preLabel = switch (m.group("prel").toLowerCase(Locale.ROOT)) {
                case "alpha", "a" -> "a";
                case "beta", "b" -> "b";
                default -> "rc";
            };
            pre = number(m.group("pren"));
        }
        BigInteger post = null;
        if (m.group("post") != null) {
            post = number(m.group("postn1") != null ? m.group("postn1") : m.group("postn2"));
        }
        BigInteger dev = m.group("dev") == null ? null : number(m.group("devn"));
        List<String> local = m.group("local") == null ? List.of()
                : List.of(m.group("local").toLowerCase(Locale.ROOT).split("[-_.]"));
        return Optional.of(new Pep440Version(epoch, release, preLabel, pre, post, dev, local));
    }

    private static BigInteger number(String digits) {
        return digits == null ? BigInteger.ZERO : new BigInteger(digits);
    }

    /** The normal form ({@code str(packaging.version.Version(text))}), e.g. {@code 1.0rc1.post2.dev3+abc.5}. */
    public String normalized() {
        StringBuilder sb = new StringBuilder();
        if (epoch.signum() != 0) {
            sb.append(epoch).append('!');
        }
        for (int i = 0; i < release.size(); i++) {
            sb.append(i == 0 ? "" : ".").append(release.get(i));
        }
        if (pre != null) {
            sb.append(preLabel).append(pre);
        }
        if (post != null) {
            sb.append(".post").append(post);
        }
        if (dev != null) {
            sb.append(".dev").append(dev);
        }
        if (!local.isEmpty()) {
            sb.append('+');
            for (int i = 0; i < local.size(); i++) {
                String s = local.get(i);
                sb.append(i == 0 ? "" : ".").append(isNumber(s) ? new BigInteger(s).toString() : s);
            }
        }
        return sb.toString();
    }

    /**
     * PEP 440 order ({@code packaging.version._cmpkey}): epoch; release without trailing zeros; a dev release
     * without pre- or post-release before every pre-release, no pre-release after every one; no post-release
     * before any; no dev release after any; no local label before any, and in local labels a numeric segment
     * sorts after an alphanumeric one, numbers numerically, a longer label after its own prefix.
     */
    @Override
    public int compareTo(Pep440Version o) {
        int c = epoch.compareTo(o.epoch);
        if (c != 0) {
            return c;
        }
        List<BigInteger> a = trimmed(release);
        List<BigInteger> b = trimmed(o.release);
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        c = Integer.compare(a.size(), b.size());
        if (c != 0) {
            return c;
        }
        c = comparePre(o);
        if (c != 0) {
            return c;
        }
        c = nullsFirst(post, o.post);
        if (c != 0) {
            return c;
        }
        c = nullsLast(dev, o.dev);
        if (c != 0) {
            return c;
        }
        return compareLocal(local, o.local);
    }

    private int comparePre(Pep440Version o) {
        int ra = preRank();
        int rb = o.preRank();
        if (ra != rb || ra != 1) {
            return Integer.compare(ra, rb);
        }
        int c = preLabel.compareTo(o.preLabel); // "a" < "b" < "rc"
        return c != 0 ? c : pre.compareTo(o.pre);
    }

    /** 0: a bare dev release (before every pre-release); 1: a pre-release; 2: none (after every pre-release). */
    private int preRank() {
        if (pre == null && post == null && dev != null) {
            return 0;
        }
        return pre == null ? 2 : 1;
    }

    private static int nullsFirst(BigInteger a, BigInteger b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return a.compareTo(b);
    }

    private static int nullsLast(BigInteger a, BigInteger b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        return a.compareTo(b);
    }

    private static int compareLocal(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            String x = a.get(i);
            String y = b.get(i);
            boolean nx = isNumber(x);
            boolean ny = isNumber(y);
            int c;
            if (nx && ny) {
                c = new BigInteger(x).compareTo(new BigInteger(y));
            } else if (nx || ny) {
                c = nx ? 1 : -1; // numeric segments sort after alphanumeric ones
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    private static List<BigInteger> trimmed(List<BigInteger> release) {
        int n = release.size();
        while (n > 1 && release.get(n - 1).signum() == 0) {
            n--;
        }
        return release.subList(0, n);
    }
}
