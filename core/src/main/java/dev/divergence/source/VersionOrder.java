package dev.divergence.source;

import dev.divergence.model.Ecosystem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Release order of a package's versions, as its own ecosystem's tools order them: PEP 440 for PyPI
 * ({@link Pep440Version}), semver precedence for npm ({@link SemverVersion}, https://semver.org/#spec-item-11,
 * as node-semver), Maven's {@code ComparableVersion} for Maven (the class Maven itself uses to compare versions).
 * A text the ecosystem does not accept as a version sorts before every valid one, by text; versions the order calls equal
 * ({@code 1.0} and {@code 1.0.0}, build metadata) are told apart by text, so the order is total and the same on
 * every run. {@code version_order} in the releases table is a package's versions' position in this order.
 */
public final class VersionOrder {

    /** PEP 440's order: {@link #any}. */
    private static final Comparator<String> PEP440 = VersionOrder.<Pep440Version>parsed(
            Pep440Version::parse, Comparator.naturalOrder());

    private VersionOrder() {
    }

    /** The ecosystem's order over version texts: its plugin's. */
    public static Comparator<String> of(Ecosystem ecosystem) {
        return dev.divergence.registry.EcosystemPlugins.of(ecosystem).versionOrder();
    }

    /**
     * For callers that do not know the ecosystem: PEP 440's order, which accepts the common spellings of all
     * three ({@code 1.2.3}, {@code 1.2.3-rc.1}, {@code 1.2.3.RELEASE} is not one), the rest before it by text.
     * Prefer {@link #of}.
     */
    public static Comparator<String> any() {
        return PEP440;
    }

    /**
     * Each distinct version's 1-based position in the ecosystem's order: the {@code version_order} column. A
     * package's ranks are recomputed from all its versions whenever one is added, since a backport (6.3.2 after
     * 7.1.0) takes a place in the middle.
     */
    public static Map<String, Integer> ranks(Ecosystem ecosystem, Collection<String> versions) {
        List<String> sorted = sorted(ecosystem, versions);
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            out.put(sorted.get(i), i + 1);
        }
        return out;
    }

    /**
     * The distinct versions in the ecosystem's order. Maven's {@code ComparableVersion} is not transitive over some
     * unusual spellings ({@code -}, {@code .final}, {@code gafinal1a}), and a publisher chooses its own version
     * strings: when the sort finds the order inconsistent it does not fail the run, the package's versions are then
     * in text order. The input is sorted by text first, so the result is the same on every run.
     */
    public static List<String> sorted(Ecosystem ecosystem, Collection<String> versions) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(versions));
        try {
            sorted.sort(of(ecosystem));
        } catch (IllegalArgumentException inconsistent) {
            sorted = new ArrayList<>(new TreeSet<>(versions));
        }
        return sorted;
    }

    /**
     * A total order over {@code versions} (every version a caller will compare must be among them): their places in
     * {@link #sorted}. Sorting with it never meets an inconsistent comparison; a version outside the set sorts
     * after them, by text.
     */
    public static Comparator<String> over(Ecosystem ecosystem, Collection<String> versions) {
        Map<String, Integer> ranks = ranks(ecosystem, versions);
        return Comparator.comparingInt((String v) -> ranks.getOrDefault(v, Integer.MAX_VALUE))
                .thenComparing(Comparator.naturalOrder());
    }

    /**
     * The order an ecosystem's plugin gives ({@code PypiPlugin}: PEP 440): invalid texts ({@code parse} empty)
     * first (by text), then valid ones by {@code order}; ties by text.
     */
    public static <T> Comparator<String> parsed(Function<String, Optional<T>> parse, Comparator<T> order) {
        return (a, b) -> {
            Optional<T> x = parse.apply(a);
            Optional<T> y = parse.apply(b);
            if (x.isPresent() != y.isPresent()) {
                return x.isPresent() ? 1 : -1;
            }
            int c = x.isPresent() ? order.compare(x.get(), y.get()) : 0;
            return c != 0 ? c : a.compareTo(b);
        };
    }
}
