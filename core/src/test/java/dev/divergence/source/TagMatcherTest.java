package dev.divergence.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TagMatcherTest {

    private static List<String> tags(String version, String name, String... tags) {
        return TagMatcher.match(version, name, List.of(tags)).stream().map(TagMatcher.TagMatch::tag).toList();
    }

    @ParameterizedTest(name = "{1} names {0} of {2}")
    @CsvSource({
        "1.2.3, v1.2.3, demo",
        "1.2.3, 1.2.3, demo",
        "1.2.3, demo-1.2.3, demo",
        "1.2.3, demo@1.2.3, demo",
        "1.2.3, @scope/pkg@1.2.3, @scope/pkg",
        "1.2.3, pkg@1.2.3, @scope/pkg",
        "1.2.3, release/1.2.3, demo",
        "1.2.3, release/v1.2.3, demo",
        "1.9.0, rel/commons-cli-1.9.0, commons-cli/commons-cli",
        "1.9.0, commons-cli-1.9.0, commons-cli/commons-cli",
        "1.0.0rc1, v1.0.0-rc.1, demo",
        "1.0.0rc1, 1.0.0-rc1, demo",
        "1.0.0-rc.1, v1.0.0rc1, demo",
        "1.0b2, v1.0.0-beta.2, demo",
        "1.2, v1.2.0, demo",
        "1.2.0, v1.2, demo",
        "2.0.0, 2.0.0.RELEASE, demo",
        "2.0.0, v2.0.0-final, demo",
        "1.0.post1, v1.0.post1, demo",
        "3.1.4, my_pkg-3.1.4, my-pkg",
    })
    void matchesRealTagSchemes(String version, String tag, String name) {
        assertEquals(List.of(tag), tags(version, name, tag, "unrelated", "v0.0.1"));
    }

    @ParameterizedTest(name = "{1} does not name {0}")
    @CsvSource({
        "1.33, 11.33",
        "1.33, v11.33",
        "1.33, demo-11.33",
        "1.2.3, v1.2.30",
        "1.2.3, v1.2.3.1",
        "1.2.3, v1.2.3-rc.1",
        "1.0.0rc1, v1.0.0",
        "1.9.0, commons-cli-1.9.0-RC1",
        "1.2.3, other-1.2.3",
        "1.2.3, 21.2.3",
    })
    void neverMatchesAnotherVersion(String version, String tag) {
        assertEquals(List.of(), tags(version, "demo", tag));
    }

    @Test
    void exactSpellingRanksBeforeNormalisedSpelling() {
        List<TagMatcher.TagMatch> m = TagMatcher.match("1.2.0", "demo", List.of("v1.2", "release/1.2.0", "v1.2.0"));
        assertEquals("v1.2.0", m.get(0).tag());
        assertEquals(0, m.get(0).rank());
        assertTrue(m.get(1).rank() > 0);
        assertEquals(3, m.size());
    }
}
