package dev.divergence.registry.stub;

import dev.divergence.http.HttpFetcher;
import dev.divergence.model.RiskFlag;
import dev.divergence.registry.EcosystemPlugin;
import dev.divergence.registry.EcosystemSupport;
import dev.divergence.registry.FileFacts;
import dev.divergence.source.VersionOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A test-only ecosystem, {@code pkg:stub/NAME}: proves that an ecosystem is one package plus its line in
 * {@code META-INF/services/dev.divergence.registry.EcosystemPlugin}. Its registry serves {@code URL/NAME/index.txt}
 * ({@code VERSION FILENAME} per line) and the files beside it; its versions are dot-separated numbers.
 */
public final class StubPlugin implements EcosystemPlugin {

    /** Numbers compared as numbers: 1.10 after 1.9 (text order would say otherwise). */
    private static final Comparator<String> ORDER = VersionOrder.<int[]>parsed(StubPlugin::numbers, Arrays::compare);

    @Override
    public String purlType() {
        return "stub";
    }

    @Override
    public String packageName(Optional<String> namespace, String name, String purl) {
        if (namespace.isPresent()) {
            throw new IllegalArgumentException("a stub purl has no namespace: " + purl);
        }
        return name;
    }

    @Override
    public String canonicalName(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public List<Option> options() {
        return List.of(new Option("url", "URL", "http://127.0.0.1:9", "stub registry"),
                new Option("index", "FILE", "index.txt", "the release list under each package"));
    }

    @Override
    public EcosystemSupport support(Map<String, String> options, HttpFetcher http) {
        return new StubSupport(options.get("url"), options.get("index"), http);
    }

    @Override
    public Comparator<String> versionOrder() {
        return ORDER;
    }

    @Override
    public FileFacts fileFacts() {
        return new FileFacts(Set.of("stubx"), Set.of("stubc"), Set.of("stub.toml"), List.of(), List.of("check_[^/]*\\.stubx"),
                Set.of(), Set.of("stubx"), Set.of(), Map.of("install.stub", RiskFlag.INSTALL_SCRIPT), Map.of(),
                List.of("stub.spawn("), List.of("\\bstub\\.spawn\\s*\\("), List.of(), List.of(), Set.of(), List.of(),
                Map.of(), List.of(), Map.of());
    }

    private static Optional<int[]> numbers(String version) {
        if (!version.matches("\\d+(\\.\\d+)*")) {
            return Optional.empty();
        }
        return Optional.of(Arrays.stream(version.split("\\.")).mapToInt(Integer::parseInt).toArray());
    }
}
