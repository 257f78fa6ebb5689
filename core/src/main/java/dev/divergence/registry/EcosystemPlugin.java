package dev.divergence.registry;

import dev.divergence.http.HttpFetcher;
import dev.divergence.rebuild.RebuildStrategy;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One ecosystem, found by its purl type through {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/dev.divergence.registry.EcosystemPlugin}): everything shared code asks about an ecosystem
 * — how a purl names a package, its options, its four answers ({@link EcosystemSupport}), its version order, its
 * file facts, its rebuild strategy. Adding an ecosystem is one package implementing this and that one line.
 * <p>
 * A plugin holds no state: it is never shipped to Spark executors; they find it again by purl type and rebuild
 * what they need from the options map ({@link EcosystemOptions}). Implementations need a public no-argument
 * constructor.
 */
public interface EcosystemPlugin {

    /** The purl type, lowercase ({@code pypi}): the {@code ecosystem} column and the key of everything else. */
    String purlType();

    /**
     * The package name a purl's namespace and name spell, refusing what the ecosystem's purl form does not allow
     * (a PyPI purl has no namespace, a Maven purl needs one). Canonicalised afterwards by {@link #canonicalName}.
     *
     * @throws IllegalArgumentException naming {@code purl}
     */
    String packageName(Optional<String> namespace, String name, String purl);

    /** The name in the ecosystem's canonical spelling (PEP 503 for PyPI); the name itself by default. */
    default String canonicalName(String name) {
        return name;
    }

    /** The name as written after {@code pkg:TYPE/} in a purl (npm's {@code @scope} percent-encoded). */
    default String purlName(String name) {
        return name;
    }

    /** The ecosystem's name in OSV advisories (https://ossf.github.io/osv-schema/#defined-ecosystems). */
    default String osvEcosystem() {
        return purlType();
    }

    /** The package's name as OSV spells it for this ecosystem. */
    default String osvName(String name) {
        return name;
    }

    /**
     * An option of this ecosystem (its registry's URL and the like): given on the command line as
     * {@code --TYPE-KEY VALUE} (so {@code url} of {@code pypi} is {@code --pypi-url}), passed around as a map.
     *
     * @param label the value's placeholder in {@code --help}; {@code URL} values must be http(s) URLs
     */
    record Option(String key, String label, String defaultValue, String description) {
        public boolean isUrl() {
            return label.equals("URL");
        }
    }

    /** Every option this ecosystem reads, with its default. */
    default List<Option> options() {
        return List.of();
    }

    /** The four answers, configured by {@code options} (every key of {@link #options}, defaults filled in). */
    EcosystemSupport support(Map<String, String> options, HttpFetcher http);

    /** Release order over version texts, total: see {@link dev.divergence.source.VersionOrder}. */
    Comparator<String> versionOrder();

    /** Facts about file names and contents this ecosystem's tools give meaning to (see {@link FileFacts}). */
    default FileFacts fileFacts() {
        return FileFacts.NONE;
    }

    /** How this ecosystem rebuilds its published files from a commit, when it can. */
    default Optional<RebuildStrategy> rebuildStrategy(Map<String, String> options) {
        return Optional.empty();
    }

    /**
     * The options a rerun needs to fetch an artifact served from {@code artifactUrl} (a mirror's base URL), empty
     * when the defaults serve it. Lets a report print a command that reproduces a scan made against a mirror.
     */
    default Map<String, String> optionsServing(String artifactUrl, String name, String version) {
        return Map.of();
    }
}
