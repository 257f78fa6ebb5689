package dev.divergence.registry.npm;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A JavaScript token stream with comments and white space set aside (ECMA-262 §12, "ECMAScript Language: Lexical
 * Grammar"), for proving that two files are one program. The lexer is conservative: wherever it cannot be sure how
 * an engine reads a character — a {@code /} after {@code }} (block or object literal?), after a contextual keyword
 * ({@code of}, {@code yield}, {@code await}, {@code let}) or after {@code ++}/{@code --}; a {@code <} where an
 * expression starts (JSX); Annex B's HTML-like comments {@code <!--} and {@code -->}; a backslash outside a literal;
 * a character it does not know — it refuses, and nothing is proven.
 *
 * <p>Each token records whether a line terminator came before it (one inside a removed multi-line comment counts,
 * §12.4), since automatic semicolon insertion reads exactly that, and the comments in the gap before it.
 */
final class JsTokens {

    enum Kind { PUNCT, NAME, NUMBER, STRING, TEMPLATE, REGEX }

    /** One token; {@code commentsBefore} are the comments between it and the previous token. */
    record Token(Kind kind, String text, boolean newlineBefore, List<String> commentsBefore) {
    }

    /** A lexed file: its hashbang line (§12.5) if any, its tokens, and the comments after the last token. */
    record Lexed(Optional<String> hashbang, List<Token> tokens, List<String> trailingComments) {
        int comments() {
            return tokens.stream().mapToInt(t -> t.commentsBefore().size()).sum() + trailingComments.size();
        }
    }

    /** Why a file was not lexed: the lexer refuses rather than guess. */
    static final class Refused extends Exception {
        Refused(String why) {
            super(why, null, false, false);
        }
    }

    // ECMA-262 §12.8 Punctuators, longest first within each first character by trying longer candidates first.
    private static final List<String> PUNCTUATORS = List.of(">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>",
            "&&=", "||=", "??=", "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=",
            "%=", "&=", "|=", "^=", "/=", "<<", ">>", "**", "{", "}", "(", ")", "[", "]", ";", ",", "<", ">", "+",
            "-", "*", "%", "&", "|", "^", "!", "~", "?", ":", "=", ".", "/");
    /** After these a {@code /} starts a regular expression: each begins or continues an expression operand. */
    private static final Set<String> REGEX_AFTER_WORD = Set.of("return", "typeof", "instanceof", "in", "new", "delete",
            "void", "throw", "case", "do", "else", "extends", "default");
    /** These are values: a {@code /} after them divides. */
    private static final Set<String> DIVISION_AFTER_WORD = Set.of("this", "super", "null", "true", "false");
    /**
     * Reserved words (§13.1.1, strict mode included) and the contextual keywords that may or may not start an
     * expression ({@code of}, {@code yield}, {@code await}, {@code let}): a {@code /} after any of the rest is refused.
     */
    private static final Set<String> UNSURE_WORD = Set.of("await", "break", "catch", "class", "const", "continue",
            "debugger", "enum", "export", "finally", "for", "function", "if", "import", "switch", "try", "var", "while",
            "with", "yield", "let", "of");
    /** {@code if (...) /re/}: after the closing parenthesis of these a statement, so a regex, may start. */
    private static final Set<String> STATEMENT_HEAD = Set.of("if", "while", "for", "with");

    private JsTokens() {
    }

    /** Lexes UTF-8 bytes; malformed UTF-8 is refused. */
    static Lexed lex(byte[] bytes) throws Refused {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return lex(text);
        } catch (CharacterCodingException e) {
            throw new Refused("not UTF-8");
        }
    }

    static Lexed lex(String text) throws Refused {
        return new Lexer(text).run();
    }

    private static final class Lexer {
        private final String s;
        private int pos;
        private final List<Token> tokens = new ArrayList<>();
        /** Open braces: true for a template substitution's {@code ${}, false for an ordinary {@code {}. */
        private final Deque<Boolean> braces = new ArrayDeque<>();
        /** Token indices of open parentheses, and for each {@code )} token the index of its {@code (}. */
        private final Deque<Integer> parens = new ArrayDeque<>();
        private final java.util.Map<Integer, Integer> openerOf = new java.util.HashMap<>();
        private boolean newline;
        private boolean separated = true;
        private List<String> comments = new ArrayList<>();

        Lexer(String s) {
            this.s = s;
        }

        Lexed run() throws Refused {
            Optional<String> hashbang = Optional.empty();
            if (s.startsWith("#!")) { // §12.5: only at the very start of the source text
                int end = pos = 2;
                while (end < s.length() && !lineTerminator(s.charAt(end))) {
                    end++;
                }
                hashbang = Optional.of(s.substring(0, end));
                pos = end;
            }
            while (pos < s.length()) {
                step();
            }
            if (!braces.isEmpty() || !parens.isEmpty()) {
                throw new Refused("unbalanced braces or parentheses");
            }
            return new Lexed(hashbang, List.copyOf(tokens), List.copyOf(comments));
        }

        private void step() throws Refused {
            char c = s.charAt(pos);
            if (lineTerminator(c)) {
                newline = true;
                separated = true;
                pos++;
                return;
            }
            if (whiteSpace(c)) {
                separated = true;
                pos++;
                return;
            }
            if (s.startsWith("//", pos)) {
                int end = pos;
                while (end < s.length() && !lineTerminator(s.charAt(end))) {
                    end++;
                }
                comment(end);
                return;
            }
            if (s.startsWith("/*", pos)) {
                int close = s.indexOf("*/", pos + 2);
                if (close < 0) {
                    throw new Refused("unterminated comment");
                }
                for (int i = pos + 2; i < close; i++) {
                    if (lineTerminator(s.charAt(i))) {
                        newline = true; // §12.4: a multi-line comment holding a line terminator is one for ASI
                        break;
                    }
                }
                comment(close + 2);
                return;
            }
            // Annex B.1.1: in a script "<!--" starts a comment anywhere and "-->" at the start of a line; in a module
            // neither does. Which one a file is cannot be told from the file alone.
            if (s.startsWith("<!--", pos) || (s.startsWith("-->", pos) && (newline || tokens.isEmpty()))) {
                throw new Refused("HTML-like comment");
            }
            if (c == '`') {
                template(pos + 1);
            } else if (c == '}' && !braces.isEmpty() && braces.peek()) {
                braces.pop();
                template(pos + 1);
            } else if (c == '\'' || c == '"') {
                string(c);
            } else if (digit(c) || (c == '.' && pos + 1 < s.length() && digit(s.charAt(pos + 1)))) {
                number();
            } else if (c == '#') {
                int end = identifierEnd(pos + 1);
                if (end == pos + 1) {
                    throw new Refused("'#' without a name");
                }
                emit(Kind.NAME, end);
            } else if (identifierStart(s.codePointAt(pos))) {
                emit(Kind.NAME, identifierEnd(pos));
            } else if (c == '\\') {
                throw new Refused("backslash outside a literal (an escaped identifier)");
            } else if (c == '/') {
                if (regexAllowed('/')) {
                    regex();
                } else {
                    punctuator();
                }
            } else if (c == '<' && regexAllowed('<')) {
                throw new Refused("'<' where an expression starts (JSX?)");
            } else {
                punctuator();
            }
        }

        private void comment(int end) {
            comments.add(s.substring(pos, end));
            pos = end;
            separated = true;
        }

        private void emit(Kind kind, int end) throws Refused {
            boolean word = kind == Kind.NAME || kind == Kind.NUMBER;
            if (!separated && word && !tokens.isEmpty()) {
                Kind prev = tokens.get(tokens.size() - 1).kind();
                if (prev == Kind.NAME || prev == Kind.NUMBER) {
                    throw new Refused("two words with nothing between them");
                }
            }
            tokens.add(new Token(kind, s.substring(pos, end), newline, List.copyOf(comments)));
            comments = new ArrayList<>();
            newline = false;
            separated = false;
            pos = end;
        }

        private void punctuator() throws Refused {
            for (String p : PUNCTUATORS) {
                if (s.startsWith(p, pos)) {
                    int index = tokens.size();
                    switch (p) {
                        case "{" -> braces.push(false);
                        case "}" -> {
                            if (braces.isEmpty()) {
                                throw new Refused("unbalanced '}'");
                            }
                            braces.pop();
                        }
                        case "(" -> parens.push(index);
                        case ")" -> {
                            if (parens.isEmpty()) {
                                throw new Refused("unbalanced ')'");
                            }
                            openerOf.put(index, parens.pop());
                        }
                        default -> {
                        }
                    }
                    emit(Kind.PUNCT, pos + p.length());
                    return;
                }
            }
            throw new Refused("unexpected character U+" + Integer.toHexString(s.codePointAt(pos)).toUpperCase());
        }

        /** §12.8.6: from after the backtick or the closing brace of a substitution to the backtick or {@code ${}. */
        private void template(int from) throws Refused {
            int i = from;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i += 2;
                } else if (c == '`') {
                    emit(Kind.TEMPLATE, i + 1);
                    return;
                } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                    braces.push(true);
                    emit(Kind.TEMPLATE, i + 2);
                    return;
                } else {
                    i++;
                }
            }
            throw new Refused("unterminated template literal");
        }

        /** §12.8.4: a line terminator ends nothing but the file; an escape takes the next character (CRLF as one). */
        private void string(char quote) throws Refused {
            int i = pos + 1;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i += s.startsWith("\r\n", i + 1) ? 3 : 2;
                } else if (c == quote) {
                    emit(Kind.STRING, i + 1);
                    return;
                } else if (c == '\n' || c == '\r') {
                    break;
                } else {
                    i++;
                }
            }
            throw new Refused("unterminated string");
        }

        /**
         * Greedier than §12.9.3 (letters, digits, {@code _}, {@code .}, and a sign after an exponent's {@code e}):
         * a lexer that ends a token later than the engine can only tell apart what the engine also tells apart.
         */
        private void number() throws Refused {
            int i = pos;
            boolean hex = s.startsWith("0x", pos) || s.startsWith("0X", pos);
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.') {
                    i++;
                } else if ((c == '+' || c == '-') && !hex && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')) {
                    i++;
                } else {
                    break;
                }
            }
            emit(Kind.NUMBER, i);
        }

        /** §22.2.1 body: escapes, classes (a {@code /} inside {@code [...]} does not end it), then flags. */
        private void regex() throws Refused {
            int i = pos + 1;
            boolean inClass = false;
            while (true) {
                if (i >= s.length() || lineTerminator(s.charAt(i))) {
                    throw new Refused("unterminated regular expression");
                }
                char c = s.charAt(i);
                if (c == '\\') {
                    if (i + 1 >= s.length() || lineTerminator(s.charAt(i + 1))) {
                        throw new Refused("unterminated regular expression");
                    }
                    i += 2;
                    continue;
                }
                if (c == '[') {
                    inClass = true;
                } else if (c == ']') {
                    inClass = false;
                } else if (c == '/' && !inClass) {
                    break;
                }
                i++;
            }
            emit(Kind.REGEX, identifierEnd(i + 1));
        }

        /**
         * Whether a {@code /} here starts a regular expression (true) or divides (false), from the previous
         * significant token; refused where that token does not decide it.
         */
        private boolean regexAllowed(char next) throws Refused {
            if (tokens.isEmpty()) {
                return true;
            }
            int last = tokens.size() - 1;
            Token t = tokens.get(last);
            switch (t.kind()) {
                case NUMBER, STRING, REGEX -> {
                    return false;
                }
                case TEMPLATE -> {
                    return t.text().endsWith("${");
                }
                case NAME -> {
                    return wordStartsOperand(last, next);
                }
                default -> {
                }
            }
            switch (t.text()) {
                case "]" -> {
                    return false;
                }
                case ")" -> {
                    int before = openerOf.get(last) - 1;
                    if (before >= 0 && tokens.get(before).kind() == Kind.NAME && !property(before)) {
                        String w = tokens.get(before).text();
                        if (STATEMENT_HEAD.contains(w)) {
                            return true;
                        }
                        if (w.equals("await")) { // for await (...) /re/ or (await (x)) / 2
                            throw new Refused("'" + next + "' after 'await (...)'");
                        }
                    }
                    return false;
                }
                case "}" -> throw new Refused("'" + next + "' after '}' (a block or an object literal?)");
                case "++", "--" -> throw new Refused("'" + next + "' after '" + t.text() + "'");
                default -> {
                    return true;
                }
            }
        }

        private boolean wordStartsOperand(int index, char next) throws Refused {
            String w = tokens.get(index).text();
            if (w.startsWith("#") || property(index)) {
                return false;
            }
            if (REGEX_AFTER_WORD.contains(w)) {
                return true;
            }
            if (DIVISION_AFTER_WORD.contains(w)) {
                return false;
            }
            if (UNSURE_WORD.contains(w)) {
                throw new Refused("'" + next + "' after '" + w + "'");
            }
            return false;
        }

        /** A word after {@code .} or {@code ?.} is a property name, never a keyword. */
        private boolean property(int index) {
            if (index == 0) {
                return false;
            }
            Token before = tokens.get(index - 1);
            return before.kind() == Kind.PUNCT && (before.text().equals(".") || before.text().equals("?."));
        }

        private int identifierEnd(int from) {
            int i = from;
            while (i < s.length()) {
                int cp = s.codePointAt(i);
                if (!identifierPart(cp)) {
                    break;
                }
                i += Character.charCount(cp);
            }
            return i;
        }
    }

    /** §12.3: LF, CR, LINE SEPARATOR, PARAGRAPH SEPARATOR. */
    static boolean lineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029';
    }

    /** §12.2: TAB, VT, FF, ZWNBSP and the Space_Separator category — nothing else is skipped. */
    static boolean whiteSpace(char c) {
        return c == '\t' || c == '\u000B' || c == '\f' || c == '\uFEFF' || c == ' '
                || Character.getType(c) == Character.SPACE_SEPARATOR;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean identifierStart(int cp) {
        return cp == '$' || cp == '_' || Character.isUnicodeIdentifierStart(cp);
    }

    private static boolean identifierPart(int cp) {
        return cp == '$' || cp == '_' || cp == 0x200C || cp == 0x200D
                || (Character.isUnicodeIdentifierPart(cp) && !Character.isIdentifierIgnorable(cp));
    }
}
