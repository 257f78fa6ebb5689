package dev.divergence.registry.pypi;

import dev.divergence.http.HttpFetcher;
import dev.divergence.rebuild.PythonRebuild;
import dev.divergence.rebuild.RebuildStrategy;
import dev.divergence.registry.EcosystemPlugin;
import dev.divergence.registry.EcosystemSupport;
import dev.divergence.registry.FileFacts;
import dev.divergence.source.Pep440Version;
import dev.divergence.source.VersionOrder;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** PyPI ({@code pkg:pypi/NAME}): registered in {@code META-INF/services/dev.divergence.registry.EcosystemPlugin}. */
public final class PypiPlugin implements EcosystemPlugin {

    private static final Comparator<String> ORDER = VersionOrder.<Pep440Version>parsed(Pep440Version::parse,
            Comparator.naturalOrder());

    @Override
    public String purlType() {
        return "pypi";
    }

    @Override
    public String packageName(Optional<String> namespace, String name, String purl) {
        if (namespace.isPresent()) {
            throw new IllegalArgumentException("a pypi purl has no namespace: " + purl);
        }
        return name;
    }

    /** PEP 503 normalisation: https://peps.python.org/pep-0503/#normalized-names. */
    @Override
    public String canonicalName(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    @Override
    public String osvEcosystem() {
        return "PyPI";
    }

    @Override
    public List<Option> options() {
        return List.of(new Option("url", "URL", PypiSupport.DEFAULT_BASE_URL,
                "PyPI base URL; any server speaking PyPI's JSON API"));
    }

    @Override
    public EcosystemSupport support(Map<String, String> options, HttpFetcher http) {
        return new PypiSupport(options.get("url"), http);
    }

    /** PEP 440 (https://peps.python.org/pep-0440/#summary-of-permitted-suffixes-and-relative-ordering). */
    @Override
    public Comparator<String> versionOrder() {
        return ORDER;
    }

    @Override
    public FileFacts fileFacts() {
        return PypiFileFacts.FACTS;
    }

    @Override
    public Optional<RebuildStrategy> rebuildStrategy(Map<String, String> options) {
        return Optional.of(new PythonRebuild());
    }

    /** Files come from files.pythonhosted.org for pypi.org; any other host is a mirror serving both. */
    @Override
    public Map<String, String> optionsServing(String artifactUrl, String name, String version) {
        URI u = URI.create(artifactUrl);
        String host = String.valueOf(u.getHost());
        return host.equals("files.pythonhosted.org") || host.equals("pypi.org") ? Map.of()
                : Map.of("url", u.getScheme() + "://" + u.getRawAuthority());
    }
}
