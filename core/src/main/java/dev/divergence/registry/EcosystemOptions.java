package dev.divergence.registry;

import dev.divergence.model.Ecosystem;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The options given for each ecosystem ({@code pypi -> {url -> http://127.0.0.1:8080}}), as plain strings so that
 * they travel to Spark executors with the work; each ecosystem's defaults fill what was not given.
 */
public record EcosystemOptions(Map<String, Map<String, String>> given) implements Serializable {

    public EcosystemOptions {
        Map<String, Map<String, String>> copy = new TreeMap<>();
        given.forEach((type, opts) -> copy.put(type, Map.copyOf(opts)));
        given = Map.copyOf(copy);
    }

    /** No option given: every ecosystem's defaults. */
    public static EcosystemOptions defaults() {
        return new EcosystemOptions(Map.of());
    }

    /**
     * Checks the options against the plugins: every purl type known, every key one its plugin reads, URL values
     * http(s) URLs.
     *
     * @throws IllegalArgumentException naming the option as {@code --TYPE-KEY}
     */
    public static EcosystemOptions of(Map<String, Map<String, String>> given) {
        for (Map.Entry<String, Map<String, String>> e : given.entrySet()) {
            EcosystemPlugin plugin = EcosystemPlugins.find(e.getKey())
                    .orElseThrow(() -> EcosystemPlugins.unknown(e.getKey()));
            for (Map.Entry<String, String> o : e.getValue().entrySet()) {
                EcosystemPlugin.Option option = plugin.options().stream().filter(x -> x.key().equals(o.getKey()))
                        .findFirst().orElseThrow(() -> new IllegalArgumentException("--" + e.getKey() + "-"
                                + o.getKey() + ": " + e.getKey() + " has no option '" + o.getKey() + "'"));
                if (option.isUrl()) {
                    checkHttpUrl(flag(plugin, option), o.getValue());
                }
            }
        }
        return new EcosystemOptions(given);
    }

    /** The command-line spelling of an option: {@code --TYPE-KEY}. */
    public static String flag(EcosystemPlugin plugin, EcosystemPlugin.Option option) {
        return "--" + plugin.purlType() + "-" + option.key();
    }

    /** The options of one ecosystem, its defaults filled in. */
    public Map<String, String> of(Ecosystem ecosystem) {
        Map<String, String> out = new LinkedHashMap<>();
        EcosystemPlugins.of(ecosystem).options().forEach(o -> out.put(o.key(), o.defaultValue()));
        out.putAll(given.getOrDefault(ecosystem.purlType(), Map.of()));
        return out;
    }

    /** The four answers of {@code ecosystem}, configured by these options. */
    public EcosystemSupport support(Ecosystem ecosystem, dev.divergence.http.HttpFetcher http) {
        return EcosystemPlugins.of(ecosystem).support(of(ecosystem), http);
    }

    private static void checkHttpUrl(String option, String value) {
        try {
            java.net.URI u = new java.net.URI(value);
            if (u.getScheme() == null || !java.util.List.of("http", "https").contains(u.getScheme().toLowerCase(
                    java.util.Locale.ROOT)) || u.getHost() == null) {
                throw new IllegalArgumentException(option + " must be an http:// or https:// URL, not '" + value + "'");
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(option + " is not a URL: " + e.getMessage());
        }
    }
}
