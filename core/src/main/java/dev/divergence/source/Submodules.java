package dev.divergence.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;

/**
 * The source of files that lie under a submodule (gitlink) of a commit: the repository the commit's
 * {@code .gitmodules} names for that path, at the commit the gitlink pins. Only the pinned commit counts — the pin is
 * what the baseline says was vendored; the submodule's other history (a later commit, a branch) explains nothing.
 * The URL is written by whoever pushes to the package's repository, so it is checked as a registry-declared
 * repository URL is ({@link UrlPolicy}): a local path or {@code file://}, {@code git://}, an internal host are never
 * opened unless the operator's {@link Mirrors} name it. Relative URLs ({@code ../other.git}) resolve against the
 * package repository's location, as git resolves them against the superproject's remote. Repositories open through
 * {@link RepositoryCache} (one attempt per URL per run); when one cannot be had, the file stays unverifiable and
 * {@link Unverifiable#reason} says why.
 */
public final class Submodules {

    /** How a URL from {@code .gitmodules} is spelled for fetching, and whether it may be fetched at all. */
    public interface UrlPolicy {
        /** The URL to fetch for what {@code .gitmodules} says (e.g. a forge's {@code git://} spelling as https). */
        String canonical(String url);

        /** Why the URL must not be fetched, or empty. */
        Optional<String> refusal(String url);
    }

    /** What is known about one file under a submodule. */
    public sealed interface Lookup permits Found, Unverifiable {
    }

    /**
     * The submodule's repository at its pinned commit.
     *
     * @param gitlink the submodule's path in the package's repository
     * @param url the submodule's repository, as fetched
     * @param commit the pinned commit
     * @param path the file's path inside the submodule
     * @param file the file at that path in the pinned commit's tree, empty when the commit has none
     */
    public record Found(String gitlink, String url, String commit, SourceRepository repository, String path,
                        Optional<SourceTree.SourceFile> file) implements Lookup {
    }

    /** The submodule's content could not be had: the file is judged without it. */
    public record Unverifiable(String gitlink, String commit, String reason) implements Lookup {
    }

    /** Follows no submodule: every file under one is unverifiable (comparisons that have no repository access). */
    public static final Submodules NOT_FOLLOWED = new Submodules(null, null);

    private final Path cacheRoot;
    private final UrlPolicy policy;
    /** The pinned repository (or why there is none) per package repository, commit and gitlink. */
    private final Map<String, Link> links = new ConcurrentHashMap<>();

    /** A submodule's repository opened at its pinned commit. */
    private record Pinned(String gitlink, String url, String commit, SourceRepository repository) {
    }

    /** One of the two. */
    private record Link(Optional<Pinned> pinned, Optional<Unverifiable> unverifiable) {
        static Link unverifiable(String gitlink, String commit, String reason) {
            return new Link(Optional.empty(), Optional.of(new Unverifiable(gitlink, commit, reason)));
        }
    }

    public Submodules(Path cacheRoot, UrlPolicy policy) {
        this.cacheRoot = cacheRoot;
        this.policy = policy;
    }

    /** The source of {@code sourcePath} of {@code tree}, which lies under one of its gitlinks. */
    public Lookup lookup(SourceRepository repo, SourceTree tree, String sourcePath) {
        Map.Entry<String, String> link = tree.submoduleOf(sourcePath)
                .orElseThrow(() -> new IllegalArgumentException(sourcePath + " is under no submodule"));
        Link sub = links.computeIfAbsent(repo.location() + "\n" + tree.commit() + "\n" + link.getKey(),
                k -> open(repo, tree, link.getKey(), link.getValue()));
        if (sub.pinned().isEmpty()) {
            return sub.unverifiable().orElseThrow();
        }
        Pinned p = sub.pinned().get();
        String inside = sourcePath.substring(link.getKey().length() + 1);
        SourceTree subTree;
        try {
            subTree = p.repository().tree(p.commit());
        } catch (IOException | RuntimeException e) {
            return new Unverifiable(p.gitlink(), p.commit(), "cannot read the pinned commit of " + p.url() + ": "
                    + e.getMessage());
        }
        Optional<Map.Entry<String, String>> nested = subTree.submoduleOf(inside);
        if (nested.isPresent()) {
            return new Unverifiable(p.gitlink(), p.commit(), "under submodule " + nested.get().getKey() + " of "
                    + p.url() + ": nested submodules are not followed");
        }
        return new Found(p.gitlink(), p.url(), p.commit(), p.repository(), inside, subTree.get(inside));
    }

    private Link open(SourceRepository repo, SourceTree tree, String gitlink, String commit) {
        if (policy == null) {
            return Link.unverifiable(gitlink, commit, "submodules are not followed in this comparison");
        }
        Optional<Map<String, String>> declared;
        try {
            declared = declaredUrls(repo, tree);
        } catch (IOException | ConfigInvalidException e) {
            return Link.unverifiable(gitlink, commit, "unreadable .gitmodules: " + e.getMessage());
        }
        if (declared.isEmpty()) {
            return Link.unverifiable(gitlink, commit, "the commit has no .gitmodules naming its repository");
        }
        String raw = declared.get().get(gitlink);
        if (raw == null || raw.isBlank()) {
            return Link.unverifiable(gitlink, commit, ".gitmodules names no repository for " + gitlink);
        }
        Optional<String> resolved = resolve(repo.location(), raw.trim());
        if (resolved.isEmpty()) {
            return Link.unverifiable(gitlink, commit, "relative submodule URL " + raw
                    + " climbs above the repository's host");
        }
        String url = policy.canonical(resolved.get());
        if (!RepositoryCache.mirrored(url)) {
            Optional<String> refused = policy.refusal(url);
            if (refused.isPresent()) {
                return Link.unverifiable(gitlink, commit, "submodule URL refused: " + refused.get());
            }
        }
        RepositoryCache.Opened opened = RepositoryCache.tryOpen(url, cacheRoot);
        if (opened.repository().isEmpty()) {
            return Link.unverifiable(gitlink, commit, "submodule repository " + url + " unavailable: "
                    + opened.problem().orElse("?"));
        }
        SourceRepository sub = opened.repository().get();
        try {
            sub.tree(commit); // the pinned commit must be there; its tree is cached for the files that follow
        } catch (IOException | RuntimeException e) {
            return Link.unverifiable(gitlink, commit, "the pinned commit is not in " + url
                    + " (a mirror that lacks it, or a commit never pushed)");
        }
        return new Link(Optional.of(new Pinned(gitlink, url, commit, sub)), Optional.empty());
    }

    /**
     * The submodule URLs of the commit's {@code .gitmodules} by path, read with JGit's config parser (the format
     * {@code git config -f .gitmodules} reads); empty when the commit has no {@code .gitmodules}.
     */
    private static Optional<Map<String, String>> declaredUrls(SourceRepository repo, SourceTree tree)
            throws IOException, ConfigInvalidException {
        Optional<SourceTree.SourceFile> gitmodules = tree.get(".gitmodules");
        if (gitmodules.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> text = repo.read(gitmodules.get().blobId(), 1 << 20);
        if (text.isEmpty()) {
            throw new IOException(".gitmodules is larger than 1 MiB");
        }
        Config config = new Config();
        config.fromText(new String(text.get(), StandardCharsets.UTF_8));
        Map<String, String> urls = new LinkedHashMap<>();
        for (String name : config.getSubsections("submodule")) {
            String path = config.getString("submodule", name, "path");
            String url = config.getString("submodule", name, "url");
            if (path != null && url != null) {
                urls.putIfAbsent(path.replaceAll("/+$", ""), url);
            }
        }
        return Optional.of(urls);
    }

    /**
     * A {@code .gitmodules} URL as git resolves it: {@code ./x} and {@code ../x} against the superproject's remote
     * (each {@code ../} drops one path component of it), anything else as written. Empty when the relative URL
     * climbs above the remote's host.
     */
    public static Optional<String> resolve(String base, String url) {
        if (!url.startsWith("./") && !url.startsWith("../")) {
            return Optional.of(url);
        }
        String b = base.trim();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        char separator = '/';
        String rest = url;
        while (true) {
            if (rest.startsWith("./")) {
                rest = rest.substring(2);
            } else if (rest.startsWith("../")) {
                rest = rest.substring(3);
                int cut = Math.max(b.lastIndexOf('/'), b.lastIndexOf(':'));
                if (cut < 0 || b.substring(0, cut + 1).endsWith("//") || b.substring(0, cut + 1).endsWith(":/")) {
                    return Optional.empty();
                }
                separator = b.charAt(cut);
                b = b.substring(0, cut);
            } else {
                break;
            }
        }
        return Optional.of(b + separator + rest);
    }
}
