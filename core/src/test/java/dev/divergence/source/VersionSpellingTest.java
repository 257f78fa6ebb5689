package dev.divergence.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionSpellingTest {

    @ParameterizedTest
    @CsvSource({
        "1.0.0rc1, 1rc1",
        "1.0.0-rc.1, 1rc1",
        "1.0.0-RC1, 1rc1",
        "1.0.0.c1, 1rc1",
        "1.0alpha2, 1a2",
        "1.0.0-beta, 1b0",
        "2.1, 2.1",
        "2.1.0.0, 2.1",
        "v3.0.0, 3",
        "1.0-1, 1.post1",
        "1.0.post2, 1.post2",
        "1.0.dev3, 1.dev3",
        "1.2.3+local.7, 1.2.3",
        "5.0.0.Final, 5",
    })
    void canonicalFormsAgree(String text, String canonical) {
        assertEquals(canonical, VersionSpelling.parse(text).orElseThrow().canonical());
    }

    @Test
    void aSpellingNoFormCoversIsStillTheSameAsItself() {
        // Jackson's pre-releases: the tag's POM declares 2.9.0.pr1 for the release 2.9.0.pr1.
        assertTrue(VersionSpelling.same("2.9.0.pr1", "2.9.0.pr1"));
        assertTrue(VersionSpelling.same(" 2.10.0.pr3", "2.10.0.pr3\n"));
        assertFalse(VersionSpelling.same("2.9.0.pr1", "2.9.0.pr2"));
        assertFalse(VersionSpelling.same("2.9.0.pr1", "2.9.0"));
        assertFalse(VersionSpelling.same("main", "main"), "not a version at all");
    }

    @Test
    void textThatIsNoVersionIsRejected() {
        assertFalse(VersionSpelling.parse("main").isPresent());
        assertFalse(VersionSpelling.parse("1.2.3-and-more-words!").isPresent());
        assertFalse(VersionSpelling.parse("").isPresent());
    }

    @Test
    void semverPreReleasesKeepTheirLabel() {
        assertEquals("1~next.3", VersionSpelling.parse("1.0.0-next.3").orElseThrow().canonical());
        assertTrue(VersionSpelling.same("1.0.0-next.3", "v1.0.0-next.3"));
        assertFalse(VersionSpelling.same("1.0.0-next.3", "1.0.0-next.4"));
    }
}
