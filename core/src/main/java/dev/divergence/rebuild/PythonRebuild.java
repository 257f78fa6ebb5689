package dev.divergence.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.source.SourceTree;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Rebuilds an sdist and a pure-Python wheel with {@code python3 -m build --no-isolation} and the build backends this
 * machine's OS provides (Debian: setuptools, wheel, flit_core, hatchling, poetry-core and the version plugins listed
 * in {@link #MODULES}), with no network at all: the build's requirements are never downloaded. A backend or a
 * requirement the OS does not provide is {@code UNSUPPORTED_ENV} naming it; so is a binary wheel (its interpreter
 * and compiler toolchain are the release's, not ours). The sdist is built from the commit and the wheel from that
 * sdist, as {@code build} does; {@code SOURCE_DATE_EPOCH} is the commit's time. Backend versions differ from many
 * releases' (the OS's are older): a wheel's {@code WHEEL}/{@code METADATA} generator lines may then differ, and say
 * so as {@code DIFFERS} rows, never as build noise.
 */
public final class PythonRebuild implements RebuildStrategy {

    public static final String VERSION = "python/1";
    static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Build requirements (PEP 503 names) the OS provides, and the module that proves each is installed. */
    static final Map<String, String> MODULES = Map.of("setuptools", "setuptools", "wheel", "wheel",
            "flit-core", "flit_core", "hatchling", "hatchling", "poetry-core", "poetry.core",
            "setuptools-scm", "setuptools_scm", "hatch-vcs", "hatch_vcs");

    private static final TomlMapper TOML = new TomlMapper();

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public boolean rebuilds(Artifact artifact) {
        return artifact.kind() == ArtifactKind.SDIST || artifact.kind() == ArtifactKind.WHEEL;
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
        String backend;
        List<String> requires = new ArrayList<>();
        Optional<JsonNode> pyproject = r.readTree(tree, prefix + "pyproject.toml", TOML);
        JsonNode system = pyproject.map(p -> p.path("build-system")).orElse(null);
        if (system != null && system.has("requires")) {
            system.path("requires").forEach(x -> requires.add(x.asText()));
            backend = system.path("build-backend").asText("setuptools.build_meta:__legacy__");
        } else if (tree.get(prefix + "setup.py").isPresent() || tree.get(prefix + "setup.cfg").isPresent()) {
            backend = "setuptools.build_meta:__legacy__"; // PEP 517's fallback for a project without [build-system]
            requires.addAll(List.of("setuptools", "wheel"));
        } else {
            return new Plan.Unsupported("no pyproject.toml [build-system], setup.py or setup.cfg at "
                    + (dir.isEmpty() ? "the root" : dir) + " of commit " + r.commit(), Optional.empty());
        }
        String filename = r.artifact().filename().replaceFirst("#\\d+$", "");
        if (r.artifact().kind() == ArtifactKind.WHEEL && !filename.endsWith("-none-any.whl")) {
            return new Plan.Unsupported("binary wheel " + filename + ": its interpreter and toolchain are the release's",
                    Optional.empty());
        }
        List<String> missing = new ArrayList<>();
        for (String req : requires) {
            String name = req.split("[\\s;<>=!~\\[(]", 2)[0].toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
            if (!MODULES.containsKey(name)) {
                missing.add(req.strip());
            }
        }
        Map<String, String> toolchain = new LinkedHashMap<>();
        toolchain.put("python", RebuildEnvironment.toolVersion(PYTHON.toString(), "--version").orElse("unknown"));
        toolchain.put("build", pythonVersionOf("build"));
        toolchain.put("backend", backend);
        toolchain.put("setuptools", pythonVersionOf("setuptools"));
        toolchain.put("sandbox", env.sandbox().version());
        toolchain.put("sandbox_limits", env.sandbox().describe(env.limits()));
        toolchain.put("umask", "0022");
        String src = Sandbox.WORK.resolve("src").resolve(dir).toString().replaceAll("/$", "");
        long epoch = commitTime(r);
        Map<String, String> stepEnv = Map.of("SOURCE_DATE_EPOCH", String.valueOf(epoch), "PYTHONDONTWRITEBYTECODE", "1");
        List<Instructions.Step> steps = List.of(new Instructions.Step("build", "none", "always", List.of("/bin/bash", "-c",
                "umask 022 && cd " + src + " && " + PYTHON + " -m build --no-isolation --outdir /build/out"), stepEnv));
        List<String> notes = new ArrayList<>(List.of("build requirements: " + requires,
                "SOURCE_DATE_EPOCH " + epoch + " (the commit's time)"));
        Instructions ins = new Instructions(VERSION, r.repositoryLocation(), r.commit(), dir, toolchain, steps,
                "out/" + filename, notes);
        if (!missing.isEmpty()) {
            return new Plan.Unsupported("build requirement(s) " + missing + " of backend " + backend
                    + " not provided by this machine's OS (it has " + MODULES.keySet().stream().sorted().toList() + ")",
                    Optional.of(ins));
        }
        String module = backend.replaceFirst(":.*", "");
        if (MODULES.values().stream().noneMatch(m -> module.equals(m) || module.startsWith(m + "."))) {
            return new Plan.Unsupported("build backend " + backend + " not provided by this machine's OS",
                    Optional.of(ins));
        }
        return new Plan.Ready(ins);
    }

    private static long commitTime(Request r) {
        try {
            return r.repository().index().commits().stream().filter(c -> c.id().name().equals(r.commit()))
                    .mapToLong(c -> c.time()).findFirst().orElse(315532800L);
        } catch (RuntimeException e) {
            return 315532800L; // 1980-01-01, the earliest time a zip can hold
        }
    }

    private static String pythonVersionOf(String module) {
        return RebuildEnvironment.toolVersion(PYTHON.toString(), "-c",
                "import importlib.metadata as m; print(m.version('" + module + "'))").orElse("absent");
    }

    @Override
    public Built build(Instructions ins, Path work, RebuildEnvironment env) throws IOException {
        long start = System.nanoTime();
        List<String> ran = new ArrayList<>();
        for (Instructions.Step step : ins.steps()) {
            Sandbox.Result res = env.sandbox().run(step.command(), new Sandbox.Spec(work, List.of(), step.env(),
                    Sandbox.WORK, env.limits()));
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
