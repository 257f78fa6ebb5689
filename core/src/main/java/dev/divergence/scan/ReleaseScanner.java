package dev.divergence.scan;

import dev.divergence.archive.ArchiveLimits;
import dev.divergence.archive.ArchiveListing;
import dev.divergence.archive.ArchiveReaders;
import dev.divergence.compare.Classifier;
import dev.divergence.compare.EntryFindings;
import dev.divergence.compare.Verdicts;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.DigestStatus;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.SourceRef;
import dev.divergence.model.Verdict;
import dev.divergence.registry.Alignment;
import dev.divergence.registry.EcosystemSupport;
import dev.divergence.registry.GeneratedFiles;
import dev.divergence.source.BlobIndex;
import dev.divergence.source.RepositoryCache;
import dev.divergence.source.SourceRepository;
import dev.divergence.source.SourceTree;
import dev.divergence.source.Submodules;
import dev.divergence.store.ArtifactStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One version end to end: fetch and read every artifact, locate the commit, align, classify, decide.
 * Every failure at an edge (download, archive, repository) becomes part of the report; only bugs throw.
 */
public final class ReleaseScanner {

    private final EcosystemSupport ecosystem;
    private final ArtifactStore store;
    private final Path cacheRoot;
    private final ArchiveLimits limits;

    public ReleaseScanner(EcosystemSupport ecosystem, ArtifactStore store, Path cacheRoot, ArchiveLimits limits) {
        this.ecosystem = ecosystem;
        this.store = store;
        this.cacheRoot = cacheRoot;
        this.limits = limits;
    }

    private record Read(Artifact artifact, ArtifactStore.Fetched fetched, Optional<ArchiveListing> listing,
                        Optional<String> error) {
    }

    /**
     * @param repoOverride a repository URL or local path that replaces what the registry says; without it, the
     *     repository this release's metadata declares (checked like any registry URL). A scan of a whole package
     *     chooses the repository from all its releases: {@link #scan(Release, RepositoryChoice)}.
     */
    public ReleaseReport scan(Release listed, Optional<String> repoOverride) {
        return scan(listed, repoOverride.map(RepositoryChoice::given)
                .orElseGet(() -> RepositoryChoice.fromHistory(List.of(listed))));
    }

    /** One version compared with the package's repository. */
    public ReleaseReport scan(Release listed, RepositoryChoice repository) {
        long start = System.nanoTime();
        java.util.Map<String, Long> stages = new java.util.HashMap<>();
        Release release = ecosystem.registry().withPerFileSignals(listed);
        List<Read> reads = new ArrayList<>();
        for (Artifact a : release.artifacts()) {
            reads.add(read(a, stages));
        }
        Optional<String> location = repository.location();
        Optional<String> refused = repository.refusal();
        SourceRef ref;
        SourceRepository repo = null;
        Optional<String> rollBack = Optional.empty();
        if (location.isEmpty()) {
            ref = SourceRef.none("no repository: the registry names none and no --repo was given");
        } else if (refused.isPresent()) {
            ref = SourceRef.none("repository refused: " + refused.get());
        } else {
            try {
                long t0 = System.nanoTime();
                repo = RepositoryCache.open(location.get(), cacheRoot); // clone/fetch and index, once per JVM
                repo.index();
                long t1 = System.nanoTime();
                Set<String> blobs = new LinkedHashSet<>();
                reads.forEach(r -> r.listing().ifPresent(l -> l.files().forEach(f -> blobs.add(f.gitBlobId()))));
                ref = new SourceLocator(ecosystem.locator(), Optional.of(ecosystem.generatedFiles())).locate(release, repo, blobs, () -> {
                    Set<String> lf = new HashSet<>(); // read only when the raw overlap cannot decide
                    reads.forEach(r -> r.listing().ifPresent(l -> lf.addAll(
                            SourceLocator.lineEndingBlobIds(l, r.fetched().path().get()))));
                    return lf;
                });
                rollBack = rollBack(release, repo, ref, ecosystem.locator().versionTime(release));
                if (rollBack.isPresent()) {
                    ref = ref.withNote(rollBack.get());
                }
                stages.merge("open", t1 - t0, Long::sum);
                stages.merge("locate", System.nanoTime() - t1, Long::sum);
            } catch (IOException | RuntimeException e) {
                ref = SourceRef.none("repository unavailable: " + e.getMessage());
                repo = null;
            }
        }
        Optional<String> declared = repository.differingDeclaration(release);
        if (declared.isPresent()) {
            ref = ref.withNote("this release declares repository " + declared.get() + "; compared with the package's "
                    + location.orElse("") + " (" + repository.basis() + ")");
        }
        List<ArtifactReport> reports = new ArrayList<>();
        long t2 = System.nanoTime();
        Submodules submodules = new Submodules(cacheRoot, repository.submoduleUrls());
        for (Read r : reads) {
            reports.add(compare(release, r, repo, ref, rollBack, submodules));
        }
        stages.merge("classify", System.nanoTime() - t2, Long::sum);
        List<Verdict> verdicts = reports.stream().map(ArtifactReport::verdict).toList();
        Verdict verdict = release.artifacts().isEmpty() ? Verdict.ERROR : Verdicts.release(verdicts);
        Optional<String> reason = releaseReason(release, reports, verdict, ref);
        return new ReleaseReport(release, location, ref, reports, verdict, reason,
                (System.nanoTime() - start) / 1_000_000, stages);
    }

    /**
     * The git blob ids of the artifacts' text files (no NUL byte, at most 1 MiB) that hold a CRLF, with every CRLF
     * turned into LF: what the locator scores when no exact blob of the history matches.
     */
    private Read read(Artifact a, java.util.Map<String, Long> stages) {
        long t0 = System.nanoTime();
        ArtifactStore.Fetched fetched = store.fetch(a);
        long t1 = System.nanoTime();
        stages.merge("fetch", t1 - t0, Long::sum);
        if (fetched.path().isEmpty()) {
            return new Read(a, fetched, Optional.empty(), fetched.error());
        }
        try {
            ArchiveListing listing = a.kind() == dev.divergence.model.ArtifactKind.POM
                    ? ArchiveReaders.single(fetched.path().get(), "pom.xml", limits)
                    : ArchiveReaders.read(fetched.path().get(), limits, ecosystem.generatedFiles()::metadataEntry);
            return new Read(a, fetched, Optional.of(listing), listing.error());
        } catch (IOException e) {
            return new Read(a, fetched, Optional.empty(), Optional.of("cannot read cached file: " + e.getMessage()));
        } catch (OutOfMemoryError | StackOverflowError e) {
            // A hostile archive that exhausts a bound we missed: this artifact's ERROR, not the end of the run. The
            // reader's buffers are unreachable once the error has left it.
            return new Read(a, fetched, Optional.empty(), Optional.of(exhausted("reading", e)));
        } finally {
            stages.merge("read", System.nanoTime() - t1, Long::sum);
        }
    }

    private ArtifactReport compare(Release release, Read r, SourceRepository repo, SourceRef ref,
                                   Optional<String> rollBack, Submodules submodules) {
        Artifact a = r.artifact();
        if (r.listing().isEmpty()) {
            return report(r, List.of(), Verdict.ERROR, r.error());
        }
        ArchiveListing listing = r.listing().get();
        List<ArtifactFile> files = listing.files();
        if (repo == null || ref.commit().isEmpty()) {
            // Reading stopped (a limit, a corrupt archive): could not tell — ERROR, which fails the run's exit status so the
            // operator looks. An entry skipped by a limit while the rest was read is the publisher's doing: divergent.
            Verdict v = r.error().isPresent() ? Verdict.ERROR : listing.limited() ? Verdict.DIVERGENT : Verdict.NO_SOURCE;
            Optional<String> reason = r.error().or(ref::note);
            if (listing.limited() && r.error().isEmpty() && !listing.warnings().isEmpty()) {
                String w = String.join("; ", listing.warnings());
                reason = Optional.of(w + reason.map(x -> "; " + x).orElse(""));
            }
            if (r.fetched().digestStatus() == DigestStatus.MISMATCH) {
                // Whatever the source, the registry vouches for other bytes than the ones it served.
                v = Verdict.DIVERGENT;
                reason = Optional.of(r.fetched().error().orElse("digest mismatch") + reason.map(x -> "; " + x).orElse(""));
            }
            List<GeneratedFiles.EntryFinding> registry = registryFindings(release, r, files);
            // With a repository that exists and holds no commit for this release, what runs without being named is
            // judged from the artifact alone; without any repository, only what escapes the install directory.
            List<FileDivergence> rows = EntryFindings.apply(repo == null ? Classifier.uncompared(a, files)
                    : judgedWithoutSource(a, r, listing), registry);
            if (!registry.isEmpty() && v.severity() < Verdict.DIVERGENT.severity()) {
                // The registry contradicts the artifact: divergent whatever the source would say.
                v = Verdict.DIVERGENT;
                String f = registry.stream().map(GeneratedFiles.EntryFinding::detail).collect(java.util.stream.Collectors.joining("; "));
                reason = Optional.of(reason.map(y -> f + "; " + y).orElse(f));
            }
            if (rows.stream().anyMatch(FileDivergence::highRisk)) {
                // An entry that escapes the install directory, is a link, or runs with nothing explaining it.
                v = Verdict.HIGH_RISK;
                String high = divergenceReason(rows).orElse("high risk");
                reason = Optional.of(reason.map(y -> high + "; " + y).orElse(high));
            }
            return report(r, rows, v, reason);
        }
        try {
            SourceTree tree = repo.tree(ref.commit().get());
            SourceRepository source = repo;
            Alignment alignment = ecosystem.layout().align(a, files, tree, release.hints(), path -> {
                try {
                    return tree.get(path).isPresent() ? source.read(tree.get(path).get().blobId(), 8L << 20)
                            : Optional.empty();
                } catch (IOException e) {
                    return Optional.empty(); // an unreadable build file declares nothing
                }
            });
            Path archive = r.fetched().path().get();
            List<FileDivergence> rows = Classifier.classify(new Classifier.Input(a, release.version(), files, alignment,
                    tree, repo, ecosystem.generatedFiles(),
                    entries -> listing.contentsOf(archive, entries, Classifier.MAX_BUILD_OUTPUT_BYTES), submodules));
            List<GeneratedFiles.EntryFinding> registry = registryFindings(release, r, files);
            rows = EntryFindings.apply(rows, registry);
            if (ref.baselineBranch().isPresent()) {
                rows = EntryFindings.apply(rows, unreviewedAtInstall(rows, repo, ref.baselineBranch().get(),
                        paths -> listing.contents(archive, paths, 8L << 20)));
            }
            Verdict v = Verdicts.artifact(rows);
            Optional<String> reason = divergenceReason(rows);
            List<String> findings = new ArrayList<>(listing.warnings());
            registry.stream().filter(f -> !f.highRisk()).forEach(f -> findings.add(f.artifactPath() + ": " + f.detail()));
            findings.addAll(ecosystem.generatedFiles().consistency(release, a, files,
                    paths -> listing.contents(archive, paths, 8L << 20)));
            if (!findings.isEmpty()) {
                // Inconsistent metadata or a zip that reads differently per tool: divergent in itself.
                if (v.severity() < Verdict.DIVERGENT.severity()) {
                    v = Verdict.DIVERGENT;
                }
                String f = String.join("; ", findings);
                reason = Optional.of(reason.map(x -> x + "; " + f).orElse(f));
            }
            if (rollBack.isPresent()) {
                // Every file may match a trusted commit, yet the release ships older code than an earlier release.
                if (v.severity() < Verdict.DIVERGENT.severity()) {
                    v = Verdict.DIVERGENT;
                }
                reason = Optional.of(rollBack.get() + reason.map(x -> "; " + x).orElse(""));
            }
            if (ref.baselineBranch().isPresent()) {
                // Every file may match, but the commit is on a branch nobody merged or tagged (a bot's, a
                // contributor's, one pushed with a stolen token): matching it proves nothing was reviewed.
                if (v.severity() < Verdict.DIVERGENT.severity()) {
                    v = Verdict.DIVERGENT;
                }
                reason = Optional.of("compared with " + ref.commit().get().substring(0, 12) + ", only on "
                        + ref.baselineBranch().get() + " (neither the default branch nor a tag reaches it)"
                        + reason.map(x -> "; " + x).orElse(""));
            }
            if (r.fetched().digestStatus() == DigestStatus.MISMATCH) {
                // The registry vouches for other bytes than the ones served: a finding in its own right.
                if (v.severity() < Verdict.DIVERGENT.severity()) {
                    v = Verdict.DIVERGENT;
                }
                reason = Optional.of(r.fetched().error().orElse("digest mismatch") + reason.map(x -> "; " + x).orElse(""));
            }
            if (r.error().isPresent()) {
                // Read only partly: the rows stand (what was read can still make it DIVERGENT or HIGH_RISK), but the rest
                // could not be told: at least ERROR, so the run's exit status says so.
                if (v.severity() < Verdict.ERROR.severity()) {
                    v = Verdict.ERROR;
                }
                reason = Optional.of(r.error().get() + reason.map(x -> "; " + x).orElse(""));
            }
            return report(r, rows, v, reason);
        } catch (IOException | RuntimeException e) {
            List<FileDivergence> rows = judgedWithoutSource(a, r, listing);
            return report(r, rows, rows.stream().anyMatch(FileDivergence::highRisk) ? Verdict.HIGH_RISK : Verdict.ERROR,
                    Optional.of("comparison failed: " + e + divergenceReason(rows).map(x -> "; " + x).orElse("")));
        } catch (OutOfMemoryError | StackOverflowError e) {
            return report(r, Classifier.uncompared(a, files), Verdict.ERROR, Optional.of(exhausted("comparing", e)));
        }
    }

    static final String UNREVIEWED_INSTALL_FILE = "compare.unreviewed-install-file";
    static final String UNREVIEWED_INSTALL_SCRIPT = "compare.unreviewed-install-script";

    /**
     * With a baseline only a side branch holds, matching it proves nothing was reviewed: what runs on install must
     * be what the reviewed history (the default branch, tags) holds. A file that runs at install ({@code AUTO_EXEC})
     * or a bundled dependency's ({@code node_modules/}) whose bytes no reviewed commit holds, and a manifest declaring
     * install scripts no reviewed version of it declared, are HIGH_RISK.
     */
    private List<GeneratedFiles.EntryFinding> unreviewedAtInstall(List<FileDivergence> rows, SourceRepository repo,
                                                                  String branch,
                                                                  java.util.function.Function<Set<String>, Map<String, byte[]>> contents) {
        List<GeneratedFiles.EntryFinding> out = new ArrayList<>();
        BlobIndex index = repo.index();
        GeneratedFiles generated = ecosystem.generatedFiles();
        for (FileDivergence row : rows) {
            if (row.artifactPath().isEmpty()) {
                continue;
            }
            String path = row.artifactPath().get();
            if ((row.riskFlags().contains(RiskFlag.AUTO_EXEC) || path.contains("node_modules/"))
                    && row.artifactBlobId().filter(index::heldByReviewedCommit).isEmpty()) {
                out.add(new GeneratedFiles.EntryFinding(path, UNREVIEWED_INSTALL_FILE, Set.of(RiskFlag.AUTO_EXEC), true,
                        "runs at install and no commit of the default branch or a tag holds it (compared with a commit"
                                + " only " + branch + " holds)"));
            }
            if (!generated.metadataEntry(path)) {
                continue;
            }
            byte[] bytes = contents.apply(Set.of(path)).get(path);
            Optional<String> declared = bytes == null ? Optional.empty() : generated.installDeclaration(path, bytes);
            if (declared.isEmpty() || reviewedDeclares(repo, row.sourcePath().orElse(path), declared.get(), path)) {
                continue;
            }
            out.add(new GeneratedFiles.EntryFinding(path, UNREVIEWED_INSTALL_SCRIPT, Set.of(RiskFlag.INSTALL_SCRIPT),
                    true, "declares " + declared.get() + ", which no commit of the default branch or a tag declares"
                    + " (compared with a commit only " + branch + " holds)"));
        }
        return out;
    }

    /** Whether some version of {@code sourcePath} a reviewed commit holds declares the same install behaviour. */
    private boolean reviewedDeclares(SourceRepository repo, String sourcePath, String declared, String artifactPath) {
        for (String blob : repo.index().blobsAt(sourcePath, 500)) {
            if (!repo.index().heldByReviewedCommit(blob)) {
                continue;
            }
            try {
                Optional<byte[]> b = repo.read(blob, 8L << 20);
                if (b.isPresent() && ecosystem.generatedFiles().installDeclaration(artifactPath, b.get())
                        .filter(declared::equals).isPresent()) {
                    return true;
                }
            } catch (IOException e) {
                // unreadable: declares nothing that can be told
            }
        }
        return false;
    }

    /** What the registry says beside the artifact, checked against the artifact's own metadata (needs no source). */
    private List<GeneratedFiles.EntryFinding> registryFindings(Release release, Read r, List<ArtifactFile> files) {
        if (r.listing().isEmpty() || r.fetched().path().isEmpty()) {
            return List.of();
        }
        Path archive = r.fetched().path().get();
        return ecosystem.generatedFiles().registryFindings(release, r.artifact(), files,
                paths -> r.listing().get().contents(archive, paths, 8L << 20));
    }

    private List<FileDivergence> judgedWithoutSource(Artifact a, Read r, ArchiveListing listing) {
        Path archive = r.fetched().path().get();
        try {
            return Classifier.withoutSource(a, listing.files(), ecosystem.generatedFiles(),
                    entries -> listing.contentsOf(archive, entries, Classifier.MAX_BUILD_OUTPUT_BYTES));
        } catch (RuntimeException e) {
            return Classifier.uncompared(a, listing.files()); // the hashes still stand
        }
    }

    /** The roll-back finding; a repository that cannot answer the ancestry question gives none. */
    private static Optional<String> rollBack(Release release, SourceRepository repo, SourceRef ref,
                                             Optional<java.time.Instant> versionTime) {
        try {
            return BaselineAge.rollBack(release, repo, ref, versionTime);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String exhausted(String stage, VirtualMachineError e) {
        return (e instanceof OutOfMemoryError ? "out of memory" : "stack overflow") + " while " + stage
                + " this artifact" + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    static Optional<String> divergenceReason(List<FileDivergence> rows) {
        List<String> high = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (FileDivergence f : rows) {
            if (f.highRisk()) {
                high.add(f.displayPath() + " " + f.status() + " " + f.riskFlags());
            } else if (Verdicts.unexplained(f.status())) {
                other.add(f.displayPath() + " " + f.status());
            }
        }
        if (!high.isEmpty()) {
            return Optional.of("high risk: " + String.join(", ", high));
        }
        return other.isEmpty() ? Optional.empty() : Optional.of("unexplained: " + String.join(", ", limit(other, 10)));
    }

    private static List<String> limit(List<String> l, int n) {
        if (l.size() <= n) {
            return l;
        }
        List<String> out = new ArrayList<>(l.subList(0, n));
        out.add("... " + (l.size() - n) + " more");
        return out;
    }

    private static ArtifactReport report(Read r, List<FileDivergence> rows, Verdict v, Optional<String> reason) {
        Map<FileStatus, Integer> counts = new EnumMap<>(FileStatus.class);
        List<String> divergent = new ArrayList<>();
        List<String> high = new ArrayList<>();
        for (FileDivergence f : rows) {
            counts.merge(f.status(), 1, Integer::sum);
            if (Verdicts.unexplained(f.status())) {
                divergent.add(f.displayPath());
            }
            if (f.highRisk()) {
                high.add(f.displayPath());
            }
        }
        long fileCount = r.listing().map(l -> (long) l.files().size()).orElse(0L);
        return new ArtifactReport(r.artifact(), r.fetched().digestStatus(), r.fetched().sha256(), fileCount, counts,
                divergent, high, v, reason, rows);
    }

    private static Optional<String> releaseReason(Release release, List<ArtifactReport> reports, Verdict verdict,
                                                  SourceRef ref) {
        if (release.artifacts().isEmpty()) {
            return Optional.of("the registry lists no files for this version"
                    + release.yankedReason().map(r -> " (" + r + ")").orElse(""));
        }
        Set<String> parts = new LinkedHashSet<>();
        for (ArtifactReport a : reports) {
            if (a.verdict() == verdict) {
                a.reason().ifPresent(x -> parts.add(a.artifact().filename() + ": " + x));
            }
        }
        if (parts.isEmpty() && verdict == Verdict.NO_SOURCE) {
            ref.note().ifPresent(parts::add);
        }
        Set<String> unique = new HashSet<>(parts);
        return unique.isEmpty() ? Optional.empty() : Optional.of(String.join(" | ", parts));
    }
}
