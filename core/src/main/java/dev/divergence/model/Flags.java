package dev.divergence.model;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Risk flags as an immutable set in declaration order. {@code Set.copyOf} iterates in an order that changes
 * from JVM to JVM, which would make reasons and rows differ between a driver and its executors, or two runs.
 */
public final class Flags {

    private Flags() {
    }

    public static Set<RiskFlag> of(Collection<RiskFlag> flags) {
        EnumSet<RiskFlag> s = EnumSet.noneOf(RiskFlag.class);
        s.addAll(flags);
        return Collections.unmodifiableSet(s);
    }
}
