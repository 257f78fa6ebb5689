package dev.divergence.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SubmodulesTest {

    @Test
    void relativeUrlsResolveAgainstThePackageRepositoryAsGitResolvesThem() {
        assertEquals(Optional.of("https://github.com/lodash/benchmark.js.git"),
                Submodules.resolve("https://github.com/lodash/lodash", "../benchmark.js.git"));
        assertEquals(Optional.of("https://github.com/other/x.git"),
                Submodules.resolve("https://github.com/lodash/lodash.git/", "../../other/x.git"));
        assertEquals(Optional.of("https://github.com/lodash/lodash/sub"),
                Submodules.resolve("https://github.com/lodash/lodash", "./sub"));
        assertEquals(Optional.of("git@github.com:acme/x.git"), Submodules.resolve("git@github.com:acme/widget", "../x.git"));
        assertEquals(Optional.of("git@github.com:x.git"), Submodules.resolve("git@github.com:acme/widget", "../../x.git"));
        assertEquals(Optional.of("/srv/git/x.git"), Submodules.resolve("/srv/git/widget", "../x.git"));
        assertEquals(Optional.of("git://github.com/bestiejs/benchmark.js.git"),
                Submodules.resolve("https://github.com/lodash/lodash", "git://github.com/bestiejs/benchmark.js.git"),
                "an absolute URL stays as written");
    }

    @Test
    void aRelativeUrlMayNotClimbAboveTheHost() {
        assertEquals(Optional.empty(), Submodules.resolve("https://github.com/lodash/lodash", "../../../x.git"));
        assertEquals(Optional.empty(), Submodules.resolve("git@github.com:acme/widget", "../../../x.git"));
    }
}
