package dev.divergence.registry;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the many spellings of a repository in package metadata into a clonable https URL:
 * {@code git+https://github.com/o/r.git}, {@code git://github.com/o/r}, {@code git+ssh://git@github.com/o/r.git},
 * {@code git@github.com:o/r.git}, {@code scm:git:https://...} (Maven), {@code github:o/r} and {@code o/r}
 * (npm shorthands, https://docs.npmjs.com/cli/configuring-npm/package-json#repository), and web URLs with
 * {@code /tree/main/sub} or {@code #readme} after the repository.
 */
public final class RepositoryUrls {

    private static final Pattern FORGE = Pattern.compile(
            "^(?:git\\+)?(?:https?|git|ssh|git\\+ssh)://(?:[^@/]+@)?(github\\.com|gitlab\\.com|bitbucket\\.org|codeberg\\.org)"
            + "[:/]([^/#?]+)/([^/#?]+)");
    private static final Pattern SCP = Pattern.compile(
            "^(?:[^@/]+@)(github\\.com|gitlab\\.com|bitbucket\\.org|codeberg\\.org):([^/#?]+)/([^/#?]+)");
    private static final Pattern SHORTHAND = Pattern.compile("^(?:(github|gitlab|bitbucket):)?([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)$");

    private RepositoryUrls() {
    }

    /** A forge repository URL, or empty when the text names none (a homepage, a docs site). */
    public static Optional<String> normalize(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim().replaceFirst("^scm:git:", "");
        Matcher m = FORGE.matcher(s);
        if (!m.find()) {
            m = SCP.matcher(s);
            if (!m.find()) {
                Matcher sh = SHORTHAND.matcher(s);
                if (!sh.matches()) {
                    return Optional.empty();
                }
                String host = switch (sh.group(1) == null ? "github" : sh.group(1)) {
                    case "gitlab" -> "gitlab.com";
                    case "bitbucket" -> "bitbucket.org";
                    default -> "github.com";
                };
                return Optional.of("https://" + host + "/" + sh.group(2) + "/" + sh.group(3).replaceFirst("\\.git$", ""));
            }
        }
        return Optional.of("https://" + m.group(1) + "/" + m.group(2) + "/" + m.group(3).replaceFirst("\\.git$", ""));
    }

    /** Looks a host name up; tests pass a fixed answer instead of the system resolver. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * Why a repository URL taken from registry metadata must not be fetched, or empty when it may be. Whoever
     * publishes a release writes that URL, so divergence fetches only {@code https://} (and {@code ssh://} or
     * {@code user@host:path} when {@code allowSsh}) from a public address: never {@code git://} or
     * {@code http://} (no integrity), {@code file://} or a path (the scanning machine's own files),
     * {@code ext::} (runs a command), nor a loopback, private, link-local or otherwise internal address,
     * given literally or as a name that resolves to one (the scanner's network is not the publisher's to probe).
     * A host name that does not resolve here is let through: the fetch fails on its own. A user-given
     * {@code --repo} is not checked.
     */
    public static Optional<String> fetchRefusal(String url, boolean allowSsh, Resolver resolver) {
        if (url == null || url.isBlank()) {
            return Optional.of("empty repository URL");
        }
        String u = url.trim();
        String host;
        Matcher scp = Pattern.compile("^[^/@:]+@([^/:]+):(?!//).*").matcher(u);
        if (scp.matches()) {
            if (!allowSsh) {
                return Optional.of("ssh repository URL from registry metadata (only https:// is fetched): " + u);
            }
            host = scp.group(1);
        } else {
            Matcher scheme = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://").matcher(u);
            if (!scheme.find()) {
                return Optional.of("not an https:// URL (only https:// is fetched from registry metadata): " + u);
            }
            String sch = scheme.group(1).toLowerCase(java.util.Locale.ROOT);
            if (!sch.equals("https") && !(allowSsh && sch.equals("ssh"))) {
                return Optional.of(sch + ":// repository URL from registry metadata (only https:// is fetched): " + u);
            }
            try {
                host = new URI(u).getHost();
            } catch (URISyntaxException e) {
                return Optional.of("malformed repository URL: " + u);
            }
            if (host == null || host.isEmpty()) {
                return Optional.of("repository URL without a host: " + u);
            }
        }
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.contains("%") || h.contains(":") && !InetAddresses.isInetAddress(h)) {
            return Optional.of("repository host is not a plain address (" + host + "): " + u); // e.g. a zone id
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return Optional.of("repository host is local (" + host + "): " + u);
        }
        InetAddress[] addresses;
        if (InetAddresses.isInetAddress(h)) {
            try {
                addresses = new InetAddress[] {InetAddresses.forString(h)};
            } catch (IllegalArgumentException e) {
                return Optional.of("repository host is not a plain address (" + host + "): " + u);
            }
        } else {
            try {
                addresses = resolver.resolve(h);
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        for (InetAddress a : addresses) {
            if (internal(a)) {
                return Optional.of("repository host " + host + " is a loopback, private or internal address ("
                        + a.getHostAddress() + "): " + u);
            }
        }
        return Optional.empty();
    }

    /** {@link #fetchRefusal(String, boolean, Resolver)} with the system resolver. */
    public static Optional<String> fetchRefusal(String url, boolean allowSsh) {
        return fetchRefusal(url, allowSsh, InetAddress::getAllByName);
    }

    /** Loopback, private (RFC 1918, RFC 4193), link-local, carrier-grade NAT, unspecified or multicast. */
    static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // fc00::/7 unique local
            }
            if (InetAddresses.isCompatIPv4Address((Inet6Address) a) || InetAddresses.is6to4Address((Inet6Address) a)
                    || InetAddresses.isTeredoAddress((Inet6Address) a)) {
                return internal(InetAddresses.getEmbeddedIPv4ClientAddress((Inet6Address) a));
            }
            return false;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second < 128) // 0/8, 100.64/10
                || (first == 192 && second == 0 && (b[2] & 0xff) == 0) || first >= 240; // 192.0.0/24, 240/4
    }

    /** Like {@link #normalize} but keeps any other git URL as it is (self-hosted forges, Apache gitbox). */
    public static Optional<String> normalizeAny(String text) {
        Optional<String> forge = normalize(text);
        if (forge.isPresent() || text == null || text.isBlank()) {
            return forge;
        }
        String s = text.trim().replaceFirst("^scm:git:", "").replaceFirst("^git\\+", "");
        return s.matches("^(https?|git|ssh)://.*") ? Optional.of(s) : Optional.empty();
    }
}
