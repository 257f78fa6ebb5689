package dev.divergence.rebuild;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How what a resolve step downloaded reaches the executor's shared Maven repository: the step runs project-controlled
 * code (build extensions, plugins of the throw-away build) with a private copy of the repository writable, never
 * the shared one; afterwards only files the shared repository lacks are merged in, and only when their SHA-1 is
 * the one the configured Maven repository publishes beside them (fetched here, outside the sandbox). A file the
 * build changed, or planted without the registry vouching for it, never reaches the next build.
 * Maven's own bookkeeping is not copied: {@code _remote.repositories} entries are written for the files merged.
 */
final class VerifiedMerge {

    /** What a merge did: files merged, and files refused with why (a planted or altered file shows here). */
    record Result(int merged, List<String> refused) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    private VerifiedMerge() {
    }

    static Result merge(Path privateRepo, Path shared, URI registry, String repositoryId) throws IOException {
        List<String> candidates = new ArrayList<>();
        try (var walk = Files.walk(privateRepo)) {
            for (Path p : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                String rel = privateRepo.relativize(p).toString().replace('\\', '/');
                if (!bookkeeping(rel) && !Files.exists(shared.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
                    candidates.add(rel);
                }
            }
        }
        ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> verified = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "verified-merge");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String rel : candidates) {
                futures.add(pool.submit(() -> {
                    try {
                        String published = registrySha1(registry, rel);
                        String actual = sha1(privateRepo.resolve(rel));
                        if (published == null) {
                            refused.add(rel + ": the registry publishes no SHA-1 for it");
                        } else if (!published.equals(actual)) {
                            refused.add(rel + ": SHA-1 " + actual + ", the registry's " + published);
                        } else {
                            verified.add(rel);
                        }
                    } catch (IOException e) {
                        refused.add(rel + ": " + e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        refused.add(rel + ": interrupted");
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    refused.add("merge failed: " + e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while merging the resolved repository", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (String rel : verified.stream().sorted().toList()) {
            Path target = shared.resolve(rel);
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".merge", ".tmp");
            Files.copy(privateRepo.resolve(rel), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(shared.resolve(rel + ".sha1"), sha1(target));
            // Maven's enhanced local repository: offline, a file counts only when recorded as from this repository id.
            String name = target.getFileName().toString();
            Files.writeString(target.resolveSibling("_remote.repositories"), name + ">" + repositoryId + "=\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return new Result(verified.size(), refused.stream().sorted().toList());
    }

    /** Maven's bookkeeping and checksum files: written by us for merged files, never taken from the sandbox. */
    static boolean bookkeeping(String rel) {
        String name = rel.substring(rel.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return name.equals("_remote.repositories") || name.endsWith(".lastupdated") || name.startsWith("maven-metadata")
                || name.equals("resolver-status.properties") || name.endsWith(".part") || name.endsWith(".lock")
                || name.endsWith(".sha1") || name.endsWith(".md5") || name.endsWith(".sha256") || name.endsWith(".sha512")
                || name.endsWith(".asc") || name.startsWith(".");
    }

    /** Attempts at the registry's SHA-1 of one file: a busy registry or network must not refuse a genuine file. */
    static final int ATTEMPTS = 3;

    private static String registrySha1(URI registry, String rel) throws IOException, InterruptedException {
        String base = registry.toString().replaceAll("/+$", "");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/" + rel + ".sha1"))
                .timeout(Duration.ofSeconds(60)).build();
        HttpResponse<String> r = null;
        for (int attempt = 1; r == null; attempt++) {
            try {
                r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if ((r.statusCode() == 429 || r.statusCode() >= 500) && attempt < ATTEMPTS) {
                    r = null; // the registry answered "later": ask again after a pause
                }
            } catch (IOException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
            if (r == null) {
                Thread.sleep(500L * attempt);
            }
        }
        if (r.statusCode() != 200) {
            return null;
        }
        String[] words = r.body().strip().split("\\s+");
        return words.length == 0 || !words[0].matches("[0-9a-fA-F]{40}") ? null : words[0].toLowerCase(Locale.ROOT);
    }

    static String sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
