package dev.divergence.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RebuildEnvironmentTest {

    /**
     * "The lowest installed JDK meeting the POM's release" reads the JDKs in order: an unordered map once made the
     * sources jar of commons-codec 1.17.1 build on JDK 25 with JDK 17 installed (and in a second build).
     */
    @Test
    void installedJdksAreListedLowestFirst() {
        Map<Integer, Path> installed = Map.of(25, Path.of("/jdk25"), 17, Path.of("/jdk17"), 21, Path.of("/jdk21"),
                11, Path.of("/jdk11"), 8, Path.of("/jdk8"));
        RebuildEnvironment env = new RebuildEnvironment(Sandbox.system(), Path.of("/tmp"), installed,
                Sandbox.Limits.defaults());
        assertEquals(List.of(8, 11, 17, 21, 25), List.copyOf(env.jdks().keySet()));
    }
}
