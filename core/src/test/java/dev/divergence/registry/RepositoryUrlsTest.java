package dev.divergence.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Repository URLs from registry metadata are chosen by the publisher: only https to public addresses is fetched. */
class RepositoryUrlsTest {

    /** A resolver with fixed answers; names it does not know do not resolve. */
    private static final RepositoryUrls.Resolver DNS = host -> {
        Map<String, String> known = Map.of("github.com", "140.82.121.4", "internal.example", "192.168.1.5",
                "metadata.example", "169.254.169.254", "v6.example", "fd00::1", "mixed.example", "10.0.0.7");
        String a = known.get(host);
        if (a == null) {
            throw new UnknownHostException(host);
        }
        return host.equals("mixed.example")
                ? new InetAddress[] {InetAddresses.forString("140.82.121.4"), InetAddresses.forString(a)}
                : new InetAddress[] {InetAddresses.forString(a)};
    };

    @Test
    void registryUrlsThatAreNotHttpsToAPublicHostAreRefused() {
        List<String> refused = List.of(
                "git://github.com/o/r",
                "http://github.com/o/r",
                "file:///srv/repos/r.git",
                "ext::sh -c touch% /tmp/pwned",
                "/srv/repos/r.git",
                "git@github.com:o/r.git",
                "ssh://git@github.com/o/r.git",
                "https://127.0.0.1/o/r",
                "https://127.1.2.3:8443/o/r",
                "https://10.1.2.3/o/r",
                "https://172.16.0.1/o/r",
                "https://192.168.0.10/o/r",
                "https://169.254.169.254/latest",
                "https://100.64.0.1/o/r",
                "https://0.0.0.0/o/r",
                "https://[::1]/o/r",
                "https://[fd00::1]/o/r",
                "https://[fe80::1]/o/r",
                "https://[::ffff:127.0.0.1]/o/r",
                "https://localhost/o/r",
                "https://LOCALHOST./o/r",
                "https://repo.localhost/o/r",
                "https://internal.example/o/r",
                "https://metadata.example/o/r",
                "https://v6.example/o/r",
                "https://mixed.example/o/r",
                "https://user@10.0.0.1/o/r",
                "https://github.com@127.0.0.1/o/r",
                "https://[fe80::1%25eth0]/o/r",
                "");
        for (String url : refused) {
            Optional<String> why = RepositoryUrls.fetchRefusal(url, false, DNS);
            assertTrue(why.isPresent(), url + " must be refused");
        }
        assertTrue(RepositoryUrls.fetchRefusal("git://github.com/o/r", false, DNS).orElseThrow().startsWith("git://"));
        assertTrue(RepositoryUrls.fetchRefusal("https://10.1.2.3/o/r", false, DNS).orElseThrow()
                .contains("private or internal address (10.1.2.3)"));
    }

    @Test
    void httpsToAPublicHostIsFetchedAndSshOnlyWhenAllowed() {
        assertEquals(Optional.empty(), RepositoryUrls.fetchRefusal("https://github.com/o/r", false, DNS));
        assertEquals(Optional.empty(), RepositoryUrls.fetchRefusal("https://140.82.121.4/o/r.git", false, DNS));
        assertEquals(Optional.empty(), RepositoryUrls.fetchRefusal("https://[2606:4700::1111]/o/r", false, DNS));
        // a name that does not resolve here cannot be fetched either: let the clone say so
        assertEquals(Optional.empty(), RepositoryUrls.fetchRefusal("https://unknown.example/o/r", false, DNS));
        assertEquals(Optional.empty(), RepositoryUrls.fetchRefusal("ssh://git@github.com/o/r.git", true, DNS));
        assertEquals(Optional.empty(), RepositoryUrls.fetchRefusal("git@github.com:o/r.git", true, DNS));
        // allowed ssh still goes nowhere internal, and never over git:// or http://
        assertTrue(RepositoryUrls.fetchRefusal("ssh://git@10.0.0.1/o/r.git", true, DNS).isPresent());
        assertTrue(RepositoryUrls.fetchRefusal("git@internal.example:o/r.git", true, DNS).isPresent());
        assertTrue(RepositoryUrls.fetchRefusal("http://github.com/o/r", true, DNS).isPresent());
    }
}
