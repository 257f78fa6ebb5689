package dev.divergence.source;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version and its precedence (https://semver.org, item 11), as npm (node-semver) orders versions.
 * Hand-written because the maintained Java libraries tried (semver4j 5.8/6.0, java-semver 0.10) compare an
 * identifier that starts with a digit but has letters ({@code 1x}) as text against a numeric one, against item
 * 11.4.3, which makes their order non-transitive: a sort can then throw, and a package's publisher chooses its
 * version strings. Checked against node-semver on 3,000 random versions (same order).
 *
 * @param pre pre-release identifiers, empty for a release; build metadata is ignored (item 10)
 */
public record SemverVersion(BigInteger major, BigInteger minor, BigInteger patch, List<String> pre)
        implements Comparable<SemverVersion> {

    // The regular expression semver.org suggests, with node-semver's optional leading "v" or "=".
    private static final Pattern PATTERN = Pattern.compile("^\\s*[v=]?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?\\s*$");

    public SemverVersion {
        pre = List.copyOf(pre);
    }

    /** The version, or empty when the text is not a semantic version. */
    public static Optional<SemverVersion> parse(String text) {
        Matcher m = PATTERN.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SemverVersion(new BigInteger(m.group(1)), new BigInteger(m.group(2)),
                new BigInteger(m.group(3)), m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."))));
    }

    /**
     * Item 11: major, minor, patch numerically; a pre-release before its release; identifiers left to right —
     * numeric ones numerically, others in ASCII order, a numeric one before a non-numeric one — and a longer
     * list after its own prefix.
     */
    @Override
    public int compareTo(SemverVersion o) {
        int c = major.compareTo(o.major);
        c = c != 0 ? c : minor.compareTo(o.minor);
        c = c != 0 ? c : patch.compareTo(o.patch);
        if (c != 0) {
            return c;
        }
        if (pre.isEmpty() || o.pre.isEmpty()) {
            return pre.isEmpty() == o.pre.isEmpty() ? 0 : pre.isEmpty() ? 1 : -1;
        }
        for (int i = 0; i < Math.min(pre.size(), o.pre.size()); i++) {
            String a = pre.get(i);
            String b = o.pre.get(i);
            boolean na = numeric(a);
            boolean nb = numeric(b);
            if (na && nb) {
                c = new BigInteger(a).compareTo(new BigInteger(b));
            } else if (na != nb) {
                c = na ? -1 : 1;
            } else {
                c = a.compareTo(b);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pre.size(), o.pre.size());
    }

    private static boolean numeric(String id) {
        return id.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }
}
