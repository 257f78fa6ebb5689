package dev.divergence.demo;

import dev.divergence.archive.EntryDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A synthetic release history at scale for the benchmark: N versions of a large flat-layout package (F files of
 * ~B bytes of Python-like text in 20 sub-packages), ~1% of files changed per version, a version bump in each,
 * a new module every 50 versions, every 97th version published without a tag; an sdist and a wheel per version
 * served like PyPI, and a real Git history written object by object (no work tree, so 1,000 commits of
 * thousands of files take seconds).
 */
public final class SyntheticHistory {

    public static final String NAME = "bigpkg";

    public record Built(Path repository, Path registryRoot, PypiIndexWriter index, List<Path> sdists, List<Path> wheels,
                        long artifactBytes) {
    }

    private static final String[] WORDS = ("def return self value import from class if else for in range len list dict"
            + " str int None True False yield async await lambda with as try except raise data result config item key"
            + " index count total path name version request response handler router cache buffer stream").split(" ");

    private SyntheticHistory() {
    }

    static byte[] module(Random rnd, int bytes, String header) {
        StringBuilder sb = new StringBuilder(bytes + 200).append(header).append('\n');
        while (sb.length() < bytes) {
            int indent = rnd.nextInt(3) * 4;
            sb.append(" ".repeat(indent));
            int words = 3 + rnd.nextInt(9);
            for (int w = 0; w < words; w++) {
                sb.append(WORDS[rnd.nextInt(WORDS.length)]).append(w == words - 1 ? "" : " ");
            }
            sb.append(rnd.nextInt(10) == 0 ? "  # " + rnd.nextInt(1_000_000) : "").append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Built generate(Path work, int versions, int files, int fileBytes, long seed) throws Exception {
        Path repoDir = work.resolve("repo.git");
        Path registry = work.resolve("registry");
        Files.createDirectories(registry.resolve("packages"));
        Random rnd = new Random(seed);
        SortedMap<String, byte[]> tree = new TreeMap<>();
        for (int i = 0; i < files; i++) {
            tree.put(NAME + "/mod" + (i % 20) + "/f" + i + ".py", module(rnd, fileBytes, "# module " + i));
        }
        tree.put(NAME + "/__init__.py", "__version__ = \"0.0.0\"\n".getBytes(StandardCharsets.UTF_8));
        tree.put("pyproject.toml", "[project]\nname = \"bigpkg\"\nversion = \"0.0.0\"\n".getBytes(StandardCharsets.UTF_8));
        tree.put("README.md", "# bigpkg\n".getBytes(StandardCharsets.UTF_8));
        tree.put("tests/test_basic.py", "def test():\n    pass\n".getBytes(StandardCharsets.UTF_8));

        PypiIndexWriter index = new PypiIndexWriter(registry, NAME, Map.of("Source", "https://github.com/example/bigpkg"));
        List<Path> sdists = new ArrayList<>();
        List<Path> wheels = new ArrayList<>();
        long bytes = 0;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<long[]>> pending = new ArrayList<>();
        Repository repo = new FileRepositoryBuilder().setGitDir(repoDir.toFile()).setBare().build();
        repo.create(true);
        Map<String, ObjectId> blobs = new TreeMap<>();
        ObjectId parent = null;
        Instant t = Instant.parse("2020-01-01T00:00:00Z");
        try (ObjectInserter ins = repo.newObjectInserter()) {
            for (String p : tree.keySet()) {
                blobs.put(p, ins.insert(Constants.OBJ_BLOB, tree.get(p)));
            }
            for (int v = 1; v <= versions; v++) {
                String version = "1." + (v / 100) + "." + (v % 100);
                List<String> changed = new ArrayList<>();
                for (int c = 0; c < Math.max(1, files / 100); c++) {
                    int i = rnd.nextInt(files);
                    String p = NAME + "/mod" + (i % 20) + "/f" + i + ".py";
                    tree.put(p, module(rnd, fileBytes, "# module " + i + " v" + v));
                    changed.add(p);
                }
                if (v % 50 == 0) {
                    String p = NAME + "/mod" + (v % 20) + "/added" + v + ".py";
                    tree.put(p, module(rnd, fileBytes, "# added in " + version));
                    changed.add(p);
                }
                tree.put(NAME + "/__init__.py", ("__version__ = \"" + version + "\"\n").getBytes(StandardCharsets.UTF_8));
                tree.put("pyproject.toml", ("[project]\nname = \"bigpkg\"\nversion = \"" + version + "\"\n")
                        .getBytes(StandardCharsets.UTF_8));
                changed.add(NAME + "/__init__.py");
                changed.add("pyproject.toml");
                for (String p : changed) {
                    blobs.put(p, ins.insert(Constants.OBJ_BLOB, tree.get(p)));
                }
                DirCache dc = DirCache.newInCore();
                DirCacheBuilder b = dc.builder();
                for (Map.Entry<String, ObjectId> e : blobs.entrySet()) {
                    DirCacheEntry de = new DirCacheEntry(e.getKey());
                    de.setFileMode(FileMode.REGULAR_FILE);
                    de.setObjectId(e.getValue());
                    b.add(de);
                }
                b.finish();
                ObjectId treeId = dc.writeTree(ins);
                t = t.plusSeconds(86_400);
                CommitBuilder cb = new CommitBuilder();
                PersonIdent who = new PersonIdent("Bench", "bench@example.org", java.util.Date.from(t),
                        java.util.TimeZone.getTimeZone("UTC"));
                cb.setAuthor(who);
                cb.setCommitter(who);
                cb.setTreeId(treeId);
                if (parent != null) {
                    cb.setParentId(parent);
                }
                cb.setMessage("release " + version);
                parent = ins.insert(cb);
                ins.flush();
                if (v % 97 != 0) {
                    RefUpdate ru = repo.updateRef(Constants.R_TAGS + "v" + version);
                    ru.setNewObjectId(parent);
                    ru.update();
                }
                SortedMap<String, byte[]> snapshot = new TreeMap<>(tree);
                Instant uploaded = t.plusSeconds(600);
                Path sdist = registry.resolve("packages").resolve(PythonDistributions.sdistFilename(NAME, version));
                Path wheel = registry.resolve("packages").resolve(PythonDistributions.wheelFilename(NAME, version));
                sdists.add(sdist);
                wheels.add(wheel);
                pending.add(pool.submit(() -> {
                    SortedMap<String, byte[]> wheelFiles = new TreeMap<>(snapshot.subMap(NAME + "/", NAME + "0"));
                    byte[] s = PythonDistributions.sdist(NAME, version, snapshot, List.of(NAME));
                    byte[] w = PythonDistributions.wheel(NAME, version, wheelFiles, List.of(NAME));
                    Files.write(sdist, s);
                    Files.write(wheel, w);
                    synchronized (index) {
                        index.add(PypiIndexWriter.Upload.stored(version, sdist, EntryDigest.sha256(s), uploaded));
                        index.add(PypiIndexWriter.Upload.stored(version, wheel, EntryDigest.sha256(w), uploaded.plusSeconds(5)));
                    }
                    return new long[] {s.length + (long) w.length};
                }));
                if (pending.size() > 8) {
                    bytes += pending.remove(0).get()[0];
                }
            }
            for (Future<long[]> f : pending) {
                bytes += f.get()[0];
            }
            RefUpdate main = repo.updateRef(Constants.R_HEADS + "main");
            main.setNewObjectId(parent);
            main.update();
            repo.updateRef(Constants.HEAD).link(Constants.R_HEADS + "main");
        } finally {
            pool.shutdown();
            repo.close();
        }
        return new Built(repoDir, registry, index, sdists, wheels, bytes);
    }
}
