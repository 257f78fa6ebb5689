package dev.divergence.registry.maven;

import dev.divergence.http.HttpFetcher;
import dev.divergence.rebuild.MavenRebuild;
import dev.divergence.rebuild.RebuildStrategy;
import dev.divergence.registry.EcosystemPlugin;
import dev.divergence.registry.EcosystemSupport;
import dev.divergence.registry.FileFacts;
import dev.divergence.source.VersionOrder;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.artifact.versioning.ComparableVersion;

/** Maven ({@code pkg:maven/GROUP/ARTIFACT}): registered in {@code META-INF/services}. */
public final class MavenPlugin implements EcosystemPlugin {

    /** The class Maven itself compares versions with. */
    private static final Comparator<String> ORDER = VersionOrder.<ComparableVersion>parsed(
            v -> Optional.of(new ComparableVersion(v)), Comparator.naturalOrder());

    @Override
    public String purlType() {
        return "maven";
    }

    @Override
    public String packageName(Optional<String> namespace, String name, String purl) {
        return namespace.map(group -> group + "/" + name).orElseThrow(() -> new IllegalArgumentException(
                "a maven purl is pkg:maven/GROUP/ARTIFACT: " + purl));
    }

    @Override
    public String osvEcosystem() {
        return "Maven";
    }

    /** OSV names a Maven package GROUP:ARTIFACT. */
    @Override
    public String osvName(String name) {
        return name.replace('/', ':');
    }

    @Override
    public List<Option> options() {
        return List.of(new Option("url", "URL", MavenSupport.DEFAULT_BASE_URL, "Maven repository"));
    }

    @Override
    public EcosystemSupport support(Map<String, String> options, HttpFetcher http) {
        return new MavenSupport(options.get("url"), http);
    }

    @Override
    public Comparator<String> versionOrder() {
        return ORDER;
    }

    @Override
    public FileFacts fileFacts() {
        return MavenFileFacts.FACTS;
    }

    @Override
    public Optional<RebuildStrategy> rebuildStrategy(Map<String, String> options) {
        return Optional.of(new MavenRebuild(URI.create(options.get("url"))));
    }

    /** BASE/GROUP/AS/PATH/ARTIFACT/VERSION/FILE: the repository base is what comes before the coordinates. */
    @Override
    public Map<String, String> optionsServing(String artifactUrl, String name, String version) {
        if (artifactUrl.startsWith(MavenSupport.DEFAULT_BASE_URL + "/")) {
            return Map.of();
        }
        String[] ga = name.split("/", 2);
        int at = ga.length < 2 ? -1 : artifactUrl.indexOf("/" + ga[0].replace('.', '/') + "/" + ga[1] + "/" + version + "/");
        return at > 0 ? Map.of("url", artifactUrl.substring(0, at)) : Map.of();
    }
}
