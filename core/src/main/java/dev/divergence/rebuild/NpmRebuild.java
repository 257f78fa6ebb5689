package dev.divergence.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.ArtifactKind;
import dev.divergence.source.SourceTree;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Rebuilds an npm tarball as OSS Rebuild does: at the package's directory of the commit (npm's
 * {@code repository.directory}), when the tarball holds files the commit lacks (build output) the dependencies are
 * installed from the commit's lockfile with {@code npm ci --ignore-scripts} (network to the configured registry only,
 * through {@link RepositoryProxy}; no install script of any dependency runs) and the package's own {@code build}
 * script runs with no network; then {@code npm pack --ignore-scripts}, offline. A tarball with build output and no
 * lockfile is {@code UNSUPPORTED_ENV}: its build's dependencies cannot be pinned. The Node major is the one the
 * publisher ran ({@code _nodeVersion} of the registry's version document): another major than this machine's is
 * {@code UNSUPPORTED_ENV} naming it. The Node and npm of this machine are recorded; {@code engines.node} is noted.
 */
public final class NpmRebuild implements RebuildStrategy {

    public static final String VERSION = "npm/2";
    static final Path CACHE = Path.of("/npm-cache");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReentrantLock RESOLVE = new ReentrantLock();

    private final URI registry;

    /** @param registry the configured npm registry: the resolve step ({@code npm ci}) reaches it and nothing else */
    public NpmRebuild(URI registry) {
        this.registry = registry;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public boolean rebuilds(Artifact artifact) {
        return artifact.kind() == ArtifactKind.NPM_TARBALL;
    }

    @Override
    public Plan plan(Request r, RebuildEnvironment env) {
        SourceTree tree;
        try {
            tree = r.repository().tree(r.commit());
        } catch (IOException e) {
            return new Plan.Unsupported("cannot read commit " + r.commit() + ": " + e.getMessage(), Optional.empty());
        }
        String dir = r.release().hints().directory().map(d -> d.replaceAll("^/+|/+$", "")).orElse("");
        String prefix = dir.isEmpty() ? "" : dir + "/";
        Optional<JsonNode> manifest = r.readTree(tree, prefix + "package.json", JSON);
        if (manifest.isEmpty()) {
            return new Plan.Unsupported("no package.json at " + (dir.isEmpty() ? "the root" : dir) + " of commit "
                    + r.commit(), Optional.empty());
        }
        List<String> notes = new ArrayList<>();
        // What the tarball holds that the commit does not: build output (npm strips the first path segment).
        List<String> built = new ArrayList<>();
        for (ArtifactFile f : r.listing().files()) {
            int slash = f.path().indexOf('/');
            String inPackage = slash < 0 ? f.path() : f.path().substring(slash + 1);
            if (f.type() == ArtifactFile.EntryType.FILE && tree.get(prefix + inPackage).isEmpty()) {
                built.add(inPackage);
            }
        }
        boolean hasBuild = manifest.get().path("scripts").hasNonNull("build");
        boolean lockfile = tree.get(prefix + "package-lock.json").isPresent()
                || tree.get(prefix + "npm-shrinkwrap.json").isPresent();
        boolean runBuild = !built.isEmpty() && hasBuild;
        if (!built.isEmpty()) {
            notes.add("the tarball holds " + built.size() + " file(s) the commit lacks ("
                    + String.join(", ", built.subList(0, Math.min(5, built.size()))) + (built.size() > 5 ? ", ..." : "")
                    + ")" + (hasBuild ? ": the package's build script makes them" : "; package.json has no build script"));
        }
        String nodeRange = manifest.get().path("engines").path("node").asText("");
        if (!nodeRange.isEmpty()) {
            notes.add("engines.node " + nodeRange);
        }
        Map<String, String> toolchain = new LinkedHashMap<>();
        toolchain.put("node", RebuildEnvironment.toolVersion("node", "-v").orElse("unknown"));
        Optional<String> publishedNode = publishedNode(r.artifact());
        publishedNode.ifPresent(v -> {
            toolchain.put("node_published", v);
            notes.add("Node " + major(v) + " as published (_nodeVersion " + v + " in the registry's version document)");
        });
        toolchain.put("npm", RebuildEnvironment.toolVersion("npm", "-v").orElse("unknown"));
        toolchain.put("sandbox", env.sandbox().version());
        toolchain.put("sandbox_limits", env.sandbox().describe(env.limits()));
        toolchain.put("umask", "0022");
        String network = registry.getHost() + ":" + (registry.getPort() > 0 ? registry.getPort()
                : "https".equals(registry.getScheme()) ? 443 : 80);
        String src = Sandbox.WORK.resolve("src").resolve(dir).toString().replaceAll("/$", "");
        Map<String, String> offline = Map.of("npm_config_offline", "true", "npm_config_update_notifier", "false",
                "npm_config_fund", "false", "npm_config_audit", "false");
        Map<String, String> online = Map.of("npm_config_registry", registry.toString(),
                "npm_config_proxy", "http://127.0.0.1:" + MavenRebuild.PROXY_PORT,
                "npm_config_https_proxy", "http://127.0.0.1:" + MavenRebuild.PROXY_PORT,
                "npm_config_cache", CACHE.toString(), "npm_config_update_notifier", "false");
        String relay = MavenRebuild.relay();
        List<Instructions.Step> steps = new ArrayList<>();
        if (runBuild) {
            steps.add(new Instructions.Step("resolve", network, "the tarball holds build output",
                    List.of("/bin/bash", "-c", "umask 022 && " + relay + "cd " + src
                            + " && npm ci --ignore-scripts --no-audit --no-fund"), online));
        }
        steps.add(new Instructions.Step("build", "none", "always", List.of("/bin/bash", "-c", "umask 022 && cd " + src
                + (runBuild ? " && npm run build" : "") + " && mkdir -p /build/out && npm pack --ignore-scripts "
                + "--pack-destination /build/out"), offline));
        String name = manifest.get().path("name").asText("");
        String version = manifest.get().path("version").asText(r.release().version());
        String packed = (name.startsWith("@") ? name.substring(1).replace('/', '-') : name) + "-" + version + ".tgz";
        Instructions ins = new Instructions(VERSION, r.repositoryLocation(), r.commit(), dir, toolchain, steps,
                "out/" + packed, notes);
        if (!built.isEmpty() && hasBuild && !lockfile) {
            return new Plan.Unsupported("the tarball holds build output and the commit has no package-lock.json or "
                    + "npm-shrinkwrap.json: the build's dependencies cannot be pinned", Optional.of(ins));
        }
        if (!toolchain.get("node").startsWith("v")) {
            return new Plan.Unsupported("no Node.js on this machine", Optional.of(ins));
        }
        if (publishedNode.isPresent() && !major(publishedNode.get()).equals(major(toolchain.get("node")))) {
            return new Plan.Unsupported("published with Node " + publishedNode.get() + " (_nodeVersion); this machine "
                    + "has Node " + toolchain.get("node") + " only, and npm pack's output may depend on the Node major",
                    Optional.of(ins));
        }
        return new Plan.Ready(ins);
    }

    /**
     * The Node version the publisher ran ({@code _nodeVersion}, written by {@code npm publish} into the registry's
     * version document, not into the tarball), when the registry kept it.
     */
    static Optional<String> publishedNode(Artifact artifact) {
        return artifact.registryManifest().flatMap(m -> {
            try {
                String v = JSON.readTree(m).path("_nodeVersion").asText("");
                return v.matches("v?\\d+(\\.\\d+)*") ? Optional.of(v.replaceFirst("^v", "")) : Optional.empty();
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    /** {@code v20.20.2} and {@code 20.11.1} → {@code 20}. */
    static String major(String nodeVersion) {
        return nodeVersion.replaceFirst("^v", "").replaceFirst("\\..*$", "");
    }

    @Override
    public Built build(Instructions ins, Path work, RebuildEnvironment env) throws IOException {
        long start = System.nanoTime();
        Path cache = env.sharedRepository("npm");
        Files.createDirectories(work.resolve(".proxy"));
        Files.writeString(work.resolve(".proxy/Relay.java"), RepositoryProxy.RELAY);
        List<String> ran = new ArrayList<>();
        for (Instructions.Step step : ins.steps()) {
            Sandbox.Result res;
            if (step.name().equals("resolve")) {
                RESOLVE.lock();
                try (RepositoryProxy proxy = RepositoryProxy.open(registry, work.resolve(".proxy/sock"))) {
                    res = env.sandbox().run(step.command(), new Sandbox.Spec(work,
                            List.of(new Sandbox.Mount(cache, CACHE, true)), step.env(), Sandbox.WORK, env.limits()));
                    if (!res.succeeded() && !proxy.refused().isEmpty()) {
                        res = new Sandbox.Result(res.exitCode(), res.killedBy(), res.outputTail() + "\nproxy refused: "
                                + proxy.refused(), res.outputBytes(), res.millis());
                    }
                } finally {
                    RESOLVE.unlock();
                }
            } else {
                res = env.sandbox().run(step.command(), new Sandbox.Spec(work, List.of(), step.env(), Sandbox.WORK,
                        env.limits()));
            }
            ran.add(step.name());
            if (!res.succeeded()) {
                return new Built(Optional.empty(), Optional.of("step " + step.name() + " "
                        + res.killedBy().orElse("exited with status " + res.exitCode()) + ":\n"
                        + MavenRebuild.tail(res.outputTail(), 4000)), ran, (System.nanoTime() - start) / 1_000_000);
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Optional<Path> out = SourceCheckout.regularFile(work, ins.output());
        return out.isPresent() ? new Built(out, Optional.empty(), ran, millis)
                : new Built(Optional.empty(), Optional.of(Rebuilder.NO_OUTPUT + ins.output()), ran, millis);
    }
}
