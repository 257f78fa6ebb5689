package dev.divergence.source;

import com.google.common.hash.Hashing;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Opens each repository once per JVM (so once per Spark executor, however many tasks scan its versions).
 * A local path is opened in place; a URL is mirrored (branches and tags only: {@code refs/pull/*} can be created
 * by anyone who opens a pull request and is never a baseline) into {@code CACHE/repos/<hash>.git} and fetched
 * again on the first use in a JVM. Whatever other refs a local path or an older mirror carries, the
 * {@link BlobIndex} trusts only branches and tags. The operator's {@link Mirrors} ({@code scan --mirror}) say where a
 * location is opened instead; the repository keeps the location it was asked for (relative submodule URLs resolve
 * against it).
 */
public final class RepositoryCache {

    private static final Map<String, SourceRepository> OPEN = new ConcurrentHashMap<>();
    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();
    /** Why a location could not be opened, for {@link #tryOpen}: one attempt per location per run. */
    private static final Map<String, String> FAILED = new ConcurrentHashMap<>();
    private static volatile Mirrors mirrors = Mirrors.NONE;

    private RepositoryCache() {
    }

    /** Opens or clones {@code location} (URL or local path). Throws with a readable reason when it cannot. */
    public static SourceRepository open(String location, Path cacheRoot) throws IOException {
        SourceRepository known = OPEN.get(location);
        if (known != null) {
            return known;
        }
        synchronized (LOCKS.computeIfAbsent(location, k -> new Object())) {
            known = OPEN.get(location);
            if (known != null) {
                return known;
            }
            String actual = mirrors.rewrite(location).orElse(location);
            Repository repo;
            try {
                repo = isUrl(actual) ? mirror(actual, cacheRoot) : openLocal(Path.of(actual));
            } catch (java.nio.file.InvalidPathException e) {
                throw new IOException("not a repository location: " + actual, e);
            }
            SourceRepository sr = new SourceRepository(location, repo,
                    Optional.ofNullable(cacheRoot).map(root -> root.resolve("index")));
            OPEN.put(location, sr);
            return sr;
        }
    }

    /** What {@link #tryOpen} answers: the repository, or why it cannot be opened. */
    public record Opened(Optional<SourceRepository> repository, Optional<String> problem) {
    }

    /**
     * {@link #open}, remembering a failure until {@link #clear}: a location named again and again (the same submodule
     * in every version of a package) costs one attempt per run, not one clone timeout per file.
     */
    public static Opened tryOpen(String location, Path cacheRoot) {
        String failed = FAILED.get(location);
        if (failed != null) {
            return new Opened(Optional.empty(), Optional.of(failed));
        }
        try {
            return new Opened(Optional.of(open(location, cacheRoot)), Optional.empty());
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            FAILED.put(location, why);
            return new Opened(Optional.empty(), Optional.of(why));
        }
    }

    /**
     * The operator's mirrors for every repository opened from now on, in this JVM (the driver's and each executor's
     * first task set them). Repositories opened under other rules are forgotten.
     */
    public static synchronized void useMirrors(Mirrors rules) {
        if (!rules.equals(mirrors)) {
            clear();
            mirrors = rules;
        }
    }

    /** Whether an operator's mirror rule names {@code location} (then the operator has said where it lives). */
    public static boolean mirrored(String location) {
        return mirrors.rewrite(location).isPresent();
    }

    static boolean isUrl(String location) {
        return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || location.matches("^[^/]+@[^/]+:.*");
    }

    private static Repository openLocal(Path path) throws IOException {
        File dir = path.toFile();
        if (!dir.exists()) {
            throw new IOException("repository path does not exist: " + path);
        }
        FileRepositoryBuilder b = new FileRepositoryBuilder().setMustExist(true);
        File dotGit = new File(dir, ".git");
        if (dotGit.exists()) {
            b.setGitDir(dotGit);
        } else {
            b.setGitDir(dir); // a bare repository
        }
        try {
            return b.build();
        } catch (IOException | RuntimeException e) {
            throw new IOException("not a Git repository: " + path + " (" + e.getMessage() + ")", e);
        }
    }

    private static Repository mirror(String url, Path cacheRoot) throws IOException {
        String key = Hashing.sha256().hashString(url, StandardCharsets.UTF_8).toString().substring(0, 24);
        Path dir = cacheRoot.resolve("repos").resolve(key + ".git");
        try {
            Git git;
            if (Files.isDirectory(dir.resolve("objects"))) {
                git = Git.open(dir.toFile());
            } else {
                Files.createDirectories(dir);
                git = Git.init().setBare(true).setDirectory(dir.toFile()).call();
                git.getRepository().getConfig().setString("remote", "origin", "url", url);
                git.getRepository().getConfig().save();
            }
            org.eclipse.jgit.transport.FetchResult fetched = git.fetch().setRemote(url)
                    .setRefSpecs(List.of(new RefSpec("+refs/heads/*:refs/heads/*"),
                    new RefSpec("+refs/tags/*:refs/tags/*")))
                    .setRemoveDeletedRefs(true).call();
            dropUntrustedRefs(git.getRepository());
            linkHead(git.getRepository(), fetched.getAdvertisedRef(org.eclipse.jgit.lib.Constants.HEAD));
            return git.getRepository();
        } catch (GitAPIException | RuntimeException e) {
            throw new IOException("cannot clone " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * Points the mirror's {@code HEAD} at the remote's default branch, as {@code git clone --mirror} does: the
     * default branch is where merged (reviewed) history lives, and a commit only side branches hold is judged by it
     * ({@link BlobIndex#branchOnlyRefOf}). The remote says which branch its {@code HEAD} names (protocol v2's
     * symref), or else which branch shares its commit.
     */
    private static void linkHead(Repository repo, org.eclipse.jgit.lib.Ref advertised) throws IOException {
        if (advertised == null) {
            return;
        }
        String target = null;
        if (advertised.isSymbolic()) {
            target = advertised.getTarget().getName();
        } else if (advertised.getObjectId() != null) {
            for (String preferred : List.of("refs/heads/main", "refs/heads/master")) {
                org.eclipse.jgit.lib.Ref r = repo.exactRef(preferred);
                if (r != null && advertised.getObjectId().equals(r.getObjectId())) {
                    target = preferred;
                    break;
                }
            }
            if (target == null) {
                target = repo.getRefDatabase().getRefsByPrefix(org.eclipse.jgit.lib.Constants.R_HEADS).stream()
                        .filter(r -> advertised.getObjectId().equals(r.getObjectId())).map(org.eclipse.jgit.lib.Ref::getName)
                        .sorted().findFirst().orElse(null);
            }
        }
        if (target != null && target.startsWith(org.eclipse.jgit.lib.Constants.R_HEADS) && repo.exactRef(target) != null) {
            repo.updateRef(org.eclipse.jgit.lib.Constants.HEAD).link(target);
        }
    }

    /**
     * Mirrors made before divergence stopped fetching {@code refs/pull/*} still carry them: they are never trusted
     * (see {@link BlobIndex}) but cost indexing time, so our own mirror drops every ref but branches and tags.
     * A user's local repository is never changed.
     */
    private static void dropUntrustedRefs(Repository repo) throws IOException {
        for (org.eclipse.jgit.lib.Ref ref : repo.getRefDatabase().getRefs()) {
            if (!ref.isSymbolic() && !BlobIndex.trusted(ref.getName())) {
                org.eclipse.jgit.lib.RefUpdate u = repo.updateRef(ref.getName());
                u.setForceUpdate(true);
                u.delete();
            }
        }
    }

    /** Forgets open repositories: the next open sees refs and objects as they are now (a new run). */
    public static void clear() {
        OPEN.values().forEach(SourceRepository::close);
        OPEN.clear();
        FAILED.clear();
    }
}
