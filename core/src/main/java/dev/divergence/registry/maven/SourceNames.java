package dev.divergence.registry.maven;

import java.util.HashSet;
import java.util.Set;

/**
 * The identifiers a JVM-language source file names in its code: comments, string and character literals left out
 * (a word in a Javadoc or a string names no API). Java (JLS 3.7, 3.10.5-6: {@code //}, {@code /* *}{@code /},
 * {@code "..."}, text blocks, {@code 'c'}); for Kotlin, Groovy and Scala also their triple-quoted strings and
 * {@code '...'} strings, with the code of a template ({@code "${expr}"}) kept as code. A lexer of the languages'
 * token grammar, not a parser: what it keeps is every identifier token the compiler sees.
 */
final class SourceNames {
    private final String text;
    private final boolean templates;
    private final Set<String> names = new HashSet<>();
    private int at;

    private SourceNames(String text, boolean templates) {
        this.text = text;
        this.templates = templates;
    }

    /**
     * @param path the source file's path: its extension decides whether {@code ${...}} in a string is code (Kotlin,
     *     Groovy, Scala) or text (Java)
     */
    static Set<String> of(String text, String path) {
        boolean java = path.endsWith(".java") || path.endsWith(".java.in");
        SourceNames lexer = new SourceNames(text, !java);
        lexer.code(false);
        return lexer.names;
    }

    /** Code up to the end, or (inside a template) up to the '}' closing it. */
    private void code(boolean inTemplate) {
        int depth = 0;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '/' && next(1) == '/') {
                while (at < text.length() && text.charAt(at) != '\n') {
                    at++;
                }
            } else if (c == '/' && next(1) == '*') {
                int end = text.indexOf("*/", at + 2);
                at = end < 0 ? text.length() : end + 2;
            } else if (c == '"' && next(1) == '"' && next(2) == '"') {
                at += 3;
                string("\"\"\"");
            } else if (c == '\'' && templates && next(1) == '\'' && next(2) == '\'') {
                at += 3;
                string("'''");
            } else if (c == '"') {
                at++;
                string("\"");
            } else if (c == '\'') {
                at++;
                string("'");
            } else if (Character.isJavaIdentifierStart(c)) {
                int start = at;
                while (at < text.length() && Character.isJavaIdentifierPart(text.charAt(at))) {
                    at++;
                }
                names.add(text.substring(start, at));
            } else if (Character.isDigit(c)) {
                while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_'
                        || text.charAt(at) == '.')) {
                    at++; // a number's letters (0x1F, 10L, 1e5f) are no names
                }
            } else {
                if (inTemplate && c == '{') {
                    depth++;
                } else if (inTemplate && c == '}' && depth-- == 0) {
                    at++;
                    return;
                }
                at++;
            }
        }
    }

    /** A literal up to its closing {@code quote}; a backslash escapes the next character. */
    private void string(String quote) {
        boolean single = quote.length() == 1;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '\\') {
                at += 2;
            } else if (text.startsWith(quote, at)) {
                at += quote.length();
                return;
            } else if (single && c == '\n' && quote.equals("'")) {
                return; // a lone apostrophe (Scala's symbol 'name): the literal cannot span lines
            } else if (templates && c == '$' && next(1) == '{') {
                at += 2;
                code(true);
            } else {
                at++;
            }
        }
    }

    private char next(int n) {
        return at + n < text.length() ? text.charAt(at + n) : '\0';
    }
}
