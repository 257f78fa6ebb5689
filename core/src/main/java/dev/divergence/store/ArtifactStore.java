package dev.divergence.store;

import dev.divergence.http.HttpFetcher;
import dev.divergence.model.Artifact;
import dev.divergence.model.DigestStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Content-addressed download cache: {@code ROOT/sha256/ab/abcd...}. Bytes are hashed while they stream to a
 * temporary file and only then moved under their own digest, so a cache entry is always what its name says,
 * and a registry digest that disagrees is reported rather than trusted.
 */
public final class ArtifactStore {

    /** A downloaded (or cached) artifact, or why it could not be had. */
    public record Fetched(Optional<Path> path, Optional<String> sha256, DigestStatus digestStatus,
                          Optional<String> error, boolean fromCache) {
    }

    private final Path root;
    private final HttpFetcher http;
    private final long maxBytes;

    public ArtifactStore(Path root, HttpFetcher http, long maxBytes) {
        this.root = root;
        this.http = http;
        this.maxBytes = maxBytes;
    }

    public Path root() {
        return root;
    }

    public Fetched fetch(Artifact artifact) {
        // The registry's digest names a cache path: accept only well-formed hex, never "../" from a hostile answer.
        Optional<String> expected = artifact.sha256().map(String::toLowerCase).filter(d -> d.matches("[0-9a-f]{64}"));
        if (expected.isPresent()) {
            Path cached = pathFor(expected.get());
            if (Files.isRegularFile(cached)) {
                return new Fetched(Optional.of(cached), expected, DigestStatus.VERIFIED, Optional.empty(), true);
            }
        }
        Path tmp = null;
        try {
            Files.createDirectories(root.resolve("tmp"));
            tmp = Files.createTempFile(root.resolve("tmp"), "dl-", ".part");
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), md)) {
                http.download(artifact.url(), out, maxBytes);
            }
            String actual = HexFormat.of().formatHex(md.digest());
            Path target = pathFor(actual);
            Files.createDirectories(target.getParent());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            if (expected.isEmpty()) {
                return new Fetched(Optional.of(target), Optional.of(actual), DigestStatus.NOT_PUBLISHED,
                        Optional.empty(), false);
            }
            if (!expected.get().equals(actual)) {
                return new Fetched(Optional.of(target), Optional.of(actual), DigestStatus.MISMATCH,
                        Optional.of("sha256 mismatch: registry says " + expected.get() + ", downloaded bytes are "
                                + actual), false);
            }
            return new Fetched(Optional.of(target), Optional.of(actual), DigestStatus.VERIFIED, Optional.empty(), false);
        } catch (IOException e) {
            return new Fetched(Optional.empty(), Optional.empty(), DigestStatus.NOT_FETCHED,
                    Optional.of("download failed: " + e.getMessage()), false);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stray .part file in tmp/ is harmless and overwritten never
                }
            }
        }
    }

    Path pathFor(String sha256) {
        return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
    }
}
