package dev.divergence.source;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the operator keeps copies of repositories ({@code scan --mirror URL_PREFIX=TARGET}), as git's
 * {@code url.<base>.insteadOf}: a repository whose URL starts with a rule's prefix is opened at the rule's target
 * followed by the rest of the URL; the longest matching prefix wins. A URL naming the same repository as the prefix
 * (but for case, a trailing {@code /} or {@code .git}) opens the target itself; a prefix covers whole path segments
 * ({@code https://github.com/acme} covers {@code https://github.com/acme/widget}, not {@code .../acme-tools}). Every repository {@link RepositoryCache}
 * opens goes through these rules: package repositories and submodules alike, so an offline machine can scan with
 * local mirrors. A target is the operator's word (a local folder or a URL) and is not checked like registry URLs,
 * but the rest of a URL, written by whoever wrote the metadata, may not climb out of it ({@code ..}).
 */
public record Mirrors(List<Rule> rules) implements Serializable {

    public static final Mirrors NONE = new Mirrors(List.of());

    /** One {@code PREFIX=TARGET}. */
    public record Rule(String prefix, String target) implements Serializable {
    }

    public Mirrors {
        rules = rules.stream().sorted(Comparator.comparingInt((Rule r) -> r.prefix().length()).reversed()).toList();
    }

    /**
     * Parses {@code PREFIX=TARGET} rules (the first {@code =} splits: URLs rarely hold one before the path).
     *
     * @throws IllegalArgumentException naming the malformed rule
     */
    public static Mirrors parse(List<String> specs) {
        List<Rule> rules = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("a mirror is URL_PREFIX=PATH_OR_URL, not '" + spec + "'");
            }
            rules.add(new Rule(spec.substring(0, eq).trim(), spec.substring(eq + 1).trim()));
        }
        return new Mirrors(rules);
    }

    /** Where {@code location} is to be opened instead, or empty when no rule names it. */
    public Optional<String> rewrite(String location) {
        String key = key(location);
        for (Rule r : rules) {
            if (key.equals(key(r.prefix()))) {
                return Optional.of(r.target());
            }
        }
        for (Rule r : rules) {
            if (location.regionMatches(true, 0, r.prefix(), 0, r.prefix().length()) && atBoundary(location, r.prefix())) {
                Optional<String> t = below(r.target(), location.substring(r.prefix().length()));
                if (t.isPresent()) {
                    return t;
                }
            }
        }
        return Optional.empty();
    }

    /** The prefix ends at a path boundary: {@code https://h/acme} covers {@code https://h/acme/x}, not {@code https://h/acme-x}. */
    private static boolean atBoundary(String location, String prefix) {
        return prefix.endsWith("/") || prefix.endsWith(":") || location.length() == prefix.length()
                || location.charAt(prefix.length()) == '/';
    }

    /**
     * {@code target} followed by {@code rest}, unless {@code rest} climbs out of it. A local target tries the rest as
     * written, then without or with {@code .git} (bare mirrors are named either way).
     */
    private static Optional<String> below(String target, String rest) {
        String r = rest;
        while (r.startsWith("/")) {
            r = r.substring(1);
        }
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        if (r.isEmpty()) {
            return Optional.of(target);
        }
        for (String segment : r.split("[/\\\\]", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.empty(); // the metadata's part of the URL must stay below the operator's target
            }
        }
        if (RepositoryCache.isUrl(target)) {
            return Optional.of(target.endsWith("/") ? target + r : target + "/" + r);
        }
        Path base = Path.of(target);
        String bare = r.endsWith(".git") ? r.substring(0, r.length() - 4) : r;
        for (String candidate : List.of(r, bare, bare + ".git")) {
            Path p = base.resolve(candidate);
            if (Files.isDirectory(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.of(base.resolve(r).toString()); // opening it says it does not exist
    }

    /** Spellings of one repository compare equal: case, a trailing slash or {@code .git}. */
    private static String key(String url) {
        String k = url.trim().toLowerCase(Locale.ROOT);
        while (k.endsWith("/")) {
            k = k.substring(0, k.length() - 1);
        }
        return k.endsWith(".git") ? k.substring(0, k.length() - 4) : k;
    }
}
