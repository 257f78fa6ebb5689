package dev.divergence.store;

import dev.divergence.http.HttpFetcher;
import dev.divergence.model.Artifact;
import dev.divergence.model.DigestStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Content-addressed download cache: {@code ROOT/sha256/ab/abcd...}, with links under {@code ROOT/sha512/},
 * {@code ROOT/sha1/} and {@code ROOT/md5/} so that a registry that publishes only those (npm integrity,
 * Maven {@code .sha1}) still finds cached bytes. Bytes are hashed while they stream to a temporary file and
 * only then moved under their own digest, so a cache entry is always what its name says; a registry digest
 * that disagrees is reported rather than trusted.
 */
public final class ArtifactStore {

    /** Strongest first: the one used to find cached bytes. */
    static final List<String> ALGORITHMS = List.of("sha512", "sha256", "sha1", "md5");
    private static final Map<String, Integer> HEX_LENGTH = Map.of("sha512", 128, "sha256", 64, "sha1", 40, "md5", 32);
    private static final Map<String, String> JCA = Map.of("sha512", "SHA-512", "sha256", "SHA-256", "sha1", "SHA-1",
            "md5", "MD5");

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
        List<String> notes = new ArrayList<>();
        Map<String, String> expected = expectedDigests(artifact, notes);
        for (String algo : ALGORITHMS) {
            String hex = expected.get(algo);
            if (hex != null && Files.isRegularFile(pathFor(algo, hex))) {
                Path cached = pathFor(algo, hex);
                Optional<String> sha256 = Optional.ofNullable(expected.get("sha256"));
                if (sha256.isEmpty()) {
                    sha256 = Optional.of(readSha256Alias(cached));
                }
                return new Fetched(Optional.of(cached), sha256, DigestStatus.VERIFIED, Optional.empty(), true);
            }
        }
        Path tmp = null;
        try {
            Files.createDirectories(root.resolve("tmp"));
            tmp = Files.createTempFile(root.resolve("tmp"), "dl-", ".part");
            Map<String, MessageDigest> digests = new LinkedHashMap<>();
            for (String algo : ALGORITHMS) {
                digests.put(algo, MessageDigest.getInstance(JCA.get(algo)));
            }
            Path part = tmp;
            http.download(artifact.url(), () -> {
                // every attempt starts over: empty file, fresh digests
                digests.values().forEach(MessageDigest::reset);
                OutputStream file = Files.newOutputStream(part);
                return new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        for (MessageDigest md : digests.values()) {
                            md.update(b, off, len);
                        }
                        file.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        file.close();
                    }
                };
            }, maxBytes);
            Map<String, String> actual = new LinkedHashMap<>();
            digests.forEach((algo, md) -> actual.put(algo, HexFormat.of().formatHex(md.digest())));
            Path target = pathFor("sha256", actual.get("sha256"));
            Files.createDirectories(target.getParent());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            for (String algo : List.of("sha512", "sha1", "md5")) {
                alias(target, algo, actual.get(algo), actual.get("sha256"));
            }
            Optional<String> sha256 = Optional.of(actual.get("sha256"));
            List<String> mismatches = new ArrayList<>();
            for (Map.Entry<String, String> e : expected.entrySet()) {
                if (!e.getValue().equals(actual.get(e.getKey()))) {
                    mismatches.add(e.getKey() + " mismatch: registry says " + e.getValue() + ", downloaded bytes are "
                            + actual.get(e.getKey()));
                }
            }
            if (!mismatches.isEmpty()) {
                mismatches.addAll(notes);
                return new Fetched(Optional.of(target), sha256, DigestStatus.MISMATCH,
                        Optional.of(String.join("; ", mismatches)), false);
            }
            if (expected.isEmpty()) {
                return new Fetched(Optional.of(target), sha256, DigestStatus.NOT_PUBLISHED,
                        notes.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", notes)), false);
            }
            return new Fetched(Optional.of(target), sha256, DigestStatus.VERIFIED, Optional.empty(), false);
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
                    // a stray .part file in tmp/ is harmless: nothing reads tmp/
                }
            }
        }
    }

    /**
     * Registry digests, well-formed only: a digest names a cache path, so "../" from a hostile answer must
     * never get there. Digests published as files (Maven) are fetched here; a missing one is a note.
     */
    private Map<String, String> expectedDigests(Artifact artifact, List<String> notes) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String algo : ALGORITHMS) {
            String hex = artifact.digests().get(algo);
            if (hex == null && artifact.digestUrls().containsKey(algo)) {
                try {
                    String text = new String(http.getBytes(artifact.digestUrls().get(algo), "text/plain", 4096),
                            StandardCharsets.US_ASCII).trim();
                    hex = text.isEmpty() ? null : text.split("\\s+")[0];
                } catch (HttpFetcher.FetchException e) {
                    notes.add(algo + " digest file unavailable (" + e.getMessage() + ")");
                }
            }
            if (hex != null) {
                hex = hex.toLowerCase(Locale.ROOT);
                if (hex.matches("[0-9a-f]{" + HEX_LENGTH.get(algo) + "}")) {
                    out.put(algo, hex);
                } else {
                    notes.add("registry " + algo + " digest is malformed: '" + abbreviate(hex) + "'");
                }
            }
        }
        return out;
    }

    private void alias(Path target, String algo, String hex, String sha256) throws IOException {
        Path link = pathFor(algo, hex);
        if (Files.exists(link)) {
            return;
        }
        Files.createDirectories(link.getParent());
        try {
            Files.createLink(link, target);
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(target, link, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(link.resolveSibling(hex + ".sha256"), sha256);
    }

    private String readSha256Alias(Path cached) {
        try {
            Path note = cached.resolveSibling(cached.getFileName() + ".sha256");
            return Files.isRegularFile(note) ? Files.readString(note).trim() : cached.getFileName().toString();
        } catch (IOException e) {
            return cached.getFileName().toString();
        }
    }

    Path pathFor(String algo, String hex) {
        return root.resolve(algo).resolve(hex.substring(0, 2)).resolve(hex);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
