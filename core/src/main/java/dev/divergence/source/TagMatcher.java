package dev.divergence.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
        return index(name, tags).match(version);
    }

    /**
     * The tags of a repository read once for one package name: every spelling a tag can stand for is derived
     * (and parsed) once, so matching a version is a few map lookups instead of a pass over every tag. A history
     * of N versions and N tags costs O(N), not O(N²).
     */
    public static Index index(String name, Iterable<String> tags) {
        List<String> names = nameForms(name);
        Map<String, List<String>> exact = new HashMap<>();       // tag text (without refs/tags/) -> tags
        Map<String, Map<String, Integer>> loose = new HashMap<>(); // canonical version -> tag -> rank 2 or 3
        for (String tag : tags) {
            String t = tag.startsWith("refs/tags/") ? tag.substring("refs/tags/".length()) : tag;
            exact.computeIfAbsent(t, k -> new ArrayList<>()).add(tag);
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
                int rank = outer.isEmpty() ? 2 : 3;
                for (String raw : candidates) {
                    // NAME_1_0 (CVS-era tags): underscores between numbers stand for dots
                    String c = raw.matches("\\d+(_\\d+)+") ? raw.replace('_', '.') : raw;
                    if (!c.isEmpty() && Character.isDigit(c.charAt(0))) {
                        // The first outer prefix that yields the version decides the rank, as in a scan of rules.
                        VersionSpelling.parse(c).ifPresent(v -> loose.computeIfAbsent(v.canonical(),
                                k -> new HashMap<>()).putIfAbsent(tag, rank));
                    }
                }
            }
        }
        return new Index(names, exact, loose);
    }

    /** See {@link #index}. Immutable once built; safe to share between threads. */
    public static final class Index {
        private final List<String> names;
        private final Map<String, List<String>> exact;
        private final Map<String, Map<String, Integer>> loose;

        private Index(List<String> names, Map<String, List<String>> exact, Map<String, Map<String, Integer>> loose) {
            this.names = names;
            this.exact = exact;
            this.loose = loose;
        }

        /** All tags that spell {@code version}, best first; a tag's rank is that of the first rule it meets. */
        public List<TagMatch> match(String version) {
            Map<String, Integer> ranks = new HashMap<>();
            for (String t : List.of(version, "v" + version)) {
                exact.getOrDefault(t, List.of()).forEach(tag -> ranks.putIfAbsent(tag, 0));
            }
            for (String n : names) {
                for (String sep : List.of("-", "@", "_", "/", "-v", "@v", "_v", "/v")) {
                    exact.getOrDefault(n + sep + version, List.of()).forEach(tag -> ranks.putIfAbsent(tag, 1));
                }
            }
            VersionSpelling.parse(version).ifPresent(want -> loose.getOrDefault(want.canonical(), Map.of())
                    .forEach(ranks::putIfAbsent));
            List<TagMatch> out = new ArrayList<>();
            ranks.forEach((tag, rank) -> out.add(new TagMatch(tag, rank)));
            out.sort(Comparator.comparingInt(TagMatch::rank).thenComparing(TagMatch::tag));
            return out;
        }
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
