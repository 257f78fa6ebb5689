package dev.divergence.registry.npm;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Proof that a file is Dojo ShrinkSafe's output for a source file (https://dojotoolkit.org/reference-guide/1.10/util/shrinksafe/,
 * {@code java -jar custom_rhino.jar -c X.js > X-compress.js}): Rhino re-prints the parsed program without comments
 * or white space, with strings in double quotes, and renames a function's parameters and local variables to
 * {@code _N} (N in hex). The two {@link JsTokens} streams must be equal token for token, except:
 * <ul>
 *   <li>a function's parameter or {@code var} (Rhino's TokenMapper renames nothing else) may stand as a {@code _N}
 *       name, the same one wherever that variable is used: within that function's body, its nested functions
 *       included unless one declares the name again (its own variable). Scopes are lexical: each name use is
 *       resolved to the innermost function declaring it; one that no function declares is global (top-level
 *       {@code var}s included) and must be printed exactly as in the source. Two variables never share a
 *       {@code _N} where both are visible (the same function, or one nested in the other); a {@code _N} is never
 *       right after {@code .} (a property is never renamed), and never one the source itself uses (it would be
 *       another variable);</li>
 *   <li>strings compare by value and numbers by numeric value (Rhino re-quotes and re-prints them);</li>
 *   <li>where the source ends a statement by a line break alone (automatic semicolon insertion), the output may
 *       carry the {@code ;} it stands for.</li>
 * </ul>
 * A line break before a token of a restricted production ({@code return}/{@code throw}/{@code break}/
 * {@code continue} operands, postfix {@code ++}/{@code --}) must be the same on both sides, since it changes the
 * program. Anything else — a name that is global in the source renamed, another token, a lexer refusal — proves
 * nothing.
 */
public final class JsShrinkSafe {

    private static final Pattern RENAMED = Pattern.compile("_[0-9a-f]+");
    private static final Set<String> RESTRICTED = Set.of("return", "throw", "break", "continue");

    private JsShrinkSafe() {
    }

    /** Whether {@code compressed} is {@code source} as ShrinkSafe prints it, by the rules above. */
    public static boolean sameProgram(byte[] source, byte[] compressed) {
        List<JsTokens.Token> s;
        List<JsTokens.Token> c;
        try {
            s = JsTokens.lex(source).tokens();
            c = JsTokens.lex(compressed).tokens();
        } catch (JsTokens.Refused e) {
            return false;
        }
        Scopes scopes = Scopes.of(s);
        Set<String> sourceNames = new HashSet<>();
        s.stream().filter(t -> t.kind() == JsTokens.Kind.NAME).forEach(t -> sourceNames.add(t.text()));
        Map<String, String> to = new HashMap<>();
        Map<String, List<String>> from = new HashMap<>();
        java.util.Deque<Integer> closes = new java.util.ArrayDeque<>();
        int i = 0;
        int j = 0;
        while (i < s.size() && j < c.size()) {
            JsTokens.Token a = s.get(i);
            JsTokens.Token b = c.get(j);
            if (!closes.isEmpty() && closes.peek() == i) {
                if (!(b.kind() == JsTokens.Kind.PUNCT && b.text().equals("}"))) {
                    return false;
                }
                closes.pop(); // the end of a block Rhino put around a single statement
                j++;
                continue;
            }
            if (b.kind() == JsTokens.Kind.PUNCT && b.text().equals("{") && !(a.kind() == JsTokens.Kind.PUNCT
                    && a.text().equals("{")) && i > 0 && bodyStarts(s, i)) {
                int end = statementEnd(s, i);
                if (end < 0 || (!closes.isEmpty() && end > closes.peek())) {
                    return false;
                }
                closes.push(end); // Rhino wraps an if/else/for/while body in braces
                j++;
                continue;
            }
            if (a.kind() == JsTokens.Kind.PUNCT && a.text().equals(";") && !(b.kind() == JsTokens.Kind.PUNCT
                    && b.text().equals(";")) && s.get(i - 1).text().equals("}") && (b.text().equals("}")
                    || (b.kind() == JsTokens.Kind.NAME && b.newlineBefore() && !b.text().equals("in")
                    && !b.text().equals("instanceof")))) {
                i++; // an empty statement after a block, which Rhino does not print
                continue;
            }
            if (b.kind() == JsTokens.Kind.PUNCT && b.text().equals(";") && !(a.kind() == JsTokens.Kind.PUNCT
                    && a.text().equals(";")) && a.newlineBefore() && i > 0 && asi(s, i)) {
                j++; // the semicolon the source's line break stands for
                continue;
            }
            if (!same(a, b, i > 0 ? s.get(i - 1) : null, scopes.resolve(i, a.text()), scopes, sourceNames, to, from)) {
                return false;
            }
            boolean restricted = (i > 0 && s.get(i - 1).kind() == JsTokens.Kind.NAME
                    && RESTRICTED.contains(s.get(i - 1).text()))
                    || (a.kind() == JsTokens.Kind.PUNCT && (a.text().equals("++") || a.text().equals("--")));
            if (restricted && a.newlineBefore() != b.newlineBefore()) {
                return false;
            }
            i++;
            j++;
        }
        while (!closes.isEmpty() && closes.peek() == i && j < c.size() && c.get(j).text().equals("}")) {
            closes.pop();
            j++;
        }
        while (j < c.size() && c.get(j).kind() == JsTokens.Kind.PUNCT && c.get(j).text().equals(";")
                && i == s.size() && endsStatement(s.get(s.size() - 1))
                && !(s.get(s.size() - 1).kind() == JsTokens.Kind.NAME && CONTINUING.contains(s.get(s.size() - 1).text()))) {
            j++; // a final statement the source left without its semicolon
        }
        return i == s.size() && j == c.size() && closes.isEmpty() && !s.isEmpty();
    }

    /**
     * Whether source token {@code i} starts the body of an {@code if}/{@code for}/{@code while}/{@code with} (after
     * the {@code )} closing its head) or of an {@code else}/{@code do}.
     */
    private static boolean bodyStarts(List<JsTokens.Token> s, int i) {
        JsTokens.Token p = s.get(i - 1);
        if (p.kind() == JsTokens.Kind.NAME) {
            return p.text().equals("else") || p.text().equals("do");
        }
        if (!p.text().equals(")")) {
            return false;
        }
        int open = matching(s, i - 1, -1);
        return open > 0 && s.get(open - 1).kind() == JsTokens.Kind.NAME
                && Set.of("if", "for", "while", "with").contains(s.get(open - 1).text())
                && !(s.get(open - 1).text().equals("while") && isDoWhile(s, open - 1));
    }

    /** Whether the {@code while} at {@code w} ends a {@code do} statement (its body ends just before it). */
    private static boolean isDoWhile(List<JsTokens.Token> s, int w) {
        return w > 0 && s.get(w - 1).text().equals("}") && matching(s, w - 1, -1) > 0
                && s.get(matching(s, w - 1, -1) - 1).text().equals("do");
    }

    /** The index of the bracket matching the one at {@code k}, searching in direction {@code dir}; -1 if none. */
    private static int matching(List<JsTokens.Token> s, int k, int dir) {
        int nest = 0;
        for (int m = k; m >= 0 && m < s.size(); m += dir) {
            JsTokens.Token t = s.get(m);
            if (t.kind() != JsTokens.Kind.PUNCT) {
                continue;
            }
            String x = t.text();
            boolean open = x.equals("(") || x.equals("[") || x.equals("{");
            boolean close = x.equals(")") || x.equals("]") || x.equals("}");
            if (dir > 0 ? open : close) {
                nest++;
            } else if (dir > 0 ? close : open) {
                if (--nest == 0) {
                    return m;
                }
            }
        }
        return -1;
    }

    /**
     * The index just after the one statement starting at source token {@code i}, or -1 when it cannot be told: a
     * block, an {@code if} (with its {@code else}), a loop, or a simple statement up to its {@code ;}.
     */
    static int statementEnd(List<JsTokens.Token> s, int i) {
        if (i >= s.size()) {
            return -1;
        }
        JsTokens.Token t = s.get(i);
        if (t.kind() == JsTokens.Kind.PUNCT && t.text().equals("{")) {
            int close = matching(s, i, 1);
            return close < 0 ? -1 : close + 1;
        }
        if (t.kind() == JsTokens.Kind.NAME) {
            switch (t.text()) {
                case "if", "for", "while", "with" -> {
                    if (i + 1 >= s.size() || !s.get(i + 1).text().equals("(")) {
                        return -1;
                    }
                    int close = matching(s, i + 1, 1);
                    int end = close < 0 ? -1 : statementEnd(s, close + 1);
                    if (end > 0 && t.text().equals("if") && end < s.size() && s.get(end).kind() == JsTokens.Kind.NAME
                            && s.get(end).text().equals("else")) {
                        return statementEnd(s, end + 1);
                    }
                    return end;
                }
                case "function", "do", "try", "switch", "else", "catch", "finally", "case", "default" -> {
                    return -1; // not a body Rhino's brace-wrapping is proven for here
                }
                default -> {
                }
            }
        }
        int nest = 0;
        for (int m = i; m < s.size(); m++) {
            JsTokens.Token x = s.get(m);
            if (x.kind() != JsTokens.Kind.PUNCT) {
                continue;
            }
            switch (x.text()) {
                case "(", "[", "{" -> nest++;
                case ")", "]", "}" -> {
                    if (--nest < 0) {
                        return -1; // a statement ended by a line break alone
                    }
                }
                case ";" -> {
                    if (nest == 0) {
                        return m + 1;
                    }
                }
                default -> {
                }
            }
        }
        return -1;
    }

    /** Words after which a line break ends no statement. */
    private static final Set<String> CONTINUING = Set.of("else", "do", "typeof", "new", "delete", "void", "in",
            "instanceof", "var", "let", "const", "case", "throw", "yield", "await", "function", "if", "for", "while",
            "with", "switch", "try", "catch", "finally", "default");

    /**
     * Whether a line break before source token {@code i} is where automatic semicolon insertion (ECMA-262 §12.10)
     * ends a statement, so that an explicit {@code ;} there is the same program: the previous token ends an operand
     * (not a word that continues a statement, not the {@code )} of an {@code if}/loop head), and token {@code i}
     * cannot continue the expression (a name other than {@code in}/{@code instanceof}, a literal, or {@code }}).
     */
    private static boolean asi(List<JsTokens.Token> s, int i) {
        JsTokens.Token prev = s.get(i - 1);
        JsTokens.Token a = s.get(i);
        boolean prevEnds = endsStatement(prev) && !(prev.kind() == JsTokens.Kind.NAME && CONTINUING.contains(prev.text()))
                && !(prev.text().equals(")") && bodyStarts(s, i));
        boolean cannotContinue = switch (a.kind()) {
            case NAME -> !a.text().equals("in") && !a.text().equals("instanceof");
            case NUMBER, STRING -> true;
            case PUNCT -> a.text().equals("}");
            default -> false;
        };
        return prevEnds && cannotContinue;
    }

    /** A token after which a line break may end a statement: an operand's end. */
    private static boolean endsStatement(JsTokens.Token t) {
        return switch (t.kind()) {
            case NAME, NUMBER, STRING, TEMPLATE, REGEX -> true;
            case PUNCT -> t.text().equals(")") || t.text().equals("]") || t.text().equals("}")
                    || t.text().equals("++") || t.text().equals("--");
        };
    }

    /**
     * The functions of a token stream: each function's scope (from its parameter list's {@code (} to its body's
     * {@code }}), its parent, the variables it declares (parameters and {@code var}s of its own body, not of nested
     * functions), and for every token the innermost scope holding it (0: the top level).
     */
    private record Scopes(int[] of, List<Integer> parent, List<Set<String>> locals) {
        static Scopes of(List<JsTokens.Token> t) {
            int[] of = new int[t.size()];
            List<Integer> parent = new java.util.ArrayList<>(List.of(-1));
            List<Set<String>> locals = new java.util.ArrayList<>(List.of(new HashSet<>()));
            for (int k = 0; k < t.size(); k++) {
                if (t.get(k).kind() != JsTokens.Kind.NAME || !t.get(k).text().equals("function")) {
                    continue;
                }
                int m = k + 1;
                if (m < t.size() && t.get(m).kind() == JsTokens.Kind.NAME) {
                    m++;
                }
                if (m >= t.size() || !t.get(m).text().equals("(")) {
                    continue;
                }
                int close = matching(t, m, 1);
                int end = close < 0 || close + 1 >= t.size() || !t.get(close + 1).text().equals("{") ? -1
                        : matching(t, close + 1, 1);
                if (end < 0) {
                    continue;
                }
                int id = parent.size();
                parent.add(of[k]);
                locals.add(new HashSet<>());
                for (int x = m; x <= end; x++) {
                    of[x] = id; // functions come in source order: a nested one overwrites its part later
                }
            }
            for (int k : declaredAt(t)) {
                locals.get(of[k]).add(t.get(k).text());
            }
            return new Scopes(of, parent, locals);
        }

        /** The innermost function declaring {@code name} seen from token {@code i}; 0 (global) when none does. */
        int resolve(int i, String name) {
            for (int f = of[i]; f > 0; f = parent.get(f)) {
                if (locals.get(f).contains(name)) {
                    return f;
                }
            }
            return 0;
        }

        /** Whether one of the two functions is the other or nested in it: their variables are visible together. */
        boolean related(int f, int g) {
            for (int x = f; x >= 0; x = parent.get(x)) {
                if (x == g) {
                    return true;
                }
            }
            for (int x = g; x >= 0; x = parent.get(x)) {
                if (x == f) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * @param scope the function declaring {@code a}'s name as seen where {@code a} stands (0: global)
     * @param to a function's variable ({@code scope:name}) → the name printed for it
     * @param from a printed {@code _N} → the variables ({@code scope:name}) it stands for
     */
    private static boolean same(JsTokens.Token a, JsTokens.Token b, JsTokens.Token before, int scope, Scopes scopes,
                                Set<String> sourceNames, Map<String, String> to, Map<String, List<String>> from) {
        if (a.kind() != b.kind()) {
            return false;
        }
        switch (a.kind()) {
            case STRING:
                Optional<String> x = stringValue(a.text());
                return x.isPresent() && x.equals(stringValue(b.text()));
            case NUMBER:
                return numberValue(a.text()).map(v -> v.equals(numberValue(b.text()).orElse(null))).orElse(false);
            case NAME:
                boolean property = before != null && before.kind() == JsTokens.Kind.PUNCT && before.text().equals(".");
                if (property) {
                    return a.text().equals(b.text()); // a property name is never renamed
                }
                if (scope == 0) {
                    return a.text().equals(b.text()); // a global is never renamed
                }
                String variable = scope + ":" + a.text();
                String mapped = to.get(variable);
                if (mapped != null) {
                    return mapped.equals(b.text());
                }
                if (a.text().equals(b.text())) {
                    to.put(variable, b.text()); // kept: as the source has it (no _N is ever a name the source uses)
                    return true;
                }
                if (!RENAMED.matcher(b.text()).matches() || sourceNames.contains(b.text())) {
                    return false;
                }
                for (String other : from.getOrDefault(b.text(), List.of())) {
                    int f = Integer.parseInt(other.substring(0, other.indexOf(':')));
                    if (scopes.related(f, scope)) {
                        return false; // two variables visible together under one name
                    }
                }
                to.put(variable, b.text());
                from.computeIfAbsent(b.text(), k -> new java.util.ArrayList<>()).add(variable);
                return true;
            default:
                return a.text().equals(b.text());
        }
    }

    /**
     * The tokens that declare a variable: after {@code var} (and each {@code ,}-separated declarator of that
     * {@code var} at the same nesting), and the parameters of {@code function NAME(...)}/{@code function(...)}.
     */
    static List<Integer> declaredAt(List<JsTokens.Token> t) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int k = 0; k < t.size(); k++) {
            JsTokens.Token x = t.get(k);
            if (x.kind() != JsTokens.Kind.NAME) {
                continue;
            }
            if (x.text().equals("var")) {
                int nest = 0;
                boolean expectName = true;
                for (int m = k + 1; m < t.size(); m++) {
                    JsTokens.Token y = t.get(m);
                    if (y.kind() == JsTokens.Kind.PUNCT) {
                        String p = y.text();
                        if (p.equals("(") || p.equals("[") || p.equals("{")) {
                            nest++;
                        } else if (p.equals(")") || p.equals("]") || p.equals("}")) {
                            if (nest-- == 0) {
                                break;
                            }
                        } else if (nest == 0 && p.equals(",")) {
                            expectName = true;
                            continue;
                        } else if (nest == 0 && p.equals(";")) {
                            break;
                        }
                    } else if (expectName && nest == 0 && y.kind() == JsTokens.Kind.NAME) {
                        out.add(m);
                    } else if (nest == 0 && y.kind() == JsTokens.Kind.NAME && y.text().equals("in")) {
                        break;
                    }
                    if (nest == 0 && y.newlineBefore() && !expectName) {
                        break;
                    }
                    expectName = false;
                }
            } else if (x.text().equals("function")) {
                int m = k + 1;
                if (m < t.size() && t.get(m).kind() == JsTokens.Kind.NAME) {
                    m++;
                }
                if (m < t.size() && t.get(m).text().equals("(")) {
                    for (m++; m < t.size() && !t.get(m).text().equals(")"); m++) {
                        if (t.get(m).kind() == JsTokens.Kind.NAME) {
                            out.add(m);
                        } else if (!t.get(m).text().equals(",")) {
                            break; // defaults, patterns: not the plain list ShrinkSafe's Rhino knew
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The value of a {@code '…'} or {@code "…"} literal with the simple escapes resolved; empty when unsure. */
    static Optional<String> stringValue(String literal) {
        if (literal.length() < 2) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder();
        for (int k = 1; k < literal.length() - 1; k++) {
            char ch = literal.charAt(k);
            if (ch != '\\') {
                out.append(ch);
                continue;
            }
            if (++k >= literal.length() - 1) {
                return Optional.empty();
            }
            char e = literal.charAt(k);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000b');
                case '\'', '"', '\\', '/' -> out.append(e);
                case 'u' -> {
                    if (k + 5 > literal.length() - 1 || !literal.substring(k + 1, k + 5).matches("[0-9A-Fa-f]{4}")) {
                        return Optional.empty();
                    }
                    out.append((char) Integer.parseInt(literal.substring(k + 1, k + 5), 16));
                    k += 4;
                }
                case 'x' -> {
                    if (k + 3 > literal.length() - 1 || !literal.substring(k + 1, k + 3).matches("[0-9A-Fa-f]{2}")) {
                        return Optional.empty();
                    }
                    out.append((char) Integer.parseInt(literal.substring(k + 1, k + 3), 16));
                    k += 2;
                }
                default -> {
                    if (Character.isDigit(e) || JsTokens.lineTerminator(e)) {
                        return Optional.empty(); // octal, line continuation: not worth guessing
                    }
                    out.append(e); // a NonEscapeCharacter stands for itself (ECMA-262 §12.9.4)
                }
            }
        }
        return Optional.of(out.toString());
    }

    private static Optional<Double> numberValue(String text) {
        try {
            if (text.matches("0[xX][0-9A-Fa-f]+")) {
                return Optional.of((double) Long.parseLong(text.substring(2), 16));
            }
            if (text.matches("(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?")) {
                return Optional.of(Double.parseDouble(text));
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
