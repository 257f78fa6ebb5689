package dev.divergence.registry;

import dev.divergence.model.Ecosystem;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.LinkedHashMap;

/** The {@link EcosystemPlugin}s on the class path, by purl type; loaded once per JVM (driver or executor). */
public final class EcosystemPlugins {

    private static volatile Map<String, EcosystemPlugin> byType;

    private EcosystemPlugins() {
    }

    private static Map<String, EcosystemPlugin> load() {
        Map<String, EcosystemPlugin> m = byType;
        if (m == null) {
            synchronized (EcosystemPlugins.class) {
                m = byType;
                if (m == null) {
                    Map<String, EcosystemPlugin> found = new LinkedHashMap<>(); // registration order
                    for (EcosystemPlugin p : ServiceLoader.load(EcosystemPlugin.class, EcosystemPlugins.class.getClassLoader())) {
                        EcosystemPlugin before = found.putIfAbsent(p.purlType(), p);
                        if (before != null && before.getClass() != p.getClass()) {
                            throw new IllegalStateException("two ecosystem plugins for purl type '" + p.purlType()
                                    + "': " + before.getClass().getName() + " and " + p.getClass().getName());
                        }
                    }
                    m = java.util.Collections.unmodifiableMap(found);
                    byType = m;
                }
            }
        }
        return m;
    }

    /** The plugin of a purl type, any case. */
    public static Optional<EcosystemPlugin> find(String purlType) {
        return Optional.ofNullable(load().get(purlType.toLowerCase(Locale.ROOT)));
    }

    /** The plugin of a known ecosystem. */
    public static EcosystemPlugin of(Ecosystem ecosystem) {
        return find(ecosystem.purlType()).orElseThrow(() -> unknown(ecosystem.purlType()));
    }

    /** Every plugin, in the order the class path registers them. */
    public static Collection<EcosystemPlugin> all() {
        return load().values();
    }

    public static IllegalArgumentException unknown(String purlType) {
        return new IllegalArgumentException("unknown package type '" + purlType + "' (known: "
                + String.join(", ", load().keySet()) + ")");
    }
}
