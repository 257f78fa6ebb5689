package dev.divergence.registry.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.divergence.model.Artifact;
import dev.divergence.model.FileStatus;
import dev.divergence.registry.GeneratedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * clean-publish's {@code cleanDocs} (https://github.com/shashkovdanil/clean-publish, {@code core.js}): the published
 * {@code README.md} is the source's cut before its first second-level heading ({@code split(/\n##\s*\w/m)[0]}),
 * followed by {@code "\n## Docs\n"} and one line linking the full README on GitHub. The package's own manifest at the
 * commit must turn the option on ({@code "clean-publish": {"cleanDocs": true}} or a {@code .clean-publish} JSON file,
 * or {@code --clean-docs} in a script); the link must be to the repository the manifest names, in one of the line's
 * two known wordings. The {@code ai/clean-npm-project} GitHub Action ({@code clean-docs: true} in a workflow of the
 * commit) keeps the first section alone, with nothing appended. A README is documentation: nothing here can run, but a changed word outside the cut is still
 * visible, since the published text must be exactly the source's prefix.
 */
final class NpmCleanDocs {

    static final String RULE = "npm.readme-clean-docs";

    private static final ObjectMapper JSON = dev.divergence.registry.ManifestParsers.JSON;
    /** Where clean-publish cuts: a line feed, "##", optional whitespace and a word character. */
    private static final Pattern CUT = Pattern.compile("\n##\\s*\\w", Pattern.MULTILINE);
    /** The two wordings of the link line clean-publish has written (3.x-4.x, 5.x). */
    private static final List<String> LINK_LINES = List.of("Read full docs **[here](%s#readme)**.\n",
            "Read **[full docs](%s#readme)** on GitHub.\n");

    private NpmCleanDocs() {
    }

    /** The published README when clean-publish's cleanDocs wrote it from {@code source}, for the GitHub {@code name}. */
    static List<String> expected(String source, String name) {
        Matcher m = CUT.matcher(source);
        String head = m.find() ? source.substring(0, m.start()) : source;
        String url = "https://github.com/" + name;
        List<String> out = new java.util.ArrayList<>(LINK_LINES.stream()
                .map(l -> head + "\n## Docs\n" + l.formatted(url)).toList());
        out.add(head); // the clean-npm-project action (clean-docs: true) keeps the first section alone
        return out;
    }

    /** clean-publish's {@code repository.match(/[^/]+\/[^/]+$/)}, on the string or the object's url, ".git" dropped. */
    static Optional<String> repositoryName(JsonNode manifest) {
        JsonNode r = manifest.path("repository");
        String s = r.isTextual() ? r.asText() : r.path("url").asText("");
        Matcher m = Pattern.compile("[^/:]+/[^/]+$").matcher(s.strip());
        if (!m.find()) {
            return Optional.empty();
        }
        String name = m.group().replaceFirst("\\.git$", "");
        return name.matches("[A-Za-z0-9._-]+/[A-Za-z0-9._-]+") ? Optional.of(name) : Optional.empty();
    }

    /** The GitHub Action that runs clean-publish's cleaning in the release workflow, with {@code clean-docs: true}. */
    private static final Pattern ACTION = Pattern.compile("uses:\\s*['\"]?ai/clean-npm-project@");
    private static final Pattern ACTION_DOCS = Pattern.compile("(?m)^\\s*clean-docs:\\s*['\"]?true['\"]?\\s*$");

    /** Whether a workflow of the commit publishes through ai/clean-npm-project with clean-docs on. */
    static boolean workflowCleansDocs(GeneratedFiles.SourceView view) {
        for (String p : view.tree().files().keySet()) {
            if (p.startsWith(".github/workflows/") && (p.endsWith(".yml") || p.endsWith(".yaml"))) {
                Optional<String> text = view.sourceText(p);
                if (text.isPresent() && ACTION.matcher(text.get()).find() && ACTION_DOCS.matcher(text.get()).find()) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean enabled(JsonNode manifest, Optional<byte[]> rcFile) {
        if (manifest.path("clean-publish").path("cleanDocs").asBoolean(false)) {
            return true;
        }
        if (rcFile.isPresent()) {
            try {
                if (JSON.readTree(rcFile.get()).path("cleanDocs").asBoolean(false)) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
        for (JsonNode script : manifest.path("scripts")) {
            if (script.asText("").contains("clean-publish") && script.asText("").contains("--clean-docs")) {
                return true;
            }
        }
        return false;
    }

    static final class Rule implements GeneratedFiles.ContentRule {
        @Override
        public String id() {
            return RULE;
        }

        @Override
        public Optional<GeneratedFiles.Decision> explain(Artifact artifact, String path, byte[] bytes,
                                                         Optional<byte[]> source, String version,
                                                         GeneratedFiles.SourceView view) {
            if (source.isEmpty() || !path.endsWith("README.md")) {
                return Optional.empty();
            }
            Optional<NpmLayout.SourceManifest> found = NpmLayout.SourceManifest.of(view);
            if (found.isEmpty() || !path.equals(found.get().prefix() + "README.md")) {
                return Optional.empty(); // clean-publish rewrites the package's own README only
            }
            JsonNode pkg = found.get().manifest();
            if (!(enabled(pkg, view.sourceBytes(found.get().sourceDir() + ".clean-publish")) || workflowCleansDocs(view))) {
                return Optional.empty();
            }
            Optional<String> name = repositoryName(pkg);
            if (name.isEmpty()) {
                return Optional.empty();
            }
            String published = new String(bytes, StandardCharsets.UTF_8);
            if (!java.util.Arrays.equals(published.getBytes(StandardCharsets.UTF_8), bytes)
                    || !expected(new String(source.get(), StandardCharsets.UTF_8), name.get()).contains(published)) {
                return Optional.empty();
            }
            return Optional.of(new GeneratedFiles.Decision(FileStatus.MATCH_NORMALIZED, RULE, Set.of(),
                    Optional.of("the source's README cut before its first \"##\" section, with a link to "
                            + "https://github.com/" + name.get() + "#readme (clean-publish cleanDocs)")));
        }
    }
}
