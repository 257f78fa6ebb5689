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
    /** Types declared outside any brace or parenthesis: the file's top-level types (Java). */
    private final Set<String> topLevel = new java.util.LinkedHashSet<>();
    private int braces;
    private int parens;
    /** The last identifier was a type keyword at the top level: the next one is the declared type's name. */
    private boolean declaring;
    private char before;
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

    /**
     * The top-level types a Java source declares ({@code class|interface|enum|record|@interface Name} at brace and
     * parenthesis depth 0, comments and literals left out): a compilation unit may declare several, each compiled to
     * {@code Name.class} in the package (JLS 7.6), though only a public one must be named after the file.
     */
    static Set<String> topLevelTypes(String text) {
        SourceNames lexer = new SourceNames(text, false);
        lexer.code(false);
        return lexer.topLevel;
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
                String name = text.substring(start, at);
                names.add(name);
                if (declaring) {
                    topLevel.add(name);
                }
                declaring = braces == 0 && parens == 0 && before != '.' && TYPE_KEYWORDS.contains(name);
                before = 'a';
            } else if (Character.isDigit(c)) {
                while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_'
                        || text.charAt(at) == '.')) {
                    at++; // a number's letters (0x1F, 10L, 1e5f) are no names
                }
            } else {
                if (!Character.isWhitespace(c)) {
                    before = c;
                    declaring = false; // a declaration's name follows its keyword at once
                }
                if (!templates) {
                    braces += c == '{' ? 1 : c == '}' && braces > 0 ? -1 : 0;
                    parens += c == '(' ? 1 : c == ')' && parens > 0 ? -1 : 0;
                }
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

    private static final Set<String> TYPE_KEYWORDS = Set.of("class", "interface", "enum", "record");

    private char next(int n) {
        return at + n < text.length() ? text.charAt(at + n) : '\0';
    }
}
