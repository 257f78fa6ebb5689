package dev.divergence.model;

import java.io.Serializable;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What a published file is; decides how it is read and aligned with the source. Open: each ecosystem names its own
 * kinds ({@code ArtifactKind.of("CRATE")}) in its registry package; one instance per name, so kinds compare with
 * {@code ==} as the enum they replace did. The constants are the bundled ecosystems' kinds and {@code OTHER}.
 */
public final class ArtifactKind implements Serializable, Comparable<ArtifactKind> {

    private static final ConcurrentMap<String, ArtifactKind> KINDS = new ConcurrentHashMap<>();

    public static final ArtifactKind SDIST = of("SDIST");
    public static final ArtifactKind WHEEL = of("WHEEL");
    public static final ArtifactKind NPM_TARBALL = of("NPM_TARBALL");
    public static final ArtifactKind JAR = of("JAR");
    public static final ArtifactKind SOURCES_JAR = of("SOURCES_JAR");
    public static final ArtifactKind POM = of("POM");
    /** A file no rule of its ecosystem knows. */
    public static final ArtifactKind OTHER = of("OTHER");

    private final String name;

    private ArtifactKind(String name) {
        this.name = name;
    }

    /** The kind of this name (upper-case letters, digits and {@code _}), the same instance for the same name. */
    public static ArtifactKind of(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (!n.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("not an artifact kind name: '" + name + "'");
        }
        return KINDS.computeIfAbsent(n, ArtifactKind::new);
    }

    /** As the enum's {@code valueOf}: {@link #of}. */
    public static ArtifactKind valueOf(String name) {
        return of(name);
    }

    /** The name written in the {@code kind} column. */
    public String name() {
        return name;
    }

    /** One instance per name across serialisation too. */
    private Object readResolve() {
        return of(name);
    }

    @Override
    public int compareTo(ArtifactKind o) {
        return name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
