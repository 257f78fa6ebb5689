package dev.divergence.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

/**
 * The parsers for manifests a consumer's installer reads (npm's {@code package.json}, an sdist's
 * {@code pyproject.toml} and {@code Cargo.toml}), with limits no lower than the installer's own: Node's
 * {@code JSON.parse}, Python's {@code tomllib} and Cargo accept a number of any length (a float is rounded, a long
 * integer read whole), a string or key of any length. Jackson's defaults (1,000-digit numbers, 50,000-character
 * names) refused files the installer reads, and every check of the file then silently did not run. Lengths are
 * bounded by what the archive reader keeps of an entry; long numbers are parsed by Jackson's sub-quadratic parsers.
 * Nesting stays at Jackson's default of 1,000 levels (deeper than {@code tomllib}'s recursion allows; the trees are
 * compared recursively here): a deeper manifest is refused, and a rule that cannot read a manifest the installer
 * reads reports it ({@link dev.divergence.model.RiskFlag#UNREADABLE_MANIFEST}) rather than skipping its checks.
 */
public final class ManifestParsers {

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNumberLength(Integer.MAX_VALUE)
            .maxStringLength(Integer.MAX_VALUE)
            .maxNameLength(Integer.MAX_VALUE)
            .build();

    /** JSON as Node's {@code JSON.parse} reads a package.json (duplicate keys: the last one wins). */
    public static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(CONSTRAINTS)
            .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build());

    /** TOML (pyproject.toml, Cargo.toml, Cargo.lock). */
    public static final TomlMapper TOML = new TomlMapper(TomlFactory.builder()
            .streamReadConstraints(CONSTRAINTS)
            .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build());

    private ManifestParsers() {
    }
}
