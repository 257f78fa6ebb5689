package dev.divergence.model;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
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
        String name = dev.divergence.registry.EcosystemPlugins.of(eco)
                .packageName(Optional.ofNullable(p.getNamespace()), p.getName(), purl);
        String version = p.getVersion();
        return new Ref(new PackageId(eco, name),
                version == null || version.isBlank() ? Optional.empty() : Optional.of(version));
    }

    /** The ecosystem's canonical spelling (PEP 503 for PyPI): its plugin's. */
    static String canonicalName(Ecosystem eco, String name) {
        return dev.divergence.registry.EcosystemPlugins.of(eco).canonicalName(name);
    }

    public String purl() {
        return "pkg:" + ecosystem.purlType() + "/" + dev.divergence.registry.EcosystemPlugins.of(ecosystem).purlName(name);
    }

    @Override
    public String toString() {
        return purl();
    }
}
