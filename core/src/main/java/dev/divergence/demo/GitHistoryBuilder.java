package dev.divergence.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.SortedMap;
import java.util.TimeZone;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Writes a real Git history with JGit: each commit replaces the whole work tree by the given files, so a
 * caller describes states, not diffs. Author and committer times are fixed by the caller (reproducible ids).
 */
public final class GitHistoryBuilder implements AutoCloseable {

    private final Git git;
    private final Path dir;
    private SortedMap<String, byte[]> current = new TreeMap<>();

    private GitHistoryBuilder(Git git, Path dir) {
        this.git = git;
        this.dir = dir;
    }

    public static GitHistoryBuilder init(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
            Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
            return new GitHistoryBuilder(git, dir);
        } catch (GitAPIException e) {
            throw new IOException("cannot init repository at " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Commits exactly {@code files} as the new tree; returns the commit id. */
    public String commit(SortedMap<String, byte[]> files, String message, Instant when) throws IOException {
        try {
            for (String old : current.keySet()) {
                if (!files.containsKey(old)) {
                    Files.deleteIfExists(dir.resolve(old));
                    git.rm().addFilepattern(old).call();
                }
            }
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Path p = dir.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
                git.add().addFilepattern(e.getKey()).call();
            }
            PersonIdent who = new PersonIdent(new PersonIdent("Demo Maintainer", "maintainer@example.org"),
                    Date.from(when), TimeZone.getTimeZone("UTC"));
            RevCommit c = git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false)
                    .setAllowEmpty(true).call();
            current = new TreeMap<>(files);
            return c.getName();
        } catch (GitAPIException e) {
            throw new IOException("commit failed: " + e.getMessage(), e);
        }
    }

    /**
     * Stages a submodule entry (a gitlink: mode 160000 pointing at a commit of another repository) at {@code path}
     * for the next commit, as {@code git submodule add} leaves it; the submodule's files are not in this repository.
     */
    public void gitlink(String path, String commit) throws IOException {
        stage(path, org.eclipse.jgit.lib.FileMode.GITLINK, org.eclipse.jgit.lib.ObjectId.fromString(commit));
    }

    /** Stages {@code id} at {@code path} with {@code mode} in the index, for the next commit. */
    private void stage(String path, org.eclipse.jgit.lib.FileMode mode, org.eclipse.jgit.lib.ObjectId id)
            throws IOException {
        org.eclipse.jgit.dircache.DirCache dc = git.getRepository().lockDirCache();
        try {
            org.eclipse.jgit.dircache.DirCacheEditor ed = dc.editor();
            ed.add(new org.eclipse.jgit.dircache.DirCacheEditor.PathEdit(path) {
                @Override
                public void apply(org.eclipse.jgit.dircache.DirCacheEntry ent) {
                    ent.setFileMode(mode);
                    ent.setObjectId(id);
                }
            });
            ed.commit();
        } finally {
            dc.unlock();
        }
    }

    /**
     * Stages a symbolic link at {@code path} pointing to {@code target} for the next commit, as git stores one: a
     * blob holding the target text, with mode 120000.
     */
    public void symlink(String path, String target) throws IOException {
        org.eclipse.jgit.lib.ObjectId blob;
        try (org.eclipse.jgit.lib.ObjectInserter ins = git.getRepository().newObjectInserter()) {
            blob = ins.insert(org.eclipse.jgit.lib.Constants.OBJ_BLOB,
                    target.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ins.flush();
        }
        stage(path, org.eclipse.jgit.lib.FileMode.SYMLINK, blob);
    }

    /** Tags HEAD; annotated tags carry a message, lightweight ones do not (both occur in the wild). */
    public void tag(String name, boolean annotated) throws IOException {
        try {
            git.tag().setName(name).setAnnotated(annotated).setMessage(annotated ? "Release " + name : null)
                    .setSigned(false).call();
        } catch (GitAPIException e) {
            throw new IOException("tag failed: " + e.getMessage(), e);
        }
    }

    /** Points an existing tag at another commit (tag mutation, as in the GitHub Actions incidents). */
    public void moveTag(String name, String commit) throws IOException {
        try {
            var id = git.getRepository().resolve(commit);
            git.tag().setName(name).setObjectId(git.getRepository().parseCommit(id)).setAnnotated(false)
                    .setForceUpdate(true).call();
        } catch (GitAPIException e) {
            throw new IOException("tag move failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
