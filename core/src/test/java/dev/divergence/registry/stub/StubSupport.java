package dev.divergence.registry.stub;

import dev.divergence.http.HttpFetcher;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.Ecosystem;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.SourceHints;
import dev.divergence.registry.Alignment;
import dev.divergence.registry.EcosystemSupport;
import dev.divergence.registry.GeneratedFiles;
import dev.divergence.registry.Layout;
import dev.divergence.registry.Locator;
import dev.divergence.registry.Registry;
import dev.divergence.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The stub ecosystem's four answers: a bundle is a tarball of the repository under {@code NAME-VERSION/}. */
final class StubSupport implements EcosystemSupport {

    /** The stub ecosystem's own artifact kind. */
    static final ArtifactKind BUNDLE = ArtifactKind.of("STUB_BUNDLE");

    private final String baseUrl;
    private final String index;
    private final HttpFetcher http;

    StubSupport(String baseUrl, String index, HttpFetcher http) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.index = index;
        this.http = http;
    }

    @Override
    public Ecosystem ecosystem() {
        return Ecosystem.fromPurlType("stub");
    }

    @Override
    public Registry registry() {
        return pkg -> {
            String list;
            try {
                list = new String(http.getBytes(baseUrl + "/" + pkg.name() + "/" + index, "text/plain", 1 << 20),
                        StandardCharsets.UTF_8);
            } catch (HttpFetcher.FetchException e) {
                throw new RegistryException("stub registry: " + e.getMessage());
            }
            List<Release> out = new ArrayList<>();
            for (String line : list.lines().filter(l -> !l.isBlank()).toList()) {
                String[] f = line.trim().split("\\s+");
                Artifact a = new Artifact(f[1], baseUrl + "/" + pkg.name() + "/" + f[1], BUNDLE, -1, Map.of(),
                        Optional.empty(), false);
                out.add(new Release(pkg, f[0], List.of(a), Optional.empty(), false, Optional.empty(), SourceHints.none()));
            }
            return out;
        };
    }

    @Override
    public Locator locator() {
        return new Locator() {
            @Override
            public List<String> manifestPaths(Release release) {
                return List.of("VERSION");
            }

            @Override
            public Optional<String> versionIn(String path, byte[] content, Release release) {
                return Optional.of(new String(content, StandardCharsets.UTF_8).trim());
            }
        };
    }

    @Override
    public Layout layout() {
        return (artifact, files, tree, hints) -> {
            String root = Layout.commonRoot(files).map(r -> r + "/").orElse("");
            Map<String, String> paths = new LinkedHashMap<>();
            files.forEach(f -> paths.put(f.path(), f.path().substring(root.length())));
            return new Alignment(paths, List.of(""), Optional.of("stub: " + root + " stripped"));
        };
    }

    @Override
    public GeneratedFiles generatedFiles() {
        return new GeneratedFiles() {
            /** The packaging tool writes STUB-INFO into every bundle. */
            @Override
            public Optional<String> pathRule(Artifact artifact, String path) {
                return path.endsWith("/STUB-INFO") ? Optional.of("stub.info") : Optional.empty();
            }

            @Override
            public List<ContentRule> contentRules() {
                return List.of();
            }
        };
    }
}
