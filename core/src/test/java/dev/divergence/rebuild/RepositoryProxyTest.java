package dev.divergence.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.StaticRegistryServer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resolve step's only way out lets through the configured registry and nothing else. */
class RepositoryProxyTest {

    @TempDir
    Path dir;

    private static String ask(Path socket, String request) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            StringBuilder out = new StringBuilder();
            while (c.read(buf) > 0) {
                buf.flip();
                out.append(StandardCharsets.ISO_8859_1.decode(buf));
                buf.clear();
            }
            return out.toString();
        }
    }

    @Test
    void onlyTheConfiguredRegistryIsReachable() throws Exception {
        Files.createDirectories(dir.resolve("www/org/acme"));
        Files.writeString(dir.resolve("www/org/acme/a.pom"), "<project/>");
        try (StaticRegistryServer registry = new StaticRegistryServer(dir.resolve("www"));
             RepositoryProxy proxy = RepositoryProxy.open(URI.create(registry.baseUrl() + "/maven2"), dir.resolve("sock"))) {
            String ok = ask(proxy.socket(), "GET " + registry.baseUrl() + "/org/acme/a.pom HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: keep-alive\r\n\r\n");
            assertTrue(ok.startsWith("HTTP/1.1 200"), ok);
            assertTrue(ok.contains("\r\nConnection: close\r\n"), ok);
            assertTrue(ok.endsWith("\r\n\r\n<project/>"), ok);
            int port = URI.create(registry.baseUrl()).getPort();
            String otherPort = ask(proxy.socket(), "GET http://127.0.0.1:" + (port == 65535 ? 1 : port + 1)
                    + "/x HTTP/1.1\r\nHost: x\r\n\r\n");
            String otherHost = ask(proxy.socket(), "CONNECT attacker.example:443 HTTP/1.1\r\nHost: attacker.example\r\n\r\n");
            String tunnelElsewhere = ask(proxy.socket(), "CONNECT 127.0.0.1:22 HTTP/1.1\r\n\r\n");
            for (String refused : List.of(otherPort, otherHost, tunnelElsewhere)) {
                assertTrue(refused.startsWith("HTTP/1.1 403 Forbidden"), refused);
            }
            assertEquals(List.of("GET http://127.0.0.1:" + (port == 65535 ? 1 : port + 1) + "/x",
                    "CONNECT attacker.example:443", "CONNECT 127.0.0.1:22"), proxy.refused());
            assertEquals(List.of("GET /org/acme/a.pom"), registry.requests());
        }
    }
}
