package dev.divergence.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a directory over HTTP on 127.0.0.1 so that registry clients run their real code path offline:
 * {@code GET /pypi/NAME/json} answers {@code ROOT/pypi/NAME/json}, like PyPI's JSON API, and artifacts are
 * plain files; a directory answers with its {@code index.json} (an npm packument at {@code /NAME} next to
 * {@code /NAME/-/NAME-1.0.0.tgz}). HEAD is answered like GET without a body. Used by the bundled demo and by
 * tests; never listens beyond loopback.
 */
public final class StaticRegistryServer implements AutoCloseable {

    private final HttpServer server;
    private final Path root;
    private final ExecutorService pool;
    private final java.util.List<String> requests = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    public StaticRegistryServer(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "registry-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request served so far, as "METHOD PATH" (tests count downloads with it). */
    public java.util.List<String> requests() {
        synchronized (requests) {
            return java.util.List.copyOf(requests);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            requests.add(ex.getRequestMethod() + " " + path);
            Path file = root.resolve(path.replaceFirst("^/+", "")).normalize();
            if (Files.isDirectory(file)) {
                // npm serves a packument at /NAME and tarballs under /NAME/-/: the document is NAME/index.json
                file = file.resolve("index.json");
            }
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ex.getResponseHeaders().add("Content-Type", path.endsWith("/json") ? "application/json"
                    : "application/octet-stream");
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = ex.getResponseBody()) {
                Files.copy(file, out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
