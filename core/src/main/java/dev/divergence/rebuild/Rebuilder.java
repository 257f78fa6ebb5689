package dev.divergence.rebuild;

import dev.divergence.archive.ArchiveLimits;
import dev.divergence.archive.ArchiveListing;
import dev.divergence.archive.ArchiveReaders;
import dev.divergence.model.Artifact;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseReport;
import dev.divergence.source.RepositoryCache;
import dev.divergence.source.SourceRepository;
import dev.divergence.store.ArtifactStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Rebuild mode for one version: every published file its ecosystem's strategy rebuilds is built from the commit
 * fetch mode located (the same commit, so both modes judge one baseline), in a fresh sandboxed work dir, then
 * compared with the published file. At most {@code slots} builds run at once in this JVM
 * ({@code --rebuild-parallelism}). Every failure becomes a verdict with a reason, never an exception.
 */
public final class Rebuilder {

    private final RebuildStrategy strategy;
    private final RebuildEnvironment env;
    private final ArtifactStore store;
    private final Path cacheRoot;
    private final ArchiveLimits limits;
    private final Semaphore slots;

    public Rebuilder(RebuildStrategy strategy, RebuildEnvironment env, ArtifactStore store, Path cacheRoot,
                     ArchiveLimits limits, Semaphore slots) {
        this.strategy = strategy;
        this.env = env;
        this.store = store;
        this.cacheRoot = cacheRoot;
        this.limits = limits;
        this.slots = slots;
    }

    public String strategyVersion() {
        return strategy.version();
    }

    /** The rebuild reports of a version fetch mode scanned (its commit, its repository). */
    public List<RebuildReport> rebuild(ReleaseReport scanned) {
        List<RebuildReport> out = new ArrayList<>();
        for (Artifact a : scanned.release().artifacts()) {
            if (strategy.rebuilds(a)) {
                out.add(rebuild(scanned.release(), a, scanned.repository(), scanned.ref().commit(), scanned.ref().note()));
            }
        }
        return out;
    }

    RebuildReport rebuild(Release release, Artifact a, Optional<String> repository, Optional<String> commit,
                          Optional<String> why) {
        long start = System.nanoTime();
        if (repository.isEmpty() || commit.isEmpty()) {
            return RebuildReport.notBuilt(a, strategy.version(), RebuildVerdict.UNSUPPORTED_ENV,
                    "no commit to build from" + why.map(w -> ": " + w).orElse(""), Optional.empty(), 0);
        }
        Optional<String> noSandbox = SandboxProbe.unavailable(env.sandbox());
        if (noSandbox.isPresent()) {
            return RebuildReport.notBuilt(a, strategy.version(), RebuildVerdict.UNSUPPORTED_ENV,
                    "no sandbox: " + noSandbox.get(), Optional.empty(), 0);
        }
        ArtifactStore.Fetched fetched = store.fetch(a);
        if (fetched.path().isEmpty()) {
            return RebuildReport.notBuilt(a, strategy.version(), RebuildVerdict.UNSUPPORTED_ENV,
                    "the published file could not be fetched: " + fetched.error().orElse(""), Optional.empty(), 0);
        }
        Path published = fetched.path().get();
        Path work = null;
        try {
            ArchiveListing listing = ArchiveReaders.read(published, limits);
            SourceRepository repo = RepositoryCache.open(repository.get(), cacheRoot);
            RebuildStrategy.Plan plan = strategy.plan(new RebuildStrategy.Request(release, a, published, listing, repo,
                    repository.get(), commit.get()), env);
            if (plan instanceof RebuildStrategy.Plan.Unsupported u) {
                return RebuildReport.notBuilt(a, strategy.version(), RebuildVerdict.UNSUPPORTED_ENV, u.reason(),
                        u.instructions(), millis(start));
            }
            Instructions ins = ((RebuildStrategy.Plan.Ready) plan).instructions();
            work = env.newWorkDir();
            List<String> submodules = SourceCheckout.write(repo, commit.get(), work.resolve("src"));
            if (!submodules.isEmpty()) {
                List<String> notes = new ArrayList<>(ins.notes());
                notes.add("submodules not checked out: " + submodules);
                ins = new Instructions(ins.strategy(), ins.repository(), ins.commit(), ins.directory(), ins.toolchain(),
                        ins.steps(), ins.output(), notes);
            }
            RebuildStrategy.Built built;
            slots.acquireUninterruptibly();
            try {
                built = strategy.build(ins, work, env);
            } finally {
                slots.release();
            }
            if (built.output().isEmpty()) {
                return RebuildReport.notBuilt(a, strategy.version(), RebuildVerdict.BUILD_FAILED,
                        built.failure().orElse("no output"), Optional.of(ins), millis(start));
            }
            RebuildComparison.Result c = RebuildComparison.compare(a.filename(), published, listing, built.output().get(),
                    limits);
            return new RebuildReport(a, strategy.version(), c.verdict(), reason(c), c.passes(), Optional.of(ins),
                    Optional.of(c.rebuiltSha256()), c.files(), millis(start));
        } catch (IOException | RuntimeException e) {
            return RebuildReport.notBuilt(a, strategy.version(), RebuildVerdict.BUILD_FAILED,
                    "rebuild failed: " + e, Optional.empty(), millis(start));
        } finally {
            if (work != null) {
                try {
                    Sandbox.deleteTree(work);
                } catch (IOException e) {
                    // a leftover work dir costs disk, not correctness: the next build takes a fresh one
                }
            }
        }
    }

    private static Optional<String> reason(RebuildComparison.Result c) {
        return switch (c.verdict()) {
            case REPRODUCED -> Optional.empty();
            case REPRODUCED_AFTER_STABILIZE -> Optional.of("equal after " + String.join(", ", c.passes()));
            default -> {
                List<String> d = c.differing();
                yield Optional.of("differs: " + String.join(", ", d.size() <= 20 ? d : d.subList(0, 20))
                        + (d.size() > 20 ? " ... " + (d.size() - 20) + " more" : ""));
            }
        };
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The sandbox probe runs once per JVM and sandbox binary. */
    static final class SandboxProbe {
        private static final java.util.Map<Sandbox, Optional<String>> PROBED = new java.util.concurrent.ConcurrentHashMap<>();

        static Optional<String> unavailable(Sandbox s) {
            return PROBED.computeIfAbsent(s, Sandbox::unavailable);
        }
    }
}
