package dev.divergence.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FileFactsTest {

    /**
     * metadataPath tries each fragment at the path's folder boundaries instead of running the joined pattern: the
     * answers must be the pattern's, on random lowercase paths built from the pieces the fragments look for
     * (separators, dist-info/egg-info folders, meta-inf/maven, requirements files, line terminators); fixed seed.
     */
    @Test
    void metadataPathAgreesWithTheJoinedPattern() {
        FileFacts.Union facts = FileFacts.union();
        String[] pieces = {"/", "/", "/", "a", "b.", ".", "x", "-", "_", ".dist-info", ".egg-info", "meta-inf", "maven",
            "requirements", ".txt", ".in", "pkg-1.0", "record", "metadata", "\n", "\r", "\u2028", "\u0085"};
        java.util.Random rnd = new java.util.Random(20261207);
        int hits = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + rnd.nextInt(9);
            for (int k = 0; k < n; k++) {
                b.append(pieces[rnd.nextInt(pieces.length)]);
            }
            String path = b.toString();
            boolean expected = facts.metadataPathPattern().matcher(path).matches();
            assertEquals(expected, facts.metadataPath(path), path);
            hits += expected ? 1 : 0;
        }
        assertTrue(hits > 1_000, "the random paths reach the metadata fragments: " + hits);
        assertTrue(facts.metadataPath("demo-1.0/demo.egg-info/pkg-info"));
        assertTrue(facts.metadataPath("demo-1.0.dist-info/record"));
        assertTrue(facts.metadataPath("meta-inf/maven/org.acme/demo/pom.xml"));
        assertTrue(facts.metadataPath("demo-1.0/requirements-dev.txt"));
        assertFalse(facts.metadataPath("demo-1.0/myrequirements.txt"));
        assertFalse(facts.metadataPath("demo-1.0/requirements/base.txt"));
    }

    @Test
    void onlyAnAlternationOutsideGroupsAndClassesIsTopLevel() {
        assertTrue(FileFacts.Union.topLevelAlternation("a|b"));
        assertTrue(FileFacts.Union.topLevelAlternation("(a)|b"));
        assertFalse(FileFacts.Union.topLevelAlternation("x\\.(txt|in)"));
        assertFalse(FileFacts.Union.topLevelAlternation("[|]x"));
        assertFalse(FileFacts.Union.topLevelAlternation("a\\|b"));
    }
}
