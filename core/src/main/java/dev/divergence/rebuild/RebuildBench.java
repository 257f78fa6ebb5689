package dev.divergence.rebuild;

import dev.divergence.archive.ArchiveLimits;
import dev.divergence.archive.ArchiveListing;
import dev.divergence.archive.ArchiveReaders;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.SourceHints;
import dev.divergence.source.RepositoryCache;
import dev.divergence.source.SourceRepository;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rebuild cost per version against its floor, measured in the same run: a bare {@code mvn -o -DskipTests package}
 * of the same commit (plain checkout, no sandbox, the same warm shared dependency repository) versus the whole
 * rebuild (checkout from Git objects, the sandboxed offline build, the comparison). Alternates the two
 * {@code repeat} times after one warm-up of each and prints every run and the medians.
 * <p>
 * {@code RebuildBench REPO COMMIT PUBLISHED_JAR GROUP/ARTIFACT VERSION CACHE [REPEAT]} — see
 * {@code datasets/realcheck/rebuild-bench.sh}.
 */
public final class RebuildBench {

    private RebuildBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: RebuildBench REPO COMMIT PUBLISHED_JAR GROUP/ARTIFACT VERSION CACHE [REPEAT]");
            System.exit(2);
        }
        String repoLocation = args[0];
        String commit = args[1];
        Path jar = Path.of(args[2]).toAbsolutePath();
        Path cache = Path.of(args[5]).toAbsolutePath();
        int repeat = args.length > 6 ? Integer.parseInt(args[6]) : 3;
        SourceRepository repo = RepositoryCache.open(repoLocation, cache);
        Artifact artifact = new Artifact(jar.getFileName().toString(), jar.toUri().toString(), ArtifactKind.JAR,
                Files.size(jar), Map.of(), Optional.empty(), false);
        Release release = new Release(PackageId.parse("pkg:maven/" + args[3]), args[4], List.of(artifact),
                Optional.empty(), false, Optional.empty(), SourceHints.none());
        ArchiveListing listing = ArchiveReaders.read(jar, ArchiveLimits.defaults());
        RebuildEnvironment env = RebuildEnvironment.local(cache);
        MavenRebuild maven = new MavenRebuild(URI.create("https://repo1.maven.org/maven2"));
        RebuildStrategy.Plan plan = maven.plan(new RebuildStrategy.Request(release, artifact, jar, listing, repo,
                repoLocation, commit), env);
        if (!(plan instanceof RebuildStrategy.Plan.Ready ready)) {
            System.out.println("not rebuildable here: " + ((RebuildStrategy.Plan.Unsupported) plan).reason());
            return;
        }
        Instructions ins = ready.instructions();
        Path javaHome = Path.of(ins.toolchain().get("java_home"));
        List<Long> bare = new ArrayList<>();
        List<Long> rebuild = new ArrayList<>();
        String verdict = "";
        for (int i = 0; i <= repeat; i++) { // run 0 warms the shared repository and the page cache: not counted
            long b = bareBuild(maven, repo, commit, ins.directory(), env, javaHome);
            long t0 = System.nanoTime();
            Path work = env.newWorkDir();
            try {
                SourceCheckout.write(repo, commit, work.resolve("src"));
                RebuildStrategy.Built built = maven.build(ins, work, env);
                if (built.output().isEmpty()) {
                    System.out.println("rebuild failed: " + built.failure().orElse(""));
                    return;
                }
                verdict = RebuildComparison.compare(artifact.filename(), jar, listing, built.output().get(),
                        ArchiveLimits.defaults()).verdict().name();
            } finally {
                Sandbox.deleteTree(work);
            }
            long r = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("run %d%s: bare mvn -o package %d ms, rebuild (checkout + sandbox + compare) %d ms, %s%n",
                    i, i == 0 ? " (warm-up)" : "", b, r, verdict);
            if (i > 0) {
                bare.add(b);
                rebuild.add(r);
            }
        }
        long mb = median(bare);
        long mr = median(rebuild);
        System.out.printf("median over %d runs: bare %d ms, rebuild %d ms, overhead %.1f%% (target <= 15%%)%n",
                repeat, mb, mr, 100.0 * (mr - mb) / mb);
    }

    /** The floor: the same commit, the same command, the same JDK and repository, no sandbox, no comparison. */
    private static long bareBuild(MavenRebuild maven, SourceRepository repo, String commit, String dir,
                                  RebuildEnvironment env, Path javaHome) throws IOException, InterruptedException {
        Path plain = Files.createTempDirectory("bare-build");
        try {
            SourceCheckout.write(repo, commit, plain.resolve("src"));
            // The same settings as the sandboxed build: the shared repository records what it holds per repository id.
            Path settings = Files.writeString(plain.resolve("settings.xml"), MavenRebuild.settings(maven.repository()));
            List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-q", "-o", "-s", settings.toString(),
                    "-Dmaven.repo.local=" + env.sharedRepository("maven"), "-DskipTests", "-Dgpg.skip", "package"));
            if (!dir.isEmpty()) {
                cmd.addAll(List.of("-pl", dir, "-am"));
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(plain.resolve("src").toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("JAVA_HOME", javaHome.toString());
            long t0 = System.nanoTime();
            int exit = pb.start().waitFor();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (exit != 0) {
                throw new IOException("bare mvn -o package failed with status " + exit);
            }
            return ms;
        } finally {
            Sandbox.deleteTree(plain);
        }
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        java.util.Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
