package dev.divergence.jobs;

import java.io.Serializable;

/** A package as the tables partition it: ecosystem (purl type) and name. */
record PackageKey(String ecosystem, String name) implements Serializable {
}
