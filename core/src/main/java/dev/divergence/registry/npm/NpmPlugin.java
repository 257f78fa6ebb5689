package dev.divergence.registry.npm;

import dev.divergence.http.HttpFetcher;
import dev.divergence.rebuild.NpmRebuild;
import dev.divergence.rebuild.RebuildStrategy;
import dev.divergence.registry.EcosystemPlugin;
import dev.divergence.registry.EcosystemSupport;
import dev.divergence.registry.FileFacts;
import dev.divergence.source.SemverVersion;
import dev.divergence.source.VersionOrder;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** npm ({@code pkg:npm/NAME}, {@code pkg:npm/%40SCOPE/NAME}): registered in {@code META-INF/services}. */
public final class NpmPlugin implements EcosystemPlugin {

    private static final Comparator<String> ORDER = VersionOrder.<SemverVersion>parsed(SemverVersion::parse,
            Comparator.naturalOrder());

    @Override
    public String purlType() {
        return "npm";
    }

    /** A scoped package's namespace is its scope: {@code @scope/name}. */
    @Override
    public String packageName(Optional<String> namespace, String name, String purl) {
        return namespace.map(ns -> ns + "/" + name).orElse(name);
    }

    /** The purl spec percent-encodes the scope's {@code @}. */
    @Override
    public String purlName(String name) {
        return name.startsWith("@") ? "%40" + name.substring(1) : name;
    }

    @Override
    public List<Option> options() {
        return List.of(new Option("url", "URL", NpmSupport.DEFAULT_BASE_URL, "npm registry"));
    }

    @Override
    public EcosystemSupport support(Map<String, String> options, HttpFetcher http) {
        return new NpmSupport(options.get("url"), http);
    }

    /** Semver precedence (https://semver.org/#spec-item-11), as node-semver. */
    @Override
    public Comparator<String> versionOrder() {
        return ORDER;
    }

    @Override
    public FileFacts fileFacts() {
        return NpmFileFacts.FACTS;
    }

    @Override
    public Optional<RebuildStrategy> rebuildStrategy(Map<String, String> options) {
        return Optional.of(new NpmRebuild(URI.create(options.get("url"))));
    }

    @Override
    public Map<String, String> optionsServing(String artifactUrl, String name, String version) {
        URI u = URI.create(artifactUrl);
        String origin = u.getScheme() + "://" + u.getRawAuthority();
        return (origin + "/").startsWith(NpmSupport.DEFAULT_BASE_URL + "/") ? Map.of() : Map.of("url", origin);
    }
}
