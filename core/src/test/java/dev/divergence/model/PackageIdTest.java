package dev.divergence.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.scan.Watchlist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageIdTest {

    @TempDir
    Path dir;

    @Test
    void purlsOfEachEcosystemKeepTheirVersion() {
        assertEquals(new PackageId.Ref(new PackageId(Ecosystem.PYPI, "llmrelay"), Optional.of("1.82.7")),
                PackageId.parseRef("pkg:pypi/LLMRelay@1.82.7"));
        assertEquals("pkg:pypi/demo-pkg", PackageId.parseRef("pkg:pypi/Demo.Pkg").pkg().purl());
        PackageId.Ref scoped = PackageId.parseRef("pkg:npm/%40scope/name@1.0.0-beta.2");
        assertEquals("@scope/name", scoped.pkg().name());
        assertEquals(Optional.of("1.0.0-beta.2"), scoped.version());
        PackageId.Ref maven = PackageId.parseRef("pkg:maven/commons-cli/commons-cli@1.9.0");
        assertEquals(new PackageId(Ecosystem.MAVEN, "commons-cli/commons-cli"), maven.pkg());
        assertEquals(Optional.of("1.9.0"), maven.version());
        assertEquals(Optional.empty(), PackageId.parseRef("pkg:npm/debug").version());
        // the purl a release row stores reads back as the same package
        assertEquals(scoped.pkg(), PackageId.parse(scoped.pkg().purl()));
    }

    @Test
    void qualifiersSubpathsAndMalformedPurlsAreRefusedWithTheReason() {
        IllegalArgumentException q = assertThrows(IllegalArgumentException.class,
                () -> PackageId.parseRef("pkg:maven/g/a@1.0?type=jar"));
        assertTrue(q.getMessage().startsWith("purl qualifiers are not supported"), q.getMessage());
        IllegalArgumentException sub = assertThrows(IllegalArgumentException.class,
                () -> PackageId.parseRef("pkg:npm/a@1.0.0#lib/index.js"));
        assertEquals("purl subpaths are not supported: pkg:npm/a@1.0.0#lib/index.js", sub.getMessage());
        assertEquals("not a purl (The PackageURL specified is invalid. Maven requires both a namespace and name.): "
                        + "pkg:maven/commons-cli",
                assertThrows(IllegalArgumentException.class, () -> PackageId.parseRef("pkg:maven/commons-cli"))
                        .getMessage());
        // the known types are the plugins on the class path, by purl type (here the test-only stub too)
        String unknown = assertThrows(IllegalArgumentException.class, () -> PackageId.parseRef("pkg:cargo/serde"))
                .getMessage();
        assertTrue(unknown.startsWith("unknown package type 'cargo' (known: ") && unknown.contains("pypi, npm, maven"),
                unknown);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PackageId.parseRef("pypi/litellm"))
                .getMessage().startsWith("not a purl"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PackageId.parseRef("pkg:pypi"))
                .getMessage().startsWith("not a purl"));
    }

    @Test
    void aWatchlistPurlWithAVersionFollowsOnlyThatVersion() throws Exception {
        Path wl = dir.resolve("w.txt");
        Files.writeString(wl, "pkg:pypi/litellm@1.82.6 https://example.org/r\npkg:npm/debug\n");
        Watchlist w = Watchlist.read(wl);
        assertEquals(Optional.of("1.82.6"), w.entries().get(0).version());
        assertEquals(Optional.of("https://example.org/r"), w.entries().get(0).repository());
        assertEquals(Optional.empty(), w.entries().get(1).version());
    }
}
