package dev.divergence.jobs;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Paths checked before Spark starts: a bad {@code --out} used to cost Spark's start-up and end in a Hadoop stack
 * trace; now it is one line, in milliseconds. Local folders are checked on the filesystem; a URI's scheme must have a
 * Hadoop filesystem on the classpath (its reachability is left to the run: a cluster filesystem may need
 * credentials only the executors have).
 */
final class Preflight {

    private Preflight() {
    }

    /** Where a scan writes: a folder that is, or can be, created and written, or a URI Hadoop can write to. */
    static void writableDataset(String option, String location) throws ScanOptions.UsageException {
        if (isUri(location) && !location.regionMatches(true, 0, "file://", 0, 7)) {
            checkScheme(option, location);
            return;
        }
        writableDirectory(option, localPath(location));
    }

    /** Where a command reads: an existing dataset folder (holding {@code releases/}), or a URI Hadoop can read. */
    static void readableDataset(String option, String location) throws ScanOptions.UsageException {
        if (isUri(location) && !location.regionMatches(true, 0, "file://", 0, 7)) {
            checkScheme(option, location);
            return;
        }
        Path p = localPath(location);
        if (!Files.exists(p)) {
            throw new ScanOptions.UsageException(option + " " + location + " does not exist");
        }
        if (!Files.isDirectory(p)) {
            throw new ScanOptions.UsageException(option + " " + location + " is a file, not a dataset folder");
        }
        if (!Files.isDirectory(p.resolve(Tables.RELEASES))) {
            throw new ScanOptions.UsageException(option + " " + location
                    + " holds no dataset (no releases/ folder: run 'divergence scan --out " + location + "' first)");
        }
    }

    /** A local folder that exists and is writable, or whose nearest existing ancestor is a writable folder. */
    static void writableDirectory(String option, Path dir) throws ScanOptions.UsageException {
        Path p = dir.toAbsolutePath().normalize();
        if (Files.exists(p)) {
            if (!Files.isDirectory(p)) {
                throw new ScanOptions.UsageException(option + " " + dir + " is a file, not a folder");
            }
            if (!Files.isWritable(p)) {
                throw new ScanOptions.UsageException(option + " " + dir + " is not writable");
            }
            return;
        }
        Path ancestor = p.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null || !Files.isDirectory(ancestor)) {
            throw new ScanOptions.UsageException(option + " " + dir + " cannot be created: "
                    + (ancestor == null ? "no existing parent" : ancestor + " is a file"));
        }
        if (!Files.isWritable(ancestor)) {
            throw new ScanOptions.UsageException(option + " " + dir + " cannot be created: " + ancestor
                    + " is not writable");
        }
    }

    /**
     * A {@code --repo} that names a local folder must exist (a typo would otherwise make every version NO_SOURCE after
     * Spark started); URLs and scp-like {@code user@host:path} are left to the run, which fetches them.
     */
    static void repository(String purl, String repo) throws ScanOptions.UsageException {
        if (isUri(repo) || repo.matches("^[^/@\\s]+@[^/:\\s]+:.*")) {
            return;
        }
        if (!Files.isDirectory(Path.of(repo))) {
            throw new ScanOptions.UsageException("the repository of " + purl + ", " + repo + (Files.exists(Path.of(repo))
                    ? ", is not a folder (a Git repository or a clone of one)" : ", does not exist"));
        }
    }

    /** A {@code --mirror} to a local folder must exist (a typo would otherwise leave every repository it names unopened). */
    static void mirror(String prefix, String target) throws ScanOptions.UsageException {
        if (isUri(target) || target.matches("^[^/@\\s]+@[^/:\\s]+:.*")) {
            return;
        }
        if (!Files.isDirectory(Path.of(target))) {
            throw new ScanOptions.UsageException("--mirror " + prefix + "=" + target + ": " + target
                    + (Files.exists(Path.of(target)) ? " is not a folder" : " does not exist"));
        }
    }

    static boolean isUri(String location) {
        return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
    }

    private static Path localPath(String location) throws ScanOptions.UsageException {
        try {
            return location.regionMatches(true, 0, "file://", 0, 7) ? Path.of(URI.create(location)) : Path.of(location);
        } catch (IllegalArgumentException e) { // InvalidPathException included
            throw new ScanOptions.UsageException("not a path: " + location + " (" + e.getMessage() + ")");
        }
    }

    private static void checkScheme(String option, String location) throws ScanOptions.UsageException {
        String scheme = location.substring(0, location.indexOf(':')).toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            return;
        }
        try {
            FileSystem.getFileSystemClass(scheme, new Configuration());
        } catch (IOException | RuntimeException | LinkageError e) {
            // UnsupportedFileSystemException, or a known scheme whose implementation (hadoop-aws for s3a, ...) is
            // not on the classpath
            throw new ScanOptions.UsageException(option + " " + location + ": no Hadoop filesystem for '" + scheme
                    + "://' on the classpath (local folders, hdfs://, and the schemes of the jars the cluster adds)");
        }
    }
}
