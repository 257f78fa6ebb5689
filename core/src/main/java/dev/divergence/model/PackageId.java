package dev.divergence.model;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A package in purl form without version, e.g. {@code pkg:pypi/litellm}, {@code pkg:npm/%40scope/name},
 * {@code pkg:maven/commons-cli/commons-cli}. Parsed with the purl spec's reference implementation
 * (packageurl-java); see https://github.com/package-url/purl-spec.
 */
public record PackageId(Ecosystem ecosystem, String name) {

    /**
     * A purl as a user writes it: the package and, when it has one, the {@code @version} it names. Qualifiers
     * ({@code ?type=jar}, {@code ?repository_url=…}) and subpaths are refused, none is honoured: divergence judges
     * every artifact of a version from the ecosystem's registry, so a qualifier selecting one artifact or another
     * registry would silently mean something else.
     */
    public record Ref(PackageId pkg, Optional<String> version) {
        @Override
        public String toString() {
            return pkg.purl() + version.map(v -> "@" + v).orElse("");
        }
    }

    public PackageId {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("package name is empty");
        }
        name = canonicalName(ecosystem, name);
    }

    /** The package a purl names; a version, if any, is dropped (use {@link #parseRef} to keep it). */
    public static PackageId parse(String purl) {
        return parseRef(purl).pkg();
    }

    /** A purl with its optional version; anything but {@code pkg:TYPE/[NAMESPACE/]NAME[@VERSION]} is refused. */
    public static Ref parseRef(String purl) {
        String s = purl.trim();
        if (!s.startsWith("pkg:")) {
            throw new IllegalArgumentException("not a purl (expected pkg:TYPE/NAME): " + purl);
        }
        PackageURL p;
        try {
            p = new PackageURL(s);
        } catch (MalformedPackageURLException e) {
            throw new IllegalArgumentException("not a purl (" + e.getMessage() + "): " + purl);
        }
        Ecosystem eco = Ecosystem.fromPurlType(p.getType());
        Map<String, String> qualifiers = p.getQualifiers();
        if (qualifiers != null && !qualifiers.isEmpty()) {
            throw new IllegalArgumentException("purl qualifiers are not supported (every artifact of a version is "
                    + "scanned, from the registry given by the options): " + purl);
        }
        if (p.getSubpath() != null && !p.getSubpath().isEmpty()) {
            throw new IllegalArgumentException("purl subpaths are not supported: " + purl);
        }
        String namespace = p.getNamespace();
        String name = switch (eco) {
            case PYPI -> {
                if (namespace != null) {
                    throw new IllegalArgumentException("a pypi purl has no namespace: " + purl);
                }
                yield p.getName();
            }
            case NPM -> namespace == null ? p.getName() : namespace + "/" + p.getName();
            case MAVEN -> {
                if (namespace == null) {
                    throw new IllegalArgumentException("a maven purl is pkg:maven/GROUP/ARTIFACT: " + purl);
                }
                yield namespace + "/" + p.getName();
            }
        };
        String version = p.getVersion();
        return new Ref(new PackageId(eco, name),
                version == null || version.isBlank() ? Optional.empty() : Optional.of(version));
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
