package dev.divergence.rebuild;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;

/**
 * How an artifact was (or would be) rebuilt, as data — after OSS Rebuild's {@code Instructions}
 * ({@code Location{Repo, Ref, Dir}}, toolchain, steps, output): stored with the verdict in the {@code instructions}
 * column so anyone can run the same build again.
 *
 * @param strategy the strategy and its version ({@code maven/1}): a version is rebuilt once per strategy version
 * @param repository the repository the source came from
 * @param commit the commit checked out (its tree, without submodules)
 * @param directory the directory of the commit the build runs in ({@code ""} for the root)
 * @param toolchain tool versions and homes ({@code jdk}, {@code java_home}, {@code maven}, {@code node}, ...)
 * @param steps the commands, in order; each runs in the sandbox
 * @param output the file the build writes that is compared with the published one, relative to the work dir
 * @param notes what a reader needs to know to reproduce it (why this JDK, what the POM pins)
 */
public record Instructions(String strategy, String repository, String commit, String directory,
                           Map<String, String> toolchain, List<Step> steps, String output, List<String> notes) {

    public Instructions {
        toolchain = Map.copyOf(new java.util.TreeMap<>(toolchain));
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }

    /**
     * One sandboxed command.
     *
     * @param name {@code resolve} (dependencies, network to the registry only) or {@code build} (no network)
     * @param network {@code none}, or the one {@code host:port} the proxy lets through
     * @param when {@code always}, or the condition under which it runs ({@code if the offline build misses a
     *     dependency})
     * @param command the command line inside the sandbox
     * @param env the environment besides the sandbox's fixed {@code HOME}, {@code TMPDIR}, {@code PATH}, {@code LANG}
     */
    public record Step(String name, String network, String when, List<String> command, Map<String, String> env) {
        public Step {
            command = List.copyOf(command);
            env = Map.copyOf(new java.util.TreeMap<>(env));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Instructions fromJson(String json) {
        try {
            return JSON.readValue(json, Instructions.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not rebuild instructions: " + e.getMessage(), e);
        }
    }
}
