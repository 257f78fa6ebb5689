package dev.divergence.registry.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.divergence.model.Artifact;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import dev.divergence.registry.GeneratedFiles.ContentRule;
import dev.divergence.registry.GeneratedFiles.Decision;
import dev.divergence.registry.GeneratedFiles.SourceView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bundled dependencies ({@code bundleDependencies}) ship inside the tarball under {@code node_modules/}, and npm
 * runs their lifecycle scripts on install like any dependency's (and {@code node-gyp rebuild} for their
 * {@code binding.gyp}). A bundled package.json that the source does not hold as is and that declares an install
 * script is therefore an install script of this package: HIGH_RISK. Other bundled files are ordinary files.
 * See https://docs.npmjs.com/cli/configuring-npm/package-json#bundledependencies.
 */
final class NpmBundledPackages {

    public static final String INSTALL_SCRIPT = "npm.bundled-dependency.install-script";

    /** {@code ROOT/node_modules/NAME/package.json} or {@code ROOT/node_modules/@SCOPE/NAME/package.json}, nested too. */
    private static final Pattern BUNDLED = Pattern.compile("^[^/]+/(?:.+/)?node_modules/((?:@[^/]+/)?[^/@][^/]*)/package\\.json$");
    private static final ObjectMapper JSON = dev.divergence.registry.ManifestParsers.JSON;

    private NpmBundledPackages() {
    }

    static final class Rule implements ContentRule {

        @Override
        public String id() {
            return INSTALL_SCRIPT;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            Matcher m = BUNDLED.matcher(path);
            if (!m.matches()) {
                return Optional.empty();
            }
            String dir = path.substring(0, path.length() - "package.json".length());
            List<String> scripts = new ArrayList<>();
            try {
                JsonNode n = JSON.readTree(bytes);
                if (n != null && n.isObject()) {
                    for (String s : NpmGeneratedFiles.LIFECYCLE) {
                        if (n.path("scripts").path(s).isTextual()) {
                            scripts.add(s + ": " + abbreviate(n.path("scripts").path(s).asText()));
                        }
                    }
                }
            } catch (IOException e) {
                return Optional.empty(); // not JSON: npm cannot read it either; the file stays unexplained
            }
            boolean gyp = view.artifactFiles().stream().anyMatch(f -> f.path().equals(dir + "binding.gyp"));
            if (scripts.isEmpty() && gyp) {
                scripts.add("install: node-gyp rebuild (binding.gyp)");
            }
            if (scripts.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                    INSTALL_SCRIPT, Set.of(RiskFlag.INSTALL_SCRIPT),
                    Optional.of("bundled dependency " + m.group(1) + " runs on install: " + String.join("; ", scripts))));
        }

        private static String abbreviate(String s) {
            return s.length() > 120 ? s.substring(0, 120) + "..." : s;
        }
    }
}
