package dev.divergence.registry.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BundleManifestTest {
    private static Optional<Map<String, String>> read(String manifest) {
        return BundleManifest.mainHeaders(manifest.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void linesEndAtCrLfOrCrlfOfAnyLengthAndContinueAfterOneSpace() {
        String longValue = "y".repeat(700);
        Map<String, String> h = read("Manifest-Version: 1.0\rA: a\r\n  b\nB: " + longValue + "\r\nc: x\n y\r z\n\nD: in a section\n")
                .orElseThrow();
        assertEquals(Map.of("Manifest-Version", "1.0", "A", "a b", "B", longValue, "c", "xyz"), Map.copyOf(h));
        assertEquals("xyz", h.get("C"), "names are looked up whatever their case");
    }

    @Test
    void aLastLineWithoutItsLineEndAndKeyColonValueWithoutASpaceCount() {
        assertEquals("org.acme.A", read("Manifest-Version: 1.0\nBundle-Activator:org.acme.A").orElseThrow()
                .get("Bundle-Activator"));
        assertEquals("2", read("X: 1\nx: 2\n").orElseThrow().get("X"), "the last of a repeated header wins");
    }

    @Test
    void aLineWithoutAColonIsRefusedAndAnEmptyManifestHasNoHeaders() {
        assertTrue(read("Manifest-Version: 1.0\nno colon here\n").isEmpty());
        assertEquals(Map.of(), Map.copyOf(read("").orElseThrow()));
    }
}
