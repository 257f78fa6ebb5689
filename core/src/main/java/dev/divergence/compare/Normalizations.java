package dev.divergence.compare;

import dev.divergence.model.FileStatus;
import java.nio.charset.StandardCharsets;
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
    private static final Pattern FORMAT = Pattern.compile("\\$Format:[^$\\n]*\\$");

    private static final Pattern VERSION = Pattern.compile(
            "\\d+(?:\\.\\d+)+(?:[-.+]?(?:a|b|c|rc|alpha|beta|dev|post|pre)[.-]?\\d*)*");
    private static final Pattern TUPLE = Pattern.compile("\\(\\s*\\d+\\s*,\\s*\\d+(?:\\s*,\\s*[^)\\n]*)?\\)");

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
        String a = new String(artifact, StandardCharsets.UTF_8);
        String s = new String(source, StandardCharsets.UTF_8);
        String aLf = a.replace("\r\n", "\n");
        String sLf = s.replace("\r\n", "\n");
        if (aLf.equals(sLf)) {
            // CRLF <-> LF through .gitattributes or an editor on another OS
            return Optional.of(new Explained(FileStatus.MATCH_NORMALIZED, LINE_ENDINGS));
        }
        if (onlyVersionDiffers(aLf, sLf, version)) {
            return Optional.of(new Explained(FileStatus.MATCH_NORMALIZED, VERSION_STRING));
        }
        if (KEYWORD.matcher(sLf).find() && KEYWORD.matcher(aLf).replaceAll("\\$$1\\$")
                .equals(KEYWORD.matcher(sLf).replaceAll("\\$$1\\$"))) {
            return Optional.of(new Explained(FileStatus.MATCH_NORMALIZED, VCS_KEYWORDS));
        }
        if (sLf.contains("$Format:") && exportSubstituted(aLf, sLf)) {
            return Optional.of(new Explained(FileStatus.MATCH_NORMALIZED, EXPORT_SUBST));
        }
        return Optional.empty();
    }

    /**
     * The files differ only on lines where the artifact spells the release version and the source spells
     * another version at the same place (a version bump or an SCM-derived version).
     */
    static boolean onlyVersionDiffers(String a, String s, String version) {
        String[] al = a.split("\n", -1);
        String[] sl = s.split("\n", -1);
        if (al.length != sl.length) {
            return false;
        }
        boolean any = false;
        for (int i = 0; i < al.length; i++) {
            if (al[i].equals(sl[i])) {
                continue;
            }
            if (!al[i].contains(version) && !containsTuple(al[i], version)) {
                return false;
            }
            if (!mask(al[i]).equals(mask(sl[i]))) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** Every differing line is the source line with its $Format:...$ placeholders filled in. */
    static boolean exportSubstituted(String a, String s) {
        String[] al = a.split("\n", -1);
        String[] sl = s.split("\n", -1);
        if (al.length != sl.length) {
            return false;
        }
        for (int i = 0; i < al.length; i++) {
            if (al[i].equals(sl[i])) {
                continue;
            }
            if (!sl[i].contains("$Format:")) {
                return false;
            }
            StringBuilder regex = new StringBuilder();
            java.util.regex.Matcher m = FORMAT.matcher(sl[i]);
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(sl[i].substring(last, m.start()))).append("[^\\n]*?");
                last = m.end();
            }
            regex.append(Pattern.quote(sl[i].substring(last)));
            if (!al[i].matches(regex.toString())) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsTuple(String line, String version) {
        String digits = version.replaceAll("[^0-9.].*$", "");
        return !digits.isEmpty() && line.replace(" ", "").contains("(" + digits.replace(".", ","));
    }

    private static String mask(String line) {
        return VERSION.matcher(TUPLE.matcher(line).replaceAll("(V)")).replaceAll("V");
    }
}
