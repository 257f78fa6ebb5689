package dev.divergence.registry.npm;

import dev.divergence.model.Artifact;
import dev.divergence.model.FileStatus;
import dev.divergence.registry.GeneratedFiles;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A published JavaScript file that is its source with comments and blank lines removed, as clean-publish's
 * {@code cleanComments} (https://github.com/shashkovdanil/clean-publish) and minifier-free "strip comments" steps do.
 * A comment is slack an attacker would love (a payload a naive lexer takes for a comment, a line terminator whose
 * loss changes where a semicolon is inserted), so the proof is the engine's own view: both files lex (see
 * {@link JsTokens}, which refuses where it is unsure) to the same tokens, each preceded by a line terminator on one
 * side exactly when on the other, under the same hashbang; and every comment the published file keeps is one the
 * source has in the same place (a program can read its own comments through {@code Function.prototype.toString}).
 */
final class NpmStrippedComments {

    static final String COMMENTS_STRIPPED = "npm.js-comments-stripped";

    private NpmStrippedComments() {
    }

    static boolean javaScript(String path) {
        return path.endsWith(".js") || path.endsWith(".cjs") || path.endsWith(".mjs");
    }

    /**
     * The outcome of comparing a published file with its source: why it is not the source with comments removed
     * (empty when it is), and how many template literals lost blank lines on the way.
     */
    record Comparison(Optional<String> difference, int templatesCollapsed) {
        static Comparison not(String why) {
            return new Comparison(Optional.of(why), 0);
        }
    }

    /** Why the published file is not the source with comments removed, or empty when it is. */
    static Optional<String> difference(byte[] published, byte[] source) {
        return compare(published, source).difference();
    }

    static Comparison compare(byte[] published, byte[] source) {
        JsTokens.Lexed a;
        JsTokens.Lexed s;
        try {
            a = JsTokens.lex(published);
        } catch (JsTokens.Refused e) {
            return Comparison.not("published file not lexed: " + e.getMessage());
        }
        try {
            s = JsTokens.lex(source);
        } catch (JsTokens.Refused e) {
            return Comparison.not("source file not lexed: " + e.getMessage());
        }
        if (!a.hashbang().equals(s.hashbang())) {
            return Comparison.not("hashbang lines differ");
        }
        if (a.tokens().size() != s.tokens().size()) {
            return Comparison.not(a.tokens().size() + " tokens, the source " + s.tokens().size());
        }
        int collapsed = 0;
        for (int i = 0; i < a.tokens().size(); i++) {
            JsTokens.Token x = a.tokens().get(i);
            JsTokens.Token y = s.tokens().get(i);
            if (!x.text().equals(y.text())) {
                if (!blankLinesCollapsed(x, y)) {
                    return Comparison.not("token " + (i + 1) + " differs");
                }
                collapsed++;
            }
            // ASI reads a line terminator between a token and the one before it: the first token has none before it
            if (i > 0 && x.newlineBefore() != y.newlineBefore()) {
                return Comparison.not("a line break before token " + (i + 1) + " (" + x.text() + ") "
                        + (x.newlineBefore() ? "added" : "removed") + ": automatic semicolon insertion may differ");
            }
            if (!kept(x.commentsBefore(), y.commentsBefore())) {
                return Comparison.not("a comment before token " + (i + 1) + " is not the source's");
            }
        }
        if (!kept(a.trailingComments(), s.trailingComments())) {
            return Comparison.not("a trailing comment is not the source's");
        }
        return new Comparison(Optional.empty(), collapsed);
    }

    /**
     * clean-publish removes blank lines with a plain {@code replace(/\n+/g, '\n')} over the whole file, so it reaches
     * into template literals too: the published template is the source's with every run of line feeds made one, and
     * nothing else changed. Dropping an empty line from a string can join nothing and add nothing.
     */
    private static boolean blankLinesCollapsed(JsTokens.Token published, JsTokens.Token source) {
        return published.kind() == JsTokens.Kind.TEMPLATE && source.kind() == JsTokens.Kind.TEMPLATE
                && published.text().equals(source.text().replaceAll("\n+", "\n"));
    }

    /** The published comments are a subsequence of the source's in the same gap. */
    private static boolean kept(List<String> published, List<String> source) {
        int j = 0;
        for (String c : published) {
            while (j < source.size() && !source.get(j).equals(c)) {
                j++;
            }
            if (j == source.size()) {
                return false;
            }
            j++;
        }
        return true;
    }

    static final class Rule implements GeneratedFiles.ContentRule {
        @Override
        public String id() {
            return COMMENTS_STRIPPED;
        }

        @Override
        public Optional<GeneratedFiles.Decision> explain(Artifact artifact, String path, byte[] bytes,
                                                         Optional<byte[]> source, String version) {
            if (source.isEmpty() || !javaScript(path)) {
                return Optional.empty();
            }
            Comparison c = compare(bytes, source.get());
            if (c.difference().isPresent()) {
                return Optional.empty();
            }
            return Optional.of(new GeneratedFiles.Decision(FileStatus.MATCH_NORMALIZED, COMMENTS_STRIPPED, Set.of(),
                    Optional.of("the source's JavaScript tokens and line breaks, comments and blank lines removed "
                            + "(clean-publish cleanComments)" + (c.templatesCollapsed() == 0 ? ""
                            : "; blank lines also removed inside " + c.templatesCollapsed() + " template literal(s)"))));
        }
    }
}
