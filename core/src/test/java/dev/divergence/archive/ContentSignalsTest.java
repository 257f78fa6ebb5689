package dev.divergence.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.model.RiskFlag;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContentSignalsTest {

    private static Set<RiskFlag> scan(String path, byte[] content, int chunk) {
        ContentSignals s = new ContentSignals(path, 1 << 20);
        for (int i = 0; i < content.length; i += chunk) {
            s.update(content, i, Math.min(chunk, content.length - i));
        }
        return s.flags();
    }

    private static Set<RiskFlag> scan(String path, String content) {
        return scan(path, content.getBytes(StandardCharsets.UTF_8), 7);
    }

    @Test
    void pthLineStartingWithImportExecutes() {
        assertEquals(Set.of(RiskFlag.PTH_FILE, RiskFlag.PTH_EXECUTES, RiskFlag.CODE),
                scan("x_init.pth", "/opt/lib\nimport os; os.getcwd()\n"));
        assertEquals(Set.of(RiskFlag.PTH_FILE, RiskFlag.CODE), scan("paths.pth", "/opt/lib\n# import nothing\n"));
    }

    @Test
    void longBase64RunIsAnEncodedBlobEvenAcrossChunks() {
        String blob = Base64.getEncoder().encodeToString(new byte[600]);
        Set<RiskFlag> flags = scan("m.py", "X = '" + blob + "'\n");
        assertTrue(flags.contains(RiskFlag.ENCODED_BLOB));
        assertFalse(scan("m.py", "x = 'short string of words that is quite long but has spaces in it'\n")
                .contains(RiskFlag.ENCODED_BLOB));
    }

    @Test
    void dynamicExecutionTokenSplitAcrossChunksIsFound() {
        ContentSignals s = new ContentSignals("m.py", 1 << 20);
        byte[] a = "import base64; base64.b64de".getBytes(StandardCharsets.UTF_8);
        byte[] b = "code(payload)\n".getBytes(StandardCharsets.UTF_8);
        s.update(a, 0, a.length);
        s.update(b, 0, b.length);
        assertTrue(s.flags().contains(RiskFlag.DYNAMIC_EXEC));
        assertFalse(scan("m.py", "def f(x):\n    return x\n").contains(RiskFlag.DYNAMIC_EXEC));
    }

    @Test
    void elfMagicAndSetupPyAreFlaggedByContentAndName() {
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
        assertTrue(scan("lib/payload.dat", elf, 8).contains(RiskFlag.BINARY));
        assertTrue(scan("setup.py", "from setuptools import setup\nsetup()\n").contains(RiskFlag.INSTALL_SCRIPT));
        assertFalse(scan("docs/setup.py.txt", "text\n").contains(RiskFlag.INSTALL_SCRIPT));
    }
}
