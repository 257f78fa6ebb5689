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

    /** Why the published file is not the source with comments removed, or empty when it is. */
    static Optional<String> difference(byte[] published, byte[] source) {
        return difference(published, source, false);
    }

    private static final java.util.regex.Pattern NEWLINES = java.util.regex.Pattern.compile("\\n+");

    /**
     * Whether the published file is byte for byte what clean-publish's {@code cleanComments} writes from the source, in
     * its 3.4-4.x form or its 5.x form (which also removes block comments): a regex pass, not a lexer, so it also
     * collapses blank lines inside template literals ({@link NpmDualPublish#cleanComments(String, boolean)}).
     */
    static boolean cleanPublishOutput(byte[] published, byte[] source) {
        String text = new String(source, java.nio.charset.StandardCharsets.UTF_8);
        for (boolean blocks : new boolean[] {false, true}) {
            if (java.util.Arrays.equals(published, NpmDualPublish.cleanComments(text, blocks)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    /**
     * As {@link #difference(byte[], byte[])}; with {@code templateBlankLines}, a template literal may also differ by
     * its runs of line feeds collapsed to one (what clean-publish's regex pass does inside templates), nothing else.
     */
    private static Optional<String> difference(byte[] published, byte[] source, boolean templateBlankLines) {
        JsTokens.Lexed a;
        JsTokens.Lexed s;
        try {
            a = JsTokens.lex(published);
        } catch (JsTokens.Refused e) {
            return Optional.of("published file not lexed: " + e.getMessage());
        }
        try {
            s = JsTokens.lex(source);
        } catch (JsTokens.Refused e) {
            return Optional.of("source file not lexed: " + e.getMessage());
        }
        if (!a.hashbang().equals(s.hashbang())) {
            return Optional.of("hashbang lines differ");
        }
        if (a.tokens().size() != s.tokens().size()) {
            return Optional.of(a.tokens().size() + " tokens, the source " + s.tokens().size());
        }
        for (int i = 0; i < a.tokens().size(); i++) {
            JsTokens.Token x = a.tokens().get(i);
            JsTokens.Token y = s.tokens().get(i);
            // a template literal's text is runtime data (a line continuation even joins its lines): no slack there,
            // though clean-publish's replace(/\n+/g, '\n') collapses blank lines inside templates too
            // never after a backslash: a line continuation there would join the next line on (a "-->" line onto an
            // eval'd one: red team), while a blank line's loss elsewhere changes no program the text may hold
            boolean collapsed = templateBlankLines && x.kind() == JsTokens.Kind.TEMPLATE && y.kind() == x.kind()
                    && !y.text().contains("\\\n\n") && x.text().equals(NEWLINES.matcher(y.text()).replaceAll("\n"));
            if (!x.text().equals(y.text()) && !collapsed) {
                return Optional.of("token " + (i + 1) + " differs");
            }
            // ASI reads a line terminator between a token and the one before it: the first token has none before it
            if (i > 0 && x.newlineBefore() != y.newlineBefore()) {
                return Optional.of("a line break before token " + (i + 1) + " (" + x.text() + ") "
                        + (x.newlineBefore() ? "added" : "removed") + ": automatic semicolon insertion may differ");
            }
            if (!kept(x.commentsBefore(), y.commentsBefore())) {
                return Optional.of("a comment before token " + (i + 1) + " is not the source's");
            }
        }
        if (!kept(a.trailingComments(), s.trailingComments())) {
            return Optional.of("a trailing comment is not the source's");
        }
        return Optional.empty();
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
            if (difference(bytes, source.get()).isEmpty()) {
                return Optional.of(new GeneratedFiles.Decision(FileStatus.MATCH_NORMALIZED, COMMENTS_STRIPPED, Set.of(),
                        Optional.of("the source's JavaScript tokens and line breaks, comments and blank lines removed "
                                + "(clean-publish cleanComments)")));
            }
            // clean-publish's regex pass collapses blank lines inside template literals too (nanoid's bin help text):
            // explained only when the file is byte for byte what it writes from the source, and its tokens are the
            // source's but for exactly that collapse
            if (cleanPublishOutput(bytes, source.get())
                    && difference(bytes, source.get(), true).isEmpty()) {
                return Optional.of(new GeneratedFiles.Decision(FileStatus.MATCH_NORMALIZED, COMMENTS_STRIPPED, Set.of(),
                        Optional.of("byte for byte what clean-publish's cleanComments writes from the source (its regex "
                                + "pass also collapses blank lines inside template literals)")));
            }
            return Optional.empty();
        }
    }
}
