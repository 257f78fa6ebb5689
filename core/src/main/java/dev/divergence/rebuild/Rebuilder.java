package dev.divergence.rebuild;

import dev.divergence.archive.ArchiveLimits;
import dev.divergence.archive.ArchiveListing;
import dev.divergence.archive.ArchiveReaders;
import dev.divergence.model.Artifact;
import dev.divergence.model.ReleaseReport;
import dev.divergence.source.RepositoryCache;
import dev.divergence.source.SourceRepository;
import dev.divergence.store.ArtifactStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The rebuild reports of a version fetch mode scanned (its commit, its repository). Files whose instructions differ
     * only by their output and notes (a jar and its sources jar) share one build.
     */
    public List<RebuildReport> rebuild(ReleaseReport scanned) {
        List<Artifact> wanted = scanned.release().artifacts().stream().filter(strategy::rebuilds).toList();
        List<RebuildReport> out = new ArrayList<>();
        if (wanted.isEmpty()) {
            return out;
        }
        Optional<String> repository = scanned.repository();
        Optional<String> commit = scanned.ref().commit();
        Optional<String> why = Optional.empty();
        if (repository.isEmpty() || commit.isEmpty()) {
            why = Optional.of("no commit to build from" + scanned.ref().note().map(w -> ": " + w).orElse(""));
        } else {
            why = SandboxProbe.unavailable(env.sandbox()).map(u -> "no sandbox: " + u);
        }
        if (why.isPresent()) {
            for (Artifact a : wanted) {
                out.add(RebuildReport.notBuilt(a, strategy.version(), RebuildVerdict.UNSUPPORTED_ENV, why.get(),
                        Optional.empty(), 0));
            }
            return out;
        }
        SourceRepository repo;
        try {
            repo = RepositoryCache.open(repository.get(), cacheRoot);
        } catch (IOException | RuntimeException e) {
            for (Artifact a : wanted) {
                out.add(RebuildReport.notBuilt(a, strategy.version(), RebuildVerdict.UNSUPPORTED_ENV,
                        "repository unavailable: " + e.getMessage(), Optional.empty(), 0));
            }
            return out;
        }
        Map<String, List<Planned>> builds = new LinkedHashMap<>();
        for (Artifact a : wanted) {
            long start = System.nanoTime();
            ArtifactStore.Fetched fetched = store.fetch(a);
            if (fetched.path().isEmpty()) {
                out.add(RebuildReport.notBuilt(a, strategy.version(), RebuildVerdict.UNSUPPORTED_ENV,
                        "the published file could not be fetched: " + fetched.error().orElse(""), Optional.empty(), 0));
                continue;
            }
            try {
                ArchiveListing listing = ArchiveReaders.read(fetched.path().get(), limits);
                RebuildStrategy.Plan plan = strategy.plan(new RebuildStrategy.Request(scanned.release(), a,
                        fetched.path().get(), listing, repo, repository.get(), commit.get()), env);
                if (plan instanceof RebuildStrategy.Plan.Unsupported u) {
                    out.add(RebuildReport.notBuilt(a, strategy.version(), RebuildVerdict.UNSUPPORTED_ENV, u.reason(),
                            u.instructions(), millis(start)));
                    continue;
                }
                Instructions ins = ((RebuildStrategy.Plan.Ready) plan).instructions();
                // Notes explain a choice (why this JDK), they are no input: a jar and its sources jar whose notes differ
                // still share one build.
                String key = new Instructions(ins.strategy(), ins.repository(), ins.commit(), ins.directory(),
                        ins.toolchain(), ins.steps(), "", List.of()).toJson();
                builds.computeIfAbsent(key, k -> new ArrayList<>()).add(new Planned(a, fetched.path().get(), listing, ins));
            } catch (IOException | RuntimeException e) {
                out.add(RebuildReport.notBuilt(a, strategy.version(), RebuildVerdict.BUILD_FAILED, "rebuild failed: " + e,
                        Optional.empty(), millis(start)));
            }
        }
        for (List<Planned> group : builds.values()) {
            out.addAll(buildAndCompare(repo, commit.get(), group));
        }
        // In the release's artifact order, whatever order the builds ran in.
        out.sort(java.util.Comparator.comparingInt(r -> wanted.indexOf(r.artifact())));
        return out;
    }

    private record Planned(Artifact artifact, Path published, ArchiveListing listing, Instructions instructions) {
    }

    /** One checkout and one build for files whose instructions differ only by output and notes; each compared on its own. */
    private List<RebuildReport> buildAndCompare(SourceRepository repo, String commit, List<Planned> group) {
        long start = System.nanoTime();
        List<RebuildReport> out = new ArrayList<>();
        Path work = null;
        try {
            Instructions first = group.get(0).instructions();
            work = env.newWorkDir();
            List<String> submodules = SourceCheckout.write(repo, commit, work.resolve("src"));
            RebuildStrategy.Built built;
            slots.acquireUninterruptibly();
            try {
                built = strategy.build(first, work, env);
            } finally {
                slots.release();
            }
            boolean ran = built.output().isPresent() || built.failure().map(f -> f.startsWith(NO_OUTPUT)).orElse(false);
            for (Planned p : group) {
                Instructions ins = p.instructions();
                if (!submodules.isEmpty()) {
                    List<String> notes = new ArrayList<>(ins.notes());
                    notes.add("submodules not checked out: " + submodules);
                    ins = new Instructions(ins.strategy(), ins.repository(), ins.commit(), ins.directory(),
                            ins.toolchain(), ins.steps(), ins.output(), notes);
                }
                Optional<Path> output = ran ? SourceCheckout.regularFile(work, ins.output()) : Optional.empty();
                if (output.isEmpty()) {
                    out.add(RebuildReport.notBuilt(p.artifact(), strategy.version(), RebuildVerdict.BUILD_FAILED,
                            ran ? NO_OUTPUT + ins.output() : built.failure().orElse("no output"), Optional.of(ins),
                            millis(start)));
                    continue;
                }
                RebuiltArtifact reference = new RebuiltArtifact(output.get(), ArchiveReaders.read(output.get(), limits),
                        RebuildComparison.sha256(output.get()), commit);
                RebuildComparison.Result c = RebuildComparison.compare(p.artifact().filename(), p.published(),
                        p.listing(), reference);
                out.add(new RebuildReport(p.artifact(), strategy.version(), c.verdict(), reason(c), c.passes(),
                        Optional.of(ins), Optional.of(c.rebuiltSha256()), c.files(), millis(start)));
            }
        } catch (IOException | RuntimeException e) {
            for (Planned p : group) {
                out.add(RebuildReport.notBuilt(p.artifact(), strategy.version(), RebuildVerdict.BUILD_FAILED,
                        "rebuild failed: " + e, Optional.of(p.instructions()), millis(start)));
            }
        } finally {
            if (work != null) {
                try {
                    Sandbox.deleteTree(work);
                } catch (IOException e) {
                    // a leftover work dir costs disk, not correctness: the next build takes a fresh one
                }
            }
        }
        return out;
    }

    /** How a strategy says the build ran and did not write the file asked for. */
    public static final String NO_OUTPUT = "the build succeeded but wrote no ";

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
