package dev.divergence.model;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A package in purl form without version, e.g. {@code pkg:pypi/litellm}, {@code pkg:npm/%40scope/name},
 * {@code pkg:maven/commons-cli/commons-cli}. See https://github.com/package-url/purl-spec.
 */
public record PackageId(Ecosystem ecosystem, String name) {

    public PackageId {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("package name is empty");
        }
        name = canonicalName(ecosystem, name);
    }

    public static PackageId parse(String purl) {
        String s = purl.trim();
        if (!s.startsWith("pkg:")) {
            throw new IllegalArgumentException("not a purl (expected pkg:TYPE/NAME): " + purl);
        }
        s = s.substring(4);
        int at = s.indexOf('@', s.indexOf('/') + 2); // a version after the name is ignored; '@' of a scope is kept
        if (at > 0) {
            s = s.substring(0, at);
        }
        int slash = s.indexOf('/');
        if (slash <= 0 || slash == s.length() - 1) {
            throw new IllegalArgumentException("not a purl (expected pkg:TYPE/NAME): " + purl);
        }
        Ecosystem eco = Ecosystem.fromPurlType(s.substring(0, slash));
        String name = URLDecoder.decode(s.substring(slash + 1), StandardCharsets.UTF_8);
        return new PackageId(eco, name);
    }

    /** PEP 503 normalisation for PyPI; npm names are lowercase already; Maven keeps group/artifact. */
    static String canonicalName(Ecosystem eco, String name) {
        return switch (eco) {
            case PYPI -> name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
            case NPM, MAVEN -> name;
        };
    }

    public String purl() {
        String n = ecosystem == Ecosystem.NPM && name.startsWith("@") ? "%40" + name.substring(1) : name;
        return "pkg:" + ecosystem.purlType() + "/" + n;
    }

    @Override
    public String toString() {
        return purl();
    }
}
