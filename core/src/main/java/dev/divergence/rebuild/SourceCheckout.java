package dev.divergence.rebuild;

import dev.divergence.source.SourceRepository;
import dev.divergence.source.SourceTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * Writes a commit's tree into a build's work dir from Git objects (no {@code git} process, no hooks, no filters,
 * no LFS smudge): what the repository holds, as the build sees it. Submodules are not checked out (their source
 * is another repository; the instructions say so).
 */
public final class SourceCheckout {

    /** A blob larger than this is not written (a build needing it fails and says so). */
    static final long MAX_BLOB = 256L << 20;

    private SourceCheckout() {
    }

    /** @return the submodule paths left empty */
    public static List<String> write(SourceRepository repo, String commit, Path dir) throws IOException {
        SourceTree tree = repo.tree(commit);
        Path root = Files.createDirectories(dir).toRealPath();
        // Every file gets the commit's time, not the checkout's: tools that copy file times into archives (an sdist's
        // tar entries) then write the same bytes on every rebuild of this commit.
        long seconds = repo.index().commits().stream().filter(c -> c.id().name().equals(commit))
                .mapToLong(c -> c.time()).findFirst().orElse(315532800L);
        java.nio.file.attribute.FileTime time = java.nio.file.attribute.FileTime.from(seconds, java.util.concurrent.TimeUnit.SECONDS);
        for (SourceTree.SourceFile f : tree.files().values()) {
            Path target = root.resolve(f.path()).normalize();
            if (!target.startsWith(root) || f.path().contains("\\")) {
                continue; // Git refuses such names at checkout; so do we
            }
            Path parent = target.getParent();
            if (!insideWithoutLinks(root, parent)) {
                continue; // a path under a symlinked directory would be written through the link
            }
            Files.createDirectories(parent);
            Optional<byte[]> bytes = repo.read(f.blobId(), MAX_BLOB);
            if (bytes.isEmpty()) {
                continue;
            }
            if ((f.mode() & 0170000) == 0120000) {
                Files.createSymbolicLink(target, Path.of(new String(bytes.get(), java.nio.charset.StandardCharsets.UTF_8)));
            } else {
                Files.write(target, bytes.get());
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                        (f.mode() & 0111) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
                Files.setLastModifiedTime(target, time);
            }
        }
        return List.copyOf(tree.gitlinks().keySet());
    }

    /** {@code dir} is {@code root} or below it with no symbolic link on the way. */
    static boolean insideWithoutLinks(Path root, Path dir) {
        for (Path p = dir; p != null && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                return false;
            }
            if (!p.startsWith(root)) {
                return false;
            }
        }
        return dir.startsWith(root);
    }

    /**
     * The regular file at {@code relative} under {@code root}, only when neither it nor a folder on its way is a
     * symbolic link: a build may plant a link to a file of this machine where its output should be.
     */
    public static Optional<Path> regularFile(Path root, String relative) throws IOException {
        Path realRoot = root.toRealPath();
        Path p = realRoot.resolve(relative).normalize();
        if (!p.startsWith(realRoot) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                || !insideWithoutLinks(realRoot, p.getParent())) {
            return Optional.empty();
        }
        return Optional.of(p);
    }
}
