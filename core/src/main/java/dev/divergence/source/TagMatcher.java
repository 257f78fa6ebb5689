package dev.divergence.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the tags that name a version, tolerant of the schemes real projects use ({@code v1.2.3},
 * {@code 1.2.3}, {@code name-1.2.3}, {@code name@1.2.3}, {@code @scope/name@1.2.3}, {@code release/1.2.3},
 * {@code rel/name-1.2.3}, {@code 1.2.3.RELEASE}) after Oracle Macaron's matcher. A prefix is only stripped
 * whole and the rest must parse as a version equal to the release's, so {@code 11.33} never matches
 * {@code 1.33} and {@code v1.2.30} never matches {@code 1.2.3}.
 */
public final class TagMatcher {

    /** A tag that names the version; {@code rank} 0 is an exact spelling, higher is looser. */
    public record TagMatch(String tag, int rank) {
    }

    private static final List<String> GENERIC_PREFIXES = List.of(
            "release/", "releases/", "rel/", "version/", "tags/", "release-", "release_", "version-", "ver-", "v.", "v",
            "r", "");

    private TagMatcher() {
    }

    /** All tags that spell {@code version} for package {@code name}, best first. */
    public static List<TagMatch> match(String version, String name, Iterable<String> tags) {
        Optional<VersionSpelling> want = VersionSpelling.parse(version);
        List<String> names = nameForms(name);
        List<TagMatch> out = new ArrayList<>();
        for (String tag : tags) {
            rank(tag, version, want, names).ifPresent(r -> out.add(new TagMatch(tag, r)));
        }
        out.sort(Comparator.comparingInt(TagMatch::rank).thenComparing(TagMatch::tag));
        return out;
    }

    private static Optional<Integer> rank(String tag, String version, Optional<VersionSpelling> want,
                                          List<String> names) {
        String t = tag.startsWith("refs/tags/") ? tag.substring("refs/tags/".length()) : tag;
        if (t.equals(version) || t.equals("v" + version)) {
            return Optional.of(0);
        }
        for (String n : names) {
            for (String sep : List.of("-", "@", "_", "/", "-v", "@v", "_v", "/v")) {
                if (t.equals(n + sep + version)) {
                    return Optional.of(1);
                }
            }
        }
        if (want.isEmpty()) {
            return Optional.empty();
        }
        String lower = t.toLowerCase(Locale.ROOT);
        // Strip "rel/" and the like, then an optional package name, then an optional "v".
        for (String outer : List.of("release/", "releases/", "rel/", "tags/", "")) {
            if (!lower.startsWith(outer)) {
                continue;
            }
            String rest = lower.substring(outer.length());
            List<String> candidates = new ArrayList<>();
            for (String n : names) {
                for (String sep : List.of("-", "@", "_", "/")) {
                    String p = n + sep;
                    if (rest.startsWith(p)) {
                        candidates.add(rest.substring(p.length()));
                    }
                }
            }
            for (String p : GENERIC_PREFIXES) {
                if (rest.startsWith(p)) {
                    candidates.add(rest.substring(p.length()));
                }
            }
            for (String raw : candidates) {
                // NAME_1_0 (CVS-era tags): underscores between numbers stand for dots
                String c = raw.matches("\\d+(_\\d+)+") ? raw.replace('_', '.') : raw;
                if (!c.isEmpty() && Character.isDigit(c.charAt(0))
                        && VersionSpelling.parse(c).map(v -> v.canonical().equals(want.get().canonical())).orElse(false)) {
                    return Optional.of(outer.isEmpty() ? 2 : 3);
                }
            }
        }
        return Optional.empty();
    }

    /** The forms a package name takes in tags: as given, lowercase, the npm name without scope, Maven artifactId. */
    static List<String> nameForms(String name) {
        List<String> forms = new ArrayList<>();
        String lower = name.toLowerCase(Locale.ROOT);
        forms.add(lower);
        if (lower.contains("/")) {
            String artifact = lower.substring(lower.lastIndexOf('/') + 1);
            forms.add(artifact); // @scope/name -> name; group/artifact -> artifact
            if (!lower.startsWith("@") && artifact.contains("-")) {
                forms.add(artifact.substring(artifact.lastIndexOf('-') + 1)); // commons-cli -> cli (cli-1.2, CLI_1_0)
            }
        }
        forms.add(lower.replace('-', '_'));
        forms.add(lower.replace('_', '-'));
        return forms.stream().distinct().toList();
    }
}
