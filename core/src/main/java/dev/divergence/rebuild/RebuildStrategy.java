package dev.divergence.rebuild;

import dev.divergence.archive.ArchiveListing;
import dev.divergence.model.Artifact;
import dev.divergence.model.Release;
import dev.divergence.source.SourceRepository;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How one ecosystem rebuilds its published files from a commit: infer the instructions (toolchain, commands,
 * output), then build in the {@link Sandbox}. One implementation per ecosystem, found by purl type, so that it
 * moves into that ecosystem's plugin package unchanged.
 */
public interface RebuildStrategy {

    /** {@code maven/1}: bumped whenever the same inputs could rebuild differently; a version is rebuilt once per value. */
    String version();

    /** Whether this strategy rebuilds this kind of published file (a Maven jar; not its POM). */
    boolean rebuilds(Artifact artifact);

    /**
     * Everything the inference may look at.
     *
     * @param published the downloaded file
     * @param listing its entries, as the archive readers list them
     * @param repositoryLocation the repository's URL or path, recorded in the instructions
     */
    record Request(Release release, Artifact artifact, Path published, ArchiveListing listing,
                   SourceRepository repository, String repositoryLocation, String commit) {

        /** A manifest of the commit's tree ({@code package.json}, {@code pyproject.toml}) parsed by {@code mapper}. */
        public Optional<com.fasterxml.jackson.databind.JsonNode> readTree(dev.divergence.source.SourceTree tree,
                                                                          String path,
                                                                          com.fasterxml.jackson.databind.ObjectMapper mapper) {
            try {
                Optional<dev.divergence.source.SourceTree.SourceFile> f = tree.get(path);
                if (f.isEmpty()) {
                    return Optional.empty();
                }
                Optional<byte[]> b = repository.read(f.get().blobId(), 4 << 20);
                return b.isEmpty() ? Optional.empty() : Optional.of(mapper.readTree(b.get()));
            } catch (java.io.IOException | RuntimeException e) {
                return Optional.empty(); // unreadable or malformed: the strategy treats it as absent
            }
        }
    }

    /** Instructions for a rebuild here, or the reason this machine cannot rebuild it faithfully. */
    sealed interface Plan permits Plan.Ready, Plan.Unsupported {
        record Ready(Instructions instructions) implements Plan {
        }

        record Unsupported(String reason, Optional<Instructions> instructions) implements Plan {
        }
    }

    Plan plan(Request request, RebuildEnvironment env);

    /**
     * What a build left.
     *
     * @param output the rebuilt file, when the build succeeded and wrote it
     * @param failure why not: the failing step and the tail of its log
     * @param ranSteps the steps that ran, in order ({@code build}, or {@code build, resolve, build})
     */
    record Built(Optional<Path> output, Optional<String> failure, java.util.List<String> ranSteps, long millis) {
    }

    /** Runs the instructions in the sandbox, in {@code workDir} (which holds the checked-out commit in {@code src/}). */
    Built build(Instructions instructions, Path workDir, RebuildEnvironment env) throws java.io.IOException;
}
