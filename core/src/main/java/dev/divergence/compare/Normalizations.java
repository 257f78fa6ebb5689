package dev.divergence.compare;

import dev.divergence.archive.PythonEncoding;
import dev.divergence.model.FileStatus;
import dev.divergence.source.VersionSpelling;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Normalisations shared by every ecosystem, each small, pure and named (OSS Rebuild's "stabilizers"):
 * a file equal to its source after one of these is MATCH_NORMALIZED with the rule's id.
 */
public final class Normalizations {

    public static final String LINE_ENDINGS = "compare.line-endings";
    public static final String VERSION_STRING = "compare.version-string";
    public static final String VCS_KEYWORDS = "compare.vcs-keywords";
    public static final String EXPORT_SUBST = "compare.export-subst";
    public static final String LFS_POINTER = "compare.lfs-pointer";

    /** A Git LFS pointer (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md): Git holds this, not the file. */
    private static final Pattern LFS = Pattern.compile(
            "^version https://git-lfs\\.github\\.com/spec/v1\\noid sha256:([0-9a-f]{64})\\nsize (\\d+)\\n");

    /** SVN/CVS keywords, expanded in releases cut from those systems and unexpanded in the Git import. */
    private static final Pattern KEYWORD = Pattern.compile(
            "\\$(Id|Revision|Rev|Date|Author|HeadURL|URL|Header|Source|LastChangedDate|LastChangedRevision"
            + "|LastChangedBy|Name|Locker|RCSfile)(:[^$\\n]*)?\\$");
    /** Git's export-subst placeholders ({@code $Format:%H$}), expanded by {@code git archive}. */
    private static final Pattern FORMAT = Pattern.compile("\\$Format:([^$\\n]*)\\$");

    // What each keyword expands to, exactly (svnbook "Keyword Substitution"; CVS manual "Keyword substitution").
    private static final String FILE = "[A-Za-z0-9_.+-]+(?:,v)?";
    private static final String PATH = "[A-Za-z0-9_./+-]+(?:,v)?";
    private static final String REV = "(?:\\d+(?:\\.\\d+)*)";
    private static final String USER = "[A-Za-z0-9_.@-]+";
    private static final String CVS_DATE = "\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}";
    // svn writes the day and month names in the committer's locale: "(Mi, 27 Dez 2006)", "(mer., 27 déc. 2006)".
    private static final String SVN_DATE = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:Z| [+-]\\d{4}"
            + "(?: \\(\\p{L}{1,12}\\.?, \\d{1,2}\\.? \\p{L}{2,12}\\.? \\d{4}\\))?)";
    private static final String ID = "(?:" + FILE + "|" + PATH + ") " + REV + " (?:" + CVS_DATE + "|" + SVN_DATE + ") "
            + USER + "(?: [A-Za-z]+)?(?: " + USER + ")?";
    private static final String URL = "(?:https?|svn|svn\\+ssh|file)://[A-Za-z0-9_./:@%+~-]+";
    private static final Map<String, Pattern> KEYWORD_VALUE = Map.ofEntries(
            Map.entry("Id", Pattern.compile(ID)),
            Map.entry("Header", Pattern.compile(ID.replace("(?:" + FILE + "|" + PATH + ")", "(?:" + PATH + "|" + URL + ")"))),
            Map.entry("Revision", Pattern.compile(REV)),
            Map.entry("Rev", Pattern.compile(REV)),
            Map.entry("LastChangedRevision", Pattern.compile(REV)),
            Map.entry("Date", Pattern.compile(CVS_DATE + "|" + SVN_DATE)),
            Map.entry("LastChangedDate", Pattern.compile(SVN_DATE)),
            Map.entry("Author", Pattern.compile(USER)),
            Map.entry("LastChangedBy", Pattern.compile(USER)),
            Map.entry("Locker", Pattern.compile(USER)),
            Map.entry("HeadURL", Pattern.compile(URL)),
            Map.entry("URL", Pattern.compile(URL)),
            Map.entry("Source", Pattern.compile(PATH)),
            Map.entry("RCSfile", Pattern.compile(FILE)),
            Map.entry("Name", Pattern.compile("[A-Za-z][A-Za-z0-9_-]*")));

    // What git log --format placeholders expand to (git-log(1) "PRETTY FORMATS"); anything else is not explained.
    private static final String HEX40 = "[0-9a-f]{40}";
    private static final String ABBREV = "[0-9a-f]{4,40}";
    private static final String REF = "[A-Za-z0-9._/+-]+";
    private static final String REFS = "(?:(?:HEAD -> |tag: )?" + REF + "(?:, (?:HEAD -> |tag: )?" + REF + ")*)?";
    private static final String ISO = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}";
    private static final String STRICT_ISO = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:Z|[+-]\\d{2}:\\d{2})";
    private static final String GIT_DATE = "[A-Z][a-z]{2} [A-Z][a-z]{2} \\d{1,2} \\d{2}:\\d{2}:\\d{2} \\d{4} [+-]\\d{4}";
    private static final String RFC2822 = "[A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}";
    private static final Map<Character, String> FORMAT_ONE = Map.of('H', HEX40, 'h', ABBREV, 'T', HEX40, 't', ABBREV,
            'P', "(?:" + HEX40 + "(?: " + HEX40 + ")*)?", 'p', "(?:" + ABBREV + "(?: " + ABBREV + ")*)?",
            'D', REFS, 'd', "(?: \\(" + REFS + "\\))?");
    private static final Map<Character, String> FORMAT_DATE = Map.of('d', GIT_DATE, 'D', RFC2822, 'i', ISO,
            'I', STRICT_ISO, 's', "\\d{4}-\\d{2}-\\d{2}", 't', "\\d{1,12}", 'r', "\\d+ [a-z]+(?: \\d+ [a-z]+)? ago");
    private static final String DESCRIBE = "[A-Za-z0-9._/+-]+(?:-\\d+-g[0-9a-f]{4,40})?";

    private Normalizations() {
    }

    public record Explained(FileStatus status, String ruleId) {
    }

    /** Tries each shared normalisation in turn. */
    public static Optional<Explained> explain(byte[] artifact, byte[] source, String version) {
        if (source.length < 200) {
            java.util.regex.Matcher lfs = LFS.matcher(new String(source, StandardCharsets.UTF_8));
            if (lfs.find() && Long.parseLong(lfs.group(2)) == artifact.length
                    && lfs.group(1).equals(dev.divergence.archive.EntryDigest.sha256(artifact))) {
                return Optional.of(new Explained(FileStatus.MATCH_NORMALIZED, LFS_POINTER));
            }
        }
        // Text normalisations are for text: a NUL byte marks a binary (an ELF, a class), which no text tool rewrites.
        // Text is decoded losslessly — UTF-8 when both sides are valid UTF-8, else byte for byte (ISO-8859-1) —, since
        // a lossy decoding turns every malformed byte into U+FFFD and so lets any such byte be swapped for another
        // (red team round 7: a jne flipped to je in a committed native bin)
        if (hasNul(artifact) || hasNul(source)) {
            return Optional.empty();
        }
        java.nio.charset.Charset charset = validUtf8(artifact) && validUtf8(source) ? StandardCharsets.UTF_8
                : StandardCharsets.ISO_8859_1;
        String a = new String(artifact, charset);
        String s = new String(source, charset);
        if (!encodingKept(a, s)) {
            return Optional.empty();
        }
        String aLf = a.replace("\r\n", "\n");
        String sLf = s.replace("\r\n", "\n");
        if (aLf.equals(sLf) || (s.contains("\r\n") && a.length() > s.length() && a.equals(crAndLfEachToCrlf(s)))
                || finalNewlineAdded(aLf, sLf)) {
            // CRLF <-> LF through .gitattributes or an editor on another OS; or a CRLF file converted once more as
            // text, its CR and its LF each becoming a CRLF (Windows CVS checkouts of CRLF-committed files: commons-digester
            // 1.3's rss-0.91.dtd, commons-validator 1.0's package.html): a blank line after every line, nothing else
            return Optional.of(new Explained(FileStatus.MATCH_NORMALIZED, LINE_ENDINGS));
        }
        if (onlyVersionDiffers(aLf, sLf, version)) {
            return Optional.of(new Explained(FileStatus.MATCH_NORMALIZED, VERSION_STRING));
        }
        if (KEYWORD.matcher(sLf).find() && linesExpand(aLf, sLf, KEYWORD, Normalizations::keywordPattern)) {
            return Optional.of(new Explained(FileStatus.MATCH_NORMALIZED, VCS_KEYWORDS));
        }
        if (sLf.contains("$Format:") && linesExpand(aLf, sLf, FORMAT, Normalizations::formatPattern)) {
            return Optional.of(new Explained(FileStatus.MATCH_NORMALIZED, EXPORT_SUBST));
        }
        return Optional.empty();
    }

    /**
     * The source ends without a line break and the artifact is it with one added (Ant's {@code fixcrlf}, whose
     * {@code fixlast} defaults to true, in the Jakarta builds' resource copies: commons-jxpath 1.0's package.html):
     * nothing but that one line break.
     */
    private static boolean finalNewlineAdded(String aLf, String sLf) {
        return !sLf.isEmpty() && !sLf.endsWith("\n") && aLf.length() == sLf.length() + 1 && aLf.endsWith("\n")
                && aLf.startsWith(sLf);
    }

    /**
     * Whether a text normalisation may compare these texts as their bytes read: the first two lines carry exactly the
     * source's PEP 263 declarations (none added, moved or changed), and none names a codec under which the bytes read
     * otherwise than as ASCII ({@link PythonEncoding#asciiTransparent}). Python decodes a file by such a declaration,
     * so a keyword expansion holding {@code coding:utf-7} and a {@code +...-} run is code to the interpreter (red team
     * round 8, c5: setup.py's {@code $HeadURL$}). Any file, not only a {@code .py}: setup.py may run any name.
     */
    static boolean encodingKept(String artifact, String source) {
        List<PythonEncoding.Declaration> a = PythonEncoding.declarations(artifact);
        List<PythonEncoding.Declaration> s = PythonEncoding.declarations(source);
        return a.equals(s) && a.stream().allMatch(d -> PythonEncoding.asciiTransparent(d.codec()));
    }

    private static boolean hasNul(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether the bytes decode as UTF-8 with no malformed or unmappable sequence. */
    static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** {@code text} with each CR and each LF written as CRLF. */
    static String crAndLfEachToCrlf(String text) {
        StringBuilder out = new StringBuilder(text.length() * 2);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                out.append("\r\n");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The artifact is the source, line for line, except that on some lines placeholders ({@code placeholder}) are
     * replaced by exactly what the modelled tool writes for them ({@code expansion}: the regex of the filled-in
     * placeholder, or null when the tool is not modelled for it). Nothing else on any line may differ.
     */
    static boolean linesExpand(String a, String s, Pattern placeholder,
                               java.util.function.Function<java.util.regex.Matcher, String> expansion) {
        String[] al = a.split("\n", -1);
        String[] sl = s.split("\n", -1);
        // One final newline more or less is no content: a CVS checkout of a file committed without one (jakarta-commons'
        // LICENSE, copied by commons-beanutils' build.xml into META-INF) keeps it so, and Git stores what it was given.
        // Only that one character at the very end: any other text after the last line still differs.
        if (al.length == sl.length + 1 && al[al.length - 1].isEmpty()) {
            al = java.util.Arrays.copyOf(al, sl.length);
        } else if (sl.length == al.length + 1 && sl[sl.length - 1].isEmpty()) {
            sl = java.util.Arrays.copyOf(sl, al.length);
        }
        if (al.length != sl.length) {
            return false;
        }
        boolean any = false;
        for (int i = 0; i < al.length; i++) {
            if (al[i].equals(sl[i])) {
                continue;
            }
            StringBuilder regex = new StringBuilder();
            java.util.regex.Matcher m = placeholder.matcher(sl[i]);
            int last = 0;
            boolean found = false;
            while (m.find()) {
                String e = expansion.apply(m);
                if (e == null) {
                    return false;
                }
                regex.append(Pattern.quote(sl[i].substring(last, m.start()))).append("(?:").append(e).append(")");
                last = m.end();
                found = true;
            }
            if (!found) {
                return false;
            }
            regex.append(Pattern.quote(sl[i].substring(last)));
            if (!Pattern.compile(regex.toString()).matcher(al[i]).matches()) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** {@code $Id$} (or an already expanded {@code $Id: ... $}) to itself, unexpanded, or its well-formed expansion. */
    private static String keywordPattern(java.util.regex.Matcher m) {
        String keyword = m.group(1);
        // an already expanded (or malformed, "$Revision:587916 $") keyword that svn left as it was also stays as is
        // no value holds "coding:" or "coding=": on a first or second line that is a PEP 263 declaration
        return Pattern.quote(m.group()) + "|" + Pattern.quote("$" + keyword + "$") + "|" + Pattern.quote("$" + keyword + ": ")
                + "(?![^$\\n]*coding[:=])(?:" + KEYWORD_VALUE.get(keyword).pattern() + ")" + Pattern.quote(" $");
    }

    /** {@code $Format:...$} to what git archive writes for its placeholders; null for any it does not model. */
    private static String formatPattern(java.util.regex.Matcher m) {
        String f = m.group(1);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < f.length()) {
            char c = f.charAt(i);
            if (c != '%') {
                int j = f.indexOf('%', i);
                j = j < 0 ? f.length() : j;
                out.append(Pattern.quote(f.substring(i, j)));
                i = j;
                continue;
            }
            if (i + 1 >= f.length()) {
                return null;
            }
            char p = f.charAt(i + 1);
            if (p == '%') {
                out.append('%');
                i += 2;
            } else if (FORMAT_ONE.containsKey(p)) {
                out.append("(?:").append(FORMAT_ONE.get(p)).append(")");
                i += 2;
            } else if ((p == 'a' || p == 'c') && i + 2 < f.length() && FORMAT_DATE.containsKey(f.charAt(i + 2))) {
                out.append("(?:").append(FORMAT_DATE.get(f.charAt(i + 2))).append(")");
                i += 3;
            } else if (f.startsWith("%(describe", i) && f.indexOf(')', i) > 0) {
                out.append("(?:").append(DESCRIBE).append(")");
                i = f.indexOf(')', i) + 1;
            } else {
                return null; // author names, subjects, bodies: free text, so a payload would fit
            }
        }
        // git archive leaves the placeholder as is when the file is not marked export-subst
        return Pattern.quote(m.group()) + "|" + out;
    }

    /**
     * The files differ only in version tokens: on each differing line the artifact has the release version (or its
     * tuple) exactly where the source has another version (or tuple), and every other character is the same.
     */
    static boolean onlyVersionDiffers(String a, String s, String version) {
        Optional<VersionSpelling> release = VersionSpelling.parse(version);
        if (release.isEmpty()) {
            return false;
        }
        String[] al = a.split("\n", -1);
        String[] sl = s.split("\n", -1);
        if (al.length != sl.length) {
            return false;
        }
        boolean any = false;
        java.util.Set<String> replaced = new java.util.HashSet<>();
        for (int i = 0; i < al.length; i++) {
            if (al[i].equals(sl[i])) {
                continue;
            }
            if (!versionTokensOnly(al[i], sl[i], release.get(), replaced)) {
                return false;
            }
            any = true;
        }
        // What a bump or release tool does: one version of the source (the one it declares, or a placeholder) written
        // as the release's everywhere, in each form (text, tuple). Two different source texts replaced by the release
        // are two different things (an address and a proxy rewritten to a release named 45.77.3.9).
        return any && replaced.stream().filter(r -> r.startsWith("text:")).count() <= 1
                && replaced.stream().filter(r -> r.startsWith("tuple:")).count() <= 1;
    }

    /**
     * Whether a version token sits where a version is written: the line names a version ({@code __version__ =},
     * {@code "version":}, {@code <version>}, {@code VERSION =}), or the token is spelled {@code v1.2.3} / {@code @1.2.3},
     * or it follows a name in a banner ({@code Lo-Dash 1.0.0}). A bare dotted number in a string or a URL
     * ({@code "1.1.1.1"}, {@code http://127.0.0.1:3128}) is an address or a constant, not a version.
     */
    private static boolean versionContext(String line, int tokenStart, String token) {
        if (line.toLowerCase(java.util.Locale.ROOT).contains("version") || token.startsWith("v")
                || token.startsWith("(")) {
            return true;
        }
        if (tokenStart > 0 && line.charAt(tokenStart - 1) == '@') {
            return true;
        }
        return tokenStart > 1 && line.charAt(tokenStart - 1) == ' ' && Character.isLetter(line.charAt(tokenStart - 2));
    }

    /**
     * The source token is this very release in development — {@code 4.13.2-SNAPSHOT} (Maven), {@code 1.2.0.dev0}
     * (PEP 440) — which a release tool writes as the release wherever it stands (junit's {@code Version.id()} returns
     * {@code "4.13.2-SNAPSHOT"} at the tag, {@code "4.13.2"} in the sources jar). The replacement is fixed by the
     * release's own name, so no line context is needed; any other token still needs one.
     */
    private static boolean developmentOf(String token, VersionSpelling release) {
        String t = token.startsWith("v") ? token.substring(1) : token;
        java.util.regex.Matcher m = Pattern.compile("(.+?)(?:-SNAPSHOT|\\.dev\\d*)", Pattern.CASE_INSENSITIVE).matcher(t);
        if (!m.matches()) {
            return false;
        }
        // the release itself, or a pre-release cut from that development line (4.12-SNAPSHOT released as 4.12-beta-1)
        return VersionSpelling.parse(m.group(1)).filter(v -> v.canonical().equals(release.canonical())
                || !release.pre().isEmpty() && v.pre().isEmpty() && v.post() < 0 && v.dev() < 0
                && v.release().equals(release.release())).isPresent();
    }

    /** A version literal: {@code 1.2.3}, {@code 1.2.0rc1}, {@code 1.2.3.dev4+g1234abc}, {@code 1.2.3-beta.1}. */
    private static final Pattern VERSION_TOKEN = Pattern.compile(
            "(?<![A-Za-z0-9.])v?\\d+(?:\\.\\d+)+(?:[-.+]?[A-Za-z]+[.-]?\\d*)*(?:\\+[A-Za-z0-9.]+)?(?![A-Za-z0-9])");
    /** A version tuple of int (and short string) literals: {@code (1, 2, 3)}, {@code (1, 2, 0, 'rc1')}. */
    private static final Pattern TUPLE_TOKEN = Pattern.compile(
            "\\(\\s*\\d+(?:\\s*,\\s*(?:\\d+|'[A-Za-z0-9.+]{1,40}'|\"[A-Za-z0-9.+]{1,40}\"))+\\s*,?\\s*\\)");

    private static boolean versionTokensOnly(String a, String s, VersionSpelling release, java.util.Set<String> replaced) {
        List<String[]> at = tokens(a);
        List<String[]> st = tokens(s);
        if (at.size() != st.size() || !at.stream().map(t -> t[0]).toList().equals(st.stream().map(t -> t[0]).toList())) {
            return false; // the text around the tokens differs
        }
        boolean changed = false;
        int at0 = 0; // where the token starts in the source line
        for (int k = 0; k < at.size(); k++) {
            String av = at.get(k)[1];
            String sv = st.get(k)[1];
            at0 += st.get(k)[0].length();
            if (!av.equals(sv)) {
                if (av.startsWith("(") != sv.startsWith("(") || !isRelease(av, release)
                        || !(versionContext(s, at0, sv) || developmentOf(sv, release))) {
                    return false; // a changed token must now spell this release, in the same form, where versions go
                }
                replaced.add((sv.startsWith("(") ? "tuple:" : "text:") + canonical(sv));
                changed = true;
            }
            at0 += sv.length();
        }
        return changed;
    }

    /** Alternating literal text and version tokens: [text, token] pairs, the last with an empty token. */
    private static List<String[]> tokens(String line) {
        List<String[]> out = new ArrayList<>();
        java.util.regex.Matcher m = Pattern.compile(TUPLE_TOKEN.pattern() + "|" + VERSION_TOKEN.pattern()).matcher(line);
        int last = 0;
        while (m.find()) {
            out.add(new String[] {line.substring(last, m.start()), m.group()});
            last = m.end();
        }
        out.add(new String[] {line.substring(last), ""});
        return out;
    }

    /** The version a token spells (a tuple as its dotted form), canonical, or the token itself. */
    private static String canonical(String token) {
        return spelled(token).map(VersionSpelling::canonical).orElse(token);
    }

    /** The version a token spells, a tuple read as its dotted form. */
    private static Optional<VersionSpelling> spelled(String token) {
        String text = token.startsWith("(") ? token.substring(1, token.length() - 1).replaceAll("['\"\\s]", "")
                .replaceAll(",$", "").replace(',', '.') : token;
        return VersionSpelling.parse(text);
    }

    private static boolean isRelease(String token, VersionSpelling release) {
        return spelled(token).filter(v -> v.canonical().equals(release.canonical())).isPresent();
    }
}
