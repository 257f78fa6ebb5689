package dev.divergence.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.model.Ecosystem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each ecosystem's version order, checked against the lists its own specification gives. */
class VersionOrderTest {

    /** Every pair of the list in order, and the list rebuilt from several shuffles. */
    private static void assertOrder(Ecosystem eco, List<String> expected) {
        var order = VersionOrder.of(eco);
        for (int i = 0; i < expected.size(); i++) {
            for (int j = 0; j < expected.size(); j++) {
                int c = Integer.signum(order.compare(expected.get(i), expected.get(j)));
                assertEquals(Integer.signum(Integer.compare(i, j)), c, expected.get(i) + " vs " + expected.get(j));
            }
        }
        Random random = new Random(42);
        for (int k = 0; k < 5; k++) {
            List<String> shuffled = new ArrayList<>(expected);
            Collections.shuffle(shuffled, random);
            shuffled.sort(order);
            assertEquals(expected, shuffled);
        }
    }

    @Test
    void pep440OrdersTheSpecificationsExampleList() {
        // https://peps.python.org/pep-0440/#summary-of-permitted-suffixes-and-relative-ordering
        assertOrder(Ecosystem.PYPI, List.of("1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12",
                "1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0",
                "1.0+abc.5", "1.0+abc.7", "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1"));
    }

    @Test
    void pep440ComparesNumbersNotText() {
        // The bug this order replaces: 1.0.0rc2 sorted after 1.0.0rc10 by text.
        assertOrder(Ecosystem.PYPI, List.of("1.0.0rc2", "1.0.0rc10", "1.0.0", "1.0.1", "1.2", "1.10", "2!0.1"));
        assertOrder(Ecosystem.PYPI, List.of("0.9", "0.10", "0.10.1.post2", "0.10.1.post10", "1.0a1", "1.0a2", "1.0a10"));
    }

    @ParameterizedTest
    @CsvSource({
        // https://peps.python.org/pep-0440/#normalization
        "1.0.0RC1, 1.0.0rc1",
        "1.1a1, 1.1a1",
        "1.1.alpha-1, 1.1a1",
        "1.0c1, 1.0rc1",
        "1.0pre1, 1.0rc1",
        "1.0preview2, 1.0rc2",
        "1.0-beta, 1.0b0",
        "1.2-post2, 1.2.post2",
        "1.2.rev3, 1.2.post3",
        "1.2.r3, 1.2.post3",
        "1.0-1, 1.0.post1",
        "1.0.post, 1.0.post0",
        "1.2-dev2, 1.2.dev2",
        "1.2.dev, 1.2.dev0",
        "v1.0, 1.0",
        "' 1.0 ', 1.0",
        "1.0+ubuntu-1, 1.0+ubuntu.1",
        "1.0+Abc_05, 1.0+abc.5",
        "01.002, 1.2",
        "1!2.0, 1!2.0",
        "0!2.0, 2.0",
    })
    void pep440NormalisesSpellings(String text, String normal) {
        assertEquals(normal, Pep440Version.parse(text).orElseThrow().normalized());
    }

    @Test
    void pep440SpellingsOfOneVersionCompareEqual() {
        assertEquals(0, Pep440Version.parse("1.0.0").orElseThrow().compareTo(Pep440Version.parse("1").orElseThrow()));
        assertEquals(0, Pep440Version.parse("1.0-alpha.1").orElseThrow().compareTo(Pep440Version.parse("1a1")
                .orElseThrow()));
        assertFalse(Pep440Version.parse("1.0-SNAPSHOT").isPresent());
        assertFalse(Pep440Version.parse("1.0.0-next.3").isPresent());
        assertFalse(Pep440Version.parse("main").isPresent());
        assertFalse(Pep440Version.parse("").isPresent());
    }

    @Test
    void invalidVersionsSortBeforeValidOnesByTextAndTiesAreBrokenByText() {
        assertOrder(Ecosystem.PYPI, List.of("", "latest", "nightly", "0.1", "1.0", "1.0.0", "1.0.1"));
        assertOrder(Ecosystem.NPM, List.of("1.0", "foo", "0.0.1", "1.0.0-0", "1.0.0"));
        assertEquals(Map.of("garbage", 1, "0.1", 2, "1.0", 3, "1.0.0", 4),
                VersionOrder.ranks(Ecosystem.PYPI, List.of("1.0.0", "0.1", "garbage", "1.0", "0.1")));
    }

    @Test
    void semverPrecedenceFollowsSemverOrgItem11() {
        // https://semver.org/#spec-item-11
        assertOrder(Ecosystem.NPM, List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"));
        // Numeric identifiers compare numerically and sort before alphanumeric ones.
        assertOrder(Ecosystem.NPM, List.of("1.0.0-2", "1.0.0-10", "1.0.0-a", "1.0.0-next.2", "1.0.0-next.10",
                "1.0.0", "1.9.0", "1.10.0", "v1.10.1"));
        // An identifier with a letter is not numeric, even when it starts with a digit (item 11.4.3): 2 < 10 < 1x.
        // The Java libraries tried compare 1x with 2 as text, which makes their order cycle.
        assertOrder(Ecosystem.NPM, List.of("1.0.0-2", "1.0.0-10", "1.0.0-1x", "1.0.0-a", "1.0.0-x1"));
        assertFalse(SemverVersion.parse("1.0.0-01").isPresent(), "a numeric identifier has no leading zero");
        assertFalse(SemverVersion.parse("1.0").isPresent());
        assertTrue(SemverVersion.parse("=1.2.3").isPresent());
        // Build metadata does not change precedence: only the text tells the two apart.
        var npm = VersionOrder.of(Ecosystem.NPM);
        assertTrue(npm.compare("1.0.0+build.2", "1.0.1") < 0);
        assertTrue(npm.compare("1.0.0+build.2", "1.0.0-rc.1") > 0);
    }

    @Test
    void mavenFollowsComparableVersion() {
        // https://maven.apache.org/pom.html#version-order-specification
        assertOrder(Ecosystem.MAVEN, List.of("1.0-alpha-1", "1.0-alpha-2", "1.0-beta", "1.0-RC1", "1.0-SNAPSHOT", "1.0",
                "1.0-sp1", "1.0.1", "1.1", "1.10", "2.0-M1", "2.0"));
        var maven = VersionOrder.of(Ecosystem.MAVEN);
        // Equal for Maven (1.0 = 1.0.0 = 1.0-ga = 1.0.final): told apart only by text, so the order is total.
        assertTrue(maven.compare("1.0", "1.0.0") < 0);
        assertTrue(maven.compare("1.0-ga", "1.0.1") < 0);
        assertTrue(maven.compare("1.0.0.Final", "1.0.1") < 0);
        assertTrue(maven.compare("3.0.0-RC2", "3.0.0-RC10") < 0);
    }

    @Test
    void anInconsistentOrderNeverFailsASortAndGivesTheSameResultEveryRun() {
        // ComparableVersion is not transitive over spellings like these (x < y < z but not x < z); a publisher
        // chooses them. The sort must not throw, and must not depend on the input order.
        List<String> odd = new ArrayList<>(List.of("-", "gafinal1a", "final.000cr10", "SNAPSHOTcr1a", "-cr00alpha",
                ".final", "sp-", "00RC1gafinal", "0-", "gacr10m1", "-0-a1release2", "crgaa10000alpha",
                "-SNAPSHOT10RC1", "final", "1.0", "1.0-sp1", "2.0-RC1"));
        for (int i = 0; i < 40; i++) {
            odd.add(i + "-" + (i % 3 == 0 ? "final" : i % 3 == 1 ? "ga" : "-"));
        }
        List<String> first = VersionOrder.sorted(Ecosystem.MAVEN, odd);
        Random random = new Random(3);
        for (int k = 0; k < 5; k++) {
            List<String> shuffled = new ArrayList<>(odd);
            Collections.shuffle(shuffled, random);
            assertEquals(first, VersionOrder.sorted(Ecosystem.MAVEN, shuffled));
            shuffled.sort(VersionOrder.over(Ecosystem.MAVEN, odd));
            assertEquals(first, shuffled);
        }
    }
}
