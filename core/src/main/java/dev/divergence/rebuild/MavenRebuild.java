package dev.divergence.rebuild;

import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.source.SourceTree;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebuilds a Maven jar as Reproducible Central does, with the buildspec inferred instead of written by hand:
 * the JDK major from the published jar's {@code MANIFEST.MF} ({@code Build-Jdk-Spec}, then {@code Build-Jdk},
 * then a {@code Created-By} that names a JDK), else the lowest installed JDK that meets the POM's
 * {@code release}/{@code target}; a JDK this machine lacks is {@code UNSUPPORTED_ENV}, never a guess. The POM's
 * {@code project.build.outputTimestamp} is the build's own (Maven's reproducible-builds switch), recorded.
 * <p>
 * Dependencies come from one local repository shared by every build of the executor, mounted read-only in the
 * build, which runs offline ({@code mvn -o}) with no network at all. Only when that build misses a dependency does a
 * resolve step run — {@code dependency:go-offline}, then, if a plugin resolves more at run time, a throw-away build
 * of a copy — with network to the configured Maven repository only (through {@link RepositoryProxy}) and a private
 * copy of the repository writable; what it downloaded reaches the shared repository only when the registry's SHA-1
 * vouches for it ({@link VerifiedMerge}); then the offline build again.
 */
public final class MavenRebuild implements RebuildStrategy {

    public static final String VERSION = "maven/1";
    static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline";
    static final Path REPOSITORY = Path.of("/m2");
    static final int PROXY_PORT = 3128;

    /** One resolve at a time per JVM: Maven 3.8's local repository is not safe for concurrent writers. */
    private static final ReentrantLock RESOLVE = new ReentrantLock();

    private final URI repository;

    /** @param repository the configured Maven repository: the resolve step reaches it and nothing else */
    public MavenRebuild(URI repository) {
        this.repository = repository;
    }

    /** The Maven repository dependencies are resolved from. */
    public URI repository() {
        return repository;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public boolean rebuilds(Artifact artifact) {
        return artifact.kind() == ArtifactKind.JAR || artifact.kind() == ArtifactKind.SOURCES_JAR;
    }

    /** The JDK a jar says built it, and from which attribute. */
    record JdkEvidence(int major, String source) {
    }

    private static final Pattern LEADING_VERSION = Pattern.compile("^(1\\.)?(\\d+)");

    static Optional<JdkEvidence> jdkFromManifest(byte[] manifest) {
        Attributes main;
        try {
            main = new Manifest(new ByteArrayInputStream(manifest)).getMainAttributes();
        } catch (IOException e) {
            return Optional.empty();
        }
        for (String name : List.of("Build-Jdk-Spec", "Build-Jdk", "Created-By")) {
            String v = main.getValue(name);
            if (v == null) {
                continue;
            }
            Matcher m = LEADING_VERSION.matcher(v.strip());
            // Created-By is often the tool ("Maven JAR Plugin 3.4.1", "Apache Maven Bundle Plugin"): only a
            // value starting with a version is a JDK.
            if (m.find()) {
                return Optional.of(new JdkEvidence(Integer.parseInt(m.group(2)), name + ": " + v.strip()));
            }
        }
        return Optional.empty();
    }

    private static final Pattern RELEASE_OR_TARGET = Pattern.compile(
            "<maven\\.compiler\\.(release|target)>\\s*(1\\.)?(\\d+)\\s*</");
    private static final Pattern OUTPUT_TIMESTAMP = Pattern.compile(
            "<project\\.build\\.outputTimestamp>\\s*([^<\\s]*)\\s*</");

    @Override
    public Plan plan(Request r, RebuildEnvironment env) {
        List<String> notes = new ArrayList<>();
        SourceTree tree;
        try {
            tree = r.repository().tree(r.commit());
        } catch (IOException e) {
            return new Plan.Unsupported("cannot read commit " + r.commit() + ": " + e.getMessage(), Optional.empty());
        }
        String artifactId = r.release().pkg().name().contains(":")
                ? r.release().pkg().name().substring(r.release().pkg().name().indexOf(':') + 1)
                : r.release().pkg().name().replaceFirst("^.*/", "");
        Optional<String> dir = moduleDirectory(r, tree, artifactId);
        if (dir.isEmpty()) {
            return new Plan.Unsupported("no pom.xml at commit " + r.commit() + " declares artifactId " + artifactId,
                    Optional.empty());
        }
        String pom = readPom(r, tree, dir.get()).orElse("");
        Map<String, byte[]> manifest = r.listing().contents(r.published(), Set.of("META-INF/MANIFEST.MF"), 1 << 20);
        Optional<JdkEvidence> declared = Optional.ofNullable(manifest.get("META-INF/MANIFEST.MF"))
                .flatMap(MavenRebuild::jdkFromManifest);
        int jdk;
        if (declared.isPresent()) {
            jdk = declared.get().major();
            notes.add("JDK " + jdk + " from the published jar's " + declared.get().source());
        } else {
            Matcher m = RELEASE_OR_TARGET.matcher(pom);
            int floor = m.find() ? Integer.parseInt(m.group(3)) : 8;
            Optional<Integer> lowest = env.jdks().keySet().stream().filter(j -> j >= floor).min(Integer::compare);
            if (lowest.isEmpty()) {
                return new Plan.Unsupported("the POM targets Java " + floor + " and this machine has JDK "
                        + env.jdks().keySet(), Optional.empty());
            }
            jdk = lowest.get();
            notes.add("the published jar names no JDK; JDK " + jdk + " is the lowest installed one meeting the POM's Java "
                    + floor + ": a difference may be the JDK's");
        }
        Matcher ts = OUTPUT_TIMESTAMP.matcher(pom);
        notes.add(ts.find() ? "project.build.outputTimestamp " + ts.group(1) + " (set by the POM)"
                : "the POM sets no project.build.outputTimestamp: entry times and order are the build's, stabilised before comparing");
        Path javaHome = env.jdks().get(jdk);
        Map<String, String> toolchain = new LinkedHashMap<>();
        toolchain.put("jdk", String.valueOf(jdk));
        toolchain.put("maven", RebuildEnvironment.toolVersion("mvn", "-v").orElse("unknown"));
        toolchain.put("umask", "0022");
        toolchain.put("newline", "lf");
        toolchain.put("sandbox", env.sandbox().version());
        toolchain.put("sandbox_limits", env.sandbox().describe(env.limits()));
        if (javaHome != null) {
            toolchain.put("java_home", javaHome.toString());
        }
        Instructions ins = instructions(r, env, dir.get(), jdk, javaHome, toolchain, notes);
        if (javaHome == null) {
            return new Plan.Unsupported("built with JDK " + jdk + " (" + declared.map(JdkEvidence::source).orElse("")
                    + "); this machine has JDK " + env.jdks().keySet(), Optional.of(ins));
        }
        return new Plan.Ready(ins);
    }

    private Instructions instructions(Request r, RebuildEnvironment env, String dir, int jdk, Path javaHome,
                                             Map<String, String> toolchain, List<String> notes) {
        Map<String, String> stepEnv = Map.of("JAVA_HOME", javaHome == null ? "(a JDK " + jdk + " home: none on this machine)" : javaHome.toString(),
                "PATH", (javaHome == null ? "" : javaHome + "/bin:") + Sandbox.PATH);
        List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-s", Sandbox.WORK.resolve("settings.xml").toString(),
                "-Dmaven.repo.local=" + REPOSITORY));
        List<String> module = dir.isEmpty() ? List.of() : List.of("-pl", dir, "-am");
        List<String> build = new ArrayList<>(mvn);
        build.addAll(List.of("-o", "-DskipTests", "-Dgpg.skip", "package"));
        build.addAll(module);
        List<String> goOffline = new ArrayList<>(mvn);
        goOffline.add(DEPENDENCY_PLUGIN);
        List<String> throwAway = new ArrayList<>(mvn);
        throwAway.addAll(List.of("-DskipTests", "-Dgpg.skip", "package"));
        throwAway.addAll(module);
        String relay = relay();
        URI repo = repository;
        String network = repo.getHost() + ":" + (repo.getPort() > 0 ? repo.getPort() : "https".equals(repo.getScheme()) ? 443 : 80);
        String src = Sandbox.WORK.resolve("src").toString();
        List<Instructions.Step> steps = List.of(
                new Instructions.Step("build", "none", "always", bash("umask 022 && cd " + src + " && " + join(build)), stepEnv),
                new Instructions.Step("resolve", network, "if the offline build misses a dependency",
                        bash("umask 022 && " + relay + "cd " + src + " && " + join(goOffline)), stepEnv),
                new Instructions.Step("resolve", network, "if the offline build still misses one (resolved at run time); both resolve steps once more if it still does",
                        bash("umask 022 && " + relay + "rm -rf /build/resolve && cp -a " + src + " /build/resolve && cd /build/resolve && "
                                + join(throwAway) + "; status=$?; rm -rf /build/resolve; exit $status"), stepEnv),
                new Instructions.Step("build", "none", "after a resolve", bash("umask 022 && cd " + src + " && " + join(build)),
                        stepEnv));
        String output = "src/" + (dir.isEmpty() ? "" : dir + "/") + "target/" + r.artifact().filename().replaceFirst("#\\d+$", "");
        return new Instructions(VERSION, r.repositoryLocation(), r.commit(), dir, toolchain, steps, output, notes);
    }

    private static List<String> bash(String script) {
        return List.of("/bin/bash", "-c", script);
    }

    private static String join(List<String> args) {
        return String.join(" ", args.stream().map(a -> a.matches("[A-Za-z0-9_./:=@,+-]+") ? a : "'" + a.replace("'", "'\\''") + "'").toList());
    }

    /** The folder whose pom.xml is this artifact's project: the root, else the shallowest module declaring it. */
    static Optional<String> moduleDirectory(Request r, SourceTree tree, String artifactId) {
        List<String> poms = tree.files().keySet().stream().filter(p -> p.equals("pom.xml") || p.endsWith("/pom.xml"))
                .filter(p -> !p.contains("src/test/") && !p.contains("src/it/"))
                .sorted(java.util.Comparator.comparingInt((String p) -> p.split("/").length).thenComparing(p -> p))
                .toList();
        for (String p : poms) {
            String dir = p.equals("pom.xml") ? "" : p.substring(0, p.length() - "/pom.xml".length());
            Optional<String> text = readPom(r, tree, dir);
            if (text.isPresent() && artifactId.equals(projectArtifactId(text.get()).orElse(null))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** The project's own artifactId: the first one outside {@code <parent>}. */
    static Optional<String> projectArtifactId(String pom) {
        String noComments = pom.replaceAll("(?s)<!--.*?-->", "");
        String withoutParent = noComments.replaceFirst("(?s)<parent>.*?</parent>", "");
        Matcher m = Pattern.compile("<artifactId>\\s*([^<\\s]+)\\s*</artifactId>").matcher(withoutParent);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static Optional<String> readPom(Request r, SourceTree tree, String dir) {
        String path = dir.isEmpty() ? "pom.xml" : dir + "/pom.xml";
        try {
            Optional<SourceTree.SourceFile> f = tree.get(path);
            return f.isEmpty() ? Optional.empty()
                    : r.repository().read(f.get().blobId(), 4 << 20).map(b -> new String(b, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Maven's offline mode saying a dependency or plugin was never downloaded: a resolve step is due. */
    static boolean missesDependency(String log) {
        return log.contains("in offline mode") || log.contains("has not been downloaded from it before")
                || log.contains("offline mode and the artifact");
    }

    @Override
    public Built build(Instructions ins, Path work, RebuildEnvironment env) throws IOException {
        long start = System.nanoTime();
        Path repo = env.sharedRepository("maven");
        Files.writeString(work.resolve("settings.xml"), settings(repository));
        Files.createDirectories(work.resolve(".proxy"));
        Files.writeString(work.resolve(".proxy/Relay.java"), RepositoryProxy.RELAY);
        List<String> ran = new ArrayList<>();
        Instructions.Step build = ins.steps().get(0);
        Sandbox.Result r = run(build, work, repo, false, env);
        ran.add("build");
        if (!r.succeeded() && missesDependency(r.outputTail())) {
            RESOLVE.lock();
            // The resolve steps run project code with network: they write a private copy of the shared repository,
            // from which only files the registry vouches for are merged back (VerifiedMerge).
            Path privateRepo = work.resolveSibling(work.getFileName() + "-m2");
            try (RepositoryProxy proxy = RepositoryProxy.open(repository, work.resolve(".proxy/sock"))) {
                copy(repo, privateRepo);
                // Two rounds at most: a round whose download failed midway (the registry or the relay slow to answer)
                // leaves the offline build missing what the next round fetches.
                List<Instructions.Step> rounds = new ArrayList<>(ins.steps().subList(1, 3));
                rounds.addAll(ins.steps().subList(1, 3));
                String failedResolve = "";
                for (Instructions.Step resolve : rounds) {
                    // Maven caches a failed download (*.lastUpdated) and would not ask again in the next round.
                    forgetFailedDownloads(privateRepo);
                    Sandbox.Result res = run(resolve, work, privateRepo, true, env);
                    ran.add("resolve");
                    if (!res.succeeded()) {
                        failedResolve = "\nthe last failed resolve step (" + res.killedBy().orElse("exit status "
                                + res.exitCode()) + ") ended:\n" + tail(res.outputTail(), 1500);
                    }
                    VerifiedMerge.Result merged = VerifiedMerge.merge(privateRepo, repo, repository,
                            MIRROR_ID);
                    r = run(ins.steps().get(3), work, repo, false, env);
                    ran.add("build");
                    if (r.succeeded() || !missesDependency(r.outputTail())) {
                        break;
                    }
                    String why = (proxy.refused().isEmpty() ? "" : "\nproxy refused: " + proxy.refused())
                            + (merged.refused().isEmpty() ? "" : "\nnot merged (the registry does not vouch for them): "
                            + merged.refused().subList(0, Math.min(20, merged.refused().size())));
                    if (!why.isEmpty() || (!res.succeeded() && resolve == ins.steps().get(2))) {
                        r = new Sandbox.Result(r.exitCode(), r.killedBy(), r.outputTail() + why + failedResolve,
                                r.outputBytes(), r.millis());
                    }
                }
            } finally {
                Sandbox.deleteTree(privateRepo);
                RESOLVE.unlock();
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (!r.succeeded()) {
            return new Built(Optional.empty(), Optional.of("step " + ran.get(ran.size() - 1) + " "
                    + r.killedBy().orElse("exited with status " + r.exitCode()) + ":\n" + tail(r.outputTail(), 4000)),
                    ran, millis);
        }
        Optional<Path> out = SourceCheckout.regularFile(work, ins.output());
        if (out.isEmpty()) {
            return new Built(Optional.empty(), Optional.of(Rebuilder.NO_OUTPUT + ins.output()
                    + ":\n" + tail(r.outputTail(), 2000)), ran, millis);
        }
        return new Built(out, Optional.empty(), ran, millis);
    }

    /**
     * Deletes Maven's records of failed downloads ({@code *.lastUpdated}, {@code resolver-status.properties}) under
     * {@code repo}: with them, a download that failed once (the registry or the relay slow) is not tried again until
     * the update interval, so a second resolve round could never recover it.
     */
    static int forgetFailedDownloads(Path repo) throws IOException {
        if (!Files.isDirectory(repo)) {
            return 0;
        }
        List<Path> stale;
        try (var walk = Files.walk(repo)) {
            stale = walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".lastUpdated") || n.equals("resolver-status.properties");
                    }).toList();
        }
        for (Path p : stale) {
            Files.deleteIfExists(p);
        }
        return stale.size();
    }

    /** The id of the one repository every build sees (settings.xml's mirror), as the local repository records it. */
    static final String MIRROR_ID = "configured";

    /** A private copy of the shared repository (a copy, not links: the sandbox could write through a hard link). */
    /**
     * The shell prefix of a resolve step: starts the relay from the sandbox's local port to the registry proxy's socket
     * and waits for it — up to 120 s: the source launcher compiles the relay first, which on a loaded machine took
     * longer than the 10 s once allowed (Maven then met a refused connection and resolved nothing). A relay that never
     * comes up fails the step saying so.
     */
    static String relay() {
        return "java " + Sandbox.WORK.resolve(".proxy/Relay.java") + " " + PROXY_PORT + " "
                + Sandbox.WORK.resolve(".proxy/sock") + " & up=; for i in $(seq 1200); do (exec 3<>/dev/tcp/127.0.0.1/"
                + PROXY_PORT + ") 2>/dev/null && { up=1; break; }; sleep 0.1; done; [ -n \"$up\" ] || { echo "
                + "'divergence: the relay to the registry did not start within 120 s' >&2; exit 97; }; ";
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try {
            Process p = new ProcessBuilder("cp", "-a", from + "/.", to.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("cannot copy the shared repository: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying the shared repository", e);
        }
    }

    private static Sandbox.Result run(Instructions.Step step, Path work, Path repo, boolean writableRepo,
                                      RebuildEnvironment env) throws IOException {
        return env.sandbox().run(step.command(), new Sandbox.Spec(work,
                List.of(new Sandbox.Mount(repo, REPOSITORY, writableRepo)), step.env(), Sandbox.WORK, env.limits()));
    }

    static String tail(String s, int n) {
        return s.length() <= n ? s : s.substring(s.length() - n);
    }

    /** Every repository mirrored to the configured one; both proxies point at the sandbox's relay. */
    static String settings(URI repository) {
        String url = repository.toString().replace("&", "&amp;").replace("<", "&lt;");
        return """
                <settings>
                  <proxies>
                    <proxy><id>relay-https</id><active>true</active><protocol>https</protocol><host>127.0.0.1</host><port>%d</port></proxy>
                    <proxy><id>relay-http</id><active>true</active><protocol>http</protocol><host>127.0.0.1</host><port>%d</port></proxy>
                  </proxies>
                  <mirrors>
                    <mirror><id>%s</id><mirrorOf>*</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(PROXY_PORT, PROXY_PORT, MIRROR_ID, url);
    }
}
