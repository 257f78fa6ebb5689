package dev.divergence.registry.maven;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.compare.Classifier;
import dev.divergence.compare.Normalizations;
import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.LocalMaven;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A published POM that makes a consumer's Maven resolve something the source's POM does not — a dependency it did not
 * pass on, another version, a dropped exclusion, another repository — is HIGH_RISK; what only re-serialises the same
 * model stays explained, and what consumers resolve no differently is never HIGH_RISK.
 */
class ConsumerResolutionScanTest {

    @TempDir
    Path dir;

    /** The committed POM at the release tag (its own version the released one). */
    static final String SOURCE = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
            + "  <modelVersion>4.0.0</modelVersion>\n"
            + "  <parent><groupId>org.acme</groupId><artifactId>acme-parent</artifactId><version>3</version></parent>\n"
            + "  <groupId>org.acme</groupId><artifactId>acme-core</artifactId><version>3.0.0</version>\n"
            + "  <!-- versions in one place -->\n"
            + "  <properties><jackson.version>2.15.2</jackson.version><surefire.version>3.2.5</surefire.version>"
            + "<project.build.outputTimestamp>2026-01-01T00:00:00Z</project.build.outputTimestamp></properties>\n"
            + "  <repositories>\n"
            + "    <repository><id>acme</id><url>https://repo.acme.example/maven/</url>"
            + "<snapshots><enabled>false</enabled></snapshots></repository>\n"
            + "  </repositories>\n"
            + "  <dependencyManagement><dependencies>\n"
            + "    <dependency><groupId>com.fasterxml.jackson</groupId><artifactId>jackson-bom</artifactId>"
            + "<version>${jackson.version}</version><type>pom</type><scope>import</scope></dependency>\n"
            + "    <dependency><groupId>${project.groupId}</groupId><artifactId>acme-util</artifactId>"
            + "<version>${project.version}</version></dependency>\n"
            + "  </dependencies></dependencyManagement>\n"
            + "  <dependencies>\n"
            + "    <dependency><groupId>org.acme</groupId><artifactId>acme-util</artifactId></dependency>\n"
            + "    <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId>"
            + "<version>${jackson.version}</version><exclusions><exclusion><groupId>com.fasterxml.jackson.core</groupId>"
            + "<artifactId>jackson-annotations</artifactId></exclusion></exclusions></dependency>\n"
            + "    <dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>32.1.2-jre</version>"
            + "<exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions></dependency>\n"
            + "    <dependency><groupId>commons-io</groupId><artifactId>commons-io</artifactId><version>2.15.0</version>"
            + "</dependency>\n"
            + "    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.9</version>"
            + "<optional>true</optional></dependency>\n"
            + "    <dependency><groupId>jakarta.servlet</groupId><artifactId>jakarta.servlet-api</artifactId>"
            + "<version>6.0.0</version><scope>provided</scope></dependency>\n"
            + "    <dependency><groupId>com.sun</groupId><artifactId>tools</artifactId><version>1.8</version>"
            + "<scope>system</scope><systemPath>${java.home}/../lib/tools.jar</systemPath></dependency>\n"
            + "    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId>"
            + "<version>5.10.0</version><scope>test</scope></dependency>\n"
            + "    <dependency><groupId>org.yaml</groupId><artifactId>snakeyaml</artifactId></dependency>\n"
            + "  </dependencies>\n"
            + "  <profiles><profile><id>netty</id><activation><property><name>with.netty</name></property></activation>"
            + "<dependencies><dependency><groupId>io.netty</groupId><artifactId>netty-all</artifactId>"
            + "<version>4.1.100.Final</version></dependency></dependencies></profile></profiles>\n"
            + "  <build><plugins><plugin><artifactId>maven-surefire-plugin</artifactId><version>${surefire.version}"
            + "</version></plugin></plugins></build>\n"
            + "</project>\n";

    /** The tag's POM still naming the parent's snapshot (jackson-core 2.18.5: jackson-base 2.18.5-SNAPSHOT). */
    static final String PARENT_SNAPSHOT_SOURCE = replace(SOURCE, "<version>3</version></parent>",
            "<version>3-SNAPSHOT</version></parent>");

    static String replace(String pom, String from, String to) {
        assertTrue(pom.contains(from), from);
        return pom.replace(from, to);
    }

    static Arguments change(String name, String rule, UnaryOperator<String> published) {
        return Arguments.of(name, rule, published);
    }

    static Stream<Arguments> consumerVisibleChanges() {
        String n = MavenGeneratedFiles.POM_NEW_DEPENDENCY;
        String v = MavenGeneratedFiles.POM_DEPENDENCY_VERSION;
        String x = MavenGeneratedFiles.POM_EXCLUSION_REMOVED;
        String r = MavenGeneratedFiles.POM_NEW_REPOSITORY;
        return Stream.of(
                change("optional removed", n, p -> replace(p, "<optional>true</optional>", "")),
                change("optional false", n, p -> replace(p, "<optional>true</optional>", "<optional>false</optional>")),
                change("provided to compile", n, p -> replace(p, "<version>6.0.0</version><scope>provided</scope>",
                        "<version>6.0.0</version>")),
                change("provided to runtime", n, p -> replace(p, "<scope>provided</scope>", "<scope>runtime</scope>")),
                change("system to compile", n, p -> replace(p, "<scope>system</scope>", "<scope>compile</scope>")),
                change("test to compile", n, p -> replace(p, "<version>5.10.0</version><scope>test</scope>",
                        "<version>5.10.0</version>")),
                change("type changed", n, p -> replace(p, "<version>2.15.0</version>",
                        "<version>2.15.0</version><type>zip</type>")),
                change("classifier added", n, p -> replace(p, "<version>2.15.0</version>",
                        "<version>2.15.0</version><classifier>natives</classifier>")),
                change("BOM import added", n, p -> replace(p, "  </dependencies></dependencyManagement>",
                        "    <dependency><groupId>io.evil</groupId><artifactId>evil-bom</artifactId><version>1.0</version>"
                                + "<type>pom</type><scope>import</scope></dependency>\n  </dependencies></dependencyManagement>")),
                change("managed entry imported as a BOM", n, p -> replace(p, "<version>${project.version}</version>",
                        "<version>${project.version}</version><type>pom</type><scope>import</scope>")
                        .replace("<artifactId>acme-util</artifactId></dependency>",
                                "<artifactId>acme-util</artifactId><type>pom</type></dependency>")),
                change("version changed", v, p -> replace(p, "<version>2.15.0</version>", "<version>2.16.0</version>")),
                // red team: the shared version-string normalisation took the release's own version for a bump tool's
                change("version changed to the release's", v, p -> replace(p, "<version>2.15.0</version>",
                        "<version>3.0.0</version>")),
                change("version downgraded", v, p -> replace(p, "<version>2.15.0</version>", "<version>2.4</version>")),
                change("version property changed", v, p -> replace(p, "<jackson.version>2.15.2</jackson.version>",
                        "<jackson.version>2.15.3</jackson.version>")),
                change("BOM version changed", v, p -> replace(p, "<version>${jackson.version}</version><type>pom</type>",
                        "<version>2.16.0</version><type>pom</type>")),
                change("managed version changed", v, p -> replace(p, "<version>${project.version}</version>",
                        "<version>2.9.0</version>")),
                change("version left to the parent", v, p -> replace(p,
                        "<artifactId>commons-io</artifactId><version>2.15.0</version>", "<artifactId>commons-io</artifactId>")),
                change("exclusion removed", x, p -> replace(p, "<exclusions><exclusion><groupId>com.fasterxml.jackson.core"
                        + "</groupId><artifactId>jackson-annotations</artifactId></exclusion></exclusions>", "")),
                change("exclusion changed", x, p -> replace(p, "<artifactId>jackson-annotations</artifactId>",
                        "<artifactId>jackson-core</artifactId>")),
                change("wildcard exclusion narrowed", x, p -> replace(p, "<groupId>*</groupId><artifactId>*</artifactId>",
                        "<groupId>com.google.guava</groupId><artifactId>*</artifactId>")),
                change("repository added", r, p -> replace(p, "  </repositories>", "    <repository><id>mirror</id>"
                        + "<url>https://repo.evil.example/maven</url></repository>\n  </repositories>")),
                change("repository url changed", r, p -> replace(p, "https://repo.acme.example/maven/",
                        "https://repo.acme.example.evil/maven/")),
                change("repository snapshots enabled", r, p -> replace(p,
                        "<snapshots><enabled>false</enabled></snapshots>", "")),
                change("repository in a profile", r, p -> replace(p, "</profile></profiles>", "</profile><profile>"
                        + "<id>jdk8</id><activation><jdk>1.8</jdk></activation><repositories><repository><id>x</id>"
                        + "<url>https://repo.evil.example/maven</url></repository></repositories></profile></profiles>")),
                change("profile activated otherwise", n, p -> replace(p,
                        "<property><name>with.netty</name></property>", "<jdk>[1.8,)</jdk>")),
                change("profile dependency version", v, p -> replace(p, "4.1.100.Final", "4.1.101.Final")),
                change("managed version beside the one used", v, p -> replace(p, "  </dependencies></dependencyManagement>",
                        "    <dependency><groupId>commons-io</groupId><artifactId>commons-io</artifactId>"
                                + "<version>2.4</version></dependency>\n  </dependencies></dependencyManagement>")),
                // the parent manages snakeyaml with ${snakeyaml.version}: the child's property overrides it
                change("parent-managed version property", v, p -> replace(p, "<surefire.version>",
                        "<snakeyaml.version>1.33</snakeyaml.version><surefire.version>")),
                change("relocation added", n, p -> replace(p, "</project>", "  <distributionManagement><relocation>"
                        + "<groupId>io.evil</groupId></relocation></distributionManagement>\n</project>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("consumerVisibleChanges")
    void aChangeToWhatConsumersResolveIsHighRisk(String name, String rule, UnaryOperator<String> change)
            throws Exception {
        String published = change.apply(SOURCE);
        assertNotEquals(SOURCE, published, name);
        ArtifactReport pom = scan(List.of(), SOURCE, published);
        FileDivergence row = row(pom, "pom.xml");
        assertEquals(FileStatus.MODIFIED, row.status(), name);
        assertEquals(rule, row.ruleId(), name);
        assertEquals(java.util.Set.of(RiskFlag.NEW_DEPENDENCY), row.riskFlags(), name);
        assertTrue(row.highRisk(), name);
        assertEquals(Verdict.HIGH_RISK, pom.verdict(), name);
    }

    @Test
    void aRelocationToOtherCoordinatesThanTheSourcesIsHighRisk() throws Exception {
        String relocated = replace(SOURCE, "</project>", "  <distributionManagement><relocation><groupId>org.acme.next"
                + "</groupId></relocation></distributionManagement>\n</project>");
        FileDivergence row = row(scan(List.of(), relocated, relocated.replace("org.acme.next", "io.evil")), "pom.xml");
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, row.ruleId());
        assertTrue(row.highRisk());
        assertTrue(row.detail().orElseThrow().contains("relocation io.evil"), row.detail().orElseThrow());
    }

    @Test
    void theDetailNamesEveryChangeAndTheRuleIsTheWeightiest() throws Exception {
        String published = replace(replace(replace(SOURCE, "<version>2.15.0</version>", "<version>2.16.0</version>"),
                "https://repo.acme.example/maven/", "https://repo.evil.example/maven/"), "<optional>true</optional>", "");
        FileDivergence row = row(scan(List.of(), SOURCE, published), "pom.xml");
        assertEquals(MavenGeneratedFiles.POM_NEW_DEPENDENCY, row.ruleId());
        assertEquals("dependencies the source's POM does not declare: [org.slf4j:slf4j-api::jar:2.0.9 now passed on to "
                + "consumers (source: optional)]; repositories the source's POM does not declare: "
                + "[https://repo.evil.example/maven]; dependency versions the source's POM does not declare: "
                + "[commons-io:commons-io::jar 2.16.0 (source: 2.15.0)]", row.detail().orElseThrow());
    }

    /** Re-serialisations Maven 2.0's deploy writes, and text normalisations: explained as before. */
    static Stream<Arguments> sameModel() {
        String same = MavenGeneratedFiles.POM_SAME_MODEL;
        return Stream.of(
                // the release plugin writes a reactor sibling's released version where the source has its snapshot
                Arguments.of("sibling snapshot released", replace(SOURCE, "<version>${project.version}</version>",
                        "<version>3.0.0-SNAPSHOT</version>"), Normalizations.VERSION_STRING,
                        (UnaryOperator<String>) p -> replace(p, "<version>3.0.0-SNAPSHOT</version>",
                                "<version>3.0.0</version>")),
                Arguments.of("line endings", SOURCE, Normalizations.LINE_ENDINGS,
                        (UnaryOperator<String>) p -> p.replace("\n", "\r\n")),
                Arguments.of("comments and namespace dropped", SOURCE, same, (UnaryOperator<String>) p -> replace(replace(p,
                        "  <!-- versions in one place -->\n", ""), " xmlns=\"http://maven.apache.org/POM/4.0.0\"", "")),
                Arguments.of("whitespace around values", SOURCE, same, (UnaryOperator<String>) p -> replace(replace(replace(p,
                        "<url>https://repo.acme.example/maven/</url>", "<url>\n        https://repo.acme.example/maven/\n"
                                + "      </url>"), "<optional>true</optional>", "<optional> true </optional>"),
                        "<artifactId>jackson-annotations</artifactId>", "<artifactId>\n  jackson-annotations</artifactId>")),
                Arguments.of("fields reordered", SOURCE, same, (UnaryOperator<String>) p -> replace(p,
                        "<groupId>commons-io</groupId><artifactId>commons-io</artifactId><version>2.15.0</version>",
                        "<version>2.15.0</version><artifactId>commons-io</artifactId><groupId>commons-io</groupId>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sameModel")
    void theSameModelReSerialisedStaysExplained(String name, String source, String rule, UnaryOperator<String> change)
            throws Exception {
        String published = change.apply(source);
        assertNotEquals(source, published, name);
        ArtifactReport pom = scan(List.of(), source, published);
        FileDivergence row = row(pom, "pom.xml");
        assertEquals(rule, row.ruleId(), name);
        assertEquals(FileStatus.MATCH_NORMALIZED, row.status(), name);
        assertFalse(row.highRisk(), name);
        assertEquals(Verdict.EXPLAINED, pom.verdict(), name);
    }

    @Test
    void theReleasePluginsParentAndOwnVersionStayTheParentVersionRule() throws Exception {
        // another commit of the history declares the released parent
        ArtifactReport pom = scan(List.of(replace(SOURCE, "<!-- versions in one place -->", "<!-- versions -->")),
                PARENT_SNAPSHOT_SOURCE, SOURCE);
        FileDivergence row = row(pom, "pom.xml");
        assertEquals(MavenGeneratedFiles.POM_PARENT_VERSION, row.ruleId());
        assertFalse(row.highRisk());
        assertEquals(Verdict.DIVERGENT, pom.verdict());
    }

    /**
     * Red team round 6 (lead): consumers inherit a parent's dependencies and repositories, so an outside parent at a
     * version no commit of the POM declares brings what the source never asked for; a parent of the tree (a reactor
     * parent, versioned with the project) is the repository's own.
     */
    @Test
    void aParentReleaseNoCommitDeclaresIsANewDependencyUnlessTheTreeHoldsIt() throws Exception {
        ArtifactReport pom = scan(List.of(), PARENT_SNAPSHOT_SOURCE, SOURCE);
        FileDivergence row = row(pom, "pom.xml");
        assertEquals(MavenGeneratedFiles.POM_PARENT_VERSION, row.ruleId());
        assertTrue(row.riskFlags().contains(dev.divergence.model.RiskFlag.NEW_DEPENDENCY), row.toString());
        assertTrue(row.highRisk());
        assertTrue(row.detail().orElseThrow().contains("no commit of this POM declares that parent"), row.toString());
        assertEquals(Verdict.HIGH_RISK, pom.verdict());

        Path world = dir.resolve("reactor");
        try (GitHistoryBuilder git = GitHistoryBuilder.init(world.resolve("repo"))) {
            java.util.SortedMap<String, byte[]> tree = new java.util.TreeMap<>(tree(PARENT_SNAPSHOT_SOURCE));
            tree.put("parent/pom.xml", ("<project><modelVersion>4.0.0</modelVersion><groupId>org.acme</groupId>"
                    + "<artifactId>acme-parent</artifactId><version>3-SNAPSHOT</version><packaging>pom</packaging>"
                    + "</project>\n").getBytes(StandardCharsets.UTF_8));
            git.commit(tree, "release 3.0.0", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v3.0.0", true);
        }
        FileDivergence own = row(scanWorld(world, SOURCE), "pom.xml");
        assertEquals(MavenGeneratedFiles.POM_PARENT_VERSION, own.ruleId());
        assertFalse(own.highRisk(), own.toString());
    }

    /** Differences after which consumers resolve nothing new: visible, never HIGH_RISK. */
    static Stream<Arguments> nothingNewToConsumers() {
        return Stream.of(
                Arguments.of("sibling snapshot released as a release candidate", replace(SOURCE,
                        "<version>${project.version}</version>", "<version>3.0.0-SNAPSHOT</version>"),
                        (UnaryOperator<String>) p -> replace(p, "<version>3.0.0-SNAPSHOT</version>",
                                "<version>3.0.0-rc1</version>")),
                Arguments.of("managed version written out", SOURCE, (UnaryOperator<String>) p -> replace(p,
                        "<artifactId>acme-util</artifactId></dependency>",
                        "<artifactId>acme-util</artifactId><version>3.0.0</version></dependency>")),
                Arguments.of("property inlined", SOURCE, (UnaryOperator<String>) p -> p.replace("${jackson.version}",
                        "2.15.2").replace("${project.groupId}", "org.acme").replace("${project.version}", "3.0.0")),
                Arguments.of("exclusion added", SOURCE, (UnaryOperator<String>) p -> replace(p,
                        "<version>2.15.0</version>", "<version>2.15.0</version><exclusions><exclusion><groupId>x"
                                + "</groupId><artifactId>y</artifactId></exclusion></exclusions>")),
                Arguments.of("exclusion widened to a wildcard", SOURCE, (UnaryOperator<String>) p -> replace(p,
                        "<groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-annotations</artifactId>",
                        "<groupId>com.fasterxml.jackson.core</groupId><artifactId>*</artifactId>")),
                Arguments.of("made optional", SOURCE, (UnaryOperator<String>) p -> replace(p,
                        "<version>2.15.0</version>", "<version>2.15.0</version><optional>true</optional>")),
                Arguments.of("narrowed to test", SOURCE, (UnaryOperator<String>) p -> replace(p,
                        "<version>2.15.0</version>", "<version>2.15.0</version><scope>test</scope>")),
                // the source's dependency keeps its own exclusions: a managed entry of the same version adds nothing
                Arguments.of("managed entry beside the one used", SOURCE, (UnaryOperator<String>) p -> replace(p,
                        "  </dependencies></dependencyManagement>", "    <dependency><groupId>com.fasterxml.jackson.core"
                                + "</groupId><artifactId>jackson-databind</artifactId><version>2.15.2</version></dependency>\n"
                                + "  </dependencies></dependencyManagement>")),
                Arguments.of("plugin version property", SOURCE, (UnaryOperator<String>) p -> replace(p,
                        "<surefire.version>3.2.5</surefire.version>", "<surefire.version>3.2.2</surefire.version>")),
                Arguments.of("build timestamp property", SOURCE, (UnaryOperator<String>) p -> replace(p,
                        "2026-01-01T00:00:00Z", "2026-01-02T10:00:00Z")),
                Arguments.of("profile dependency made test-only", SOURCE, (UnaryOperator<String>) p -> replace(p,
                        "<version>4.1.100.Final</version>", "<version>4.1.100.Final</version><scope>test</scope>")),
                Arguments.of("test dependency version", SOURCE, (UnaryOperator<String>) p -> replace(p,
                        "<version>5.10.0</version>", "<version>5.11.0</version>")),
                Arguments.of("optional dependency version", SOURCE, (UnaryOperator<String>) p -> replace(p,
                        "<version>2.0.9</version>", "<version>2.0.10</version>")),
                Arguments.of("repository removed", SOURCE, (UnaryOperator<String>) p -> p.replaceFirst(
                        "(?s)  <repositories>.*?</repositories>\n", "")),
                Arguments.of("repository url without its trailing slash", SOURCE, (UnaryOperator<String>) p -> replace(p,
                        "https://repo.acme.example/maven/", "https://repo.acme.example/maven")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nothingNewToConsumers")
    void whatGivesConsumersNothingNewIsNeverHighRisk(String name, String source, UnaryOperator<String> change)
            throws Exception {
        String published = change.apply(source);
        assertNotEquals(source, published, name);
        ArtifactReport pom = scan(List.of(), source, published);
        FileDivergence row = row(pom, "pom.xml");
        assertEquals(FileStatus.MODIFIED, row.status(), name + " " + row.ruleId());
        assertEquals(Classifier.UNEXPLAINED, row.ruleId(), name);
        assertFalse(row.highRisk(), name);
        assertEquals(Verdict.DIVERGENT, pom.verdict(), name);
    }

    /** What an earlier commit of the same POM declared: a release cut from another working tree. */
    static Stream<Arguments> fromHistory() {
        return Stream.of(
                Arguments.of("older version", (UnaryOperator<String>) p -> replace(p, "<version>2.15.0</version>",
                        "<version>2.14.0</version>")),
                Arguments.of("older property value", (UnaryOperator<String>) p -> replace(p,
                        "<jackson.version>2.15.2</jackson.version>", "<jackson.version>2.14.1</jackson.version>")),
                Arguments.of("no exclusion yet", (UnaryOperator<String>) p -> replace(p, "<exclusions><exclusion><groupId>"
                        + "com.fasterxml.jackson.core</groupId><artifactId>jackson-annotations</artifactId></exclusion>"
                        + "</exclusions>", "")),
                Arguments.of("not optional yet", (UnaryOperator<String>) p -> replace(p, "<optional>true</optional>", "")),
                Arguments.of("old repository", (UnaryOperator<String>) p -> replace(p, "https://repo.acme.example/maven/",
                        "https://old.acme.example/m2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fromHistory")
    void whatAnEarlierCommitOfThePomDeclaredIsDivergentNotHighRisk(String name, UnaryOperator<String> past)
            throws Exception {
        String earlier = past.apply(SOURCE).replace("<version>3.0.0</version>", "<version>2.9.0</version>");
        ArtifactReport pom = scan(List.of(earlier), SOURCE, past.apply(SOURCE));
        FileDivergence row = row(pom, "pom.xml");
        assertEquals(MavenGeneratedFiles.POM_DEPENDENCY_FROM_HISTORY, row.ruleId(), name);
        assertFalse(row.highRisk(), name);
        assertEquals(Verdict.DIVERGENT, pom.verdict(), name);
        // the same change with another value no commit declared is HIGH_RISK
        String other = past.apply(SOURCE).replace("2.14.0", "2.13.0").replace("2.14.1", "2.13.1")
                .replace("https://old.acme.example/m2", "https://new.evil.example/m2");
        if (!other.equals(past.apply(SOURCE))) {
            FileDivergence fresh = row(scan(List.of(earlier), SOURCE, other), "pom.xml");
            assertTrue(fresh.highRisk(), name);
            assertNotEquals(MavenGeneratedFiles.POM_DEPENDENCY_FROM_HISTORY, fresh.ruleId(), name);
        }
    }

    @Test
    void theSourceReadAsTheReleaseTakesThePublishedVersionWhicheverPropertySpellsIt() throws Exception {
        // CI-friendly versions (${revision}) and ${project.version} siblings follow the version being released
        String ciFriendly = "<project><groupId>org.acme</groupId><artifactId>acme-core</artifactId>"
                + "<version>${revision}</version><properties><revision>3.1.0-SNAPSHOT</revision><lib>2.0</lib>"
                + "<both>${lib}-${revision}</both></properties><dependencies>"
                + "<dependency><groupId>${project.groupId}</groupId><artifactId>acme-util</artifactId>"
                + "<version>${revision}</version></dependency>"
                + "<dependency><groupId>org.acme</groupId><artifactId>acme-api</artifactId><version>${project.version}"
                + "</version></dependency>"
                + "<dependency><groupId>x</groupId><artifactId>y</artifactId><version>${both}</version></dependency>"
                + "<dependency><groupId>x</groupId><artifactId>z</artifactId><version>${from.parent}</version>"
                + "</dependency></dependencies></project>";
        org.w3c.dom.Element project = MavenRegistry.xml(ciFriendly.getBytes(StandardCharsets.UTF_8), "pom.xml")
                .getDocumentElement();
        assertEquals(List.of("org.acme:acme-util::jar:3.1.0", "org.acme:acme-api::jar:3.1.0", "x:y::jar:2.0-3.1.0",
                        "x:z::jar:${from.parent}"),
                ConsumerPom.released(project, "3.1.0").dependencies.stream().map(ConsumerPom.Dependency::coordinates)
                        .toList());
        assertEquals(List.of("org.acme:acme-util::jar:3.1.0-SNAPSHOT", "org.acme:acme-api::jar:3.1.0-SNAPSHOT",
                        "x:y::jar:2.0-3.1.0-SNAPSHOT", "x:z::jar:${from.parent}"),
                ConsumerPom.of(project).dependencies.stream().map(ConsumerPom.Dependency::coordinates).toList());
        assertTrue(ConsumerPom.releaseOf("3.1.0-SNAPSHOT", "3.1.0"));
        assertTrue(ConsumerPom.releaseOf("3.1-SNAPSHOT", "3.1.0"));
        assertTrue(ConsumerPom.releaseOf("3.1.0-SNAPSHOT", "3.1.0-RC2"));
        assertFalse(ConsumerPom.releaseOf("3.1.0-SNAPSHOT", "3.1.1"));
        assertFalse(ConsumerPom.releaseOf("3.1.0-SNAPSHOT", "3.1.0-evil"));
        assertFalse(ConsumerPom.releaseOf("3.1.0", "3.1.0-SNAPSHOT"));
    }

    private int worlds;

    /** A repository with {@code history} (oldest first) then {@code source} tagged v3.0.0; Central serving the POM. */
    private ArtifactReport scan(List<String> history, String source, String published) throws Exception {
        Path world = dir.resolve("world" + worlds++);
        try (GitHistoryBuilder git = GitHistoryBuilder.init(world.resolve("repo"))) {
            Instant at = Instant.parse("2025-06-01T00:00:00Z");
            for (String pom : history) {
                git.commit(tree(pom), "earlier", at);
                at = at.plusSeconds(86_400);
            }
            git.commit(tree(source), "release 3.0.0", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v3.0.0", true);
        }
        return scanWorld(world, published);
    }

    /** The repository already at {@code world}/repo, Central serving {@code published} as acme-core 3.0.0's POM. */
    private ArtifactReport scanWorld(Path world, String published) throws Exception {
        try (LocalMaven repo = new LocalMaven(world.resolve("m2"), "org.acme", "acme-core")) {
            repo.metadata(List.of("3.0.0"));
            repo.file("3.0.0", ".pom", published.getBytes(StandardCharsets.UTF_8), null);
            MavenSupport support = new MavenSupport(repo.baseUrl(), ScanWorld.fetcher());
            Release release = support.registry().releases(PackageId.parse("pkg:maven/org.acme/acme-core")).get(0);
            return artifact(ScanWorld.scanner(support, world).scan(release, Optional.of(world.resolve("repo").toString())),
                    ".pom");
        }
    }

    private static java.util.SortedMap<String, byte[]> tree(String pom) {
        return files("pom.xml", pom, "src/main/java/org/acme/Widget.java", "package org.acme;\npublic class Widget {}\n");
    }
}
