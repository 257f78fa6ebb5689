package dev.divergence.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * HTTP GET with bounded retries: 429 (honouring Retry-After, capped), 5xx and connection errors are retried
 * with exponential backoff; other 4xx fail at once. Bodies are size-limited: registry answers are untrusted.
 */
public final class HttpFetcher {

    public record Policy(int attempts, Duration initialBackoff, Duration maxBackoff, Duration requestTimeout) {
        public static Policy defaults() {
            return new Policy(4, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5));
        }
    }

    /** The request failed for good; {@code status} is the last HTTP status, or -1 for a network error. */
    public static final class FetchException extends IOException {
        private final int status;

        public FetchException(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final HttpClient client;
    private final Policy policy;
    private final String userAgent;

    public HttpFetcher(Policy policy) {
        this.policy = policy;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
        this.userAgent = "divergence/0.1 (+artifact-to-source divergence scanner)";
    }

    public HttpFetcher() {
        this(Policy.defaults());
    }

    /** GETs a body of at most {@code maxBytes} into memory. */
    public byte[] getBytes(String url, String accept, long maxBytes) throws FetchException {
        return getDated(url, accept, maxBytes).bytes();
    }

    /** A body and the time its server says it was last modified ({@code Last-Modified}), when it says so. */
    public record Dated(byte[] bytes, Optional<java.time.Instant> lastModified) {
    }

    /** GETs a body of at most {@code maxBytes} into memory, with its {@code Last-Modified} time. */
    public Dated getDated(String url, String accept, long maxBytes) throws FetchException {
        return execute(url, accept, (in, headers) -> {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (b.length > maxBytes) {
                throw new IOException("response larger than " + maxBytes + " bytes");
            }
            return new Dated(b, headers.firstValue("Last-Modified").flatMap(HttpFetcher::parseHttpDate));
        });
    }

    static Optional<java.time.Instant> parseHttpDate(String value) {
        try {
            return Optional.of(java.time.ZonedDateTime.parse(value.trim(),
                    java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Whether a URL answers 200 to HEAD (404/410: false); other failures throw after the retries. */
    public boolean exists(String url) throws FetchException {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(policy.requestTimeout())
                        .header("User-Agent", userAgent).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
                int status = client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return true;
                }
                if (status == 404 || status == 410) {
                    return false;
                }
                if ((status != 429 && status < 500) || attempt >= policy.attempts()) {
                    throw new FetchException("HTTP " + status + " for HEAD " + url, status, null);
                }
            } catch (IOException e) {
                if (attempt >= policy.attempts()) {
                    throw new FetchException("network error: " + describe(e) + " for HEAD " + url, -1, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FetchException("interrupted", -1, e);
            } catch (IllegalArgumentException e) {
                throw new FetchException("invalid URL '" + url + "'", -1, e);
            }
            sleep(policy.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 10)));
        }
    }

    /** Where a download goes; opened anew for every attempt, so a retry never appends to a broken-off body. */
    @FunctionalInterface
    public interface Sink {
        OutputStream open() throws IOException;
    }

    /** Streams a body into a fresh {@code sink} per attempt; returns the number of bytes written. */
    public long download(String url, Sink sink, long maxBytes) throws FetchException {
        return execute(url, "*/*", (in, headers) -> {
            try (OutputStream out = sink.open()) {
                return copy(in, out, maxBytes);
            }
        });
    }

    private static long copy(InputStream in, OutputStream out, long maxBytes) throws IOException {
        {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new IOException("download larger than " + maxBytes + " bytes");
                }
                out.write(buf, 0, n);
            }
            return total;
        }
    }

    @FunctionalInterface
    private interface BodyHandler<T> {
        T handle(InputStream in, java.net.http.HttpHeaders headers) throws IOException;
    }

    private <T> T execute(String url, String accept, BodyHandler<T> handler) throws FetchException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new FetchException("invalid URL '" + url + "'", -1, e);
        }
        Duration backoff = policy.initialBackoff();
        int lastStatus = -1;
        Exception last = null;
        for (int attempt = 1; attempt <= policy.attempts(); attempt++) {
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(policy.requestTimeout())
                    .header("Accept", accept).header("User-Agent", userAgent).GET().build();
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
                lastStatus = resp.statusCode();
                try (InputStream body = resp.body()) {
                    if (lastStatus == 200) {
                        try {
                            return handler.handle(body, resp.headers());
                        } catch (IOException bodyFailed) {
                            lastStatus = -1; // headers said 200, the body broke off: a network fault, retried
                            throw bodyFailed;
                        }
                    }
                }
                if (lastStatus != 429 && lastStatus < 500) {
                    throw new FetchException("HTTP " + lastStatus + " for " + url, lastStatus, null);
                }
                retryAfter = resp.headers().firstValue("Retry-After").flatMap(HttpFetcher::parseSeconds);
                last = new IOException("HTTP " + lastStatus);
            } catch (FetchException e) {
                throw e;
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FetchException("interrupted while fetching " + url, -1, e);
            }
            if (attempt < policy.attempts()) {
                Duration wait = retryAfter.orElse(backoff);
                if (wait.compareTo(policy.maxBackoff()) > 0) {
                    wait = policy.maxBackoff();
                }
                sleep(wait);
                backoff = backoff.multipliedBy(2);
            }
        }
        String what = lastStatus > 0 ? "HTTP " + lastStatus : "network error: " + describe(last);
        throw new FetchException(what + " for " + url + " after " + policy.attempts() + " attempts", lastStatus, last);
    }

    private static String describe(Exception e) {
        if (e == null) {
            return "unknown";
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }

    private static Optional<Duration> parseSeconds(String v) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty(); // HTTP-date form: fall back to our own backoff
        }
    }

    private static void sleep(Duration d) throws FetchException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException("interrupted during backoff", -1, e);
        }
    }
}
