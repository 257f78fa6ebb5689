package dev.divergence.model;

import java.util.Locale;

/** The package ecosystems divergence knows; the purl type is the lowercase name. */
public enum Ecosystem {
    PYPI, NPM, MAVEN;

    public String purlType() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Ecosystem fromPurlType(String type) {
        for (Ecosystem e : values()) {
            if (e.purlType().equals(type.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown package type '" + type + "' (known: pypi, npm, maven)");
    }
}
