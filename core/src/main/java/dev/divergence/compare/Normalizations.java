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

    private static final Pattern VERSION = Pattern.compile(
            "\\d+(?:\\.\\d+)+(?:[-.+]?(?:a|b|c|rc|alpha|beta|dev|post|pre)[.-]?\\d*)*");
    private static final Pattern TUPLE = Pattern.compile("\\(\\s*\\d+\\s*,\\s*\\d+(?:\\s*,\\s*[^)\\n]*)?\\)");

    private Normalizations() {
    }

    public record Explained(FileStatus status, String ruleId) {
    }

    /** Tries each shared normalisation in turn. */
    public static Optional<Explained> explain(byte[] artifact, byte[] source, String version) {
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

    private static boolean containsTuple(String line, String version) {
        String digits = version.replaceAll("[^0-9.].*$", "");
        return !digits.isEmpty() && line.replace(" ", "").contains("(" + digits.replace(".", ","));
    }

    private static String mask(String line) {
        return VERSION.matcher(TUPLE.matcher(line).replaceAll("(V)")).replaceAll("V");
    }
}
