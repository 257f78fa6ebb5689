package dev.divergence.registry.pypi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code setup.cfg} as setuptools' sdist rewrites it: {@code setuptools.command.setopt.edit_config} reads the file
 * with Python's {@code configparser.RawConfigParser} ({@code optionxform} the identity, every other option the
 * default: {@code =}/{@code :} delimiters, full-line {@code #}/{@code ;} comments, strict, empty lines kept in
 * values), sets {@code [egg_info]} options and writes it back with {@code RawConfigParser.write}. This is a port of
 * CPython 3's {@code RawConfigParser._read}/{@code _join_multiline_values}/{@code write}
 * (https://github.com/python/cpython/blob/3.11/Lib/configparser.py), so that an sdist's setup.cfg can be compared
 * byte for byte with what that round trip makes of the repository's file.
 */
final class SetupCfg {

    /** Parsed contents: the {@code DEFAULT} section's options and every other section, in file order. */
    record Data(Map<String, String> defaults, Map<String, Map<String, String>> sections) {
    }

    private static final String DEFAULT_SECTION = "DEFAULT";
    /** {@code SECTCRE}: {@code \[(?P<header>.+)\]}, matched at the start of the stripped line. */
    private static final Pattern SECTION = Pattern.compile("\\[(.+)\\]");
    /** Python's {@code str.isspace} for the characters configparser strips and {@code \S} skips. */
    private static final String PY_SPACE = PythonText.SPACE;
    private static final String WS = "[" + Pattern.quote(PY_SPACE).replace("\\Q", "").replace("\\E", "") + "]";
    /** {@code OPTCRE}: the first {@code =} or {@code :} splits option and value. */
    private static final Pattern OPTION = Pattern.compile("(.*?)" + WS + "*([=:])" + WS + "*(.*)", Pattern.DOTALL);

    private SetupCfg() {
    }

    /**
     * Reads the text as {@code RawConfigParser.read} does; empty when configparser would raise (a line before any
     * section header, a line that is neither a header nor an option, an empty option name, a duplicate section or
     * option): setuptools then fails and writes no sdist, so such a file is never explained.
     */
    static Optional<Data> read(String text) {
        // Java's regex '.' and Python's differ on \u0085, \u2028, \u2029 (line terminators for Java only)
        if (text.indexOf('\u0085') >= 0 || text.indexOf('\u2028') >= 0 || text.indexOf('\u2029') >= 0) {
            return Optional.empty();
        }
        String t = PythonText.universalNewlines(text);
        if (t.startsWith("\ufeff")) {
            return Optional.empty(); // read with the locale's codec, a BOM is part of the first line: not modelled
        }
        List<String> lines = new ArrayList<>(List.of(t.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // iterating a file yields no line after the last newline
        }
        Map<String, List<String>> defaults = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Set<String> added = new LinkedHashSet<>();
        Map<String, List<String>> cursect = null;
        String sectname = null;
        String optname = null;
        int indentLevel = 0;
        for (String line : lines) {
            String stripped = pyStrip(line);
            boolean comment = stripped.startsWith("#") || stripped.startsWith(";");
            String value = comment ? "" : stripped;
            if (value.isEmpty()) {
                if (!comment && cursect != null && optname != null && cursect.get(optname) != null) {
                    cursect.get(optname).add(""); // an empty line inside a value is kept (empty_lines_in_values)
                }
                continue;
            }
            int indent = 0;
            while (indent < line.length() && isPySpace(line.charAt(indent))) {
                indent++;
            }
            if (cursect != null && optname != null && indent > indentLevel) {
                cursect.get(optname).add(value); // continuation line
                continue;
            }
            indentLevel = indent;
            Matcher header = SECTION.matcher(value);
            if (header.lookingAt()) {
                sectname = header.group(1);
                if (sections.containsKey(sectname)) {
                    if (added.contains("s:" + sectname)) {
                        return Optional.empty(); // DuplicateSectionError
                    }
                    cursect = sections.get(sectname);
                    added.add("s:" + sectname);
                } else if (sectname.equals(DEFAULT_SECTION)) {
                    cursect = defaults;
                } else {
                    cursect = new LinkedHashMap<>();
                    sections.put(sectname, cursect);
                    added.add("s:" + sectname);
                }
                optname = null;
                continue;
            }
            if (cursect == null) {
                return Optional.empty(); // MissingSectionHeaderError
            }
            Matcher option = OPTION.matcher(value);
            if (!option.matches() || option.group(1).isEmpty()) {
                return Optional.empty(); // ParsingError (raised at the end of the file)
            }
            optname = pyRstrip(option.group(1));
            String key = "o:" + sectname + "\u0000" + optname;
            if (added.contains(key)) {
                return Optional.empty(); // DuplicateOptionError
            }
            added.add(key);
            List<String> v = new ArrayList<>();
            v.add(pyStrip(option.group(3)));
            cursect.put(optname, v);
        }
        Map<String, Map<String, String>> joined = new LinkedHashMap<>();
        sections.forEach((name, options) -> joined.put(name, join(options)));
        return Optional.of(new Data(join(defaults), joined));
    }

    /** {@code _join_multiline_values}: the lines of a value joined with newlines, trailing whitespace removed. */
    private static Map<String, String> join(Map<String, List<String>> options) {
        Map<String, String> out = new LinkedHashMap<>();
        options.forEach((k, v) -> out.put(k, pyRstrip(String.join("\n", v))));
        return out;
    }

    /**
     * {@code RawConfigParser.write(fp)}: {@code [section]}, then {@code key = value} with every newline of the value
     * followed by a tab, then an empty line; the DEFAULT section first when it has options.
     */
    static String write(Data data) {
        StringBuilder out = new StringBuilder();
        if (!data.defaults().isEmpty()) {
            writeSection(out, DEFAULT_SECTION, data.defaults());
        }
        data.sections().forEach((name, options) -> writeSection(out, name, options));
        return out.toString();
    }

    private static void writeSection(StringBuilder out, String name, Map<String, String> options) {
        out.append('[').append(name).append("]\n");
        options.forEach((k, v) -> out.append(k).append(" = ").append(v.replace("\n", "\n\t")).append('\n'));
        out.append('\n');
    }

    /** {@code opts.set(section, option, value)} for each entry, adding the section when missing (edit_config). */
    static Data set(Data data, String section, Map<String, String> values) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        data.sections().forEach((k, v) -> sections.put(k, new LinkedHashMap<>(v)));
        Map<String, String> s = sections.computeIfAbsent(section, k -> new LinkedHashMap<>());
        s.putAll(values); // an existing option keeps its place, a new one is appended
        return new Data(data.defaults(), sections);
    }

    static boolean isPySpace(char c) {
        return PythonText.isSpace(c);
    }

    static String pyStrip(String s) {
        return PythonText.strip(s);
    }

    static String pyRstrip(String s) {
        return PythonText.rstrip(s);
    }
}
