package dev.divergence.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
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

    private static List<String> inRepository(String version, String name, String repository, String... tags) {
        return TagMatcher.index(name, Optional.ofNullable(repository), List.of(tags)).match(version).stream()
                .map(TagMatcher.TagMatch::tag).toList();
    }

    @ParameterizedTest(name = "{1} names {0} of {2} in {3}")
    @CsvSource({
        // qos-ch/slf4j: v_1.7.8, and SLF4J_1.3.0 named after the repository
        "1.7.8, v_1.7.8, org.slf4j/slf4j-api, slf4j",
        "1.8.0-beta2, v_1.8.0_beta2, org.slf4j/slf4j-api, slf4j",
        "1.3.0, SLF4J_1.3.0, org.slf4j/slf4j-api, slf4j",
        "1.5.7, SLF4J_1.5.7_FINAL, org.slf4j/slf4j-api, slf4j",
        // apache/commons-pool for commons-pool2: the project's name before the 2, and its upper-case component
        "2.2, POOL_2_2, org.apache.commons/commons-pool2, commons-pool",
        "2.2, POOL_2_2, org.apache.commons/commons-pool2, repo",
        "2.6.1, commons-pool-2.6.1, org.apache.commons/commons-pool2, commons-pool",
        "2.8.1, rel/commons-pool-2.8.1, org.apache.commons/commons-pool2, repo",
        "1.5rc1, POOL_1_5_RC1, commons-pool/commons-pool, commons-pool",
    })
    void matchesTagsNamedAfterTheRepositoryOrTheProject(String version, String tag, String name, String repository) {
        assertEquals(List.of(tag), inRepository(version, name, repository, tag, "unrelated", "v0.0.1", "POOL_0_1"));
    }

    @ParameterizedTest(name = "{1} does not name {0} of {2} in {3}")
    @CsvSource({
        "1.3.0, SLF4J_1.3.0, org.slf4j/slf4j-api, ",           // no repository name: nothing says SLF4J is this project
        "1.3.0, LOG4J_1.3.0, org.slf4j/slf4j-api, slf4j",
        "2.2, POOL_2_2_RC1, org.apache.commons/commons-pool2, commons-pool",
        "2.2, POOL_2_2_1, org.apache.commons/commons-pool2, commons-pool",
        "2.2, POOL_22, org.apache.commons/commons-pool2, commons-pool",
        "1.33, v_11.33, org.slf4j/slf4j-api, slf4j",
        "1.33, SLF4J_11_33, org.slf4j/slf4j-api, slf4j",
        "2.6.1, commons-pool-2.6.1-RC1, org.apache.commons/commons-pool2, commons-pool",
        "2.6.1, commons-dbcp-2.6.1, org.apache.commons/commons-pool2, commons-pool",
        // only a Maven artifactId loses its digits: npm base64 is not base
        "1.0.0, base-1.0.0, base64, repo",
        "1.0.0, BASE_1_0_0, base64, repo",
    })
    void aLooserSpellingNeverNamesAnotherVersionOrProject(String version, String tag, String name, String repository) {
        assertEquals(List.of(), inRepository(version, name, repository, tag));
    }

    @Test
    void thePackagesOwnNameRanksBeforeTheRepositorysAndAnArtifactIdWithoutItsDigits() {
        // the module's own tag (and any exact spelling) first; a tag named after the repository or the digit-less
        // artifactId only after them, so a sibling's or the whole repository's tag never wins over the version's own
        List<TagMatcher.TagMatch> m = TagMatcher.index("org.apache.commons/commons-pool2", Optional.of("commons-pool"),
                List.of("POOL_2_6_1", "commons-pool-2.6.1", "commons-pool2-2.6.1", "rel/commons-pool-2.6.1")).match("2.6.1");
        assertEquals(List.of("commons-pool2-2.6.1", "POOL_2_6_1", "commons-pool-2.6.1", "rel/commons-pool-2.6.1"),
                m.stream().map(TagMatcher.TagMatch::tag).toList());
        assertEquals(1, m.get(0).rank());
        assertTrue(m.get(1).rank() > 3 && m.get(2).rank() > 3, m.toString());
        List<TagMatcher.TagMatch> mono = TagMatcher.index("org.acme/acme-core", Optional.of("acme"),
                List.of("acme-1.0", "acme-core-1.0", "acme-cli-1.0")).match("1.0");
        assertEquals(List.of("acme-core-1.0", "acme-1.0"), mono.stream().map(TagMatcher.TagMatch::tag).toList());
    }

    @ParameterizedTest(name = "{0} is named {1}")
    @CsvSource({
        "https://github.com/qos-ch/slf4j, slf4j",
        "https://github.com/qos-ch/slf4j.git, slf4j",
        "https://github.com/qos-ch/slf4j/, slf4j",
        "git@github.com:apache/commons-pool.git, commons-pool",
        "https://gitbox.apache.org/repos/asf?p=commons-pool.git, commons-pool",
        "/src/slf4j/.git, slf4j",
        "/src/slf4j, slf4j",
    })
    void theRepositorysNameIsTheLastSegmentOfItsLocation(String location, String name) {
        assertEquals(Optional.of(name), SourceRepository.nameOf(location));
    }
}
