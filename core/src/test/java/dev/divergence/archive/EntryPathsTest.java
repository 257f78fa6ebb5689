package dev.divergence.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EntryPathsTest {

    /** The shortcut for names that need no rewriting answers exactly what the full normalisation does. */
    @Test
    void shortcutAgreesWithTheFullNormalisation() {
        String[] pieces = {"/", "/", "a", "bc", ".", "..", "...", ".x", "\\", "C:", "c", ":", "\u0000", "\u001f", "\u007f",
            "\ufffd", "é", "e\u0301", "-", "_", " "};
        Random rnd = new Random(20261207);
        int shortcut = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = rnd.nextInt(9);
            for (int k = 0; k < n; k++) {
                b.append(pieces[rnd.nextInt(pieces.length)]);
            }
            check(b.toString());
            shortcut += EntryPaths.alreadyNormal(b.toString()) ? 1 : 0;
        }
        check("a/".repeat(64) + "b");
        check("a/".repeat(65) + "b");
        check("x".repeat(1024));
        check("x".repeat(1025));
        assertTrue(shortcut > 10_000, "the random names must take the shortcut often");
    }

    private static void check(String raw) {
        if (EntryPaths.alreadyNormal(raw)) {
            EntryPaths.Normalized full = full(raw);
            assertEquals(raw, full.path(), raw);
            assertTrue(full.flags().isEmpty(), raw);
        }
        EntryPaths.Normalized n = EntryPaths.normalize(raw);
        EntryPaths.Normalized f = full(raw);
        assertEquals(f, n, raw);
    }

    /** The normalisation without the shortcut: the shortcut is only taken when it would change nothing. */
    private static EntryPaths.Normalized full(String raw) {
        EntryPaths.Normalized n = EntryPaths.normalizeFully(raw);
        return new EntryPaths.Normalized(n.path(), java.util.Set.copyOf(n.flags()));
    }
}
