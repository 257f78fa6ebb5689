package dev.divergence.registry.pypi;

import dev.divergence.source.Pep440Version;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dependency specification (PEP 508, https://peps.python.org/pep-0508/) read as data, so that the requirement a
 * packaging tool writes into METADATA / PKG-INFO / requires.txt can be compared with the one the source declares
 * whatever the tool's spelling: name (PEP 503), extras (PEP 685), specifier set (PEP 440 versions, order-free), direct
 * URL (exact), environment marker (quotes, blanks and redundant parentheses normalised). The {@code extra == "x"}
 * conjunct tools add for an optional dependency becomes the requirement's {@link Requirement#group}. No maintained
 * Java library parses PEP 508; this follows the grammar of the PEP and the canonical forms of {@code packaging}.
 */
final class Pep508 {

    /** The group of a declared requirement whose extra is not known (setup.py's {@code extras_require} literal). */
    static final String ANY_GROUP = "*";

    /**
     * A requirement.
     *
     * @param name PEP 503 normalised name
     * @param extras normalised extras, sorted
     * @param specifiers canonical specifiers, sorted; empty when the source gives a constraint this reader cannot
     *                   translate (then only the name, extras and URL can be confirmed)
     * @param url the direct URL ({@code name @ url}), as written
     * @param marker the canonical environment marker without the extra conjunct ({@code ""}: none); empty when the
     *               source's form of it is not modelled (it then matches any marker)
     * @param group {@code ""} for a runtime requirement, the normalised extra that requires it, or {@link #ANY_GROUP}
     */
    record Requirement(String name, List<String> extras, Optional<List<String>> specifiers, Optional<String> url,
                       Optional<String> marker, String group) {
        Requirement {
            extras = List.copyOf(extras);
            specifiers = specifiers.map(List::copyOf);
        }

        Requirement inGroup(String extra) {
            return new Requirement(name, extras, specifiers, url, marker, extra);
        }

        Requirement withMarker(Optional<String> m) {
            return new Requirement(name, extras, specifiers, url, m, group);
        }

        /** The canonical PEP 508 text, the group written back as the extra conjunct. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(name);
            if (!extras.isEmpty()) {
                sb.append('[').append(String.join(",", extras)).append(']');
            }
            if (url.isPresent()) {
                sb.append(" @ ").append(url.get());
            } else {
                sb.append(specifiers.map(s -> String.join(",", s)).orElse(" (constraint not modelled)"));
            }
            List<String> markers = new ArrayList<>();
            marker.filter(m -> !m.isEmpty()).ifPresent(m -> markers.add(m.contains(" or ") ? "(" + m + ")" : m));
            if (marker.isEmpty()) {
                markers.add("(marker not modelled)");
            }
            if (!group.isEmpty()) {
                markers.add(group.equals(ANY_GROUP) ? "extra == (any)" : "extra == \"" + group + "\"");
            }
            return markers.isEmpty() ? sb.toString() : sb + "; " + String.join(" and ", markers);
        }
    }

    /** How a published requirement relates to the declared ones. */
    enum Match {
        /** equal as data to one the source declares */
        DECLARED,
        /** equal in name, extras, URL and group to one whose constraint the source spells in a form not modelled */
        UNVERIFIED,
        /** declared under the name, but with another spec, URL, marker or extra */
        CHANGED,
        /** no requirement of that name is declared */
        NEW
    }

    private static final Pattern NAME = Pattern.compile("^\\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)");
    private static final Pattern SPECIFIER = Pattern.compile("^(~=|===|==|!=|<=|>=|<|>)\\s*(\\S+)$");

    private Pep508() {
    }

    /** PEP 503 (names) and PEP 685 (extras): lowercase, runs of {@code -_.} become {@code -}. */
    static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    /**
     * Parses one requirement (also the legacy {@code name (>=1.0)} form older tools write); the extra conjunct of its
     * marker becomes its group. Empty when the text is not a requirement.
     */
    static Optional<Requirement> parse(String text) {
        String t = text.strip();
        Matcher m = NAME.matcher(t);
        if (t.isEmpty() || t.startsWith("#") || !m.find()) {
            return Optional.empty();
        }
        String name = normalize(m.group(1));
        String rest = t.substring(m.end()).stripLeading();
        TreeSet<String> extras = new TreeSet<>();
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            for (String e : rest.substring(1, close).split(",")) {
                if (!e.isBlank()) {
                    if (!e.strip().matches("[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")) {
                        return Optional.empty();
                    }
                    extras.add(normalize(e.strip()));
                }
            }
            rest = rest.substring(close + 1).stripLeading();
        }
        Optional<String> url = Optional.empty();
        String markerText = null;
        List<String> specs = new ArrayList<>();
        if (rest.startsWith("@")) {
            String u = rest.substring(1).strip();
            Matcher semi = Pattern.compile("\\s;").matcher(u);
            if (semi.find()) {
                markerText = u.substring(semi.end());
                u = u.substring(0, semi.start()).strip();
            }
            if (u.isEmpty() || u.matches(".*\\s.*")) {
                return Optional.empty();
            }
            url = Optional.of(u);
        } else {
            int semi = rest.indexOf(';');
            String spec = (semi < 0 ? rest : rest.substring(0, semi)).strip();
            if (semi >= 0) {
                markerText = rest.substring(semi + 1);
            }
            if (spec.startsWith("(") && spec.endsWith(")")) {
                spec = spec.substring(1, spec.length() - 1).strip();
            }
            if (!spec.isEmpty()) {
                for (String s : spec.split(",")) {
                    Optional<String> c = specifier(s.strip());
                    if (c.isEmpty()) {
                        return Optional.empty();
                    }
                    specs.add(c.get());
                }
            }
        }
        String group = "";
        String marker = "";
        if (markerText != null) {
            Optional<Node> node = Marker.parse(markerText);
            if (node.isEmpty()) {
                return Optional.empty();
            }
            Marker.Split split = Marker.splitExtra(node.get());
            group = split.extra();
            marker = split.rest().map(Node::canonical).orElse("");
        }
        return Optional.of(new Requirement(name, List.copyOf(extras), Optional.of(List.copyOf(new TreeSet<>(specs))), url,
                Optional.of(marker), group));
    }

    /**
     * One specifier in canonical form: the operator, then the version as {@code packaging} compares it (PEP 440
     * normal form; trailing zeros of the release dropped where comparison pads with zeros, kept for {@code ~=} and
     * prefix matches, where they change the meaning); {@code ===} compares text. Empty when it is no specifier.
     */
    static Optional<String> specifier(String text) {
        Matcher m = SPECIFIER.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String op = m.group(1);
        String v = m.group(2);
        if (op.equals("===")) {
            return Optional.of(op + v);
        }
        boolean prefix = v.endsWith(".*");
        if (prefix && !op.equals("==") && !op.equals("!=")) {
            return Optional.empty();
        }
        Optional<Pep440Version> parsed = Pep440Version.parse(prefix ? v.substring(0, v.length() - 2) : v);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Pep440Version p = parsed.get();
        if (!prefix && !op.equals("~=")) {
            List<BigInteger> release = new ArrayList<>(p.release());
            while (release.size() > 1 && release.get(release.size() - 1).signum() == 0) {
                release.remove(release.size() - 1);
            }
            p = new Pep440Version(p.epoch(), release, p.preLabel(), p.pre(), p.post(), p.dev(), p.local());
        }
        return Optional.of(op + p.normalized() + (prefix ? ".*" : ""));
    }

    /** How {@code published} relates to {@code declared}. */
    static Match match(Requirement published, List<Requirement> declared) {
        Match best = Match.NEW;
        for (Requirement d : declared) {
            if (!d.name().equals(published.name())) {
                continue;
            }
            boolean same = d.extras().equals(published.extras()) && d.url().equals(published.url())
                    && (d.group().equals(ANY_GROUP) || d.group().equals(published.group()))
                    && (d.marker().isEmpty() || d.marker().equals(published.marker()));
            if (same && d.specifiers().isPresent() && published.specifiers().isPresent()
                    && expanded(d.specifiers().get()).equals(expanded(published.specifiers().get()))) {
                return Match.DECLARED;
            }
            if (same && d.specifiers().isEmpty() && published.url().isEmpty()) {
                best = Match.UNVERIFIED;
            } else if (best == Match.NEW) {
                best = Match.CHANGED;
            }
        }
        return best;
    }

    /**
     * The specifiers with each prefix match {@code ==1.2.*} written as the range it admits ({@code >=1.2,<1.3}): the
     * two forms poetry-core writes for one wildcard constraint (pre-releases of {@code 1.2}, which the prefix match
     * admits and the range does not, are not installed unless asked for).
     */
    static java.util.Set<String> expanded(List<String> specifiers) {
        java.util.Set<String> out = new TreeSet<>();
        for (String s : specifiers) {
            Optional<Pep440Version> v = s.startsWith("==") && s.endsWith(".*")
                    ? Pep440Version.parse(s.substring(2, s.length() - 2)) : Optional.empty();
            if (v.isPresent() && v.get().pre() == null && v.get().post() == null && v.get().dev() == null
                    && v.get().local().isEmpty()) {
                List<BigInteger> upper = new ArrayList<>(v.get().release());
                upper.set(upper.size() - 1, upper.get(upper.size() - 1).add(BigInteger.ONE));
                Pep440Version up = new Pep440Version(v.get().epoch(), upper, "", null, null, null, List.of());
                specifier(">=" + v.get().normalized()).ifPresent(out::add);
                specifier("<" + up.normalized()).ifPresent(out::add);
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** A parsed environment marker. */
    sealed interface Node permits Atom, Group {
        String canonical();
    }

    /** {@code left op right}, each a variable name or a double-quoted string. */
    record Atom(String left, String op, String right) implements Node {
        @Override
        public String canonical() {
            return left + " " + op + " " + right;
        }
    }

    /** Operands joined by {@code and} or {@code or}, flattened. */
    record Group(String kind, List<Node> operands) implements Node {
        @Override
        public String canonical() {
            List<String> parts = new ArrayList<>();
            for (Node n : operands) {
                boolean paren = kind.equals("and") && n instanceof Group g && g.kind().equals("or");
                parts.add(paren ? "(" + n.canonical() + ")" : n.canonical());
            }
            return String.join(" " + kind + " ", parts);
        }
    }

    /** PEP 508's marker grammar: {@code marker_or}, {@code marker_and}, {@code marker_expr}. */
    static final class Marker {
        private static final Pattern TOKEN = Pattern.compile(
                "\\s*(?:(\\()|(\\))|'([^']*)'|\"([^\"]*)\"|(===|==|!=|<=|>=|~=|<|>)|([A-Za-z_][A-Za-z0-9_.]*))");
        private static final java.util.Map<String, String> LEGACY_NAMES = java.util.Map.of("os.name", "os_name",
                "sys.platform", "sys_platform", "platform.version", "platform_version", "platform.machine",
                "platform_machine", "platform.python_implementation", "platform_python_implementation",
                "python_implementation", "platform_python_implementation");
        private final List<String[]> tokens = new ArrayList<>();
        private int pos;

        record Split(String extra, Optional<Node> rest) {
        }

        private Marker() {
        }

        static Optional<Node> parse(String text) {
            Marker p = new Marker();
            Matcher m = TOKEN.matcher(text);
            int at = 0;
            while (at < text.length()) {
                if (text.substring(at).isBlank()) {
                    break;
                }
                m.region(at, text.length());
                if (!m.lookingAt()) {
                    return Optional.empty();
                }
                if (m.group(1) != null) {
                    p.tokens.add(new String[] {"(", "("});
                } else if (m.group(2) != null) {
                    p.tokens.add(new String[] {")", ")"});
                } else if (m.group(3) != null || m.group(4) != null) {
                    p.tokens.add(new String[] {"str", m.group(3) != null ? m.group(3) : m.group(4)});
                } else if (m.group(5) != null) {
                    p.tokens.add(new String[] {"op", m.group(5)});
                } else {
                    p.tokens.add(new String[] {"id", m.group(6)});
                }
                at = m.end();
            }
            Optional<Node> n = p.or();
            return p.pos == p.tokens.size() ? n : Optional.empty();
        }

        private Optional<Node> or() {
            return chain("or");
        }

        private Optional<Node> chain(String kind) {
            List<Node> operands = new ArrayList<>();
            while (true) {
                Optional<Node> n = kind.equals("or") ? chain("and") : expr();
                if (n.isEmpty()) {
                    return Optional.empty();
                }
                if (n.get() instanceof Group g && g.kind().equals(kind)) {
                    operands.addAll(g.operands());
                } else {
                    operands.add(n.get());
                }
                if (pos < tokens.size() && tokens.get(pos)[0].equals("id") && tokens.get(pos)[1].equals(kind)) {
                    pos++;
                    continue;
                }
                return Optional.of(operands.size() == 1 ? operands.get(0) : new Group(kind, operands));
            }
        }

        private Optional<Node> expr() {
            if (pos < tokens.size() && tokens.get(pos)[0].equals("(")) {
                pos++;
                Optional<Node> inner = or();
                if (inner.isEmpty() || pos >= tokens.size() || !tokens.get(pos)[0].equals(")")) {
                    return Optional.empty();
                }
                pos++;
                return inner;
            }
            Optional<String> left = operand();
            if (left.isEmpty() || pos >= tokens.size()) {
                return Optional.empty();
            }
            String op;
            String[] t = tokens.get(pos);
            if (t[0].equals("op")) {
                op = t[1];
                pos++;
            } else if (t[0].equals("id") && t[1].equals("in")) {
                op = "in";
                pos++;
            } else if (t[0].equals("id") && t[1].equals("not") && pos + 1 < tokens.size()
                    && tokens.get(pos + 1)[0].equals("id") && tokens.get(pos + 1)[1].equals("in")) {
                op = "not in";
                pos += 2;
            } else {
                return Optional.empty();
            }
            Optional<String> right = operand();
            if (right.isEmpty() || (!left.get().startsWith("\"") && !right.get().startsWith("\""))) {
                return Optional.empty();
            }
            String l = left.get();
            String r = right.get();
            if (r.equals("extra") && op.equals("==")) {
                String s = l;
                l = r;
                r = s;
            }
            if (l.equals("extra") && r.startsWith("\"")) {
                r = "\"" + normalize(r.substring(1, r.length() - 1)) + "\"";
            }
            return Optional.of(new Atom(l, op, r));
        }

        /** A variable (PEP 508's names) or a string, written with double quotes as {@code packaging} writes it. */
        private Optional<String> operand() {
            if (pos >= tokens.size()) {
                return Optional.empty();
            }
            String[] t = tokens.get(pos);
            if (t[0].equals("str")) {
                pos++;
                return Optional.of("\"" + t[1] + "\"");
            }
            if (t[0].equals("id") && t[1].matches("python_version|python_full_version|os_name|sys_platform"
                    + "|platform_release|platform_system|platform_version|platform_machine|platform_python_implementation"
                    + "|implementation_name|implementation_version|extra|extras|dependency_groups")) {
                pos++;
                return Optional.of(t[1]);
            }
            if (t[0].equals("id") && LEGACY_NAMES.containsKey(t[1])) {
                pos++; // the PEP 345 spellings older setuptools accepted, written back in PEP 508's
                return Optional.of(LEGACY_NAMES.get(t[1]));
            }
            return Optional.empty();
        }

        /**
         * The {@code extra == "x"} conjunct at the top of the marker (where setuptools, hatchling, flit and poetry put
         * it, before or after the requirement's own marker) and what is left without it.
         */
        static Split splitExtra(Node root) {
            if (root instanceof Atom a && isExtra(a)) {
                return new Split(extraName(a), Optional.empty());
            }
            if (root instanceof Group g && g.kind().equals("and")) {
                List<Node> extras = g.operands().stream().filter(n -> n instanceof Atom a && isExtra(a)).toList();
                if (extras.size() == 1) {
                    List<Node> rest = new ArrayList<>(g.operands());
                    rest.remove(extras.get(0));
                    return new Split(extraName((Atom) extras.get(0)),
                            Optional.of(rest.size() == 1 ? rest.get(0) : new Group("and", rest)));
                }
            }
            return new Split("", Optional.of(root));
        }

        private static boolean isExtra(Atom a) {
            return a.left().equals("extra") && a.op().equals("==") && a.right().startsWith("\"");
        }

        private static String extraName(Atom a) {
            return a.right().substring(1, a.right().length() - 1);
        }
    }
}
