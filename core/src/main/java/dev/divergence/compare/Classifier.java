package dev.divergence.compare;

import dev.divergence.archive.ContentSignals;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import dev.divergence.registry.Alignment;
import dev.divergence.registry.GeneratedFiles;
import dev.divergence.registry.SourceFolders;
import dev.divergence.source.SourceRepository;
import dev.divergence.source.SourceTree;
import dev.divergence.source.Submodules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Gives every file on both sides of one artifact/source pair a status, the id of the rule that decided it,
 * and risk flags. Blob ids decide most files without reading content; only files that differ are read
 * (from the archive and from Git) to try the normalisations and to scan the added lines for payloads. The commit is
 * consulted only as a {@link Reference} ({@link CommitReference}: lookups, bytes, history); the rebuild comparison
 * judges against a rebuilt file through the same row shape ({@link #row}, {@link #unshipped}) and {@link Verdicts}.
 */
public final class Classifier {

    public static final String BLOB_EQUAL = "compare.blob-equal";
    public static final String CASE_ONLY_RENAME = "compare.case-only-rename";
    public static final String SAME_BLOB_OTHER_PATH = "compare.same-blob-other-path";
    public static final String UNEXPLAINED = "compare.unexplained";
    public static final String BLOB_IN_HISTORY = "compare.blob-in-history";
    public static final String NOT_SHIPPED = "compare.not-shipped";
    public static final String NO_COMMIT = "compare.no-commit";
    public static final String SPECIAL_ENTRY = "archive.special-entry";
    /** A file under a submodule (gitlink) of the commit: its source is another repository's. */
    public static final String IN_SUBMODULE = "compare.in-submodule";
    /** A file under a submodule with the blob the submodule's pinned commit holds at its path. */
    public static final String SUBMODULE_BLOB_EQUAL = "compare.submodule-blob-equal";
    /** A file under a submodule whose pinned commit holds other bytes at its path. */
    public static final String SUBMODULE_BLOB_DIFFERS = "compare.submodule-blob-differs";
    /** A file under a submodule whose pinned commit has no file at its path. */
    public static final String SUBMODULE_BLOB_ABSENT = "compare.submodule-blob-absent";

    /** Content larger than this is compared by hash only (no normalisation, no added-line scan). */
    static final long MAX_CONTENT_BYTES = 8L << 20;
    /**
     * Build output is explained by its name only on the strength of a scan of its whole content, so it is read further
     * (single-file CLI bundles pass 8 MiB); beyond this it is not explained at all.
     */
    public static final long MAX_BUILD_OUTPUT_BYTES = 64L << 20;

    /**
     * Everything one comparison needs.
     *
     * @param extractor reads the bytes of the given artifact entries, keyed by their SHA-256 (each copy of a
     *     duplicated path by its own content), from what the reading pass kept or a second, targeted pass
     * @param submodules where files under a gitlink of the tree are verified (their pinned commits)
     */
    public record Input(Artifact artifact, String version, List<ArtifactFile> files, Alignment alignment,
                        CommitReference reference, GeneratedFiles generated,
                        Function<List<ArtifactFile>, Map<String, byte[]>> extractor, Submodules submodules) {

        /** Files under a submodule stay unverifiable ({@link Submodules#NOT_FOLLOWED}). */
        public Input(Artifact artifact, String version, List<ArtifactFile> files, Alignment alignment, SourceTree tree,
                     SourceRepository repo, GeneratedFiles generated,
                     Function<List<ArtifactFile>, Map<String, byte[]>> extractor) {
            this(artifact, version, files, alignment, tree, repo, generated, extractor, Submodules.NOT_FOLLOWED);
        }

        public Input(Artifact artifact, String version, List<ArtifactFile> files, Alignment alignment, SourceTree tree,
                     SourceRepository repo, GeneratedFiles generated,
                     Function<List<ArtifactFile>, Map<String, byte[]>> extractor, Submodules submodules) {
            this(artifact, version, files, alignment, new CommitReference(tree, repo), generated, extractor, submodules);
        }
    }

    private Classifier() {
    }

    /** Rows for an artifact that had no commit to compare with: its hashes, nothing else. */
    public static List<FileDivergence> uncompared(Artifact artifact, List<ArtifactFile> files) {
        List<FileDivergence> out = new ArrayList<>();
        for (ArtifactFile f : files) {
            out.add(new FileDivergence(artifact.filename(), Optional.of(f.path()), Optional.empty(), FileStatus.UNCOMPARED,
                    NO_COMMIT, Optional.of(f.sha256()), Optional.empty(), Optional.of(f.gitBlobId()), Optional.empty(),
                    f.size(), -1, f.flags(), isHighRisk(FileStatus.UNCOMPARED, f.flags()), Optional.empty()));
        }
        return out;
    }

    public static final String NO_COMMIT_RUNS = "compare.no-commit.runs";

    /**
     * Rows for an artifact that no commit of an existing repository could be compared with (a release matching no
     * commit, e.g. every file rewritten with CRLF line endings): what is dangerous without any source is still
     * judged. The files that run by name or place (a {@code .pth}, {@code setup.py}, an install script the manifest
     * declares, a file the artifact's configuration runs), native code, and code whose content carries process
     * execution, dynamic evaluation, an encoded or obfuscated payload are read and scanned whole, and such a row is
     * HIGH_RISK ({@link #NO_COMMIT_RUNS}): nothing explains it.
     */
    public static List<FileDivergence> withoutSource(Artifact artifact, List<ArtifactFile> files,
                                                     GeneratedFiles generated,
                                                     Function<List<ArtifactFile>, Map<String, byte[]>> extractor) {
        GeneratedFiles.ExecutionRelevance exec;
        try {
            SourceTree none = new SourceTree("", Map.of());
            exec = generated.executionRelevance(artifact, new GeneratedFiles.SourceView(files, extractor,
                    new Alignment(Map.of(), List.of(), Optional.empty()), none, path -> Optional.empty()));
        } catch (RuntimeException e) {
            exec = path -> Optional.empty(); // an unreadable manifest: the files are still scanned below
        }
        List<ArtifactFile> flagged = new ArrayList<>();
        List<ArtifactFile> wanted = new ArrayList<>();
        for (ArtifactFile listed : files) {
            ArtifactFile f = withExecution(listed, exec);
            flagged.add(f);
            if (f.type() == ArtifactFile.EntryType.FILE && f.size() <= MAX_CONTENT_BYTES
                    && (runsByName(f) || f.flags().contains(RiskFlag.CODE) || generated.metadataEntry(f.path()))) {
                wanted.add(f);
            }
        }
        Map<String, byte[]> bytes = wanted.isEmpty() ? Map.of() : extractor.apply(wanted);
        Set<ArtifactFile> read = new HashSet<>(wanted);
        List<FileDivergence> out = new ArrayList<>();
        for (ArtifactFile f : flagged) {
            Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
            flags.addAll(f.flags());
            byte[] c = read.contains(f) ? bytes.get(f.sha256()) : null;
            if (c != null) {
                flags.addAll(ContentSignals.whole(f.path(), c, MAX_CONTENT_BYTES));
                flags.addAll(generated.declaredAtInstall(artifact, f.path(), c));
            }
            boolean high = highRiskWithoutSource(flags);
            out.add(new FileDivergence(artifact.filename(), Optional.of(f.path()), Optional.empty(),
                    FileStatus.UNCOMPARED, high && !escapes(flags) ? NO_COMMIT_RUNS : NO_COMMIT,
                    Optional.of(f.sha256()), Optional.empty(), Optional.of(f.gitBlobId()), Optional.empty(), f.size(),
                    -1, flags, high, high && !escapes(flags)
                    ? Optional.of("no commit to compare with; runs or carries a payload without any source explaining it")
                    : Optional.empty()));
        }
        return out;
    }

    /**
     * What makes a file dangerous with no source at all: it escapes the install directory, a {@code .pth} line
     * that executes, an install-time script, a file the artifact's configuration runs, native code, Python bytecode
     * (imported, and unreadable to a reviewer), or code
     * carrying process execution, dynamic evaluation, an encoded or obfuscated payload.
     */
    static boolean highRiskWithoutSource(Set<RiskFlag> flags) {
        return escapes(flags) || flags.contains(RiskFlag.PTH_EXECUTES) || flags.contains(RiskFlag.INSTALL_SCRIPT)
                || flags.contains(RiskFlag.AUTO_EXEC) || flags.contains(RiskFlag.BINARY)
                || flags.contains(RiskFlag.PYTHON_BYTECODE) || flags.contains(RiskFlag.UNREADABLE_MANIFEST)
                || (flags.contains(RiskFlag.CODE) && (flags.contains(RiskFlag.DYNAMIC_EXEC)
                || flags.contains(RiskFlag.ENCODED_BLOB) || flags.contains(RiskFlag.OBFUSCATED)));
    }

    public static List<FileDivergence> classify(Input in) throws IOException {
        List<FileDivergence> out = new ArrayList<>();
        Set<String> shippedSource = new HashSet<>();
        List<ArtifactFile> pending = new ArrayList<>();
        List<ArtifactFile> buildOutputs = new ArrayList<>();
        List<ArtifactFile> inSubmodules = new ArrayList<>();
        GeneratedFiles.SourceView view = view(in);
        GeneratedFiles.ExecutionRelevance exec = in.generated().executionRelevance(in.artifact(), view);
        GeneratedFiles.UnmatchedRules unmatchedRules = in.generated().unmatchedRules(in.artifact(), view);
        for (ArtifactFile listed : in.files()) {
            ArtifactFile f = withExecution(listed, exec);
            Optional<String> src = in.alignment().sourcePath(f.path());
            Optional<SourceTree.SourceFile> sf = src.flatMap(in.reference()::get);
            sf.ifPresent(s -> shippedSource.add(s.path()));
            if (f.type() == ArtifactFile.EntryType.SYMLINK && sf.isPresent() && sf.get().mode() == GIT_SYMLINK
                    && sf.get().blobId().equals(f.gitBlobId())) {
                // the source holds this very link (git stores a link as a blob of its target text)
                out.add(row(in, f, sf, src, FileStatus.MATCH, BLOB_EQUAL, f.flags(), Optional.of("symbolic link to "
                        + abbreviateTarget(in, f) + ", as in the source")));
                continue;
            }
            if (f.type() != ArtifactFile.EntryType.FILE) {
                out.add(row(in, f, sf, src, FileStatus.PHANTOM, SPECIAL_ENTRY, f.flags(),
                        Optional.of(f.type().name().toLowerCase() + " entry, recorded and not followed"
                                + (f.flags().contains(RiskFlag.LINK_IN_ARCHIVE)
                                ? "; points to a file of this archive and is judged by that file's content" : ""))));
                continue;
            }
            Optional<String> generated = in.generated().pathRule(in.artifact(), f.path());
            if (generated.isPresent()) {
                out.add(row(in, f, sf, src, FileStatus.GENERATED, generated.get(), f.flags(), Optional.empty()));
                continue;
            }
            if (sf.isPresent() && sf.get().blobId().equals(f.gitBlobId())) {
                out.add(row(in, f, sf, src, FileStatus.MATCH, BLOB_EQUAL, f.flags(), Optional.empty()));
                continue;
            }
            if (sf.isEmpty() && src.flatMap(in.reference().tree()::submoduleOf).isPresent()) {
                inSubmodules.add(f); // this repository cannot verify it: scanned whole below
                continue;
            }
            Optional<GeneratedFiles.Decision> unmatched = unmatchedRules.decide(f.path(), sf.isPresent());
            if (unmatched.isPresent() && unmatched.get().status() == FileStatus.BUILD_OUTPUT) {
                if (runsAtInstall(f)) {
                    // Code the installer runs cannot be explained by its name: only a rebuild could verify it, so it
                    // is judged as a file in no commit (and HIGH_RISK as anything unexplained that runs at install).
                    pending.add(f);
                    continue;
                }
                buildOutputs.add(f); // explained by name only: its content is still scanned below
                continue;
            }
            if (unmatched.isPresent()) {
                out.add(decided(in, f, sf, src, unmatched.get(), f.flags()));
                continue;
            }
            if (sf.isEmpty()) {
                Optional<SourceTree.SourceFile> ci = src.flatMap(in.reference()::getIgnoreCase);
                if (ci.isPresent() && ci.get().blobId().equals(f.gitBlobId())) {
                    shippedSource.add(ci.get().path());
                    out.add(row(in, f, ci, ci.map(SourceTree.SourceFile::path), FileStatus.MATCH_NORMALIZED,
                            CASE_ONLY_RENAME, f.flags(), Optional.of("source path " + ci.get().path())));
                    continue;
                }
                Optional<SourceTree.SourceFile> moved = runsByPlace(f) || FileKinds.packagingMetadata(f.path())
                        ? Optional.empty()
                        : relocatedFrom(f, src.orElse(f.path()), in.reference().findBlobs(f.gitBlobId()));
                if (moved.isPresent()) {
                    shippedSource.add(moved.get().path());
                    out.add(row(in, f, moved, moved.map(SourceTree.SourceFile::path), FileStatus.MATCH_NORMALIZED,
                            SAME_BLOB_OTHER_PATH, f.flags(), Optional.of("same content at " + moved.get().path())));
                    continue;
                }
            }
            pending.add(f);
        }
        List<ArtifactFile> wanted = new ArrayList<>();
        pending.stream().filter(f -> f.size() <= MAX_CONTENT_BYTES).forEach(wanted::add);
        buildOutputs.stream().filter(f -> f.size() <= MAX_BUILD_OUTPUT_BYTES).forEach(wanted::add);
        inSubmodules.stream().filter(f -> f.size() <= MAX_CONTENT_BYTES).forEach(wanted::add);
        Map<String, byte[]> bytes = in.extractor().apply(wanted); // by SHA-256: each copy of a duplicate its own bytes
        for (ArtifactFile f : pending) {
            out.add(classifyDifferent(in, f, Optional.ofNullable(bytes.get(f.sha256())), view));
        }
        for (ArtifactFile f : buildOutputs) {
            out.add(buildOutput(in, f, Optional.ofNullable(bytes.get(f.sha256())), unmatchedRules));
        }
        for (ArtifactFile f : inSubmodules) {
            out.add(inSubmodule(in, f, Optional.ofNullable(bytes.get(f.sha256()))));
        }
        markDifferingDuplicates(in.files(), out, in.generated()::installedPath);
        markNameCollisions(in.files(), out);
        out.addAll(unshipped(in.artifact().filename(), in.reference(), shippedSource, in.alignment()::inScope,
                NOT_SHIPPED, false, Optional.empty()));
        return out;
    }

    private static FileDivergence classifyDifferent(Input in, ArtifactFile f, Optional<byte[]> content,
                                                    GeneratedFiles.SourceView view) throws IOException {
        Optional<String> src = in.alignment().sourcePath(f.path());
        Optional<SourceTree.SourceFile> sf = src.flatMap(in.reference()::get);
        Optional<byte[]> source = Optional.empty();
        if (sf.isPresent()) {
            source = in.reference().read(sf.get(), MAX_CONTENT_BYTES);
        }
        if (content.isPresent()) {
            if (source.isPresent() && !in.generated().comparedAsData(f.path())) {
                Optional<Normalizations.Explained> e = Normalizations.explain(content.get(), source.get(), in.version());
                if (e.isPresent()) {
                    return row(in, f, sf, src, e.get().status(), e.get().ruleId(), f.flags(), Optional.empty());
                }
            }
            // Each rule checks content itself (a payload never matches a version file's or setup.cfg's shape).
            for (GeneratedFiles.ContentRule rule : in.generated().contentRules()) {
                Optional<GeneratedFiles.Decision> d = rule.explain(in.artifact(), f.path(), content.get(), source,
                        in.version(), view);
                if (d.isPresent()) {
                    Set<RiskFlag> base = source.isPresent() ? structuralFlags(f.flags()) : f.flags();
                    return decided(in, f, sf, src, d.get(), base);
                }
            }
        }
        boolean inHistory = in.reference().inHistory(f.gitBlobId());
        // Content that only a pull-request (or other untrusted) ref holds explains nothing: it is evidence.
        Optional<String> untrusted = inHistory ? Optional.empty() : in.reference().untrustedRefOf(f.gitBlobId());
        String untrustedNote = untrusted.map(u -> "; content found only in " + u + ", not in a branch or tag")
                .orElse("");
        if (sf.isPresent()) {
            Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
            Optional<String> detail = Optional.empty();
            if (content.isPresent() && source.isPresent()) {
                // Judge a modified file by what was added to it, not by what the module always contained.
                LineDiff.Result d = LineDiff.of(content.get(), source.get());
                flags.addAll(ContentSignals.scan(f.path(), d.addedText().getBytes(StandardCharsets.UTF_8),
                        MAX_CONTENT_BYTES));
                flags.addAll(structuralFlags(f.flags()));
                detail = Optional.of("+" + d.added() + " -" + d.removed() + " lines, first difference at line "
                        + d.firstDifferentLine());
            } else {
                flags.addAll(f.flags());
                detail = Optional.of("too large to compare by content; blob ids differ");
            }
            if (inHistory) {
                return stale(row(in, f, sf, src, FileStatus.IN_HISTORY, BLOB_IN_HISTORY, flags,
                        Optional.of("stale: this content is in history at " + in.reference().historyPathOf(f.gitBlobId()))),
                        in, src);
            }
            if (untrusted.isPresent()) {
                flags.add(RiskFlag.UNTRUSTED_REF_ONLY);
                detail = detail.map(d -> d + untrustedNote);
            }
            return row(in, f, sf, src, FileStatus.MODIFIED, UNEXPLAINED, flags, detail);
        }
        // A file with no counterpart is judged whole: its content is scanned now (the reading pass only hashed it).
        Set<RiskFlag> whole = EnumSet.noneOf(RiskFlag.class);
        whole.addAll(f.flags());
        content.ifPresent(c -> whole.addAll(ContentSignals.scan(f.path(), c, MAX_CONTENT_BYTES)));
        Optional<SourceTree.SourceFile> elsewhere = in.reference().findBlob(f.gitBlobId());
        if (elsewhere.isPresent()) {
            // the commit holds these bytes, but at a path this one is no packaging relocation of (relocatedFrom):
            // judged whole as content from history is, and the detail says where the bytes really are
            return row(in, f, sf, src, FileStatus.IN_HISTORY, BLOB_IN_HISTORY, whole,
                    Optional.of("same content at " + elsewhere.get().path() + " in this commit, which no packaging "
                            + "relocation explains (another name or place, or code from a test, fixture, example or "
                            + "documentation folder)"));
        }
        if (inHistory) {
            // not at this commit: a deleted module shipped again is judged as resurrected code, payload and all
            return row(in, f, sf, src, FileStatus.IN_HISTORY, BLOB_IN_HISTORY, whole,
                    Optional.of("not at this commit; in history at " + in.reference().historyPathOf(f.gitBlobId())));
        }
        if (untrusted.isPresent()) {
            whole.add(RiskFlag.UNTRUSTED_REF_ONLY);
            return row(in, f, sf, src, FileStatus.PHANTOM, UNEXPLAINED, whole,
                    Optional.of("content exists in no branch or tag" + untrustedNote));
        }
        return row(in, f, sf, src, FileStatus.PHANTOM, UNEXPLAINED, whole,
                Optional.of("content exists in no commit of the repository"));
    }

    /**
     * A file explained only by where it sits (build output): nothing can verify it short of a rebuild, so its whole
     * content is scanned, and process execution, dynamic evaluation, an encoded blob or native code in it is
     * HIGH_RISK (see {@link #isHighRisk}).
     */
    private static FileDivergence buildOutput(Input in, ArtifactFile f, Optional<byte[]> content,
                                              GeneratedFiles.UnmatchedRules rules) throws IOException {
        Optional<String> src = in.alignment().sourcePath(f.path());
        Optional<SourceTree.SourceFile> sf = src.flatMap(in.reference()::get);
        Optional<GeneratedFiles.Decision> d = rules.decide(f.path(), sf.isPresent());
        Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
        flags.addAll(f.flags());
        d.ifPresent(x -> flags.addAll(x.flags()));
        if (content.isEmpty()) {
            // red team round 8: a payload past the read limit would be explained by name with nothing scanned
            return row(in, f, sf, src, sf.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM, UNEXPLAINED, flags,
                    Optional.of("build output too large to scan (" + f.size() + " bytes; the limit is "
                            + (MAX_BUILD_OUTPUT_BYTES >> 20) + " MiB): not explained by its name"));
        }
        content.ifPresent(c -> flags.addAll(ContentSignals.buildOutputSignals(f.path(), c)));
        String why = d.flatMap(GeneratedFiles.Decision::detail).map(w -> " (" + w + ")").orElse("");
        Optional<String> detail = content.isPresent() ? Optional.of("build output" + why + ": not verifiable without a rebuild")
                : Optional.of("build output" + why + " too large to scan: not verifiable without a rebuild");
        return row(in, f, sf, src, FileStatus.BUILD_OUTPUT,
                d.map(GeneratedFiles.Decision::ruleId).orElse(UNEXPLAINED), flags, detail);
    }

    /**
     * A file under a gitlink of the commit. When the submodule's repository at the pinned commit can be had, the file
     * is judged against the blob at its path there as any file is against the commit ({@link #fromSubmodule});
     * otherwise it is judged whole as a new file is, and the detail names the pinned commit and why it could not be
     * verified.
     */
    private static FileDivergence inSubmodule(Input in, ArtifactFile f, Optional<byte[]> content) throws IOException {
        Optional<String> src = in.alignment().sourcePath(f.path());
        Submodules.Lookup lookup = in.submodules().lookup(in.reference().repo(), in.reference().tree(), src.orElseThrow());
        if (lookup instanceof Submodules.Found found) {
            return fromSubmodule(in, f, content, src, found);
        }
        Submodules.Unverifiable why = (Submodules.Unverifiable) lookup;
        Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
        flags.addAll(f.flags());
        content.ifPresent(c -> flags.addAll(ContentSignals.whole(f.path(), c, MAX_CONTENT_BYTES)));
        return row(in, f, Optional.empty(), src, FileStatus.IN_SUBMODULE, IN_SUBMODULE, flags,
                Optional.of("in submodule " + why.gitlink() + " at commit " + why.commit()
                        + ": not verifiable (" + why.reason() + ")"));
    }

    /**
     * A file under a submodule against the blob its pinned commit holds at the same path: the same blob is MATCH;
     * other bytes are MODIFIED unless a normalisation explains them, judged by the added lines (payload signals make
     * it HIGH_RISK); no file there is PHANTOM, judged whole. The submodule's other commits explain nothing.
     */
    private static FileDivergence fromSubmodule(Input in, ArtifactFile f, Optional<byte[]> content,
                                                Optional<String> src, Submodules.Found sub) throws IOException {
        String where = sub.path() + " of submodule " + sub.gitlink() + " (" + sub.url() + ") at its pinned commit "
                + sub.commit();
        SourceRepository repo = sub.repository();
        if (sub.file().isEmpty()) {
            Set<RiskFlag> whole = EnumSet.noneOf(RiskFlag.class);
            whole.addAll(f.flags());
            content.ifPresent(c -> whole.addAll(ContentSignals.scan(f.path(), c, MAX_CONTENT_BYTES)));
            return submoduleRow(in, f, src, Optional.empty(), null, FileStatus.PHANTOM, SUBMODULE_BLOB_ABSENT, whole,
                    "no file " + where);
        }
        SourceTree.SourceFile sf = sub.file().get();
        if (sf.blobId().equals(f.gitBlobId())) {
            return submoduleRow(in, f, src, sub.file(), repo, FileStatus.MATCH, SUBMODULE_BLOB_EQUAL, f.flags(),
                    "same blob as " + where);
        }
        Optional<byte[]> source = repo.size(sf.blobId()) <= MAX_CONTENT_BYTES
                ? repo.read(sf.blobId(), MAX_CONTENT_BYTES) : Optional.empty();
        if (content.isEmpty() || source.isEmpty()) {
            return submoduleRow(in, f, src, sub.file(), repo, FileStatus.MODIFIED, SUBMODULE_BLOB_DIFFERS, f.flags(),
                    "too large to compare by content; blob ids differ from " + where);
        }
        Optional<Normalizations.Explained> e = Normalizations.explain(content.get(), source.get(), in.version());
        if (e.isPresent()) {
            return submoduleRow(in, f, src, sub.file(), repo, e.get().status(), e.get().ruleId(), f.flags(),
                    "against " + where);
        }
        LineDiff.Result d = LineDiff.of(content.get(), source.get());
        Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
        flags.addAll(ContentSignals.scan(f.path(), d.addedText().getBytes(StandardCharsets.UTF_8), MAX_CONTENT_BYTES));
        flags.addAll(structuralFlags(f.flags()));
        return submoduleRow(in, f, src, sub.file(), repo, FileStatus.MODIFIED, SUBMODULE_BLOB_DIFFERS, flags,
                "+" + d.added() + " -" + d.removed() + " lines, first difference at line " + d.firstDifferentLine()
                        + ", against " + where);
    }

    /** A row whose source blob is in a submodule's repository, not the package's. */
    private static FileDivergence submoduleRow(Input in, ArtifactFile f, Optional<String> sourcePath,
                                               Optional<SourceTree.SourceFile> sf, SourceRepository repo,
                                               FileStatus status, String rule, Set<RiskFlag> flags, String detail)
            throws IOException {
        Optional<String> sourceSha = Optional.empty();
        long sourceSize = -1;
        if (sf.isPresent()) {
            sourceSha = Optional.of(status == FileStatus.MATCH ? f.sha256() : repo.sha256(sf.get().blobId()));
            sourceSize = status == FileStatus.MATCH ? f.size() : repo.size(sf.get().blobId());
        }
        return new FileDivergence(in.artifact().filename(), Optional.of(f.path()), sourcePath, status, rule,
                Optional.of(f.sha256()), sourceSha, Optional.of(f.gitBlobId()), sf.map(SourceTree.SourceFile::blobId),
                f.size(), sourceSize, flags, isHighRisk(status, flags), Optional.of(detail));
    }


    /** Git's file mode of a symbolic link. */
    private static final int GIT_SYMLINK = 0120000;

    private static String abbreviateTarget(Input in, ArtifactFile f) {
        try {
            return in.reference().repo().read(f.gitBlobId(), 256).map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8))
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** How many past versions of one file a history question reads at most. */
    static final int MAX_HISTORY_VERSIONS = 2000;

    private static GeneratedFiles.SourceView view(Input in) {
        return new GeneratedFiles.SourceView(in.files(), in.extractor(), in.alignment(), in.reference().tree(), path -> {
            Optional<SourceTree.SourceFile> sf = in.reference().get(path);
            try {
                return sf.isPresent() ? in.reference().read(sf.get(), MAX_CONTENT_BYTES) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty(); // unreadable: rules treat the source as unknown and keep the file visible
            }
        }, path -> history(in, path));
    }

    /** At most {@value #MAX_HISTORY_VERSIONS} past contents of a source path, each within the content bound. */
    private static List<byte[]> history(Input in, String path) {
        return in.reference().pastContents(path, MAX_HISTORY_VERSIONS, MAX_CONTENT_BYTES);
    }

    /**
     * The entry with {@link RiskFlag#AUTO_EXEC} added when the artifact's configuration makes it run by itself, or
     * {@link RiskFlag#ENTRY_MODULE} when it is code the package's manifest makes its entry (data such as a
     * {@code package.json} listed in {@code exports} is loaded, not run: no flag); a command, and the file npm's
     * {@code main} names, are code whatever they look like.
     */
    private static ArtifactFile withExecution(ArtifactFile f, GeneratedFiles.ExecutionRelevance exec) {
        Optional<String> why = f.flags().contains(RiskFlag.AUTO_EXEC) ? Optional.empty() : exec.why(f.path());
        if (why.isEmpty()) {
            return f;
        }
        boolean entry = why.get().startsWith(GeneratedFiles.ExecutionRelevance.ENTRY_PREFIX);
        boolean command = GeneratedFiles.ExecutionRelevance.runsAsCode(why.get());
        if (entry && !command && !f.flags().contains(RiskFlag.CODE) && !f.flags().contains(RiskFlag.BINARY)) {
            return f;
        }
        Set<RiskFlag> flags = EnumSet.of(entry ? RiskFlag.ENTRY_MODULE : RiskFlag.AUTO_EXEC);
        if (command) {
            flags.add(RiskFlag.CODE);
        }
        flags.addAll(f.flags());
        return new ArtifactFile(f.path(), f.rawName(), f.mode(), f.size(), f.sha256(), f.gitBlobId(), f.type(), flags);
    }

    private static FileDivergence decided(Input in, ArtifactFile f, Optional<SourceTree.SourceFile> sf,
                                          Optional<String> src, GeneratedFiles.Decision d, Set<RiskFlag> base)
            throws IOException {
        Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
        flags.addAll(base);
        flags.addAll(d.flags());
        FileDivergence r = row(in, f, sf, src, d.status(), d.ruleId(), flags, d.detail());
        if (d.benign() && r.highRisk() && !escapes(flags) && !flags.contains(RiskFlag.AUTO_EXEC)
                && !flags.contains(RiskFlag.ENTRY_MODULE)) {
            r = new FileDivergence(r.artifactFilename(), r.artifactPath(), r.sourcePath(), r.status(), r.ruleId(),
                    r.artifactSha256(), r.sourceSha256(), r.artifactBlobId(), r.sourceBlobId(), r.artifactSize(),
                    r.sourceSize(), r.riskFlags(), false, r.detail());
        }
        return r;
    }

    public static final String DIFFERING_DUPLICATE = "archive.differing-duplicate";

    /**
     * A path stored more than once with different contents: extractors write every copy and keep the last, other
     * readers may keep the first, and no packaging tool writes such an archive. Each copy has its own row (the
     * verdict follows the worst); when the path is execution-relevant, every copy that is not the source's exact
     * content makes the artifact HIGH_RISK, whatever rule explained it.
     */
    private static void markDifferingDuplicates(List<ArtifactFile> files, List<FileDivergence> rows,
                                                Function<String, String> installed) {
        if (!anyKeyRepeats(files, installed)) {
            return; // every path is stored once: no copies to mark (and no set per path to build)
        }
        Map<String, Set<String>> contents = new java.util.HashMap<>();
        Map<String, List<String>> copies = new java.util.HashMap<>(); // content of each copy, in archive order
        Set<String> relevant = new HashSet<>();
        for (ArtifactFile f : files) {
            if (f.type() != ArtifactFile.EntryType.FILE) {
                continue;
            }
            String key = installed.apply(f.path());
            contents.computeIfAbsent(key, k -> new HashSet<>()).add(f.sha256());
            copies.computeIfAbsent(key, k -> new ArrayList<>()).add(f.sha256());
            if (f.flags().contains(RiskFlag.PTH_FILE) || f.flags().contains(RiskFlag.INSTALL_SCRIPT)
                    || f.flags().contains(RiskFlag.CODE) || f.flags().contains(RiskFlag.BINARY)
                    || f.flags().contains(RiskFlag.PYTHON_BYTECODE)) {
                relevant.add(key);
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            FileDivergence r = rows.get(i);
            String path = r.artifactPath().map(installed).orElse(null);
            if (path == null || contents.getOrDefault(path, Set.of()).size() < 2) {
                continue;
            }
            List<String> order = copies.get(path);
            List<Integer> mine = new ArrayList<>();
            for (int c = 0; c < order.size(); c++) {
                if (order.get(c).equals(r.artifactSha256().orElse(""))) {
                    mine.add(c + 1);
                }
            }
            if (mine.isEmpty()) {
                continue; // a link or special entry under the same name: judged by its own flags
            }
            String note = "copy " + mine.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                    + " of " + order.size() + " of this path (" + contents.get(path).size() + " different contents; "
                    + (mine.contains(order.size()) ? "this one is what extractors leave on disk)"
                    : "extractors overwrite this one with the last)");
            boolean high = r.highRisk() || (relevant.contains(path) && r.status() != FileStatus.MATCH);
            Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
            flags.addAll(r.riskFlags());
            flags.add(RiskFlag.DUPLICATE_ENTRY);
            rows.set(i, new FileDivergence(r.artifactFilename(), r.artifactPath(), r.sourcePath(), r.status(),
                    high && !r.highRisk() ? DIFFERING_DUPLICATE : r.ruleId(), r.artifactSha256(), r.sourceSha256(),
                    r.artifactBlobId(), r.sourceBlobId(), r.artifactSize(), r.sourceSize(), flags, high,
                    Optional.of(r.detail().map(d -> d + "; ").orElse("") + note)));
        }
    }

    /**
     * Entries whose names differ only by case or Unicode normalisation ({@code core.py} and {@code CORE.py}) are one
     * file on macOS and Windows, where the later entry overwrites the earlier: with different contents they are judged
     * as a differing duplicate — every copy flagged {@link RiskFlag#NAME_COLLISION}, and when any of them is code, a
     * {@code .pth}, an install script or native code, every copy that is not the source's exact content is HIGH_RISK.
     */
    private static void markNameCollisions(List<ArtifactFile> files, List<FileDivergence> rows) {
        if (!anyKeyRepeats(files, Classifier::fold)) {
            return; // no two entries fold to one name: nothing collides (the usual archive)
        }
        Map<String, Set<String>> paths = new java.util.HashMap<>();
        Map<String, Set<String>> contents = new java.util.HashMap<>();
        Map<String, String> last = new java.util.HashMap<>();
        Set<String> relevant = new HashSet<>();
        for (ArtifactFile f : files) {
            if (f.type() != ArtifactFile.EntryType.FILE) {
                continue;
            }
            String k = fold(f.path());
            paths.computeIfAbsent(k, x -> new java.util.TreeSet<>()).add(f.path());
            contents.computeIfAbsent(k, x -> new HashSet<>()).add(f.sha256());
            last.put(k, f.path());
            if (f.flags().contains(RiskFlag.PTH_FILE) || f.flags().contains(RiskFlag.INSTALL_SCRIPT)
                    || f.flags().contains(RiskFlag.CODE) || f.flags().contains(RiskFlag.BINARY)
                    || f.flags().contains(RiskFlag.PYTHON_BYTECODE)) {
                relevant.add(k);
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            FileDivergence r = rows.get(i);
            String path = r.artifactPath().orElse(null);
            String k = path == null ? null : fold(path);
            if (k == null || paths.get(k) == null || paths.get(k).size() < 2 || contents.get(k).size() < 2) {
                continue;
            }
            List<String> others = paths.get(k).stream().filter(p -> !p.equals(path)).toList();
            String note = "one file with " + others + " on case-insensitive or normalising file systems ("
                    + contents.get(k).size() + " different contents; " + (last.get(k).equals(path)
                    ? "this one is written last and is what they keep)" : "a later entry overwrites this one there)");
            boolean high = r.highRisk() || (relevant.contains(k) && r.status() != FileStatus.MATCH);
            Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
            flags.addAll(r.riskFlags());
            flags.add(RiskFlag.NAME_COLLISION);
            rows.set(i, new FileDivergence(r.artifactFilename(), r.artifactPath(), r.sourcePath(), r.status(),
                    high && !r.highRisk() ? DIFFERING_DUPLICATE : r.ruleId(), r.artifactSha256(), r.sourceSha256(),
                    r.artifactBlobId(), r.sourceBlobId(), r.artifactSize(), r.sourceSize(), flags, high,
                    Optional.of(r.detail().map(d -> d + "; ").orElse("") + note)));
        }
    }

    /** The name case-insensitive, normalising file systems (APFS, NTFS) treat as the same: NFC, lower case. */
    static String fold(String path) {
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) >= 0x80) {
                return java.text.Normalizer.normalize(path, java.text.Normalizer.Form.NFC)
                        .toLowerCase(java.util.Locale.ROOT);
            }
        }
        return path.toLowerCase(java.util.Locale.ROOT); // ASCII is its own NFC
    }

    /**
     * Whether two regular-file entries have the same key. The two passes that mark copies and collisions change a row
     * only when some key is shared, and every archive is asked: most have none, and are answered with one set.
     */
    private static boolean anyKeyRepeats(List<ArtifactFile> files, Function<String, String> key) {
        Set<String> seen = new HashSet<>(Math.max(16, files.size() * 4 / 3 + 1));
        for (ArtifactFile f : files) {
            if (f.type() == ArtifactFile.EntryType.FILE && !seen.add(key.apply(f.path()))) {
                return true;
            }
        }
        return false;
    }

    /** Flags about the entry itself (name, kind), which a content diff does not change. */
    private static Set<RiskFlag> structuralFlags(Set<RiskFlag> flags) {
        Set<RiskFlag> s = EnumSet.noneOf(RiskFlag.class);
        for (RiskFlag f : flags) {
            switch (f) {
                case PTH_FILE, INSTALL_SCRIPT, CODE, PATH_TRAVERSAL, ABSOLUTE_PATH, LINK, SPECIAL_ENTRY,
                        DUPLICATE_ENTRY, SIZE_MISMATCH, HEADER_MISMATCH, AUTO_EXEC, ENTRY_MODULE, PYTHON_BYTECODE ->
                        s.add(f);
                case BINARY -> s.add(f); // a changed binary is judged as a whole
                default -> {
                }
            }
        }
        return s;
    }

    /**
     * Whether a file makes its artifact HIGH_RISK. Whatever its status, an entry that escapes the install directory
     * or is not a plain file (traversal, absolute path, link, device). Unexplained (MODIFIED, PHANTOM, IN_SUBMODULE): it runs
     * automatically (.pth, setup.py, an npm install script, an auto-executed file), adds a dependency or an entry
     * point, is native code or Python bytecode, or is code whose new content (added lines; a new file whole) carries
     * payload signals.
     * IN_HISTORY (content of an older commit): a file that runs by itself, Python bytecode, or code carrying payload
     * signals, as for PHANTOM — history explains nothing about why a hook is shipped again. BUILD_OUTPUT, explained
     * by name only: native code, Python bytecode, or code carrying process execution, dynamic evaluation or an encoded blob (long lines
     * alone are not: minified bundles are expected there).
     */
    public static boolean isHighRisk(FileStatus status, Set<RiskFlag> flags) {
        if (escapes(flags)) {
            return true;
        }
        if (status == FileStatus.BUILD_OUTPUT) {
            return flags.contains(RiskFlag.BINARY) || flags.contains(RiskFlag.PYTHON_BYTECODE)
                    || (flags.contains(RiskFlag.CODE)
                    && (flags.contains(RiskFlag.DYNAMIC_EXEC) || flags.contains(RiskFlag.ENCODED_BLOB)));
        }
        if (status == FileStatus.IN_HISTORY) {
            // Stale content is no excuse for what runs by itself: re-shipping an old hook is still a hook.
            return flags.contains(RiskFlag.PTH_FILE) || flags.contains(RiskFlag.PTH_EXECUTES)
                    || flags.contains(RiskFlag.INSTALL_SCRIPT) || flags.contains(RiskFlag.AUTO_EXEC)
                    || flags.contains(RiskFlag.BINARY) || flags.contains(RiskFlag.ENTRY_POINT)
                    || flags.contains(RiskFlag.NEW_DEPENDENCY) || flags.contains(RiskFlag.PYTHON_BYTECODE)
                    || flags.contains(RiskFlag.UNREADABLE_MANIFEST) || (flags.contains(RiskFlag.CODE) && payload(flags));
        }
        if (status != FileStatus.MODIFIED && status != FileStatus.PHANTOM && status != FileStatus.IN_SUBMODULE) {
            return false;
        }
        if (flags.contains(RiskFlag.PTH_FILE) || flags.contains(RiskFlag.INSTALL_SCRIPT)
                || flags.contains(RiskFlag.BINARY) || flags.contains(RiskFlag.NEW_DEPENDENCY)
                || flags.contains(RiskFlag.AUTO_EXEC) || flags.contains(RiskFlag.ENTRY_POINT)
                || flags.contains(RiskFlag.PYTHON_BYTECODE) || flags.contains(RiskFlag.UNREADABLE_MANIFEST)) {
            return true;
        }
        if (status == FileStatus.PHANTOM && flags.contains(RiskFlag.ENTRY_MODULE)) {
            return true; // the code require() or the command runs exists in no commit and is no build output
        }
        if (!flags.contains(RiskFlag.CODE)) {
            return false;
        }
        // A modified module is judged by its added lines, a file in no commit whole: either way process execution,
        // dynamic evaluation, an encoded or obfuscated payload is out of place (a split payload puts a one-line
        // import in a modified module and the exec in a new one).
        return payload(flags);
    }

    /**
     * A file of the commit shipped with content an earlier release (a tagged ancestor) held at this very path is an
     * older version of the same file: the project's own released code, so payload signals in it are no reason for
     * HIGH_RISK — a file that runs by itself still is; content of a passing, untagged state is. Content the history holds only at another path (a test
     * fixture shipped as a module), or a file the commit no longer has (a deleted module shipped again), keeps the
     * payload rule.
     */
    private static FileDivergence stale(FileDivergence r, Input in, Optional<String> sourcePath) {
        // an earlier release's content at this path: a tagged ancestor held it there (red team round 8: content of a
        // commit reverted before the tag is no release, and its payload stays HIGH_RISK)
        boolean samePath = sourcePath.isPresent() && r.artifactBlobId().isPresent()
                && r.highRisk() && in.reference().heldByEarlierRelease(r.artifactBlobId().get(), sourcePath.get());
        Set<RiskFlag> flags = r.riskFlags();
        if (!r.highRisk() || !samePath || escapes(flags) || runsAnyway(flags)) {
            return r;
        }
        return new FileDivergence(r.artifactFilename(), r.artifactPath(), r.sourcePath(), r.status(), r.ruleId(),
                r.artifactSha256(), r.sourceSha256(), r.artifactBlobId(), r.sourceBlobId(), r.artifactSize(),
                r.sourceSize(), flags, false, Optional.of(r.detail().map(d -> d + "; ").orElse("")
                + "an earlier version of this very file: payload signals in the project's own code are not HIGH_RISK"));
    }

    private static boolean runsAnyway(Set<RiskFlag> flags) {
        return flags.contains(RiskFlag.PTH_FILE) || flags.contains(RiskFlag.PTH_EXECUTES)
                || flags.contains(RiskFlag.INSTALL_SCRIPT) || flags.contains(RiskFlag.AUTO_EXEC)
                || flags.contains(RiskFlag.BINARY) || flags.contains(RiskFlag.ENTRY_MODULE)
                || flags.contains(RiskFlag.ENTRY_POINT) || flags.contains(RiskFlag.NEW_DEPENDENCY)
                || flags.contains(RiskFlag.PYTHON_BYTECODE) || flags.contains(RiskFlag.UNREADABLE_MANIFEST);
    }

    private static boolean payload(Set<RiskFlag> flags) {
        return flags.contains(RiskFlag.ENCODED_BLOB) || flags.contains(RiskFlag.OBFUSCATED)
                || flags.contains(RiskFlag.DYNAMIC_EXEC);
    }

    /**
     * A file that runs because of its name or place (.pth, setup.py, AUTO_EXEC): the same bytes elsewhere in the
     * repository (a test fixture, a doc example) do not explain it unless they have its name.
     */
    private static boolean runsByName(ArtifactFile f) {
        // native code too: loaders pick binaries up by place (prebuilds/, build/Release/), a fixture's bytes elsewhere
        // do not explain one
        return f.flags().contains(RiskFlag.PTH_FILE) || f.flags().contains(RiskFlag.AUTO_EXEC)
                || f.flags().contains(RiskFlag.BINARY)
                || f.flags().contains(RiskFlag.ENTRY_MODULE) || f.flags().contains(RiskFlag.INSTALL_SCRIPT);
    }

    /**
     * A file that runs because of where it lands — a {@code .pth} or {@code sitecustomize.py}/{@code usercustomize.py}
     * (site.py at every start), a {@code setup.py} (the installer): only the source file the build installs at that
     * place explains it (the layout aligns it there), never the same bytes at another path, whatever its name.
     */
    private static boolean runsByPlace(ArtifactFile f) {
        return f.flags().contains(RiskFlag.PTH_FILE) || f.flags().contains(RiskFlag.INSTALL_SCRIPT)
                || f.path().toLowerCase(java.util.Locale.ROOT)
                        .matches("(?:.*/)?(?:site|user)customize(?:\\.[^/]+|/__init__\\.[^/]+)");
    }

    /**
     * Runs on a consumer's install: named by an install script or a gyp build, or a bundled dependency
     * ({@code node_modules/}), whose own lifecycle scripts npm runs.
     */
    private static boolean runsAtInstall(ArtifactFile f) {
        return f.flags().contains(RiskFlag.AUTO_EXEC) || f.flags().contains(RiskFlag.INSTALL_SCRIPT)
                || f.path().contains("/node_modules/") || f.path().startsWith("node_modules/");
    }

    /**
     * The file of the commit this artifact file is a packaging relocation of ({@link #SAME_BLOB_OTHER_PATH}): the same
     * blob, the same file name, and one path the other's tail — src-layout {@code src/pkg/x.py} shipped as
     * {@code pkg/x.py}, Maven's {@code src/main/resources/x} as {@code x}, a wheel's {@code NAME.data/scripts/tool}
     * from {@code scripts/tool}. Bytes at an unrelated path (a test fixture shipped as a top-level module that
     * shadows another distribution's) explain nothing and are judged as a new file; nor does code moved out of a
     * test, fixture, example or documentation folder into package space ({@link SourceFolders}), nor a file that
     * runs by itself ({@link RiskFlag#AUTO_EXEC}) moved so.
     *
     * @param expected where the layout looks for the file in the repository (else the artifact path itself); the
     *     artifact path is a tail too (an old Maven layout's {@code src/java/org/x/A.java} for {@code org/x/A.java})
     */
    static Optional<SourceTree.SourceFile> relocatedFrom(ArtifactFile f, String expected,
                                                         List<SourceTree.SourceFile> sameBlob) {
        // what runs by itself (a service file, a registry of classes to load) is judged as code: a test's copy that
        // registers a mock does not explain the one a consumer's framework loads
        boolean code = f.flags().contains(RiskFlag.CODE) || f.flags().contains(RiskFlag.AUTO_EXEC)
                || FileKinds.codePath(f.path());
        for (SourceTree.SourceFile m : sameBlob) {
            String at = m.path();
            if (!baseName(at).equals(baseName(f.path()))) {
                continue;
            }
            for (String tail : expected.equals(f.path()) ? List.of(expected) : List.of(expected, f.path())) {
                Optional<String> extra = extraFolders(at, tail);
                if (extra.isPresent() && !(code && SourceFolders.notPackageSource(extra.get()))) {
                    return Optional.of(m);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The folders {@code source} has beyond {@code tail} when one path is a path-suffix of the other ("" when the
     * source is the shorter), else empty.
     */
    private static Optional<String> extraFolders(String source, String tail) {
        if (source.equals(tail) || tail.endsWith("/" + source)) {
            return Optional.of("");
        }
        if (source.endsWith("/" + tail)) {
            return Optional.of(source.substring(0, source.length() - tail.length()));
        }
        return Optional.empty();
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Flags of an entry that lands outside the install directory or is not a regular file. */
    private static boolean escapes(Set<RiskFlag> flags) {
        return flags.contains(RiskFlag.PATH_TRAVERSAL) || flags.contains(RiskFlag.ABSOLUTE_PATH)
                || (flags.contains(RiskFlag.LINK) && !flags.contains(RiskFlag.LINK_IN_ARCHIVE))
                || flags.contains(RiskFlag.SPECIAL_ENTRY);
    }

    private static FileDivergence row(Input in, ArtifactFile f, Optional<SourceTree.SourceFile> sf,
                                      Optional<String> sourcePath, FileStatus status, String rule,
                                      Set<RiskFlag> flags, Optional<String> detail) throws IOException {
        return row(in.artifact().filename(), f, in.reference(), sf, sourcePath, status, rule, flags,
                isHighRisk(status, flags), detail);
    }

    /**
     * The row of an artifact entry judged against an entry of a reference (either reference: one row shape for both
     * modes). The reference side's hash and size are read only when the bytes are not known to be equal.
     */
    public static FileDivergence row(String filename, ArtifactFile f, Reference reference,
                                     Optional<SourceTree.SourceFile> entry, Optional<String> referencePath,
                                     FileStatus status, String rule, Set<RiskFlag> flags, boolean highRisk,
                                     Optional<String> detail) throws IOException {
        Optional<String> sourceSha = Optional.empty();
        long sourceSize = -1;
        if (entry.isPresent()) {
            boolean same = status == FileStatus.MATCH && entry.get().blobId().equals(f.gitBlobId());
            sourceSha = Optional.of(same ? f.sha256() : reference.sha256(entry.get()));
            sourceSize = same ? f.size() : reference.size(entry.get());
        }
        return new FileDivergence(filename, Optional.of(f.path()), referencePath, status, rule,
                Optional.of(f.sha256()), sourceSha, Optional.of(f.gitBlobId()), entry.map(SourceTree.SourceFile::blobId),
                f.size(), sourceSize, flags, highRisk, detail);
    }

    /**
     * SOURCE_ONLY rows: the reference's entries in scope that no artifact entry was judged against (a commit's tests
     * and docs, normally benign; an entry the rebuild writes and the release lacks).
     *
     * @param withHashes whether the rows carry the entries' SHA-256 and size (read from the reference)
     */
    public static List<FileDivergence> unshipped(String filename, Reference reference, Set<String> judged,
                                                 java.util.function.Predicate<String> inScope, String rule,
                                                 boolean withHashes, Optional<String> detail) throws IOException {
        List<FileDivergence> out = new ArrayList<>();
        for (SourceTree.SourceFile s : reference.files().values()) {
            if (!judged.contains(s.path()) && inScope.test(s.path())) {
                out.add(new FileDivergence(filename, Optional.empty(), Optional.of(s.path()), FileStatus.SOURCE_ONLY,
                        rule, Optional.empty(), withHashes ? Optional.of(reference.sha256(s)) : Optional.empty(),
                        Optional.empty(), Optional.of(s.blobId()), -1, withHashes ? reference.size(s) : -1, Set.of(),
                        false, detail));
            }
        }
        return out;
    }
}
