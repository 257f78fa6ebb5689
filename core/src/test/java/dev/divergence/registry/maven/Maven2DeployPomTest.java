package dev.divergence.registry.maven;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.LocalMaven;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POMs as Maven 2.0.x deployed them, in the shapes of slf4j-api 1.2–1.4.2 (the committed POM with
 * {@code ${parent.version}} and {@code ${project.version}}, {@code <packaging>jar</packaging>}, an empty
 * {@code <dependencies>}; the deployed one re-serialised with the versions filled in, those left out, the default
 * plugin groupId dropped) and of 1.1.0-beta0's embedded effective POM (the super-POM's central repository).
 */
class Maven2DeployPomTest {

    @TempDir
    Path dir;

    /** slf4j-api/pom.xml at SLF4J_1.3.0, shortened. */
    private static final String COMMITTED = """
            <project xmlns="http://maven.apache.org/POM/4.0.0"
              xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
              xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/maven-v4_0_0.xsd">
              <parent>
                <groupId>org.acme</groupId>
                <artifactId>acme-parent</artifactId>
                <version>1.3.0</version>
              </parent>
              <modelVersion>4.0.0</modelVersion>
              <groupId>org.acme</groupId>
              <artifactId>acme-core</artifactId>
              <version>${parent.version}</version>
              <packaging>jar</packaging>
              <name>Acme Core</name>
              <url>http://www.acme.org</url>
              <description>
                The acme API
              </description>
              <dependencies>

              </dependencies>
              <build>
                <plugins>
                  <plugin>
                    <groupId>org.apache.maven.plugins</groupId>
                    <artifactId>maven-jar-plugin</artifactId>
                    <configuration>
                      <archive>
                        <manifestEntries>
                          <Bundle-Version>${pv4osgi}</Bundle-Version>
                          <Bundle-Description>${project.description}</Bundle-Description>
                          <Implementation-Version>${project.version}</Implementation-Version>
                        </manifestEntries>
                      </archive>
                    </configuration>
                    <executions>
                      <execution>
                        <id>bundle-test-jar</id>
                        <phase>package</phase>
                        <goals><goal>jar</goal><goal>test-jar</goal></goals>
                      </execution>
                    </executions>
                  </plugin>
                </plugins>
              </build>
            </project>
            """;

    /** What Central holds for slf4j-api 1.3.0, shortened the same way. */
    private static final String DEPLOYED = """
            <?xml version="1.0"?><project>
              <parent>
                <artifactId>acme-parent</artifactId>
                <groupId>org.acme</groupId>
                <version>1.3.0</version>
              </parent>
              <modelVersion>4.0.0</modelVersion>
              <groupId>org.acme</groupId>
              <artifactId>acme-core</artifactId>
              <name>Acme Core</name>
              <version>1.3.0</version>
              <description>The acme API</description>
              <url>http://www.acme.org</url>
              <build>
                <plugins>
                  <plugin>
                    <artifactId>maven-jar-plugin</artifactId>
                    <executions>
                      <execution>
                        <id>bundle-test-jar</id>
                        <phase>package</phase>
                        <goals>
                          <goal>jar</goal>
                          <goal>test-jar</goal>
                        </goals>
                      </execution>
                    </executions>
                    <configuration>
                      <archive>
                        <manifestEntries>
                          <Bundle-Version>${pv4osgi}</Bundle-Version>
                          <Bundle-Description>${project.description}</Bundle-Description>
                          <Implementation-Version>1.3.0</Implementation-Version>
                        </manifestEntries>
                      </archive>
                    </configuration>
                  </plugin>
                </plugins>
              </build>
              <distributionManagement>
                <status>deployed</status>
              </distributionManagement>
            </project>
            """;

    /** Commits COMMITTED as pom.xml, tagged v1.3.0; publishes {@code published} as the release's POM; scans it. */
    private FileDivergence scan(String published) throws Exception {
        return scan(COMMITTED, published);
    }

    private FileDivergence scan(String committed, String published) throws Exception {
        Path world = Files.createTempDirectory(dir, "world");
        try (GitHistoryBuilder git = GitHistoryBuilder.init(world.resolve("repo"))) {
            git.commit(files("pom.xml", committed), "1.3.0", Instant.parse("2007-02-01T00:00:00Z"));
            git.tag("v1.3.0", true);
        }
        try (LocalMaven repo = new LocalMaven(world.resolve("m2"), "org.acme", "acme-core")) {
            repo.metadata(List.of("1.3.0"));
            repo.file("1.3.0", ".pom", published.getBytes(StandardCharsets.UTF_8), null);
            MavenSupport support = new MavenSupport(repo.baseUrl(), ScanWorld.fetcher());
            Release r = support.registry().releases(PackageId.parse("pkg:maven/org.acme/acme-core")).get(0);
            return row(artifact(ScanWorld.scanner(support, world).scan(r, Optional.of(world.resolve("repo").toString())),
                    ".pom"), "pom.xml");
        }
    }

    @Test
    void aPomMaven20DeployedWithItsVersionExpressionsFilledIsTheSameModel() throws Exception {
        FileDivergence f = scan(DEPLOYED);
        assertEquals(FileStatus.MATCH_NORMALIZED, f.status());
        assertEquals(MavenGeneratedFiles.POM_SAME_MODEL, f.ruleId());
        assertFalse(f.highRisk());
    }

    /** commons-fileupload 1.2's release profile: an antrun task whose attributes name the version. */
    private static final String ANTRUN = "<plugin><artifactId>maven-antrun-plugin</artifactId><configuration><tasks>"
            + "<unzip src=\"${project.build.directory}/${project.artifactId}-%s-sources.jar\" dest=\"%s\"/>"
            + "</tasks></configuration></plugin>\n    </plugins>";

    private static String antrun(String pom, String version, String dest) {
        return pom.replace("    </plugins>", String.format(ANTRUN, version, dest));
    }

    @Test
    void theVersionFilledInAnAttributeValueIsTheSameModel() throws Exception {
        // Maven 2.0's interpolator filled the whole XML text: attribute values too (commons-fileupload 1.2's POM)
        String committed = antrun(COMMITTED, "${project.version}", "${project.build.directory}/zipDir");
        FileDivergence f = scan(committed, antrun(DEPLOYED, "1.3.0", "${project.build.directory}/zipDir"));
        assertEquals(FileStatus.MATCH_NORMALIZED, f.status(), f.toString());
        assertEquals(MavenGeneratedFiles.POM_SAME_MODEL, f.ruleId());
        // anything else in an attribute stays visible: another version, another expression filled, a changed value
        for (String changed : List.of(antrun(DEPLOYED, "1.3.1", "${project.build.directory}/zipDir"),
                antrun(DEPLOYED, "1.3.0", "target/zipDir"),
                antrun(DEPLOYED, "1.3.0", "${project.build.directory}/zipDir").replace("${project.artifactId}", "acme-core"),
                antrun(DEPLOYED, "1.3.0", "${project.build.directory}/zipDir\" overwrite=\"true"))) {
            FileDivergence g = scan(committed, changed);
            assertEquals(FileStatus.MODIFIED, g.status(), changed);
            assertEquals(dev.divergence.compare.Classifier.UNEXPLAINED, g.ruleId(), changed);
        }
    }

    @Test
    void anythingElseTheDeployedPomChangesStaysVisible() throws Exception {
        // another expression filled (only version expressions are), a value changed, a plugin added, the version
        // filled with another value, a non-default packaging dropped
        for (String changed : List.of(
                DEPLOYED.replace("${pv4osgi}", "1.3.0"),
                DEPLOYED.replace("<Implementation-Version>1.3.0<", "<Implementation-Version>1.3.1<"),
                DEPLOYED.replace("<name>Acme Core</name>", "<name>Acme Kore</name>"),
                DEPLOYED.replace("    </plugins>", "      <plugin><artifactId>maven-antrun-plugin</artifactId></plugin>\n    </plugins>"),
                DEPLOYED.replace("<goal>test-jar</goal>", "<goal>test-jar</goal><goal>run</goal>"))) {
            FileDivergence f = scan(changed);
            assertEquals(FileStatus.MODIFIED, f.status(), changed);
            assertEquals(dev.divergence.compare.Classifier.UNEXPLAINED, f.ruleId(), changed);
        }
        FileDivergence war = scan(DEPLOYED.replace("<modelVersion>", "<packaging>war</packaging><modelVersion>"));
        assertEquals(FileStatus.MODIFIED, war.status());
        // a dependency the committed POM (whose list is empty) never declared: HIGH_RISK as before
        FileDivergence dep = scan(DEPLOYED.replace("<build>", "<dependencies><dependency><groupId>evil</groupId>"
                + "<artifactId>payload</artifactId><version>1</version></dependency></dependencies>\n  <build>"));
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, dep.ruleId());
        assertTrue(dep.highRisk());
    }

    /** The super-POM repository as Maven 2.0's effective-POM writer spells it (slf4j-api 1.1.0-beta0's jar). */
    private static final String CENTRAL = "<repositories><repository><snapshots><enabled>false</enabled></snapshots>"
            + "<id>central</id><name>Maven Repository Switchboard</name><url>http://repo1.maven.org/maven2</url>"
            + "</repository></repositories>\n  <build>";

    @Test
    void theSuperPomsCentralRepositoryIsNoNewRepositoryButAnyOtherIs() throws Exception {
        FileDivergence central = scan(DEPLOYED.replace("<build>", CENTRAL));
        assertFalse(central.highRisk(), central.toString());
        assertEquals(FileStatus.MODIFIED, central.status()); // still unexplained: the model has an extra element
        for (String other : List.of(CENTRAL.replace("http://repo1.maven.org/maven2", "http://repo1.maven.org.evil.example/maven2"),
                CENTRAL.replace("<id>central</id>", "<id>mirror</id>"),
                CENTRAL.replace("<enabled>false</enabled>", "<enabled>true</enabled>"),
                CENTRAL.replace("<id>central</id>", "<id>central</id><layout>legacy</layout>"))) {
            FileDivergence f = scan(DEPLOYED.replace("<build>", other));
            assertEquals(MavenGeneratedFiles.POM_NEW_REPOSITORY, f.ruleId(), other);
            assertTrue(f.highRisk(), other);
        }
    }
}
