package dev.divergence.registry;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the many spellings of a repository in package metadata into a clonable https URL:
 * {@code git+https://github.com/o/r.git}, {@code git://github.com/o/r}, {@code git+ssh://git@github.com/o/r.git},
 * {@code git@github.com:o/r.git}, {@code scm:git:https://...} (Maven), {@code github:o/r} and {@code o/r}
 * (npm shorthands, https://docs.npmjs.com/cli/configuring-npm/package-json#repository), and web URLs with
 * {@code /tree/main/sub} or {@code #readme} after the repository.
 */
public final class RepositoryUrls {

    private static final Pattern FORGE = Pattern.compile(
            "^(?:git\\+)?(?:https?|git|ssh|git\\+ssh)://(?:[^@/]+@)?(github\\.com|gitlab\\.com|bitbucket\\.org|codeberg\\.org)"
            + "[:/]([^/#?]+)/([^/#?]+)");
    private static final Pattern SCP = Pattern.compile(
            "^(?:[^@/]+@)(github\\.com|gitlab\\.com|bitbucket\\.org|codeberg\\.org):([^/#?]+)/([^/#?]+)");
    private static final Pattern SHORTHAND = Pattern.compile("^(?:(github|gitlab|bitbucket):)?([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)$");

    private RepositoryUrls() {
    }

    /** A forge repository URL, or empty when the text names none (a homepage, a docs site). */
    public static Optional<String> normalize(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim().replaceFirst("^scm:git:", "");
        Matcher m = FORGE.matcher(s);
        if (!m.find()) {
            m = SCP.matcher(s);
            if (!m.find()) {
                Matcher sh = SHORTHAND.matcher(s);
                if (!sh.matches()) {
                    return Optional.empty();
                }
                String host = switch (sh.group(1) == null ? "github" : sh.group(1)) {
                    case "gitlab" -> "gitlab.com";
                    case "bitbucket" -> "bitbucket.org";
                    default -> "github.com";
                };
                return Optional.of("https://" + host + "/" + sh.group(2) + "/" + sh.group(3).replaceFirst("\\.git$", ""));
            }
        }
        return Optional.of("https://" + m.group(1) + "/" + m.group(2) + "/" + m.group(3).replaceFirst("\\.git$", ""));
    }

    /** Like {@link #normalize} but keeps any other git URL as it is (self-hosted forges, Apache gitbox). */
    public static Optional<String> normalizeAny(String text) {
        Optional<String> forge = normalize(text);
        if (forge.isPresent() || text == null || text.isBlank()) {
            return forge;
        }
        String s = text.trim().replaceFirst("^scm:git:", "").replaceFirst("^git\\+", "");
        return s.matches("^(https?|git|ssh)://.*") ? Optional.of(s) : Optional.empty();
    }
}
