package dev.divergence.rebuild;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The dependency phase's only way out: an HTTP proxy on a Unix socket in the sandbox's work dir that lets through
 * requests to one registry (host and port of the configured Maven repository or npm registry) and refuses every
 * other. The sandbox has no network namespace route; {@link #RELAY} (run inside it with the JDK's source launcher)
 * listens on the sandbox's own loopback and forwards each connection to this socket, so the build tool is pointed
 * at {@code 127.0.0.1:PORT} as at any proxy. {@code https} goes through {@code CONNECT} (end-to-end TLS to the
 * registry, certificates checked by the tool); plain {@code http} requests are forwarded one per connection.
 */
public final class RepositoryProxy implements AutoCloseable {

    /** The relay's source, written into the work dir: {@code java Relay.java PORT SOCKET}. */
    public static final String RELAY = """
            import java.net.*; import java.nio.channels.*; import java.io.*;
            public class Relay {
              public static void main(String[] a) throws Exception {
                ServerSocket server = new ServerSocket(Integer.parseInt(a[0]), 50, InetAddress.getLoopbackAddress());
                UnixDomainSocketAddress target = UnixDomainSocketAddress.of(a[1]);
                while (true) {
                  Socket s = server.accept();
                  SocketChannel u = null;
                  // One connection the proxy cannot take now (a busy backlog) must not end the relay for the step.
                  for (int i = 0; u == null && i < 50; i++) {
                    try { u = SocketChannel.open(target); } catch (IOException e) { Thread.sleep(100); }
                  }
                  if (u == null) { s.close(); continue; }
                  pipe(s.getInputStream(), out(u), s, u);
                  pipe(in(u), s.getOutputStream(), s, u);
                }
              }
              // Not Channels.newInputStream/newOutputStream: both lock the channel, so a blocked read stops writes.
              static InputStream in(SocketChannel c) {
                return new InputStream() {
                  public int read() throws IOException { byte[] b = new byte[1]; return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff; }
                  public int read(byte[] b, int off, int len) throws IOException { return c.read(java.nio.ByteBuffer.wrap(b, off, len)); }
                };
              }
              static OutputStream out(SocketChannel c) {
                return new OutputStream() {
                  public void write(int x) throws IOException { write(new byte[] {(byte) x}, 0, 1); }
                  public void write(byte[] b, int off, int len) throws IOException {
                    java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b, off, len);
                    while (bb.hasRemaining()) { c.write(bb); }
                  }
                };
              }
              static void pipe(InputStream in, OutputStream out, Closeable x, Closeable y) {
                Thread t = new Thread(() -> {
                  try { in.transferTo(out); } catch (IOException e) { }
                  try { x.close(); y.close(); } catch (IOException e) { }
                });
                t.setDaemon(true); t.start();
              }
            }
            """;

    private final ServerSocketChannel server;
    private final String host;
    private final int port;
    private final Path socket;
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private RepositoryProxy(ServerSocketChannel server, Path socket, String host, int port) {
        this.server = server;
        this.socket = socket;
        this.host = host;
        this.port = port;
        this.acceptor = new Thread(this::acceptLoop, "repository-proxy");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** A proxy allowing only {@code registry}'s host and port, listening on {@code socket}. */
    public static RepositoryProxy open(URI registry, Path socket) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        int port = registry.getPort() > 0 ? registry.getPort() : "https".equals(registry.getScheme()) ? 443 : 80;
        return new RepositoryProxy(server, socket, registry.getHost().toLowerCase(Locale.ROOT), port);
    }

    /** Requests refused, as {@code METHOD TARGET}: what the build tried to reach besides the registry. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                Thread t = new Thread(() -> serve(c), "repository-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client; InputStream in = in(client); OutputStream out = out(client)) {
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            String[] req = lines[0].split(" ");
            if (req.length != 3) {
                refuse(out, lines[0]);
                return;
            }
            if (req[0].equals("CONNECT")) {
                int colon = req[1].lastIndexOf(':');
                String h = colon < 0 ? req[1] : req[1].substring(0, colon);
                int p = colon < 0 ? 443 : Integer.parseInt(req[1].substring(colon + 1));
                if (!allowed(h, p)) {
                    refuse(out, lines[0]);
                    return;
                }
                try (Socket upstream = new Socket()) {
                    upstream.connect(new InetSocketAddress(host, port), 30_000);
                    out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    splice(in, out, upstream);
                }
                return;
            }
            URI target = URI.create(req[1]);
            if (target.getHost() == null || !"http".equals(target.getScheme())
                    || !allowed(target.getHost(), target.getPort() > 0 ? target.getPort() : 80)) {
                refuse(out, lines[0]);
                return;
            }
            StringBuilder forwarded = new StringBuilder(req[0] + " " + target.getRawPath()
                    + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()) + " " + req[2] + "\r\n");
            for (int i = 1; i < lines.length; i++) {
                String l = lines[i].toLowerCase(Locale.ROOT);
                if (!l.startsWith("connection:") && !l.startsWith("proxy-")) {
                    forwarded.append(lines[i]).append("\r\n");
                }
            }
            forwarded.append("Connection: close\r\n\r\n"); // one request per connection: no response parsing here
            try (Socket upstream = new Socket()) {
                upstream.connect(new InetSocketAddress(host, port), 30_000);
                upstream.getOutputStream().write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
                upstream.getOutputStream().flush();
                // The answer says "Connection: close" too, whatever the registry said: the tool must not send a
                // second request on this connection, which this proxy would not read.
                InputStream fromUpstream = upstream.getInputStream();
                String answer = readHead(fromUpstream);
                if (answer == null) {
                    return;
                }
                StringBuilder back = new StringBuilder();
                for (String l : answer.split("\r\n")) {
                    String lower = l.toLowerCase(Locale.ROOT);
                    if (!lower.startsWith("connection:") && !lower.startsWith("keep-alive:")
                            && !lower.startsWith("proxy-connection:")) {
                        back.append(l).append("\r\n");
                    }
                }
                back.append("Connection: close\r\n\r\n");
                out.write(back.toString().getBytes(StandardCharsets.ISO_8859_1));
                fromUpstream.transferTo(out);
            }
        } catch (IOException | RuntimeException e) {
            // a connection the tool dropped, an upstream that failed: the tool sees a closed connection
        }
    }

    private boolean allowed(String h, int p) {
        return h.toLowerCase(Locale.ROOT).equals(host) && p == port;
    }

    private void refuse(OutputStream out, String requestLine) throws IOException {
        refused.add(requestLine.replaceAll(" HTTP/1\\.[01]$", ""));
        out.write(("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static void splice(InputStream clientIn, OutputStream clientOut, Socket upstream) throws IOException {
        Thread up = new Thread(() -> {
            try {
                clientIn.transferTo(upstream.getOutputStream());
                upstream.shutdownOutput();
            } catch (IOException e) {
                // either side closed
            }
        }, "repository-proxy-up");
        up.setDaemon(true);
        up.start();
        upstream.getInputStream().transferTo(clientOut);
    }

    /**
     * Streams over a channel that read and write concurrently: {@code Channels.newInputStream}/{@code newOutputStream}
     * both hold the channel's blocking lock, so a read waiting for the registry's answer would stop the upload.
     */
    private static InputStream in(SocketChannel c) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return c.read(java.nio.ByteBuffer.wrap(b, off, len));
            }
        };
    }

    private static OutputStream out(SocketChannel c) {
        return new OutputStream() {
            @Override
            public void write(int x) throws IOException {
                write(new byte[] {(byte) x}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b, off, len);
                while (bb.hasRemaining()) {
                    c.write(bb);
                }
            }
        };
    }

    /** The request line and headers, up to the blank line; at most 64 KiB. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (b.size() < 65536) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            b.write(c);
            state = switch (state) {
                case 0, 2 -> c == '\r' ? state + 1 : 0;
                case 1 -> c == '\n' ? 2 : 0;
                case 3 -> c == '\n' ? 4 : 0;
                default -> 0;
            };
            if (state == 4) {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.substring(0, s.length() - 4);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
