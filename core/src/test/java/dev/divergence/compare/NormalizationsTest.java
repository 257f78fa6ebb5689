package dev.divergence.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each shared normalisation explains exactly what its tool writes, and nothing placed in its slack: a payload
 * where the expansion goes, or next to it on the same line, is not explained.
 */
class NormalizationsTest {

    private static Optional<String> rule(String artifact, String source, String version) {
        return Normalizations.explain(artifact.getBytes(StandardCharsets.UTF_8), source.getBytes(StandardCharsets.UTF_8),
                version).map(Normalizations.Explained::ruleId);
    }

    private static final String KW_SOURCE = "# $Id$\n# $Revision$\n# $Date$\n# $HeadURL$\nx = 1\n";

    private static Optional<String> rule(byte[] artifact, byte[] source) {
        return Normalizations.explain(artifact, source, "1.0").map(Normalizations.Explained::ruleId);
    }

    @Test
    void bytesThatAreNotUtf8AreComparedExactlyAndBinariesAreNeverNormalised() {
        // red team round 7 (case1): 0f 85 (jne) flipped to 0f 84 (je); both bytes are malformed UTF-8
        byte[] source = {0x7f, 'E', 'L', 'F', (byte) 0x0f, (byte) 0x85, 'x', '\n'};
        byte[] flipped = {0x7f, 'E', 'L', 'F', (byte) 0x0f, (byte) 0x84, 'x', '\n'};
        assertEquals(Optional.empty(), rule(flipped, source));
        assertEquals(Optional.empty(), rule(new byte[] {(byte) 0x84, '\r', '\n'}, new byte[] {(byte) 0x85, '\n'}));
        // Latin-1 text with CRLF is still only line endings
        assertEquals(Optional.of(Normalizations.LINE_ENDINGS),
                rule(new byte[] {'J', (byte) 0xf6, 'r', 'g', '\r', '\n'}, new byte[] {'J', (byte) 0xf6, 'r', 'g', '\n'}));
        // a NUL byte: a binary, whatever differs
        assertEquals(Optional.empty(), rule(new byte[] {0, 'a', '\r', '\n'}, new byte[] {0, 'a', '\n'}));
    }

    @Test
    void aCrlfFileWhoseCrAndLfEachBecameCrlfIsOnlyLineEndings() {
        // commons-digester 1.3's rss-0.91.dtd: committed with CRLF, shipped with CRLF CRLF after every line
        String source = "<!--\r\n  RSS 0.91\r\n-->\r\n";
        assertEquals(Optional.of(Normalizations.LINE_ENDINGS), rule("<!--\r\n\r\n  RSS 0.91\r\n\r\n-->\r\n\r\n", source, "1.0"));
        // a line added, or blank lines only where the conversion would not put them: not explained
        assertEquals(Optional.empty(), rule("<!--\r\n\r\n  RSS 0.91\r\n\r\nx\r\n\r\n-->\r\n\r\n", source, "1.0"));
        assertEquals(Optional.empty(), rule("<!--\r\n\r\n\r\n\r\n  RSS 0.91\r\n-->\r\n", source, "1.0"));
        // an LF file has no CR to double: CRLF CRLF from it is not the conversion
        assertEquals(Optional.empty(), rule("a\r\n\r\nb\r\n\r\n", "a\nb\n", "1.0"));
    }

    @Test
    void aLineBreakAddedAtTheEndOfAFileWithoutOneIsOnlyLineEndings() {
        // commons-jxpath 1.0's package.html: Ant's fixcrlf (fixlast) added the missing final line break
        String source = "<body>\nReference implementation.\n</body>";
        assertEquals(Optional.of(Normalizations.LINE_ENDINGS), rule(source + "\n", source, "1.0"));
        assertEquals(Optional.of(Normalizations.LINE_ENDINGS), rule(source.replace("\n", "\r\n") + "\r\n", source, "1.0"));
        // anything more than that one line break is not
        assertEquals(Optional.empty(), rule(source + "\n\n", source, "1.0"));
        assertEquals(Optional.empty(), rule(source + "\nx\n", source, "1.0"));
        assertEquals(Optional.empty(), rule(source + " \n", source, "1.0"));
        // a source that ends with one already gains nothing this way
        assertEquals(Optional.empty(), rule(source + "\n\n", source + "\n", "1.0"));
    }

    @Test
    void cvsAndSvnKeywordExpansionsAreExplained() {
        assertEquals(Optional.of(Normalizations.VCS_KEYWORDS), rule(
                "# $Id: core.py 1.2 2004/01/01 12:00:00 jdoe Exp $\n# $Revision: 1.2 $\n"
                        + "# $Date: 2002-07-22 21:42:37 -0700 (Mon, 22 Jul 2002) $\n"
                        + "# $HeadURL: https://svn.example.com/repos/calc/trunk/core.py $\nx = 1\n", KW_SOURCE, "1.0"));
        assertEquals(Optional.of(Normalizations.VCS_KEYWORDS), rule(
                "# $Id: calc.c 148 2002-07-28 21:30:43Z sally $\n# $Revision$\n# $Date$\n# $HeadURL$\nx = 1\n",
                KW_SOURCE, "1.0"));
    }

    @Test
    void localisedSvnDatesAndKeywordsLeftAsTheyWereAreExplained() {
        // commons-io 1.3.2 was cut on a German svn client; 2.0 kept a "$Revision:587916 $" svn never re-expanded
        String source = " * @version $Revision:587916 $ $Date$\n";
        assertEquals(Optional.of(Normalizations.VCS_KEYWORDS), rule(
                " * @version $Revision:587916 $ $Date: 2010-10-06 17:13:01 +0100 (Wed, 06 Oct 2010) $\n", source, "2.0"));
        assertEquals(Optional.of(Normalizations.VCS_KEYWORDS), rule(
                " * @version $Revision: 490425 $ $Date: 2006-12-27 02:25:43 +0100 (Mi, 27 Dez 2006) $\n",
                " * @version $Revision$ $Date$\n", "1.3.2"));
        assertEquals(Optional.of(Normalizations.VCS_KEYWORDS), rule(
                "// $Date: 2006-12-27 02:25:43 +0100 (mer., 27 déc. 2006) $\n", "// $Date$\n", "1.0"));
        // the localised names are letters only: code does not fit, and the unexpanded text must stay exactly
        assertEquals(Optional.empty(), rule("// $Date: 2006-12-27 02:25:43 +0100 (x;exec(p), 27 Dez 2006) $\n",
                "// $Date$\n", "1.0"));
        assertEquals(Optional.empty(), rule(" * @version $Revision:587917 $ $Date$\n", source, "2.0"));
    }

    @Test
    void payloadInsideOrBesideAKeywordIsNotExplained() {
        // inside the expansion: not an id's shape
        assertEquals(Optional.empty(), rule("# $Id: x'); __import__('os').system('id'); (' $\n# $Revision$\n# $Date$\n"
                + "# $HeadURL$\nx = 1\n", KW_SOURCE, "1.0"));
        // a well-formed keyword, but the rest of the line changed
        assertEquals(Optional.empty(), rule("# $Id: core.py 1.2 2004/01/01 12:00:00 jdoe Exp $\n# $Revision: 1.2 $\n"
                + "# $Date$\n# $HeadURL$\nx = 1; import os\n", KW_SOURCE, "1.0"));
        assertEquals(Optional.empty(), rule("s = '$Author: eve; import os $'\n", "s = '$Author$'\n", "1.0"));
        // the keyword expanded on a line where the source had something else
        assertEquals(Optional.empty(), rule("# $Revision: 3 $\n", "# nothing\n", "1.0"));
    }

    @Test
    void keywordsAreExplainedWhenTheCopyLacksTheFinalNewlineOrHasCrlf() {
        // commons-beanutils 1.4: build.xml copied jakarta-commons' ../LICENSE (CVS rev 1.4, no final newline, CRLF
        // checkout) into META-INF; the committed LICENSE.txt is the same text with cvs2svn's expansion and a newline
        String source = "/*\n * $Header: /home/x/cvs/jakarta-commons//beanutils/LICENSE.txt,v 1.1 2002/07/25 02:36:44 jvanzyl Exp $\n"
                + " * $Revision: 1.1 $\n * $Date: 2002/07/25 02:36:44 $\n *\n * The Apache Software License\n */\n";
        String copy = "/*\n * $Header: /home/cvs/jakarta-commons/LICENSE,v 1.4 2002/04/11 13:24:02 dion Exp $\n"
                + " * $Revision: 1.4 $\n * $Date: 2002/04/11 13:24:02 $\n *\n * The Apache Software License\n */";
        assertEquals(Optional.of(Normalizations.VCS_KEYWORDS), rule(copy, source, "1.4"));
        assertEquals(Optional.of(Normalizations.VCS_KEYWORDS), rule(copy.replace("\n", "\r\n"), source, "1.4"));
        // and the other way round: the artifact has the final newline the source lacks
        assertEquals(Optional.of(Normalizations.VCS_KEYWORDS), rule(copy + "\n", source.substring(0, source.length() - 1),
                "1.4"));
        // anything else changed stays a difference: a payload after the last line, a changed year, a changed line end
        // inside the text (the last line's text must still be the source's)
        assertEquals(Optional.empty(), rule(copy + "\nrm -rf /", source, "1.4"));
        assertEquals(Optional.empty(), rule(copy + "\n\n\n", source, "1.4")); // two newlines more
        assertEquals(Optional.empty(), rule(copy.replace(" */", " */ x"), source, "1.4"));
        assertEquals(Optional.empty(), rule(copy.replace("Apache Software License", "Apache Software Licence"), source,
                "1.4"));
        // the newline alone explains nothing: some keyword must be what differs
        assertEquals(Optional.empty(), rule(source.substring(0, source.length() - 1), source, "1.4"));
    }

    @Test
    void exportSubstPlaceholdersAreExplainedOnlyWithTheirShape() {
        String source = "node: $Format:%H$\nnode-date: $Format:%cI$\ndescribe-name: $Format:%(describe:tags=true)$\n"
                + "ref-names: $Format:%D$\n";
        String expanded = "node: " + "0123456789abcdef0123456789abcdef01234567" + "\nnode-date: 2026-01-05T09:00:00+00:00\n"
                + "describe-name: v1.2.3-4-g0123456\nref-names: HEAD -> main, tag: v1.2.3\n";
        assertEquals(Optional.of(Normalizations.EXPORT_SUBST), rule(expanded, source, "1.2.3"));
        // 39 hex digits is not a commit id; text where a date goes is not a date
        assertEquals(Optional.empty(), rule(expanded.replace("01234567\n", "0123456\n"), source, "1.2.3"));
        assertEquals(Optional.empty(), rule(expanded.replace("2026-01-05T09:00:00+00:00", "exec(payload)"), source, "1.2.3"));
        assertEquals(Optional.empty(), rule("V = '$Format:%H$'\n".replace("$Format:%H$", "');import os;('"),
                "V = '$Format:%H$'\n", "1.0"));
        // free-text placeholders (subject, author name) are not modelled: never explained
        assertEquals(Optional.empty(), rule("msg = 'fix; import os'\n", "msg = '$Format:%s$'\n", "1.0"));
    }

    @Test
    void onlyTheVersionTokenMayChange() {
        assertEquals(Optional.of(Normalizations.VERSION_STRING), rule(
                "__version__ = \"1.1.0\"\nVERSION = (1, 1, 0)\n", "__version__ = \"1.1.0.dev0\"\nVERSION = (1, 0, 0)\n",
                "1.1.0"));
        // another version-shaped token (an address) that does not spell the release
        assertEquals(Optional.empty(), rule("__version__ = \"1.1.0\"; HOST = \"10.6.6.6\"\n",
                "__version__ = \"1.0.0\"; HOST = \"10.0.0.1\"\n", "1.1.0"));
        // a tuple whose tail carries code
        assertEquals(Optional.empty(), rule("VERSION = (1, 1, __import__('os').system('id'))\n",
                "VERSION = (1, 0, 0)\n", "1.1.0"));
        // the version is on the line but something else changed with it
        assertEquals(Optional.empty(), rule("__version__ = \"1.1.0\"; exec(x)\n", "__version__ = \"1.0.0\"\n", "1.1.0"));
        // a version token changed to something other than this release
        assertEquals(Optional.empty(), rule("__version__ = \"9.9.9\"\n", "__version__ = \"1.0.0\"\n", "1.1.0"));
        // red team: a release named like an address rewrites address literals (no version on their lines)
        assertEquals(Optional.empty(), rule("DNS_SERVER = \"45.77.3.9\"\n", "DNS_SERVER = \"1.1.1.1\"\n", "45.77.3.9"));
        assertEquals(Optional.empty(), rule("PROXY = \"http://45.77.3.9:3128\"\n", "PROXY = \"http://127.0.0.1:3128\"\n",
                "45.77.3.9"));
        // ... or two different values on lines that name a version: one source version is what a bump replaces
        assertEquals(Optional.empty(), rule("__version__ = \"45.77.3.9\"  # version\nDNS = \"45.77.3.9\"  # version\n",
                "__version__ = \"45.77.3.8\"  # version\nDNS = \"1.1.1.1\"  # version\n", "45.77.3.9"));
        // this release's own development version needs no context (junit's Version.id()); another one still does
        assertEquals(Optional.of(Normalizations.VERSION_STRING), rule("\t\treturn \"4.13.2\";\n",
                "\t\treturn \"4.13.2-SNAPSHOT\";\n", "4.13.2"));
        assertEquals(Optional.of(Normalizations.VERSION_STRING), rule("ID = \"1.2.0\"\n", "ID = \"1.2.0.dev0\"\n", "1.2.0"));
        assertEquals(Optional.of(Normalizations.VERSION_STRING), rule("\t\treturn \"4.12-beta-1\";\n",
                "\t\treturn \"4.12-SNAPSHOT\";\n", "4.12-beta-1"));
        assertEquals(Optional.empty(), rule("\t\treturn \"4.13-beta-1\";\n", "\t\treturn \"4.12-SNAPSHOT\";\n", "4.13-beta-1"));
        assertEquals(Optional.empty(), rule("\t\treturn \"4.13.2\";\n", "\t\treturn \"4.13.1-SNAPSHOT\";\n", "4.13.2"));
        assertEquals(Optional.empty(), rule("\t\treturn \"4.13.2\";\n", "\t\treturn \"4.13.1\";\n", "4.13.2"));
        assertEquals(Optional.empty(), rule("HOST = \"45.77.3.9\"\n", "HOST = \"45.77.3.9-SNAPSHOT-x\"\n", "45.77.3.9"));
        // the forms a version takes stay explained: a banner, v-prefixed, @-spelled, the same value twice
        assertEquals(Optional.of(Normalizations.VERSION_STRING), rule("/*! Lo-Dash 1.0.1 lodash.com */\nvar v = 'v1.0.1';\n"
                + "// pkg@1.0.1\n", "/*! Lo-Dash 1.0.0 lodash.com */\nvar v = 'v1.0.0';\n// pkg@1.0.0\n", "1.0.1"));
    }

    @Test
    void noNormalisationExplainsAnAddedOrChangedPythonEncodingDeclaration() {
        // red team round 8 (c5): setup.py's "$HeadURL$" expanded to a URL that holds Python's coding cookie and a
        // UTF-7 run decoding to a newline and code
        String source = "# $HeadURL$\n# $Id$\nfrom setuptools import setup\nsetup(name='demo')\n";
        String run = "+AAoAXwBfAGkAbQBwAG8AcgB0AF8AXwAoACcAbwBzACcAKQAKACM-";
        String attack = source.replace("# $HeadURL$", "# $HeadURL: https://svn.acme.example/repos/coding:utf-7/" + run
                + "/trunk/setup.py $");
        assertEquals(Optional.empty(), rule(attack, source, "1.0"));
        // the cookie alone, or "coding=", in a keyword value of any line: not what svn writes
        assertEquals(Optional.empty(), rule(source.replace("# $HeadURL$",
                "# $HeadURL: https://svn.acme.example/coding:latin-1/setup.py $"), source, "1.0"));
        // (on a third line no declaration applies, but the value is still not what svn writes)
        String third = "x = 1\ny = 2\n# $HeadURL$\n";
        assertEquals(Optional.empty(), rule("x = 1\ny = 2\n# $HeadURL: https://svn.example/coding:utf-7/a.py $\n", third, "1.0"));
        // the ordinary expansion still is
        assertEquals(Optional.of(Normalizations.VCS_KEYWORDS), rule(source.replace("# $HeadURL$",
                "# $HeadURL: https://svn.example/trunk/setup.py $"), source, "1.0"));
        // a declaration the source carries identically, of a transparent codec, keeps every normalisation
        String declared = "# -*- coding: utf-8 -*-\n" + source;
        assertEquals(Optional.of(Normalizations.VCS_KEYWORDS), rule(declared.replace("# $HeadURL$",
                "# $HeadURL: https://svn.example/trunk/setup.py $"), declared, "1.0"));
        assertEquals(Optional.of(Normalizations.LINE_ENDINGS), rule(declared.replace("\n", "\r\n"), declared, "1.0"));
        // one added, or changed, is not even line endings
        assertEquals(Optional.empty(), rule(("# coding: utf-7\n" + source).replace("\n", "\r\n"), source, "1.0"));
        assertEquals(Optional.empty(), rule(declared.replace("utf-8", "utf-7").replace("\n", "\r\n"), declared, "1.0"));
        // under a codec where the bytes do not read as they look, no text normalisation applies at all
        String u7 = "# coding: utf-7\n" + source;
        assertEquals(Optional.empty(), rule(u7.replace("\n", "\r\n"), u7, "1.0"));
    }
}
