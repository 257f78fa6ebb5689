package dev.divergence.registry.pypi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.registry.pypi.Pep508.Match;
import dev.divergence.registry.pypi.Pep508.Requirement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Requirements are compared as PEP 508 data: the spellings setuptools, flit, hatchling and poetry-core write for one
 * declared requirement are equal to it, and a changed spec, URL, marker or extra is not.
 */
class Pep508Test {

    private static Requirement req(String text) {
        return Pep508.parse(text).orElseThrow(() -> new AssertionError("not a requirement: " + text));
    }

    private static Match match(String published, String... declared) {
        return Pep508.match(req(published), java.util.Arrays.stream(declared).map(Pep508Test::req).toList());
    }

    @Test
    void theSpellingsToolsWriteForOneRequirementAreEqual() {
        // packaging sorts specifiers; blanks, the legacy parenthesised form and trailing zeros do not change the set
        assertEquals(Match.DECLARED, match("PySocks!=1.5.7,>=1.5.6", "pysocks >= 1.5.6, != 1.5.7"));
        assertEquals(Match.DECLARED, match("httpx (>=0.27.0)", "httpx>=0.27"));
        assertEquals(Match.DECLARED, match("Requests[Socks,security]>=2", "requests[security, socks] >= 2.0"));
        // quote style, blanks in markers; the extra conjunct where setuptools/hatchling (after) and flit (before) put it
        assertEquals(Match.DECLARED, match("importlib-metadata; python_version < \"3.8\"",
                "importlib_metadata;python_version<'3.8'"));
        Requirement inCli = req("tomli; python_version<'3.11'").inGroup("cli");
        for (String published : List.of("tomli; (python_version < \"3.11\") and extra == \"cli\"",
                "tomli ; extra == \"cli\" and (python_version<'3.11')", "tomli; python_version < \"3.11\" and extra == 'CLI'")) {
            assertEquals(Match.DECLARED, Pep508.match(req(published), List.of(inCli)), published);
        }
        assertEquals(Match.DECLARED, match("pkg @ https://example.org/pkg-1.0.tar.gz ; python_version >= \"3.9\"",
                "pkg@ https://example.org/pkg-1.0.tar.gz ;python_version>='3.9'"));
        assertEquals(Match.DECLARED, match("pywin32; sys_platform == \"win32\"", "pywin32; sys.platform=='win32'"));
        assertEquals("pysocks!=1.5.7,>=1.5.6; python_version < \"3.8\" and extra == \"socks\"",
                req("PySocks>=1.5.6, !=1.5.7; python_version<'3.8' and extra=='socks'").toString());
    }

    @Test
    void anotherSpecUrlMarkerOrExtraIsAChange() {
        assertEquals(Match.CHANGED, match("urllib3==1.24.1", "urllib3>=2.2.2"));
        assertEquals(Match.CHANGED, match("urllib3>=2.2.2,<3", "urllib3>=2.2.2"));
        // ~= and prefix matches keep their trailing zeros: ~=1.4.0 admits less than ~=1.4
        assertEquals(Match.CHANGED, match("pkg~=1.4", "pkg~=1.4.0"));
        // a URL that contains the declared one is another URL
        assertEquals(Match.CHANGED, match("pkg @ https://evil.example/https://example.org/pkg-1.0.tar.gz",
                "pkg @ https://example.org/pkg-1.0.tar.gz"));
        assertEquals(Match.CHANGED, match("pkg @ https://example.org/pkg-1.0.tar.gz", "pkg>=1"));
        // moved from an extra to the runtime requirements, or its condition dropped
        assertEquals(Match.CHANGED, Pep508.match(req("click>=8"), List.of(req("click>=8").inGroup("cli"))));
        assertEquals(Match.CHANGED, match("tomli", "tomli; python_version < '3.11'"));
        assertEquals(Match.CHANGED, match("requests[socks]>=2", "requests>=2"));
        assertEquals(Match.NEW, match("evil-helper>=0.1", "requests>=2"));
    }

    @Test
    void poetryConstraintsAreTheRangesPoetryCorePublishes() {
        assertEquals(Optional.of(List.of("<2", ">=1.2")), PoetryDependencies.specifiers("^1.2"));
        assertEquals(Optional.of(List.of("<0.3", ">=0.2.3")), PoetryDependencies.specifiers("^0.2.3"));
        assertEquals(Optional.of(List.of("<0.0.4", ">=0.0.3")), PoetryDependencies.specifiers("^0.0.3"));
        assertEquals(Optional.of(List.of("<1.3", ">=1.2.3")), PoetryDependencies.specifiers("~1.2.3"));
        assertEquals(Optional.of(List.of("<2", ">=1")), PoetryDependencies.specifiers("~1"));
        assertEquals(Optional.of(List.of("==2.31")), PoetryDependencies.specifiers("2.31.0"));
        assertEquals(Optional.of(List.of("!=1.5", "<2", ">=1.2")), PoetryDependencies.specifiers("^1.2, !=1.5"));
        assertEquals(Optional.of(List.of()), PoetryDependencies.specifiers("*"));
        assertEquals(Optional.empty(), PoetryDependencies.specifiers("^1 || ^2"));
        assertEquals(Optional.empty(), PoetryDependencies.specifiers(">=1,>=1.2"));
        Requirement caret = new Requirement("httpx", List.of(), PoetryDependencies.specifiers("^0.27"), Optional.empty(),
                Optional.of(""), "");
        assertEquals(Match.DECLARED, Pep508.match(req("httpx (>=0.27,<0.28)"), List.of(caret)));
        assertEquals(Match.DECLARED, Pep508.match(req("httpx>=0.27.0,<0.28.0"), List.of(caret)));
        assertEquals(Match.CHANGED, Pep508.match(req("httpx (>=0.27,<1.0)"), List.of(caret)));
        // a wildcard as poetry-core writes it either way
        Requirement wildcard = new Requirement("six", List.of(), PoetryDependencies.specifiers("1.16.*"), Optional.empty(),
                Optional.of(""), "");
        assertEquals(Match.DECLARED, Pep508.match(req("six (==1.16.*)"), List.of(wildcard)));
        assertEquals(Match.DECLARED, Pep508.match(req("six (>=1.16,<1.17)"), List.of(wildcard)));
        Requirement union = new Requirement("six", List.of(), PoetryDependencies.specifiers("^1 || ^2"), Optional.empty(),
                Optional.of(""), "");
        assertEquals(Match.UNVERIFIED, Pep508.match(req("six (>=1,<3)"), List.of(union)));
    }

    @Test
    void textThatIsNoRequirementIsRejected() {
        for (String bad : List.of("", "# comment", "pkg >= ", "pkg; os_name ==", "pkg; evil()", "pkg @ ", "pkg[a b]",
                "pkg ~~ 1")) {
            assertTrue(Pep508.parse(bad).isEmpty(), bad);
        }
    }
}
