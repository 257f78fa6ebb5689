package dev.divergence.model;

import java.io.Serializable;
import java.util.Locale;

/**
 * A package ecosystem, named by its purl type ({@code pypi}). A value, not a list: what an ecosystem means lives in
 * its plugin ({@code registry.EcosystemPlugin}), found by this type; any type with a plugin on the class path is
 * an ecosystem. The constants name the bundled plugins for callers that mean one of them; no behaviour hangs on
 * them.
 */
public record Ecosystem(String purlType) implements Serializable, Comparable<Ecosystem> {

    public static final Ecosystem PYPI = new Ecosystem("pypi");
    public static final Ecosystem NPM = new Ecosystem("npm");
    public static final Ecosystem MAVEN = new Ecosystem("maven");

    public Ecosystem {
        if (purlType == null || purlType.isBlank()) {
            throw new IllegalArgumentException("empty package type");
        }
        purlType = purlType.toLowerCase(Locale.ROOT);
    }

    /** The ecosystem of a purl type, any case; refused when no plugin serves it. */
    public static Ecosystem fromPurlType(String type) {
        return new Ecosystem(dev.divergence.registry.EcosystemPlugins.find(type)
                .orElseThrow(() -> dev.divergence.registry.EcosystemPlugins.unknown(type)).purlType());
    }

    @Override
    public int compareTo(Ecosystem o) {
        return purlType.compareTo(o.purlType);
    }

    @Override
    public String toString() {
        return purlType;
    }
}
