package dev.divergence.registry.npm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Test vectors for the comment-stripping proof: what clean-publish really does is explained, and every payload placed
 * in the slack — text a naive lexer takes for a comment, a line break lost with a comment — stays a difference.
 */
class NpmStrippedCommentsTest {

    private static Optional<String> difference(String published, String source) {
        return NpmStrippedComments.difference(published.getBytes(StandardCharsets.UTF_8),
                source.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> texts(String js) throws JsTokens.Refused {
        return JsTokens.lex(js).tokens().stream().map(JsTokens.Token::text).toList();
    }

    @Test
    void commentsAndBlankLinesRemovedAreTheSameProgram() {
        String source = "#!/usr/bin/env node\n"
                + "/**\n * JSDoc for the module.\n * @param {string} a\n */\n"
                + "import { x } from './x.js' // trailing\n\n\n"
                + "// a line comment\n"
                + "export function f(a /* inline */, b) {\n"
                + "  /* block\n     over lines */\n"
                + "  let re = /[/*]\\/\\//g // a regex holding comment-like text\n"
                + "  return `${a /* in a substitution */}` + \"// not a comment\" + '/* nor this */' / 2\n"
                + "}\n";
        String published = "#!/usr/bin/env node\n"
                + "import { x } from './x.js'\n"
                + "export function f(a , b) {\n"
                + "  let re = /[/*]\\/\\//g\n"
                + "  return `${a }` + \"// not a comment\" + '/* nor this */' / 2\n"
                + "}\n";
        assertEquals(Optional.empty(), difference(published, source));
    }

    private static Optional<String> explained(String published, String source) {
        return new NpmStrippedComments.Rule().explain(null, "bin/cli.js", published.getBytes(StandardCharsets.UTF_8),
                Optional.of(source.getBytes(StandardCharsets.UTF_8)), "1.0.0").map(d -> d.ruleId());
    }

    @Test
    void exactlyWhatCleanPublishWritesIsExplainedBlankLinesInTemplatesIncluded() {
        // nanoid 4.x-5.x bin/nanoid.js: the help text's blank lines collapsed by clean-publish's regex pass
        String source = "#!/usr/bin/env node\n\nimport { nanoid } from '../index.js'\n\n// print it\n"
                + "function print(msg) {\n  process.stdout.write(msg + '\\n')\n}\n\n"
                + "print(`Usage\n  $ nanoid [options]\n\nOptions\n  -s, --size       Generated ID size\n`)\n";
        String published = NpmDualPublish.cleanComments(source, true);
        assertEquals("#!/usr/bin/env node\nimport { nanoid } from '../index.js'\nfunction print(msg) {\n"
                + "  process.stdout.write(msg + '\\n')\n}\nprint(`Usage\n  $ nanoid [options]\nOptions\n"
                + "  -s, --size       Generated ID size\n`)\n", published);
        assertEquals(Optional.of(NpmStrippedComments.COMMENTS_STRIPPED), explained(published, source));
        // the collapse with anything else changed, or not the tool's exact output: not explained
        assertEquals(Optional.empty(), explained(published.replace("Options", "Opts"), source));
        assertEquals(Optional.empty(), explained(published.replace("Usage\n", "Usage\n\n"), source));
        // a line continuation before the blank lines: collapsing them joins a "-->" line onto an eval'd one
        String eval = "const p = `var n = 1; n\\\n\n-->require('child_process').execSync('id')\n`;\n(0, eval)(p);\n";
        String tool = NpmDualPublish.cleanComments(eval, true);
        assertTrue(tool.contains("n\\\n-->require"), tool);
        assertEquals(Optional.empty(), explained(tool, eval));
    }

    @Test
    void aTemplateLiteralWithBlankLinesRemovedIsNotExplained() {
        // clean-publish's replace(/\n+/g, '\n') reaches into template literals, but a template's text is runtime data:
        // after a line continuation it joins a "-->" line onto an eval'd one (red team), so no change is allowed
        String source = "print(`Usage\n  $ nanoid\n\nOptions\n\n\n  -h`)\n";
        for (String published : List.of("print(`Usage\n  $ nanoid\nOptions\n  -h`)\n",
                "print(`Usage  $ nanoid\nOptions\n  -h`)\n", "print(`Usage\n  $ evil\n\nOptions\n\n\n  -h`)\n")) {
            assertEquals(Optional.of("token 3 differs"), difference(published, source), published);
        }
        String eval = "const p = `var n = 1; n\\\n\n-->require('child_process').execSync('id')\n`;\n(0, eval)(p);\n";
        assertEquals(Optional.of("token 4 differs"), difference(eval.replace("\n\n", "\n"), eval));
        assertTrue(difference("s = 'a\\\nb'\n", "s = 'a\\\n\nb'\n").isPresent());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a token added beside removed comments | let a = 1\\nrequire('child_process').exec(a)\\n | // note\\nlet a = 1\\n// more\\n
            a division a naive lexer reads as a regex hiding a comment | if (c) /a/ * evil() /* */\\n | if (c) /a/ /* */\\n
            a string a naive lexer reads as a comment | x = "/*"; evil(); //"\\n | x = "/*"; //"\\n
            a template substitution holding comment-like text | t = `${ "/*" }`; evil() // */\\n | t = `${ "/*" }`; // */\\n
            a regex class holding a slash | r = /[/*]/; evil() //\\n | r = /[/*]/; //\\n
            a line break lost with a multi-line comment (ASI) | a /* */ ++b\\n | a /*\\n*/ ++b\\n
            a line break added where there was none | return\\nx\\n | return /* */ x\\n
            a comment the source does not have | f(function () {/* payload */})\\n | f(function () {/* text */})\\n
            another hashbang | #!/usr/bin/env node --inspect\\nrun()\\n | #!/usr/bin/env node\\n// c\\nrun()\\n
            a line comment ended by a LINE SEPARATOR | x()// c\\u2028evil()\\n | x()\\n
            """)
    void aPayloadInTheSlackIsNotExplained(String name, String published, String source) {
        String p = unescape(published);
        String s = unescape(source);
        assertTrue(difference(p, s).isPresent(), name + ": " + p);
    }

    @Test
    void tokensAreSplitAsTheEngineSplitsThem() throws Exception {
        // maximal munch: "a + +b" is not "a ++b"; a regex after `if (...)`, a division after a call
        assertEquals(List.of("a", "+", "+", "b"), texts("a + +b"));
        assertEquals(List.of("a", "++", "b"), texts("a ++b"));
        assertTrue(difference("a ++b", "a + /* */ +b").isPresent());
        assertEquals(List.of("if", "(", "c", ")", "/a/", "*", "evil", "(", ")"), texts("if (c) /a/ * evil()"));
        assertEquals(List.of("f", "(", "c", ")", "/", "a", "/", "b"), texts("f(c) /a/ b"));
        assertEquals(List.of("x", "=", "a", ".", "return", "/", "2"), texts("x = a.return / 2"));
        assertEquals(List.of("return", "/=/g"), texts("return /=/g"));
        assertEquals(List.of("`a${", "b", "}c${", "{", "d", "}", "}e`", "/", "2"), texts("`a${b}c${{d}}e` / 2"));
        assertEquals(List.of("x", "=", "1e+5", "/", "2"), texts("x = 1e+5 / 2"));
        // greedier than the engine on numbers: "1in y" is one (invalid) token, never "1 in y"
        assertEquals(List.of("1in", "y"), texts("1in y"));
        assertTrue(difference("1in y", "1 in y").isPresent());
        assertEquals(Optional.of("#!/usr/bin/env node"), JsTokens.lex("#!/usr/bin/env node\nx").hashbang());
        assertTrue(JsTokens.lex("a /*\n*/ ++b").tokens().get(1).newlineBefore());
    }

    @ParameterizedTest(name = "refuses {0}")
    @CsvSource(delimiter = '|', textBlock = """
            a slash after a closing brace | function f() {}\\n/x/g.test(s)
            a slash after of | for (const x of /a/g.exec(s)) {}
            a slash after yield | function* g() { yield /a/ }
            a slash after await (...) | for await (x of y) /a/.test(x)
            a slash after ++ | i++ / 2
            an HTML open comment | x = 1 <!-- y\\nevil()
            an HTML close comment at a line start | x = 1\\n--> y
            JSX | return <div>/* x */</div>
            an unterminated string | x = 'a\\nb'
            an unterminated comment | x /* y
            an unterminated template | x = `a${b
            an unterminated regex | x = /a\\n/
            an escaped identifier | \\u0061 = 1
            a hash without a name | x = # y
            an unknown character | @decorator class A {}
            an unbalanced parenthesis | f(x))
            """)
    void refusesWhatItCannotBeSureOf(String name, String js) {
        assertThrows(JsTokens.Refused.class, () -> JsTokens.lex(unescape(js)), name);
    }

    @Test
    void aFileThatDoesNotLexIsNotExplainedOnEitherSide() {
        assertEquals(Optional.of("published file not lexed: '/' after '}' (a block or an object literal?)"),
                difference("{}\n/a/", "{}\n/a/ // c"));
        assertEquals(Optional.of("source file not lexed: unterminated comment"), difference("x\n", "x /* y\n"));
        assertEquals(Optional.of("published file not lexed: not UTF-8"), NpmStrippedComments.difference(
                new byte[] {'x', (byte) 0xC3}, "x".getBytes(StandardCharsets.UTF_8)));
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\u2028", "\u2028");
    }
}
