package dev.divergence.registry.pypi;

import static dev.divergence.fixtures.Trees.flatProject;
import static dev.divergence.fixtures.Trees.with;
import static dev.divergence.fixtures.Trees.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.RefMethod;
import dev.divergence.model.SourceRef;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a Python project declares its version, as setuptools reads it. */
class PypiLocatorTest {

    @TempDir
    Path dir;

    private static SortedMap<String, byte[]> attrProject(String declared) {
        return with(without(flatProject("1.0.0"), "pyproject.toml"),
                "setup.cfg", "[metadata]\nname = demo\nversion = attr: demo.__version__\n",
                "demo/__init__.py", "__version__ = \"" + declared + "\"\n");
    }

    private static SortedMap<String, byte[]> wheelOf(SortedMap<String, byte[]> tree) {
        SortedMap<String, byte[]> m = new TreeMap<>();
        tree.forEach((k, v) -> {
            if (k.startsWith("demo/")) {
                m.put(k, v);
            }
        });
        return m;
    }

    @Test
    void setupCfgAttrDirectiveIsAnsweredByTheModulesVersionNotReadAsAVersion() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            String tagged = w.commit(attrProject("1.0.0"), "release 1.0.0");
            w.tag("1.0.0");
            w.commit(with(attrProject("1.0.1.dev0"), "README.md", "# demo, next\n"), "back to development");
            w.publish("1.0.0", attrProject("1.0.0"), wheelOf(attrProject("1.0.0")));
            SourceRef ref = w.scan("1.0.0").ref();
            assertEquals(RefMethod.TAG, ref.method(), ref.note().orElse(""));
            assertEquals(tagged, ref.commit().orElseThrow());
            assertEquals("1.0.0", ref.manifestVersion().orElseThrow());
        }
    }

    @Test
    void aTagWhoseModuleDeclaresAnotherVersionIsStillADisagreement() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(attrProject("0.9.0"), "forgot to bump");
            w.tag("1.0.0");
            w.publish("1.0.0", attrProject("1.0.0"), wheelOf(attrProject("1.0.0")));
            SourceRef ref = w.scan("1.0.0").ref();
            assertTrue(ref.note().orElseThrow().contains("is not a match: its manifest declares 0.9.0"),
                    ref.note().orElseThrow());
        }
    }
}
