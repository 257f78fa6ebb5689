package dev.divergence.scan;

import dev.divergence.model.Release;
import dev.divergence.registry.RepositoryUrls;
import dev.divergence.source.Submodules;
import dev.divergence.source.VersionOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The repository a package's versions are compared with, chosen once per package. A user-given {@code --repo}
 * or watchlist entry wins and may be anything. Otherwise the choice comes from the package's whole history,
 * never from the release being judged: the URL most releases declare, ties going to the one declared first (in
 * publication order). Whoever publishes one release writes its metadata; a release pointing at a repository the
 * history does not is a {@link History.SignalKind#REPOSITORY_CHANGED} signal, not a new baseline.
 *
 * @param location the repository (URL or path), empty when no release declares one
 * @param userGiven whether the user named it ({@code --repo}, watchlist): then it is not checked
 * @param allowSsh whether registry-declared {@code ssh://} URLs may be fetched
 * @param basis how it was chosen, for the reader of a row
 */
public record RepositoryChoice(Optional<String> location, boolean userGiven, boolean allowSsh, String basis) {

    public static RepositoryChoice given(String location) {
        return new RepositoryChoice(Optional.of(location), true, false, "given");
    }

    public static RepositoryChoice fromHistory(List<Release> releases) {
        return fromHistory(releases, false);
    }

    public static RepositoryChoice fromHistory(List<Release> releases, boolean allowSsh) {
        Map<String, String> firstSpelling = new LinkedHashMap<>(); // key -> URL, in order of first declaration
        Map<String, Integer> votes = new LinkedHashMap<>();
        int declaring = 0;
        for (Release r : publicationOrder(releases)) {
            List<String> urls = r.hints().repositoryUrls();
            if (urls.isEmpty()) {
                continue;
            }
            declaring++;
            String key = key(urls.get(0));
            firstSpelling.putIfAbsent(key, urls.get(0));
            votes.merge(key, 1, Integer::sum);
        }
        if (votes.isEmpty()) {
            return new RepositoryChoice(Optional.empty(), false, allowSsh, "no release declares a repository");
        }
        String best = null;
        for (Map.Entry<String, Integer> v : votes.entrySet()) { // insertion order: earliest first wins ties
            if (best == null || v.getValue() > votes.get(best)) {
                best = v.getKey();
            }
        }
        return new RepositoryChoice(Optional.of(firstSpelling.get(best)), false, allowSsh,
                "declared by " + votes.get(best) + " of " + declaring + " releases");
    }

    /** Why the repository must not be fetched (a refused registry URL), or empty. */
    public Optional<String> refusal() {
        if (userGiven || location.isEmpty()) {
            return Optional.empty();
        }
        return RepositoryUrls.fetchRefusal(location.get(), allowSsh);
    }

    /**
     * How the URLs a commit's {@code .gitmodules} names are checked: as registry-declared repository URLs, whether or
     * not the user gave this repository (whoever pushes to it writes them). A forge's other spellings
     * ({@code git://github.com/o/r.git}, {@code git@github.com:o/r}) are fetched as https, as in registry metadata.
     */
    public Submodules.UrlPolicy submoduleUrls() {
        boolean ssh = allowSsh;
        return new Submodules.UrlPolicy() {
            @Override
            public String canonical(String url) {
                boolean remote = url.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") || url.matches("^[^/@:]+@[^/:]+:.*");
                return remote ? RepositoryUrls.normalize(url).orElse(url) : url;
            }

            @Override
            public Optional<String> refusal(String url) {
                return RepositoryUrls.fetchRefusal(url, ssh);
            }
        };
    }

    /** The repository this release itself declares when it is not the chosen one (never for a given repo). */
    public Optional<String> differingDeclaration(Release r) {
        if (userGiven || location.isEmpty() || r.hints().repositoryUrls().isEmpty()) {
            return Optional.empty();
        }
        String chosen = key(location.get());
        if (r.hints().repositoryUrls().stream().anyMatch(u -> key(u).equals(chosen))) {
            return Optional.empty();
        }
        return Optional.of(r.hints().repositoryUrls().get(0));
    }

    /** Spellings of one repository compare equal: case, a trailing slash or {@code .git}. */
    static String key(String url) {
        String k = url.trim().toLowerCase(Locale.ROOT);
        while (k.endsWith("/")) {
            k = k.substring(0, k.length() - 1);
        }
        return k.endsWith(".git") ? k.substring(0, k.length() - 4) : k;
    }

    private static List<Release> publicationOrder(List<Release> releases) {
        List<Release> ordered = new ArrayList<>(releases);
        if (!ordered.isEmpty()) {
            ordered.sort(Comparator.comparing((Release r) -> r.published().orElse(Instant.MAX))
                    .thenComparing(Release::version, VersionOrder.over(ordered.get(0).pkg().ecosystem(),
                            ordered.stream().map(Release::version).toList())));
        }
        return ordered;
    }
}
