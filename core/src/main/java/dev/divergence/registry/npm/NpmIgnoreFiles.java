package dev.divergence.registry.npm;

import dev.divergence.archive.ContentSignals;
import dev.divergence.model.Artifact;
import dev.divergence.model.FileStatus;
import dev.divergence.registry.GeneratedFiles;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A root ignore file from the publisher's working tree where the commit tracks none. npm before 5 packed with fstream-npm,
 * which writes every {@code .gitignore} into the tarball as {@code .npmignore} (npm/npm#1862, #12917; npm 1.0 shipped
 * it as {@code .gitignore}); a publisher who never committed a {@code .gitignore} ships rules the repository lacks.
 * Nothing a consumer runs reads them: npm reads ignore files only when packing a folder, Node never. Only ignore
 * rules qualify — blank lines, {@code #} comments and gitignore patterns, short, printable ASCII, no payload signal —
 * and never a file the manifest makes run ({@code main}, {@code bin}, {@code exports}: Node loads any name as
 * JavaScript), so anything else in the file stays a difference.
 */
final class NpmIgnoreFiles {

    /** {@code .npmignore}/{@code .gitignore} at the package root, in no commit, holding only ignore rules. */
    static final String IGNORE_FILE_UNTRACKED = "npm.ignore-file-untracked";

    /** A generous real ignore file (GitHub's Node template is about 2 KB). */
    static final int MAX_BYTES = 4096;
    private static final int MAX_LINE = 120;
    /** The longest path segment or comment word: file names, not encoded blobs. */
    private static final int MAX_TOKEN = 48;
    /** gitignore pattern characters: names, globs, character classes, negation, escapes; no quotes, parentheses, `=`, `;`. */
    private static final Pattern PATTERN = Pattern.compile("!?[A-Za-z0-9._*?\\[\\]/~@+%,\\\\ -]+");
    private static final Pattern COMMENT = Pattern.compile("#[\\x20-\\x7E\\t]*");

    private NpmIgnoreFiles() {
    }

    /** The root {@code .npmignore} or {@code .gitignore} of the installed package. */
    static boolean rootIgnoreFile(String artifactPath) {
        String installed = NpmLayout.installedPath(artifactPath);
        return installed.equals(NpmLayout.INSTALLED_ROOT + ".npmignore")
                || installed.equals(NpmLayout.INSTALLED_ROOT + ".gitignore");
    }

    /** Every line blank, a comment or an ignore pattern, within the size bounds; nothing the scanner flags. */
    static boolean onlyIgnoreRules(String path, byte[] bytes) {
        if (bytes.length == 0 || bytes.length > MAX_BYTES) {
            return false;
        }
        for (byte b : bytes) {
            if ((b < 0x20 || b > 0x7E) && b != '\n' && b != '\r' && b != '\t') {
                return false; // printable ASCII only: no NUL, escape sequences or hidden Unicode
            }
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        for (String raw : text.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.length() > MAX_LINE) {
                return false;
            }
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            boolean comment = t.startsWith("#");
            if (comment ? !COMMENT.matcher(t).matches() : !PATTERN.matcher(t).matches()) {
                return false;
            }
            for (String token : t.split(comment ? "\\s+" : "[/\\s]+")) {
                if (token.length() > MAX_TOKEN) {
                    return false;
                }
            }
        }
        return ContentSignals.scan(path, bytes, MAX_BYTES).isEmpty();
    }

    /**
     * The commit holds ignore rules for the package root (a {@code .gitignore} or {@code .npmignore} beside its
     * package.json): shipped rules other than those are not an untracked file but changed ones, and stay a difference
     * ({@code npm.npmignore-from-gitignore} explains the commit's own {@code .gitignore} written as {@code .npmignore}).
     */
    private static boolean tracksIgnoreRules(String path, GeneratedFiles.SourceView view) {
        Optional<String> at = view.alignment().sourcePath(path);
        if (at.isEmpty()) {
            return true; // no place in the repository to tell: not modelled
        }
        String folder = at.get().substring(0, at.get().lastIndexOf('/') + 1);
        return view.sourceBytes(folder + ".gitignore").isPresent() || view.sourceBytes(folder + ".npmignore").isPresent();
    }

    /** The content rule: GENERATED when the file is a root ignore file no commit holds at its path. */
    static final class Rule implements GeneratedFiles.ContentRule {
        private final NpmGeneratedFiles npm;

        Rule(NpmGeneratedFiles npm) {
            this.npm = npm;
        }

        @Override
        public String id() {
            return IGNORE_FILE_UNTRACKED;
        }

        @Override
        public Optional<GeneratedFiles.Decision> explain(Artifact artifact, String path, byte[] bytes,
                                                         Optional<byte[]> source, String version,
                                                         GeneratedFiles.SourceView view) {
            if (source.isPresent() || !rootIgnoreFile(path) || tracksIgnoreRules(path, view)
                    || !onlyIgnoreRules(path, bytes) || npm.executionRelevance(artifact, view).why(path).isPresent()) {
                return Optional.empty();
            }
            String name = path.substring(path.lastIndexOf('/') + 1);
            return Optional.of(new GeneratedFiles.Decision(FileStatus.GENERATED, IGNORE_FILE_UNTRACKED, Set.of(),
                    Optional.of("ignore rules from the publisher's working tree, in no commit"
                            + (name.equals(".npmignore") ? " (npm before 5 writes a .gitignore as .npmignore)" : "")
                            + "; read only when packing, never on install")));
        }
    }
}
