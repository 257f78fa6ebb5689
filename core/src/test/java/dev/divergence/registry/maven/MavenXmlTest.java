package dev.divergence.registry.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.divergence.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/** How untrusted XML is read: no DOCTYPE in a POM; a Maven 1 project.xml's internal entities, never external ones. */
class MavenXmlTest {

    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aMaven1ProjectXmlMayDeclareInternalEntities() throws Exception {
        // commons-configuration 1.0's project.xml: <!DOCTYPE project [<!ENTITY ouml "&#246;">]>
        Element e = MavenRegistry.xml(utf8("<?xml version=\"1.0\"?>\n<!DOCTYPE project [\n  <!ENTITY ouml \"&#246;\">\n]>\n"
                + "<project><id>commons-configuration</id><currentVersion>1.0</currentVersion>"
                + "<developers><developer><name>J&ouml;rg</name></developer></developers></project>\n"), "project.xml")
                .getDocumentElement();
        assertEquals("1.0", MavenRegistry.child(e, "currentVersion").orElseThrow());
        assertEquals("J\u00f6rg", e.getElementsByTagName("name").item(0).getTextContent());
    }

    @Test
    void externalEntitiesAreNeverLoadedAndAPomMayHaveNoDoctype() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String external = "<?xml version=\"1.0\"?>\n<!DOCTYPE project [\n  <!ENTITY x SYSTEM \"" + secret.toUri() + "\">\n]>\n"
                + "<project><id>x</id><currentVersion>&x;</currentVersion></project>\n";
        String read;
        try {
            read = MavenRegistry.xml(utf8(external), "project.xml").getDocumentElement().getTextContent();
        } catch (RegistryException e) {
            read = e.getMessage();
        }
        assertFalse(read.contains("TOP-SECRET"), read);
        assertThrows(RegistryException.class, () -> MavenRegistry.xml(utf8("<!DOCTYPE project [<!ENTITY v \"1\">]>"
                + "<project><version>&v;</version></project>"), "pom.xml"));
        // an external DTD is not fetched either
        String dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE project SYSTEM \"" + dir.resolve("missing.dtd").toUri() + "\">\n"
                + "<project><id>x</id></project>\n";
        assertEquals("x", MavenRegistry.child(MavenRegistry.xml(utf8(dtd), "project.xml").getDocumentElement(), "id")
                .orElseThrow());
    }
}
