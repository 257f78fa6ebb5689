package dev.divergence.registry.maven;

import dev.divergence.model.Artifact;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import dev.divergence.registry.GeneratedFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Optional;
import java.util.Set;

/**
 * What Maven adds to jars and sources jars: {@code META-INF/MANIFEST.MF} (Built-By, Build-Jdk-Spec, ...),
 * {@code META-INF/maven/G/A/pom.properties}, the Apache remote-resources {@code META-INF/DEPENDENCIES}; and
 * compiled classes, which stand for their source file: a class whose source exists is GENERATED, a class with
 * no source anywhere in the module is a finding (PHANTOM).
 */
public final class MavenGeneratedFiles implements GeneratedFiles {

    /** Where a module's parents beyond the tree come from (the registry the release was found in). */
    private final RepositoryPoms repository;

    /** Rules that read nothing beyond the tree: a parent POM the tree lacks is not consulted. */
    public MavenGeneratedFiles() {
        this(RepositoryPoms.NONE);
    }

    MavenGeneratedFiles(RepositoryPoms repository) {
        this.repository = repository;
    }

    public static final String MANIFEST = "maven.manifest";
    public static final String POM_PROPERTIES = "maven.pom-properties";
    public static final String REMOTE_RESOURCES = "maven.remote-resources";
    public static final String CLASS_FROM_SOURCE = "maven.class-compiled-from-source";
    public static final String CLASS_WITHOUT_SOURCE = "maven.class-without-source";
    public static final String GENERATED_MODULE_INFO = "maven.generated-module-info";
    /** A nested class ({@code Foo$Bar.class}) whose outer source declares nothing that compiles to that name. */
    public static final String CLASS_UNDECLARED = "maven.class-undeclared-in-source";
    /**
     * A class found in another file of its package that declares it as a top-level type, whose own {@code SourceFile}
     * attribute names yet another file: compiled from other source.
     */
    public static final String CLASS_OTHER_SOURCE_FILE = "maven.class-source-file-differs";
    /**
     * The empty {@code Outer$N.class} javac (target &lt; 11) writes to call a private nested constructor, verified
     * byte for byte to hold no code and no text but names: see {@link AccessTagClass}.
     */
    public static final String CLASS_ACCESS_TAG = "maven.class-access-tag";
    /**
     * A jar entry the module's own build writes into the classes directory by running one of the module's classes
     * (joda-time's ZoneInfoCompiler compiling the tz database): build output, content-scanned, only a rebuild verifies.
     */
    public static final String BUILD_GENERATOR_OUTPUT = "maven.build-output.project-generator";
    /**
     * A class (or, in a sources jar, a {@code .java}) with no source that JavaCC/JJTree generates from a grammar of the
     * module, whose POM runs the javacc plugin ({@link JavaccGrammars}): build output, content-scanned.
     */
    public static final String BUILD_JAVACC = "maven.build-output.javacc";
    /**
     * A top-level {@code META-INF} license-like text file (LICENSE, NOTICE, ...) with no source in the repository that
     * the module's Ant build copies there from a file outside the repository ({@code <copy file="../LICENSE"
     * tofile="${build.home}/classes/META-INF/LICENSE.txt"/>}): build output, content-scanned, verifiable by nothing
     * the repository holds.
     */
    public static final String BUILD_OUTSIDE_REPOSITORY = "maven.build-output.outside-repository";
    /** The committed POM re-serialised by Maven 2.0's deploy (element order, comments, whitespace): same model. */
    public static final String POM_SAME_MODEL = "maven.pom.same-model";
    /** The POM Maven 1 (or Central's Maven 1 → 2 conversion) generated from {@code project.xml}. */
    public static final String POM_FROM_PROJECT_XML = "maven.pom.generated-from-project-xml";
    /**
     * A POM written at deploy time for a project whose repository has no POM (an Ant or other build: junit 3.x–4.x):
     * the release's own coordinates and descriptive fields only — nothing a consumer's Maven resolves (no dependency,
     * managed entry, parent, repository, profile, relocation, build). Anything resolvable is not explained.
     */
    public static final String POM_DEPLOY_DESCRIPTOR = "maven.pom.deploy-descriptor";
    /** A generated POM declaring a dependency its project.xml does not: HIGH_RISK. */
    public static final String POM_NEW_DEPENDENCY = "maven.pom.new-dependency";
    /**
     * A manifest naming an agent, main class, class path or OSGi component, bundle class path, host or wiring the
     * build configuration does not: HIGH_RISK.
     */
    public static final String MANIFEST_EXECUTION = "maven.manifest.execution-entry";
    /**
     * A {@code Class-Path} the jar plugin's {@code <addClasspath>} writes in its shape (the declared
     * {@code classpathPrefix} and layout, plain jar names beside the jar) naming a jar that is none of the POMs'
     * dependencies: a transitive dependency, or a jar nobody declared. Divergent, not HIGH_RISK: it reaches only a jar
     * in the folder the consumer put this one in. A path elsewhere ({@code ../}, absolute, a URL) is
     * {@link #MANIFEST_EXECUTION}.
     */
    /**
     * A manifest whose main section the JVM's reader ({@link java.util.jar.Manifest}) and OSGi frameworks'
     * ({@link BundleManifest}) read differently, or one of them refuses: a framework may start a
     * {@code Bundle-Activator} the JVM's view does not show. HIGH_RISK.
     */
    public static final String MANIFEST_READERS_DISAGREE = "maven.manifest.readers-disagree";
    public static final String MANIFEST_CLASS_PATH_UNDECLARED = "maven.manifest.class-path-undeclared";
    /**
     * {@code Multi-Release: true} in a manifest no build file (nor the source's manifest) asks for, in a jar with a
     * versioned entry besides module-info: the JVM then loads {@code META-INF/versions/N/} classes in place of the base
     * ones (JEP 238). Divergent, not HIGH_RISK: each versioned class is judged by itself against its own source.
     */
    public static final String MANIFEST_MULTI_RELEASE = "maven.manifest.multi-release";
    /**
     * A class an auto-loading registry names that the source's file of that name does not: Spring's
     * {@code META-INF/spring.factories}, {@code META-INF/spring/*.imports} (auto-configurations),
     * {@code META-INF/spring/aot.factories}, {@code META-INF/spring.handlers} (XML namespace handlers), Groovy's
     * {@code META-INF/groovy/...ExtensionModule}, Maven's {@code META-INF/plexus/components.xml} (each
     * {@code <implementation>}) and Sisu's index {@code META-INF/sisu/javax.inject.Named}. The consumer's framework instantiates each without anyone naming
     * it, as ServiceLoader does a service provider: HIGH_RISK.
     */
    public static final String AUTO_LOAD_NEW_ENTRY = "maven.auto-load.new-entry";
    /**
     * An OSGi Declarative Services descriptor ({@code OSGI-INF/*.xml}) the manifest's {@code Service-Component} names,
     * in no commit, whose implementation classes' sources carry {@code @Component}: what bnd writes for them.
     */
    public static final String OSGI_COMPONENT_FROM_ANNOTATION = "maven.osgi.component-from-annotation";
    /** The same registry entries as the source's file, spelled differently (order, comments, line endings). */
    public static final String AUTO_LOAD_SAME_ENTRIES = "maven.auto-load.same-entries";
    /** A service provider the source neither lists nor generates (@AutoService): HIGH_RISK. */
    public static final String NEW_SERVICE_PROVIDER = "maven.services.new-provider";
    public static final String SERVICES_AUTO_SERVICE = "maven.services.auto-service";
    /**
     * A class standing for its source file whose code starts processes, evaluates scripts, loads native libraries or
     * defines classes at run time while that source names no such API: compiled from other source. HIGH_RISK.
     */
    public static final String CLASS_CALLS_BEYOND_SOURCE = "maven.class-calls-beyond-source";
    /**
     * A class the engine's class reader (ASM) refuses while the JVM may load it (an unknown sub-attribute of a method's
     * Code, malformed type annotations): nothing about its code can be checked against its source, so it is never
     * compiled from source. HIGH_RISK, unless its class-file version is newer than the reader knows (DIVERGENT).
     */
    public static final String CLASS_UNREADABLE = "maven.class-unreadable";
    /**
     * A class holding a string constant — a shell command line (HIGH_RISK) or a JNDI/RMI/CORBA URL (DIVERGENT) — that no source file
     * of the repository holds: compiled from other source.
     */
    public static final String CLASS_STRINGS_BEYOND_SOURCE = "maven.class-strings-beyond-source";
    /**
     * A class whose code reaches a member or class its source's code never names, beyond what javac and ecj write for
     * the source's constructs ({@link JavaSourceReferences}): compiled from other source. Fail-closed where
     * {@link #CLASS_CALLS_BEYOND_SOURCE} is a list of known harmful APIs, so DIVERGENT, not HIGH_RISK: source drift
     * between a release and the commit found for it reads the same way.
     */
    public static final String CLASS_REFERENCES_BEYOND_SOURCE = "maven.class-references-beyond-source";
    /** A class whose superclass or interfaces its source never names: compiled from other source. */
    public static final String CLASS_SUPERTYPES_NOT_IN_SOURCE = "maven.class-supertypes-not-in-source";
    /** The same providers as the source's file, spelled differently (order, comments, line endings). */
    public static final String SERVICES_SAME_PROVIDERS = "maven.services.same-providers";
    /**
     * The POM maven-shade-plugin writes in place of the project's ({@code createDependencyReducedPom}, on by default):
     * the same model re-serialised, without the dependencies it shaded in ({@code <artifactSet><includes>}) and the
     * test-scoped ones, default values left out ({@code <packaging>jar</packaging>}, repository
     * {@code <enabled>true</enabled>}) and the parent's {@code <relativePath>} rewritten. No dependency may be added.
     */
    public static final String POM_DEPENDENCY_REDUCED = "maven.pom.dependency-reduced";

    /**
     * A dependency the published POM declares that this commit's POM does not, but the same POM at another trusted
     * commit declared with the same version: {@code MODIFIED}, not HIGH_RISK (npm's dependency-from-history).
     */
    public static final String POM_DEPENDENCY_FROM_HISTORY = "maven.pom.dependency-from-history";
    /**
     * A dependency (or managed entry, a BOM import's too) consumers resolve, at a version the source's POM does not give
     * it and no earlier commit of the same POM gave it either: HIGH_RISK — a changed version is how a malicious or
     * vulnerable release gets pulled in. The release of the source's {@code X-SNAPSHOT} as {@code X} is not one.
     */
    public static final String POM_DEPENDENCY_VERSION = "maven.pom.dependency-version";
    /** An {@code <exclusion>} of a dependency consumers resolve dropped or narrowed: a new transitive dependency. */
    public static final String POM_EXCLUSION_REMOVED = "maven.pom.exclusion-removed";
    /**
     * A {@code <repositories>} URL (or a release/snapshot policy enabled on one) the source's POM does not declare:
     * Maven 3 searches a dependency POM's repositories for that dependency's transitive dependencies, so whoever runs
     * that repository serves them. HIGH_RISK.
     */
    public static final String POM_NEW_REPOSITORY = "maven.pom.new-repository";
    /** A published POM whose only consumer-visible change is its parent's version (same groupId:artifactId). */
    public static final String POM_PARENT_VERSION = "maven.pom.parent-version";

    /**
     * A jar resource from a folder a POM of the repository filters ({@code <resource><filtering>true}): the source
     * file with every {@code ${name}}/{@code @name@} placeholder replaced by a literal of letters, digits, '.', '_'
     * and '-' only (maven-resources-plugin's default delimiters).
     */
    public static final String RESOURCE_FILTERED = "maven.resource-filtered";

    /** A class the shade plugin copied in from a dependency, under a relocation's shaded package: build output. */
    public static final String BUILD_SHADED = "maven.build-output.shaded";
    /**
     * A source file the build writes from a template ({@code X.java.in} filled by the replacer plugin,
     * {@code src/main/java-templates/} by templating-maven-plugin): the template with every placeholder
     * ({@code @name@}, {@code ${name}}) replaced by a literal made of letters, digits, '.', '_' and '-' only.
     */
    public static final String SOURCE_FROM_TEMPLATE = "maven.source-from-template";
    /**
     * {@code X-compress.js} beside {@code X.js}, proven to be Dojo ShrinkSafe's printing of the source's {@code X.js}
     * ({@link dev.divergence.registry.npm.JsShrinkSafe}) when a build file of the commit runs ShrinkSafe.
     */
    public static final String JS_SHRINKSAFE = "maven.js-shrinksafe";

    /**
     * Manifest attributes that make the JVM run code: agents (https://docs.oracle.com/en/java/javase/17/docs/api/
     * java.instrument/java/lang/instrument/package-summary.html), the launcher's main class, extra class path.
     */
    static final List<String> EXECUTION_ATTRIBUTES = List.of("Premain-Class", "Agent-Class", "Launcher-Agent-Class",
            "Main-Class", "Class-Path", "Boot-Class-Path", "Start-Class", "Bundle-Activator", "Service-Component",
            "Bundle-ClassPath", "Fragment-Host", "DynamicImport-Package", "Require-Bundle");
    // Boot-Class-Path: jars an agent puts on the bootstrap class path (java.lang.instrument). Start-Class: the class
    // Spring Boot's launcher (Main-Class JarLauncher) runs. Bundle-Activator: the class an OSGi framework instantiates
    // and starts with the bundle (OSGi Core, Bundle-Activator header). Service-Component: Declarative Services
    // components the framework instantiates (an immediate one activates at bundle start); Bundle-ClassPath: jars and
    // folders inside the bundle its classes load from; Fragment-Host: the bundle whose class loader a fragment joins;
    // DynamicImport-Package, Require-Bundle: packages of other bundles wired in (OSGi Core 3.6, Compendium 112).
    // Import-Package is left out: bnd computes it from the bytecode, and every package a class uses is there.

    /** Rule ids that explain a compiled class by its name only: only a rebuild can verify its bytes. */
    public static final Set<String> BY_NAME_ONLY = Set.of(CLASS_FROM_SOURCE, GENERATED_MODULE_INFO);

    @Override
    public Optional<String> pathRule(Artifact artifact, String path) {
        if (path.startsWith("META-INF/maven/") && path.endsWith("/pom.properties")) {
            return Optional.of(POM_PROPERTIES);
        }
        if (path.equals("META-INF/DEPENDENCIES")) {
            return Optional.of(REMOTE_RESOURCES);
        }
        return Optional.empty();
    }

    @Override
    public Optional<Decision> unmatchedRule(Artifact artifact, String path, boolean sourceExists) {
        if (!path.endsWith(".class")) {
            return Optional.empty();
        }
        if (sourceExists || path.endsWith("module-info.class")) {
            // Read by the content rules: a class must not call what its source does not (CompiledClassRule), a
            // nested one must be declared by its outer source (NestedClassRule), a module-info must not provide a
            // service nothing in the source declares.
            return Optional.empty();
        }
        return Optional.of(new Decision(FileStatus.PHANTOM, CLASS_WITHOUT_SOURCE, Set.of(RiskFlag.CODE),
                Optional.of("compiled class with no source file in the module")));
    }

    /**
     * Classes under a package a {@code maven-shade-plugin} relocation of the repository's POMs shades into
     * ({@code <shadedPattern>}) are a dependency's classes, rewritten and copied in by the build: build output,
     * verifiable only by a rebuild (their content is still scanned). Any other class without a source stays
     * {@link #CLASS_WITHOUT_SOURCE}.
     */
    @Override
    public UnmatchedRules unmatchedRules(Artifact artifact, SourceView view) {
        List<String> plugins = activeShadePlugins(view, artifact); // the POMs are read once per artifact
        List<Pattern> shaded = shadedPackages(view, plugins);
        boolean shading = !plugins.isEmpty();
        Map<String, Map<String, Set<String>>> javacc = new HashMap<>(); // module → its JavaCC types, read once
        Map<String, Map<String, String>> outside = new HashMap<>(); // module → jar paths Ant copies from outside
        return (path, sourceExists) -> {
            String p = MavenLayout.stripVersions(path);
            if (!sourceExists && p.equals(path) && p.startsWith("META-INF/") && !p.substring(9).contains("/")
                    && META_INF_DATA.matcher(p.substring(9)).matches()
                    && artifact.kind() == dev.divergence.model.ArtifactKind.JAR) {
                String module = moduleOf(view, path);
                String from = outside.computeIfAbsent(module,
                        m -> AntCopies.fromOutside(m, view.tree(), view.sourceReader())).get(p);
                if (from != null) {
                    return Optional.of(new Decision(FileStatus.BUILD_OUTPUT, BUILD_OUTSIDE_REPOSITORY, Set.of(),
                            Optional.of("copied by the Ant build from " + from + ", outside the repository: not "
                                    + "verifiable from the repository")));
                }
            }
            if (!sourceExists && shading && p.equals(path) && p.startsWith("META-INF/")
                    && !p.substring(9).contains("/") && META_INF_DATA.matcher(p.substring(9)).matches()) {
                // a shaded dependency's own META-INF/LICENSE-like files, which the plugin copies along
                return Optional.of(new Decision(FileStatus.BUILD_OUTPUT, BUILD_SHADED, Set.of(), Optional.of(
                        "a text file the shade plugin copies from a shaded dependency's META-INF: not verifiable "
                                + "without a rebuild")));
            }
            if (!sourceExists) {
                for (Pattern pkg : shaded) {
                    Matcher m = pkg.matcher(p);
                    if (m.matches() && (p.endsWith(".class") ? m.group(1) != null : !p.startsWith("META-INF/services/"))) {
                        return Optional.of(new Decision(FileStatus.BUILD_OUTPUT, BUILD_SHADED,
                                p.endsWith(".class") ? Set.of(RiskFlag.CODE) : Set.of(),
                                Optional.of("copied from a dependency by maven-shade-plugin (relocated to "
                                        + p.substring(0, p.length() - (m.group(1) == null ? 0 : m.group(1).length()))
                                        + "): not verifiable without a rebuild")));
                    }
                }
            }
            if (!sourceExists && (p.endsWith(".class") || (p.endsWith(".java")
                    && artifact.kind() == dev.divergence.model.ArtifactKind.SOURCES_JAR))) {
                String module = moduleOf(view, path);
                if (JavaccGrammars.generates(javacc.computeIfAbsent(module,
                        m -> JavaccGrammars.generatedTypes(m, view.tree(), view.sourceReader())), p)) {
                    return Optional.of(new Decision(FileStatus.BUILD_OUTPUT, BUILD_JAVACC,
                            p.endsWith(".class") ? Set.of(RiskFlag.CODE) : Set.of(), Optional.of(
                            "written by JavaCC/JJTree from a grammar of " + (module.isEmpty() ? "the root module" : module)
                                    + " (its POM runs the javacc plugin): not verifiable without a rebuild")));
                }
            }
            return unmatchedRule(artifact, path, sourceExists);
        };
    }

    /**
     * The module folder ("" or ending in '/') a jar entry belongs to: the nearest folder above its aligned source path
     * holding a {@code pom.xml}, else the root.
     */
    private static String moduleOf(SourceView view, String path) {
        String source = view.alignment().sourcePath(path).orElse("");
        int slash = source.lastIndexOf('/');
        while (slash > 0) {
            String folder = source.substring(0, slash + 1);
            if (view.tree().get(folder + "pom.xml").isPresent()) {
                return folder;
            }
            slash = source.lastIndexOf('/', slash - 1);
        }
        return "";
    }

    private static final Pattern SHADED_PATTERN = Pattern.compile(
            "<shadedPattern>\\s*([A-Za-z_$][A-Za-z0-9_./${}-]*[A-Za-z0-9_}])\\s*</shadedPattern>");
    /** Licence and notice texts: letters, digits, '-', '_', '.', ending in a text extension or none. */
    private static final Pattern META_INF_DATA = Pattern.compile(
            "(?i)[A-Za-z0-9_.-]*(?:LICEN[CS]E|NOTICE|COPYING|AUTHORS|THIRD[-_]?PARTY)[A-Za-z0-9_.-]*?(?:\\.(?:txt|md|html))?");

    /**
     * The {@code maven-shade-plugin} configurations the build of this artifact runs: in {@code <build><plugins>} (not
     * {@code <pluginManagement>}, not a profile) of a POM of the tree whose own artifactId is the artifact's. A
     * test fixture's POM or a managed-but-unused plugin shades nothing.
     */
    static List<String> activeShadePlugins(SourceView view, Artifact artifact) {
        String artifactId = artifact.filename().replaceFirst("-\\d.*$", "");
        List<String> out = new ArrayList<>();
        for (String pom : poms(view).values()) {
            try {
                org.w3c.dom.Element project = MavenRegistry.xml(pom.getBytes(StandardCharsets.UTF_8), "pom.xml")
                        .getDocumentElement();
                if (!DependencyReducedPom.text(project, "artifactId").equals(artifactId)) {
                    continue;
                }
                DependencyReducedPom.activeShadePlugin(project).ifPresent(p -> {
                    java.io.StringWriter w = new java.io.StringWriter();
                    try {
                        javax.xml.transform.TransformerFactory.newInstance().newTransformer().transform(
                                new javax.xml.transform.dom.DOMSource(p), new javax.xml.transform.stream.StreamResult(w));
                    } catch (javax.xml.transform.TransformerException e) {
                        return;
                    }
                    out.add(w.toString());
                });
            } catch (dev.divergence.registry.RegistryException e) {
                // an unreadable POM configures nothing
            }
        }
        return out;
    }

    /** The tree's POMs (path → text), at most 64 of them: what the build configuration rules read. */
    static Map<String, String> poms(SourceView view) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String path : view.tree().files().keySet()) {
            if ((path.equals("pom.xml") || path.endsWith("/pom.xml")) && out.size() < 64) {
                out.put(path, view.sourceText(path).orElse(""));
            }
        }
        return out;
    }

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{[A-Za-z0-9_.-]+}");

    /**
     * What the shade plugin relocates into, from every POM of the tree (at most 64 read), as patterns over jar
     * paths: a package (dotted or as a path; a {@code ${property}} in it stands for letters, digits, '.', '_', '-')
     * matching the path itself or the path and a rest (group 1, "/..."). A package holding a source file of the
     * tree is left out: a relocation there would cover classes anyone could add beside the project's own.
     */
    static List<Pattern> shadedPackages(SourceView view, List<String> activeShadePlugins) {
        List<Pattern> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        // main sources only: a test in that package (jackson tests its shaded parser there) is not in the jar
        List<String> sources = view.tree().files().keySet().stream().filter(f -> f.endsWith(".java")
                && !f.startsWith("src/test/") && !f.contains("/src/test/")).toList();
        for (String plugin : activeShadePlugins) {
            {
                Matcher m = SHADED_PATTERN.matcher(plugin);
                while (m.find()) {
                    String raw = m.group(1).contains("/") ? m.group(1) : m.group(1).replace('.', '/');
                    raw = raw.replaceFirst("^META-INF/versions/\\d+/", "");
                    if (!raw.contains("/") || !seen.add(raw)) {
                        continue;
                    }
                    StringBuilder regex = new StringBuilder();
                    Matcher prop = PROPERTY.matcher(raw);
                    int at = 0;
                    while (prop.find()) {
                        regex.append(Pattern.quote(raw.substring(at, prop.start()))).append("[A-Za-z0-9_.-]+");
                        at = prop.end();
                    }
                    regex.append(Pattern.quote(raw.substring(at)));
                    Pattern own = Pattern.compile("(?:.*/)?" + regex + "/.*\\.java");
                    if (sources.stream().noneMatch(f -> own.matcher(f).matches())) {
                        out.add(Pattern.compile(regex + "(/.+)?"));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Service files, the auto-loading registries ({@link AutoLoadRule}), OSGi components and logging configurations
     * ({@link #LOGGING_CONFIGURATION}) run code without it being named; they are checked by content, and an
     * unexplained change to one is HIGH_RISK.
     */
    @Override
    public ExecutionRelevance executionRelevance(Artifact artifact, SourceView view) {
        List<Pattern> components = ComponentRule.descriptors(view);
        List<Pattern> contexts = contextsNamedByManifest(view);
        return path -> path.startsWith("META-INF/services/") && !path.substring(18).contains("/")
                ? Optional.of("service provider loaded by ServiceLoader")
                : AutoLoadRule.registry(path).isPresent() ? Optional.of("classes a framework loads by itself")
                : components.stream().anyMatch(c -> c.matcher(path).matches())
                ? Optional.of("OSGi component the framework instantiates (the manifest's Service-Component)")
                : LOGGING_CONFIGURATION.matcher(path).matches()
                ? Optional.of("logging configuration the logging framework loads from the class path by itself")
                : FRAMEWORK_CONFIGURATION.matcher(path).matches() || contexts.stream().anyMatch(c -> c.matcher(path).matches())
                ? Optional.of("configuration a framework finds in the jar and instantiates the classes of by itself")
                : Optional.empty();
    }

    /**
     * Configurations a framework finds in a jar by their place and whose beans or factories it creates when the
     * bundle starts or the application looks them up, without anyone naming them: the OSGi Blueprint extender's
     * {@code OSGI-INF/blueprint/*.xml} (Blueprint 121.3.1: a bean's {@code class} and {@code factory-method} can be
     * {@code java.lang.Runtime} / {@code exec}), Spring DM's {@code META-INF/spring/*.xml}, JNDI's
     * {@code jndi.properties} at the root ({@code java.naming.factory.initial}: InitialContext instantiates the class
     * from every such file on the class path) and a Servlet 3.0 container's {@code META-INF/web-fragment.xml}
     * (listeners and filters of every jar in {@code WEB-INF/lib}).
     */
    private static final Pattern FRAMEWORK_CONFIGURATION = Pattern.compile(
            "OSGI-INF/blueprint/[^/]+\\.xml|META-INF/spring/[^/]+\\.xml|jndi\\.properties|META-INF/web-fragment\\.xml");

    /**
     * The configurations the manifest's {@code Bundle-Blueprint} and {@code Spring-Context} headers name in place of
     * the default folders, as either manifest reader gives them: comma-separated paths, parameters after ';', a
     * {@code *} in the last segment, a folder (ending in '/') standing for its {@code .xml} files, Spring's
     * {@code classpath:} / {@code osgibundle:} prefixes dropped.
     */
    static List<Pattern> contextsNamedByManifest(SourceView view) {
        Optional<byte[]> manifest = view.artifactBytes("META-INF/MANIFEST.MF");
        List<String> values = new ArrayList<>();
        for (String header : List.of("Bundle-Blueprint", "Spring-Context")) {
            manifest.flatMap(ManifestRule::mainAttributes).map(m -> m.get(header)).ifPresent(values::add);
            manifest.flatMap(BundleManifest::mainHeaders).map(m -> m.get(header)).ifPresent(values::add);
        }
        List<Pattern> out = new ArrayList<>();
        for (String value : values) {
            for (String entry : value.split(",")) {
                String e = entry.replaceFirst(";.*", "").strip().replaceFirst("^(?:classpath\\*?:|osgibundle:)", "")
                        .replaceFirst("^/+", "");
                if (e.isEmpty() || e.equals("*")) {
                    continue;
                }
                String regex = Pattern.quote(e).replace("*", "\\E[^/]*\\Q");
                out.add(Pattern.compile(e.endsWith("/") ? regex + "[^/]+\\.xml" : regex));
            }
        }
        return out;
    }

    /**
     * Configurations a logging framework finds on the class path and applies when it starts, in every application
     * that has the jar on its class path: Logback's {@code logback.xml} / {@code logback-test.xml} (Janino
     * {@code <if condition>} and evaluators compile Java expressions) and {@code logback.groovy}, Log4j 2's
     * {@code log4j2[-test].xml/json/jsn/yaml/yml/properties} ({@code <Script>} elements run JSR 223 scripts) and
     * {@code log4j2.component.properties}, Log4j 1's {@code log4j.xml} / {@code log4j.properties}, the provider file
     * {@code META-INF/log4j-provider.properties} and {@code commons-logging.properties}: each names classes the
     * framework instantiates. Checked by content as the service files are; an unexplained change to one is HIGH_RISK.
     */
    private static final Pattern LOGGING_CONFIGURATION = Pattern.compile(
            "(?:logback(?:-test)?\\.(?:xml|groovy)|log4j2(?:-test)?\\.(?:xml|json|jsn|yaml|yml|properties)"
                    + "|log4j2\\.(?:component|system)\\.properties|log4j\\.(?:xml|properties)|commons-logging\\.properties"
                    + "|META-INF/log4j-provider\\.properties)");

    @Override
    public List<ContentRule> contentRules() {
        return List.of(new PomTextRule(), new DeployDescriptorRule(), new ManifestRule(repository), new ServicesRule(),
                new AutoLoadRule(), new ComponentRule(), new CompiledClassRule(), new NestedClassRule(), new GeneratorOutputRule(), new ProjectXmlPomRule(repository),
                new SameModelPomRule(), new TemplateRule(), new FilteredResourceRule(), new ShrinkSafeRule(),
                new JarIndexRule(), new ResourceBundleRule());
    }

    /**
     * {@code META-INF/LICENSE} and {@code META-INF/NOTICE} as maven-remote-resources-plugin writes them from
     * {@code org.apache:apache-jar-resource-bundle:1.3} when a POM of the repository names that bundle (objenesis):
     * the bundle's Apache License 2.0 text byte for byte, and its NOTICE.vm rendered for a module without
     * dependencies — the module's {@code <name>}, a copyright span starting at the POMs' {@code <inceptionYear>} (the
     * build's year is the only free value), the POMs' organization name. Anything else is not explained.
     */
    static final class ResourceBundleRule implements ContentRule {
        /** SHA-256 of apache-jar-resource-bundle 1.3's META-INF/LICENSE.vm (the Apache License 2.0 text, 11,358 bytes). */
        private static final String BUNDLE_LICENSE = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30";
        private static final String RULE_LINE = "// ------------------------------------------------------------------\n";

        @Override
        public String id() {
            return REMOTE_RESOURCES;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            if (source.isPresent() || !(path.equals("META-INF/LICENSE") || path.equals("META-INF/NOTICE"))) {
                return Optional.empty();
            }
            String module = moduleOf(view, path);
            List<org.w3c.dom.Element> poms = new ArrayList<>();
            boolean bundle = false;
            for (String p : module.isEmpty() ? List.of("pom.xml") : List.of(module + "pom.xml", "pom.xml")) {
                Optional<byte[]> b = view.sourceBytes(p);
                if (b.isEmpty()) {
                    continue;
                }
                bundle |= new String(b.get(), StandardCharsets.UTF_8).contains("apache-jar-resource-bundle:1.3<");
                try {
                    poms.add(MavenRegistry.xml(b.get(), p).getDocumentElement());
                } catch (dev.divergence.registry.RegistryException e) {
                    return Optional.empty();
                }
            }
            if (!bundle || poms.isEmpty()) {
                return Optional.empty();
            }
            if (path.equals("META-INF/LICENSE")) {
                return dev.divergence.archive.EntryDigest.sha256(bytes).equals(BUNDLE_LICENSE)
                        ? Optional.of(new Decision(FileStatus.GENERATED, REMOTE_RESOURCES, Set.of(), Optional.of(
                        "the Apache License 2.0 text of apache-jar-resource-bundle 1.3"))) : Optional.empty();
            }
            Optional<String> name = MavenRegistry.child(poms.get(0), "name");
            Optional<String> org = poms.stream().map(e -> MavenRegistry.childElement(e, "organization")
                    .flatMap(o -> MavenRegistry.child(o, "name"))).flatMap(Optional::stream).findFirst();
            Optional<String> inception = poms.stream().map(e -> MavenRegistry.child(e, "inceptionYear"))
                    .flatMap(Optional::stream).findFirst();
            if (name.isEmpty() || name.get().contains("${")) {
                return Optional.empty();
            }
            String span = inception.map(y -> Pattern.quote(y) + "(?:-\\d{4})?").orElse("\\d{4}");
            // maven-remote-resources-plugin 3.x renders the template with Velocity 2, which leaves one blank line more
            // after the project's name and one more at the end (objenesis 3.4-3.6); 1.x with Velocity 1.7 does not
            String head = Pattern.quote(RULE_LINE + "// NOTICE file corresponding to the section 4d of The Apache License,"
                    + "\n// Version 2.0, in this case for " + name.get() + "\n");
            String body = Pattern.quote(RULE_LINE + "\n" + name.get() + "\nCopyright ") + span
                    + Pattern.quote(" " + org.orElse("The Apache Software Foundation"));
            Pattern notice = Pattern.compile("(?:" + head + body + Pattern.quote("\n\n\n") + ")|(?:" + head + "\n" + body
                    + Pattern.quote("\n\n\n\n") + ")");
            return notice.matcher(new String(bytes, StandardCharsets.UTF_8)).matches()
                    ? Optional.of(new Decision(FileStatus.GENERATED, REMOTE_RESOURCES, Set.of(), Optional.of(
                    "apache-jar-resource-bundle 1.3's NOTICE for " + name.get()))) : Optional.empty();
        }
    }

    /** A JarIndex naming only the jar itself: what {@code jar -i} writes. */
    public static final String JAR_INDEX = "maven.jar-index";
    /**
     * A JarIndex naming another jar: the class loader fetches those packages from it; HIGH_RISK when a name is a URL
     * or a path (an absolute {@code https:} jar is fetched), DIVERGENT for a bare sibling name.
     */
    public static final String JAR_INDEX_OTHER_JAR = "maven.jar-index.other-jar";

    /**
     * {@code META-INF/INDEX.LIST} (the JarIndex, JAR File Specification): sections of a jar name followed by the
     * packages it holds; the JDK's URLClassPath loads a listed package from the named jar, resolved against this one's
     * URL (red team round 7: an absolute {@code https:} jar named for {@code org/slf4j} is loaded ahead of the real
     * one). Explained only when every section names this very jar; any other name is AUTO_EXEC, as a
     * {@code Class-Path} entry is.
     */
    static final class JarIndexRule implements ContentRule {
        @Override
        public String id() {
            return JAR_INDEX;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            if (!path.equals("META-INF/INDEX.LIST")) {
                return Optional.empty();
            }
            List<String> jars = new ArrayList<>();
            String[] lines = new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
            boolean sectionStart = false;
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (i == 0) {
                    if (!line.startsWith("JarIndex-Version:")) {
                        jars.add("(no JarIndex-Version line)");
                    }
                    continue;
                }
                if (line.isEmpty()) {
                    sectionStart = true;
                } else if (sectionStart) {
                    jars.add(line);
                    sectionStart = false;
                }
            }
            List<String> other = jars.stream().filter(j -> !j.equals(artifact.filename())).toList();
            if (other.isEmpty()) {
                return Optional.of(new Decision(FileStatus.GENERATED, JAR_INDEX, Set.of(),
                        Optional.of("JarIndex listing only this jar")));
            }
            // a URL or a path reaches a jar anywhere; a bare sibling name (an Ant build's commons-x.jar) only a file
            // beside this jar, which nobody ships with it: seen, not HIGH_RISK
            boolean reaches = other.stream().anyMatch(j -> j.contains(":") || j.contains("/") || j.contains("\\"));
            return Optional.of(new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                    JAR_INDEX_OTHER_JAR, reaches ? Set.of(RiskFlag.AUTO_EXEC) : Set.of(), Optional.of(
                    "the JarIndex sends class loading to " + String.join(", ", other.stream().limit(5).toList())
                            + ", not this jar")));
        }
    }

    /**
     * Dojo ShrinkSafe ({@code java -jar custom_rhino.jar -c X.js}, output to {@code X-compress.js}), which Ant builds of
     * the 2000s ran to ship compressed copies of their JavaScript (commons-validator's {@code build.xml} /
     * {@code build-javascript.xml}). The compressed file is explained only when a build file of the commit (an
     * {@code .xml} at the root or one folder down) names both {@code custom_rhino} and {@code -compress.js}, the
     * source holds {@code X.js} where the layout puts the shipped sibling, and the token streams are one program up
     * to ShrinkSafe's renaming of locals ({@link dev.divergence.registry.npm.JsShrinkSafe#sameProgram}).
     */
    static final class ShrinkSafeRule implements ContentRule {
        @Override
        public String id() {
            return JS_SHRINKSAFE;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            if (!path.endsWith("-compress.js") || source.isPresent()) {
                return Optional.empty();
            }
            String sibling = path.substring(0, path.length() - "-compress.js".length()) + ".js";
            Optional<String> siblingSource = view.alignment().sourcePath(sibling);
            Optional<byte[]> original = siblingSource.flatMap(view::sourceBytes);
            Optional<String> build = original.isEmpty() ? Optional.empty() : shrinkSafeBuild(view);
            if (build.isEmpty() || !dev.divergence.registry.npm.JsShrinkSafe.sameProgram(original.get(), bytes)) {
                return Optional.empty();
            }
            return Optional.of(new Decision(FileStatus.MATCH_NORMALIZED, JS_SHRINKSAFE, Set.of(), Optional.of(
                    siblingSource.get() + " as Dojo ShrinkSafe prints it (run by " + build.get()
                            + "): the same tokens, locals renamed")));
        }

        /** A build file of the commit that runs ShrinkSafe: an .xml at most one folder down naming both markers. */
        private static Optional<String> shrinkSafeBuild(SourceView view) {
            for (String p : view.tree().files().keySet()) {
                if (!p.endsWith(".xml") || p.chars().filter(c -> c == '/').count() > 1) {
                    continue;
                }
                Optional<String> text = view.sourceText(p);
                if (text.isPresent() && text.get().contains("custom_rhino") && text.get().contains("-compress.js")) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The POM and the auto-loading registries ({@link AutoLoadRule}) are compared as data: the shared text normalisations (a release version token in place of another, line
     * endings) could otherwise explain a dependency's {@code <version>} rewritten to the release's own.
     */
    @Override
    public boolean comparedAsData(String path) {
        return path.equals("pom.xml") || (path.startsWith("META-INF/maven/") && path.endsWith("/pom.xml"))
                || AutoLoadRule.registry(path).isPresent();
    }

    /**
     * A POM the shared text normalisations explain (the release plugin's {@code X-SNAPSHOT} → {@code X}, CRLF) keeps
     * that explanation only when a consumer's Maven resolves nothing else from it ({@link ConsumerPom}); otherwise the
     * POM rules below name what changed.
     */
    static final class PomTextRule implements ContentRule {
        @Override
        public String id() {
            return dev.divergence.compare.Normalizations.VERSION_STRING;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            if (source.isEmpty() || !new MavenGeneratedFiles().comparedAsData(path)) {
                return Optional.empty();
            }
            Optional<dev.divergence.compare.Normalizations.Explained> e =
                    dev.divergence.compare.Normalizations.explain(bytes, source.get(), version);
            if (e.isEmpty()) {
                return Optional.empty();
            }
            Decision same = Decision.of(e.get().status(), e.get().ruleId());
            try {
                org.w3c.dom.Element a = MavenRegistry.xml(bytes, path).getDocumentElement();
                org.w3c.dom.Element b = MavenRegistry.xml(source.get(), path).getDocumentElement();
                ConsumerPom published = ConsumerPom.of(a);
                return DependencyReducedPom.redirections(a, b).isEmpty()
                        && ConsumerPom.changes(published, ConsumerPom.released(b, published.version)).isEmpty()
                        ? Optional.of(same) : Optional.empty();
            } catch (dev.divergence.registry.RegistryException notXml) {
                return Optional.of(same); // no resolver reads it either: the text normalisation stands as before
            }
        }
    }

    /** See {@link #RESOURCE_FILTERED}. */
    static final class FilteredResourceRule implements ContentRule {
        private static final Pattern RESOURCE = Pattern.compile("<resource>(.*?)</resource>", Pattern.DOTALL);
        private static final Pattern DIRECTORY = Pattern.compile("<directory>\\s*([^<]*?)\\s*</directory>");
        private static final Pattern FILTERING = Pattern.compile("<filtering>\\s*true\\s*</filtering>");

        @Override
        public String id() {
            return RESOURCE_FILTERED;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            Optional<String> sourcePath = view.alignment().sourcePath(path);
            if (artifact.kind() != dev.divergence.model.ArtifactKind.JAR || source.isEmpty() || sourcePath.isEmpty()
                    || path.endsWith(".class") || path.endsWith(".java") || !filtered(view, sourcePath.get())) {
                return Optional.empty();
            }
            return TemplateRule.fills(new String(source.get(), StandardCharsets.UTF_8),
                    new String(bytes, StandardCharsets.UTF_8), TemplateRule.known(view, version))
                    ? Optional.of(new Decision(FileStatus.MATCH_NORMALIZED, RESOURCE_FILTERED, Set.of(), Optional.of(
                    "resource filtering of " + sourcePath.get() + ": its placeholders filled by literals")))
                    : Optional.empty();
        }

        /** Whether a POM of the tree filters the resource folder holding {@code sourcePath}. */
        static boolean filtered(SourceView view, String sourcePath) {
            for (Map.Entry<String, String> pom : poms(view).entrySet()) {
                String module = pom.getKey().substring(0, pom.getKey().length() - "pom.xml".length());
                Matcher r = RESOURCE.matcher(pom.getValue());
                while (r.find()) {
                    if (!FILTERING.matcher(r.group(1)).find()) {
                        continue;
                    }
                    Matcher d = DIRECTORY.matcher(r.group(1));
                    String dir = d.find() ? d.group(1).replaceFirst("^\\$\\{(?:project\\.)?basedir}/?", "")
                            : "src/main/resources";
                    if (!dir.isEmpty() && !dir.contains("..") && !dir.startsWith("/")
                            && sourcePath.startsWith(module + dir.replaceFirst("/$", "") + "/")) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** See {@link #SOURCE_FROM_TEMPLATE}. */
    static final class TemplateRule implements ContentRule {
        private static final Pattern PLACEHOLDER = Pattern.compile("@[A-Za-z_][A-Za-z0-9_.]*@|\\$\\{[A-Za-z_][A-Za-z0-9_.-]*}");
        /** What a placeholder may become: a version, a group id, a package name — never a quote, paren or space. */
        private static final String LITERAL = "[A-Za-z0-9_.-]*";

        @Override
        public String id() {
            return SOURCE_FROM_TEMPLATE;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            Optional<String> sourcePath = view.alignment().sourcePath(path);
            if (!path.endsWith(".java") || source.isEmpty() || sourcePath.isEmpty()
                    || !(sourcePath.get().endsWith(".java.in") || sourcePath.get().contains("src/main/java-templates/"))) {
                return Optional.empty();
            }
            return fills(new String(source.get(), StandardCharsets.UTF_8), new String(bytes, StandardCharsets.UTF_8),
                    known(view, version))
                    ? Optional.of(new Decision(FileStatus.MATCH_NORMALIZED, SOURCE_FROM_TEMPLATE, Set.of(),
                    Optional.of("written from " + sourcePath.get() + " with its placeholders filled by literals")))
                    : Optional.empty();
        }

        private static final Pattern POM_PROPERTIES = Pattern.compile("<properties>(.*?)</properties>", Pattern.DOTALL);
        private static final Pattern POM_PROPERTY = Pattern.compile("<([A-Za-z_][A-Za-z0-9_.-]*)>\\s*([^<]*?)\\s*</\\1>");

        /**
         * The values the build knows for placeholders: every {@code <properties>} entry of the tree's POMs (each
         * value a POM gives; one holding a {@code ${...}} itself is left free) and the release's version for
         * {@code project.version}, {@code pom.version} and {@code version}. A placeholder named here may only become
         * one of its values (red team round 7, case12: {@code ${natives.host}} filled with another host).
         */
        static Map<String, Set<String>> known(SourceView view, String version) {
            Map<String, Set<String>> out = new HashMap<>();
            for (String text : poms(view).values()) {
                Matcher block = POM_PROPERTIES.matcher(text);
                while (block.find()) {
                    Matcher p = POM_PROPERTY.matcher(block.group(1));
                    while (p.find()) {
                        out.computeIfAbsent(p.group(1), k -> new java.util.LinkedHashSet<>()).add(p.group(2));
                    }
                }
            }
            for (String v : List.of("project.version", "pom.version", "version")) {
                out.put(v, Set.of(version));
            }
            // A value naming other properties is theirs filled in, when each has literal values; one naming what only
            // the build's environment sets (${env.X}) leaves the name with no value it may be filled by: a filtered
            // file using it is not explained (red team round 8: a profile setting
            // <natives.host>${env.NATIVES_MIRROR}</natives.host> made the placeholder free again).
            for (int round = 0; round < 4; round++) {
                Map<String, Set<String>> next = new HashMap<>();
                for (Map.Entry<String, Set<String>> e : out.entrySet()) {
                    Set<String> values = new java.util.LinkedHashSet<>();
                    for (String v : e.getValue()) {
                        values.addAll(interpolate(v, out));
                    }
                    next.put(e.getKey(), values);
                }
                out = next;
            }
            // what is still unresolved: a value from the build's environment (${env.X}) leaves no value known; any
            // other (${maven.build.timestamp}, a property no POM defines) leaves the name free, as an undefined one
            out.entrySet().removeIf(e -> e.getValue().stream().anyMatch(v -> v.contains("${") && !v.contains("${env.")));
            out.values().forEach(values -> values.removeIf(v -> v.contains("${env.")));
            return out;
        }

        private static final Pattern PROPERTY_REFERENCE = Pattern.compile("\\$\\{([^}]+)}");

        /** {@code value} with each {@code ${name}} replaced by each literal value of name, at most 16 results. */
        private static Set<String> interpolate(String value, Map<String, Set<String>> known) {
            Matcher m = PROPERTY_REFERENCE.matcher(value);
            if (!m.find()) {
                return Set.of(value);
            }
            Set<String> with = known.getOrDefault(m.group(1), Set.of());
            Set<String> out = new java.util.LinkedHashSet<>();
            for (String w : with) {
                if (w.contains("${") || out.size() >= 16) {
                    continue;
                }
                out.add(value.substring(0, m.start()) + w + value.substring(m.end()));
            }
            return out.isEmpty() ? Set.of(value) : out; // unresolved stays as written, and is dropped at the end
        }

        static boolean fills(String template, String written) {
            return fills(template, written, Map.of());
        }

        static boolean fills(String template, String written, Map<String, Set<String>> known) {
            StringBuilder regex = new StringBuilder();
            Matcher m = PLACEHOLDER.matcher(template);
            int at = 0;
            while (m.find()) {
                regex.append(Pattern.quote(template.substring(at, m.start())));
                String name = m.group().startsWith("@") ? m.group().substring(1, m.group().length() - 1)
                        : m.group().substring(2, m.group().length() - 1);
                Set<String> values = known.get(name);
                if (values != null && values.isEmpty()) {
                    return false; // defined, but only by what the build's environment sets: no value is known
                }
                regex.append(values == null ? LITERAL : values.stream().map(Pattern::quote)
                        .collect(java.util.stream.Collectors.joining("|", "(?:", ")")));
                at = m.end();
            }
            regex.append(Pattern.quote(template.substring(at)));
            return at > 0 && Pattern.compile(regex.toString()).matcher(written).matches();
        }
    }

    /**
     * {@code META-INF/MANIFEST.MF} is written by the jar plugin (Built-By, Build-Jdk-Spec, ...): generated, except
     * that an agent, main class or class path must be one the build configuration names (a {@code pom.xml} or
     * Gradle build file of the repository, or the source's own manifest), or a header bnd copies from the bundle
     * instructions of the module's effective POM, parents from the registry included ({@link BundleInstructions}).
     * Anything else is HIGH_RISK.
     */
    static final class ManifestRule implements ContentRule {
        private final RepositoryPoms repository;

        ManifestRule(RepositoryPoms repository) {
            this.repository = repository;
        }

        @Override
        public String id() {
            return MANIFEST;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            if (!path.equals("META-INF/MANIFEST.MF")) {
                return Optional.empty();
            }
            Optional<String> disagreement = readersDisagree(bytes);
            if (disagreement.isPresent()) {
                return Optional.of(new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                        MANIFEST_READERS_DISAGREE, Set.of(RiskFlag.AUTO_EXEC), Optional.of("the JVM's and OSGi "
                        + "frameworks' manifest readers disagree on the main section: " + disagreement.get())));
            }
            Optional<Map<String, String>> parsed = mainAttributes(bytes);
            if (parsed.isEmpty()) {
                // Another reader may still find attributes in it: never explained as generated.
                return Optional.of(new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                        MANIFEST_EXECUTION, Set.of(), Optional.of("manifest the JVM's parser refuses")));
            }
            Map<String, String> attributes = parsed.get();
            Map<String, String> declared = source.flatMap(MavenGeneratedFiles.ManifestRule::mainAttributes)
                    .orElse(Map.of());
            List<String> buildFiles = null;
            List<Map<String, String>> templates = null;
            List<BundleInstructions> bundles = null;
            List<String> unexplained = new ArrayList<>();
            List<String> undeclaredJars = new ArrayList<>();
            for (String key : EXECUTION_ATTRIBUTES) {
                String value = attributes.get(key);
                if (value == null || value.equals(declared.get(key))) {
                    continue;
                }
                if (buildFiles == null) {
                    buildFiles = buildFiles(view);
                    templates = manifestTemplates(view);
                }
                if (namedByBuild(key, value, buildFiles) || templates.stream().anyMatch(t -> value.equals(t.get(key)))
                        || (key.equals("Bundle-ClassPath") && value.equals("."))
                        || (key.equals("Service-Component") && annotatedComponents(value, view))) {
                    continue;
                }
                if (bundles == null) {
                    bundles = bundleInstructions(artifact, version, view);
                }
                if (bundles.stream().anyMatch(b -> b.writes(key, value, view::sourceText))) {
                    continue;
                }
                if (key.equals("Class-Path")) {
                    Optional<String> off = ClassPath.unexplained(value, testless(poms(view)), buildFiles);
                    if (off.isEmpty()) {
                        continue;
                    }
                    if (!off.get().startsWith(ClassPath.OUTSIDE)) {
                        undeclaredJars.add(off.get());
                        continue;
                    }
                }
                unexplained.add(key + ": " + value);
            }
            if (!unexplained.isEmpty()) {
                return Optional.of(new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                        MANIFEST_EXECUTION, Set.of(RiskFlag.AUTO_EXEC),
                        Optional.of("manifest entries no build file declares: " + unexplained)));
            }
            if (!undeclaredJars.isEmpty()) {
                return Optional.of(new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                        MANIFEST_CLASS_PATH_UNDECLARED, Set.of(), Optional.of(String.join("; ", undeclaredJars))));
            }
            if (multiRelease(bytes) && !source.map(ManifestRule::multiRelease).orElse(false)
                    && versionedClasses(view) && !multiReleaseBuild(buildFiles == null ? buildFiles(view) : buildFiles)) {
                return Optional.of(new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                        MANIFEST_MULTI_RELEASE, Set.of(), Optional.of("Multi-Release: true, which no build file asks "
                        + "for: the JVM loads META-INF/versions/N/ classes in place of the base ones")));
            }
            return Optional.of(Decision.of(FileStatus.GENERATED, MANIFEST));
        }

        /**
         * How {@code java.util.jar.JarFile} decides a jar is multi-release: it searches the manifest's raw bytes, any
         * section, for "multi-release: true" (any case) followed by a line end that is no continuation — not only
         * the main section the {@link java.util.jar.Manifest} parser reads.
         */
        private static final Pattern MULTI_RELEASE_BYTES = Pattern.compile("(?i)multi-release: true(?:\\r\\n|\\r|\\n)(?! )");

        /**
         * Whether the jar has a versioned entry besides {@code META-INF/versions/N/module-info.class}: the versioned
         * module descriptor that moditect and bnd (commons-parent, jackson) write with the attribute is judged by its
         * own rule, and without other versioned entries the attribute replaces nothing.
         */
        private static boolean versionedClasses(SourceView view) {
            return view.artifactFiles().stream().map(f -> f.path()).anyMatch(p -> p.startsWith("META-INF/versions/")
                    && !p.endsWith("/") && !p.matches("META-INF/versions/\\d+/module-info\\.class"));
        }

        static boolean multiRelease(byte[] manifest) {
            return MULTI_RELEASE_BYTES.matcher(new String(manifest, StandardCharsets.ISO_8859_1)).find();
        }

        /**
         * A build that writes a multi-release jar: the attribute in any of {@link #namedByBuild}'s forms (quoted or
         * not in Gradle: {@code attributes('Multi-Release': true)}), the compiler plugin's
         * {@code <multiReleaseOutput>true}, or moditect's {@code <jvmVersion>} (it adds the attribute with the
         * versioned module-info).
         */
        private static boolean multiReleaseBuild(List<String> buildFiles) {
            Pattern named = Pattern.compile("(?i)<Multi-Release>\\s*true\\s*</Multi-Release>"
                    + "|[\"']Multi-Release[\"']\\s*(?:[:=,]|to)\\s*[\"']?true\\b|(?m)^\\s*Multi-Release\\s*[:=]\\s*true\\s*$"
                    + "|<multiReleaseOutput>\\s*true\\s*</multiReleaseOutput>|<jvmVersion>\\s*\\d+\\s*</jvmVersion>");
            return buildFiles.stream().anyMatch(b -> named.matcher(b).find());
        }

        /**
         * The value must be given for this very attribute: Maven's {@code <KEY>value</KEY>} (manifestEntries) or, for
         * Main-Class, {@code <mainClass>}; Gradle's {@code 'KEY': 'value'} or {@code mainClass = 'value'}. A class
         * named as the main class does not explain the same class as an agent. Class-Path needs addClasspath.
         */
        private static boolean namedByBuild(String key, String value, List<String> buildFiles) {
            if (key.equals("Class-Path")) {
                return buildFiles.stream().anyMatch(b -> b.contains("<Class-Path>" + value + "</Class-Path>"));
            }
            String v = Pattern.quote(value);
            String k = Pattern.quote(key);
            // bnd instructions (bnd.bnd, or a <bnd> block of bnd-maven-plugin): "KEY: value" on a line of its own
            String forms = "<" + k + ">\\s*" + v + "\\s*</" + k + ">|[\"']" + k + "[\"']\\s*(?:[:=,]|to)\\s*[\"']" + v + "[\"']"
                    + "|(?m)^\\s*" + k + "\\s*[:=]\\s*" + v + "\\s*$";
            // Ant: <manifest><attribute name="KEY" value="value"/></manifest>
            forms += "|<attribute\\s+name\\s*=\\s*[\"']" + k + "[\"']\\s+value\\s*=\\s*[\"']" + v + "[\"']";
            if (key.equals("Main-Class")) {
                forms += "|<mainClass>\\s*" + v + "\\s*</mainClass>|\\bmainClass\\s*(?:=|\\.set\\()\\s*[\"']" + v + "[\"']";
            }
            Pattern named = Pattern.compile(forms);
            return buildFiles.stream().anyMatch(b -> named.matcher(b).find());
        }

        /**
         * The bnd instructions of the module that builds {@code artifact}: each POM of the tree (test projects left
         * out) whose own artifactId names the jar ({@code ARTIFACT-VERSION.jar}), with its effective model's parents
         * from the tree and then from the registry ({@link BundleInstructions}).
         */
        private List<BundleInstructions> bundleInstructions(Artifact artifact, String version, SourceView view) {
            List<BundleInstructions> out = new ArrayList<>();
            for (String path : testless(poms(view)).keySet()) {
                Optional<String> own = view.sourceBytes(path).flatMap(b -> {
                    try {
                        return MavenRegistry.child(MavenRegistry.xml(b, path).getDocumentElement(), "artifactId");
                    } catch (dev.divergence.registry.RegistryException e) {
                        return Optional.empty();
                    }
                });
                if (own.isPresent() && artifact.filename().equals(own.get() + "-" + version + ".jar")) {
                    BundleInstructions.of(path, view.tree(), view::sourceBytes, repository, version).ifPresent(out::add);
                }
            }
            return out;
        }

        private static Map<String, String> testless(Map<String, String> poms) {
            Map<String, String> out = new java.util.LinkedHashMap<>(poms);
            out.keySet().removeIf(TestSources::contains);
            return out;
        }

        /**
         * Each {@code Service-Component} entry is {@code OSGI-INF/CLASS.xml} for a main source of the tree declaring
         * CLASS with {@code @Component} (org.osgi.service.component.annotations): the descriptor bnd writes for it.
         */
        static boolean annotatedComponents(String value, SourceView view) {
            for (String entry : value.split(",")) {
                Matcher m = Pattern.compile("OSGI-INF/([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)+)\\.xml").matcher(entry.strip());
                if (!m.matches()) {
                    return false;
                }
                String rel = "/" + m.group(1).replace('.', '/') + ".java";
                String simple = m.group(1).substring(m.group(1).lastIndexOf('.') + 1);
                Pattern component = Pattern.compile("@(?:org\\.osgi\\.service\\.component\\.annotations\\.)?Component\\b"
                        + "[^;{]*?\\bclass\\s+" + Pattern.quote(simple) + "\\b");
                boolean found = false;
                for (String p : view.tree().files().keySet()) {
                    if (p.endsWith(rel) && !TestSources.contains(p)) {
                        found |= view.sourceText(p).map(t -> component.matcher(t).find()).orElse(false);
                    }
                }
                if (!found) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Manifest templates the build copies into the jar (Ant's {@code <jar manifest="src/conf/MANIFEST.MF">},
         * the jar plugin's {@code <manifestFile>}): the main attributes of every tracked {@code MANIFEST.MF} or
         * {@code *.mf} outside test, fixture, example and documentation folders (at most 50). A value must equal the
         * template's exactly: a template token ({@code @version@}) fills no execution attribute.
         */
        static List<Map<String, String>> manifestTemplates(SourceView view) {
            List<Map<String, String>> out = new ArrayList<>();
            for (String p : view.tree().files().keySet()) {
                String name = p.substring(p.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
                if ((name.equals("manifest.mf") || name.endsWith(".mf")) && out.size() < 50 && !TestSources.contains(p)) {
                    // read as the build tool reads a template (Plexus Archiver, Ant: a last line without its newline
                    // still counts, slf4j 1.2's `Bundle-ClassPath: .,\n target/classes/`), not as the JVM reads a jar's
                    view.sourceBytes(p).map(ManifestRule::withFinalNewline).flatMap(ManifestRule::mainAttributes)
                            .ifPresent(out::add);
                }
            }
            return out;
        }

        static byte[] withFinalNewline(byte[] bytes) {
            if (bytes.length == 0 || bytes[bytes.length - 1] == '\n' || bytes[bytes.length - 1] == '\r') {
                return bytes;
            }
            byte[] out = java.util.Arrays.copyOf(bytes, bytes.length + 1);
            out[bytes.length] = '\n';
            return out;
        }

        /** The repository's pom.xml, Gradle, Ant and bnd build files (at most 200), test projects' left out. */
        static List<String> buildFiles(SourceView view) {
            List<String> out = new ArrayList<>();
            for (String p : view.tree().files().keySet()) {
                String name = p.substring(p.lastIndexOf('/') + 1);
                if ((name.equals("pom.xml") || name.equals("build.gradle") || name.equals("build.gradle.kts")
                        || name.equals("build.xml") || name.endsWith(".bnd")) && out.size() < 200
                        && !TestSources.contains(p)) {
                    view.sourceText(p).ifPresent(out::add);
                }
            }
            return out;
        }

        /**
         * How the JVM's reader and OSGi frameworks' ({@link BundleManifest}) differ on the main section — a reader
         * refusing what the other reads, a header only one reads, or another value (both trimmed) — or empty when
         * they agree or both refuse it (then nothing reads its headers).
         */
        static Optional<String> readersDisagree(byte[] bytes) {
            Optional<Map<String, String>> jvm = mainAttributes(bytes);
            Optional<Map<String, String>> osgi = BundleManifest.mainHeaders(bytes);
            if (jvm.isEmpty() || osgi.isEmpty()) {
                return jvm.isEmpty() && osgi.isEmpty() ? Optional.empty() : Optional.of((jvm.isEmpty()
                        ? "the JVM's refuses it, OSGi frameworks read " + osgi.get().keySet()
                        : "OSGi frameworks' refuse it, the JVM's reads " + new java.util.TreeSet<>(jvm.get().keySet())));
            }
            Map<String, String> byJvm = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            jvm.get().forEach((k, v) -> byJvm.put(k, blankless(v)));
            List<String> differing = new ArrayList<>();
            Set<String> names = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            names.addAll(byJvm.keySet());
            names.addAll(osgi.get().keySet());
            for (String name : names) {
                String a = byJvm.get(name);
                String b = osgi.get().get(name);
                if (a == null || b == null) {
                    differing.add(name + " (only " + (a == null ? "OSGi frameworks read it: " + b : "the JVM reads it: " + a) + ")");
                } else if (!a.equals(blankless(b))) {
                    differing.add(name + " (the JVM reads '" + a + "', OSGi frameworks '" + b + "')");
                }
            }
            return differing.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", differing));
        }

        /** Trimmed of what either reader trims: control characters, spaces and Unicode white space. */
        private static String blankless(String value) {
            int start = 0;
            int end = value.length();
            while (start < end && blank(value.charAt(start))) {
                start++;
            }
            while (end > start && blank(value.charAt(end - 1))) {
                end--;
            }
            return value.substring(start, end);
        }

        private static boolean blank(char c) {
            return c <= ' ' || Character.isWhitespace(c);
        }

        /**
         * The main section as the JVM reads it ({@link java.util.jar.Manifest}): attribute names are
         * case-insensitive ({@code launcher-agent-class:} works with {@code java -jar}), continuation lines are
         * joined, a last line without its newline is dropped. Keys come back in the spelling of
         * {@link #EXECUTION_ATTRIBUTES}; empty when the JVM would refuse the manifest.
         */
        static Optional<Map<String, String>> mainAttributes(byte[] bytes) {
            java.util.jar.Attributes main;
            try {
                main = new java.util.jar.Manifest(new java.io.ByteArrayInputStream(bytes)).getMainAttributes();
            } catch (java.io.IOException | RuntimeException malformed) {
                return Optional.empty();
            }
            Map<String, String> out = new HashMap<>();
            for (Map.Entry<Object, Object> e : main.entrySet()) {
                String name = e.getKey().toString();
                String canonical = EXECUTION_ATTRIBUTES.stream().filter(k -> k.equalsIgnoreCase(name)).findFirst()
                        .orElse(name);
                out.put(canonical, String.valueOf(e.getValue()).strip());
            }
            return Optional.of(out);
        }
    }

    /**
     * A Declarative Services descriptor the jar's manifest names ({@code Service-Component}, OSGi Compendium 112.4.1:
     * paths, a '*' wildcard in the last segment): the framework instantiates its {@code <implementation class>}. One in
     * no commit is bnd's only when that class's main source carries {@code @Component}
     * ({@link #OSGI_COMPONENT_FROM_ANNOTATION}); else {@link #AUTO_LOAD_NEW_ENTRY}, HIGH_RISK.
     */
    static final class ComponentRule implements ContentRule {
        private static final Pattern IMPLEMENTATION = Pattern.compile(
                "<(?:\\w+:)?implementation\\s+class\\s*=\\s*[\"']\\s*([\\w.$]+)\\s*[\"']");

        @Override
        public String id() {
            return OSGI_COMPONENT_FROM_ANNOTATION;
        }

        /** The manifest's Service-Component entries as patterns over jar paths. */
        static List<Pattern> descriptors(SourceView view) {
            Optional<String> header = view.artifactBytes("META-INF/MANIFEST.MF").flatMap(ManifestRule::mainAttributes)
                    .map(m -> m.get("Service-Component"));
            List<Pattern> out = new ArrayList<>();
            for (String entry : header.orElse("").split(",")) {
                String e = entry.strip().replaceFirst("^/", "");
                if (!e.isEmpty()) {
                    out.add(Pattern.compile(Pattern.quote(e).replace("*", "\\E[^/]*\\Q")));
                }
            }
            return out;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            if (source.isPresent() || !path.endsWith(".xml")
                    || descriptors(view).stream().noneMatch(c -> c.matcher(path).matches())) {
                return Optional.empty();
            }
            Matcher m = IMPLEMENTATION.matcher(new String(bytes, StandardCharsets.UTF_8));
            List<String> classes = new ArrayList<>();
            while (m.find()) {
                classes.add(m.group(1));
            }
            if (!classes.isEmpty() && classes.stream().allMatch(c -> ManifestRule.annotatedComponents(
                    "OSGI-INF/" + c + ".xml", view))) {
                return Optional.of(new Decision(FileStatus.GENERATED, OSGI_COMPONENT_FROM_ANNOTATION, Set.of(),
                        Optional.of("written by bnd for " + classes + ", annotated @Component in the source")));
            }
            return Optional.of(new Decision(FileStatus.PHANTOM, AUTO_LOAD_NEW_ENTRY, Set.of(RiskFlag.AUTO_EXEC),
                    Optional.of("OSGi component the manifest names, in no commit: " + classes)));
        }
    }

    /**
     * The {@code Class-Path} maven-archiver writes for {@code <addClasspath>true</addClasspath>}
     * (https://maven.apache.org/shared/maven-archiver/examples/classpath.html): one entry per runtime dependency,
     * {@code classpathPrefix} (a '/' appended) then the jar's name ({@code simple} layout), its repository path
     * ({@code repository}) or the {@code customClasspathLayout}; entries a {@code <Class-Path>} manifest entry adds.
     * An entry not under a declared prefix, or going up ({@code ..}), absolute or a URL reaches outside the folder
     * the consumer put the jar in.
     */
    static final class ClassPath {
        static final String OUTSIDE = "outside: ";
        private static final Pattern MANIFEST_BLOCK = Pattern.compile("<manifest>(.*?)</manifest>", Pattern.DOTALL);
        private static final Pattern ADD = Pattern.compile("<addClasspath>\\s*true\\s*</addClasspath>");
        private static final Pattern PREFIX = Pattern.compile("<classpathPrefix>\\s*([^<]*?)\\s*</classpathPrefix>");
        private static final Pattern EXTRA = Pattern.compile("<Class-Path>\\s*([^<]*?)\\s*</Class-Path>");
        private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
        private static final Pattern ARTIFACT_ID = Pattern.compile("<artifactId>\\s*([^<\\s]+)\\s*</artifactId>");
        private static final Pattern SCOPE = Pattern.compile("<scope>\\s*(test|provided|import)\\s*</scope>");

        /** Empty when every entry is explained; else what is not ({@link #OUTSIDE} first when any entry is). */
        static Optional<String> unexplained(String value, Map<String, String> poms, List<String> buildFiles) {
            List<Pattern> prefixes = new ArrayList<>();
            Set<String> artifacts = new java.util.HashSet<>();
            Set<String> extra = new java.util.HashSet<>();
            for (String build : buildFiles) {
                Matcher x = EXTRA.matcher(build);
                while (x.find()) {
                    extra.addAll(List.of(x.group(1).split("\\s+")));
                }
            }
            for (String pom : poms.values()) {
                String text = pom.replaceAll("(?s)<!--.*?-->", "");
                Matcher block = MANIFEST_BLOCK.matcher(text);
                while (block.find()) {
                    if (ADD.matcher(block.group(1)).find()) {
                        Matcher pre = PREFIX.matcher(block.group(1));
                        String prefix = pre.find() ? pre.group(1).replace('\\', '/') : "";
                        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                            prefix += "/";
                        }
                        prefixes.add(Pattern.compile(PROPERTY_REF.splitAsStream(prefix).map(Pattern::quote)
                                .collect(java.util.stream.Collectors.joining("[A-Za-z0-9_.-]*"))
                                + (prefix.endsWith("}") ? "[A-Za-z0-9_.-]*" : "") + "(.+)"));
                    }
                }
                Matcher d = DEPENDENCY.matcher(text);
                while (d.find()) {
                    Matcher id = ARTIFACT_ID.matcher(d.group(1));
                    if (id.find() && !SCOPE.matcher(d.group(1)).find()) {
                        artifacts.add(id.group(1));
                    }
                }
            }
            List<String> outside = new ArrayList<>();
            List<String> undeclared = new ArrayList<>();
            for (String entry : value.strip().split("\\s+")) {
                if (extra.contains(entry)) {
                    continue;
                }
                Optional<String> rest = prefixes.stream().map(p -> p.matcher(entry)).filter(Matcher::matches)
                        .map(m -> m.group(1)).findFirst();
                if (rest.isEmpty() || rest.get().contains("..") || rest.get().startsWith("/") || rest.get().contains("\\")
                        || rest.get().matches("[A-Za-z][A-Za-z0-9+.-]*:.*") || entry.matches("[A-Za-z][A-Za-z0-9+.-]*:.*")
                        || entry.startsWith("/")) {
                    outside.add(entry);
                    continue;
                }
                String file = rest.get().substring(rest.get().lastIndexOf('/') + 1);
                if (artifacts.stream().noneMatch(a -> file.startsWith(a + "-") || file.equals(a + ".jar"))) {
                    undeclared.add(entry);
                }
            }
            if (!outside.isEmpty()) {
                return Optional.of(OUTSIDE + outside);
            }
            return undeclared.isEmpty() ? Optional.empty() : Optional.of(
                    "Class-Path names jars of no dependency the POMs declare (a transitive one, or none): " + undeclared);
        }

        private static final Pattern PROPERTY_REF = Pattern.compile("\\$\\{[^}]*}");
    }

    /**
     * {@code META-INF/services/SERVICE}: every provider must be listed by the source's file of that name, or be a
     * class whose source carries {@code @AutoService} (the annotation processor writes the file at compile time).
     * A provider from nowhere is loaded by ServiceLoader without anyone naming it (e.g. {@code java.sql.Driver}).
     */
    static final class ServicesRule implements ContentRule {
        @Override
        public String id() {
            return NEW_SERVICE_PROVIDER;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            if (!path.startsWith("META-INF/services/") || path.substring(18).contains("/")) {
                return Optional.empty();
            }
            Set<String> declared = source.map(b -> providers(new String(b, StandardCharsets.UTF_8))).orElse(Set.of());
            List<String> unexplained = new ArrayList<>();
            boolean generated = false;
            for (String provider : providers(new String(bytes, StandardCharsets.UTF_8))) {
                if (declared.contains(provider)) {
                    continue;
                }
                if (autoService(provider, path.substring(18), view)) {
                    generated = true;
                    continue;
                }
                unexplained.add(provider);
            }
            if (!unexplained.isEmpty()) {
                return Optional.of(new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                        NEW_SERVICE_PROVIDER, Set.of(RiskFlag.AUTO_EXEC),
                        Optional.of("service providers the source does not declare: " + unexplained)));
            }
            return Optional.of(generated ? Decision.of(FileStatus.GENERATED, SERVICES_AUTO_SERVICE)
                    : Decision.of(FileStatus.MATCH_NORMALIZED, SERVICES_SAME_PROVIDERS));
        }

        static Set<String> providers(String text) {
            Set<String> out = new java.util.TreeSet<>();
            for (String line : text.split("\r?\n")) {
                String l = line.replaceFirst("#.*$", "").strip();
                if (!l.isEmpty()) {
                    out.add(l);
                }
            }
            return out;
        }

        /**
         * The provider's own class declaration carries {@code @AutoService(SERVICE.class)}: the annotation processor
         * then writes exactly this line. Another class of the same file with the annotation does not count.
         */
        static boolean autoService(String provider, String service, SourceView view) {
            String rel = provider.replaceFirst("\\$.*$", "").replace('.', '/') + ".java";
            String simple = provider.substring(Math.max(provider.lastIndexOf('.'), provider.lastIndexOf('$')) + 1);
            String serviceSimple = service.substring(service.lastIndexOf('.') + 1);
            Pattern annotated = Pattern.compile("@(?:com\\.google\\.auto\\.service\\.)?AutoService\\s*\\([^)]*\\b"
                    + Pattern.quote(serviceSimple) + "\\.class[^)]*\\)\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*"
                    + "(?:(?:public|protected|private|final|static|abstract)\\s+)*class\\s+" + Pattern.quote(simple) + "\\b");
            for (String p : view.tree().files().keySet()) {
                if ((p.equals(rel) || p.endsWith("/" + rel)) && !TestSources.contains(p)) {
                    Optional<String> text = view.sourceText(p);
                    if (text.isPresent() && annotated.matcher(text.get()).find()) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * Registries whose classes a consumer's framework loads without anyone naming them (see
     * {@link #AUTO_LOAD_NEW_ENTRY}). Each entry is a (key, class) pair: the properties formats as Spring's
     * {@code PropertiesLoaderUtils} and Groovy read them ({@link java.util.Properties}, values split at commas), the
     * {@code .imports} lists one class a line ({@code #} comments). A pair the source's file of that name does not
     * hold is HIGH_RISK whatever else would explain the text (a filtered resource's placeholder filled with a class
     * name); the same pairs spelled differently are explained; fewer pairs, or another non-class value, are left to
     * the other rules.
     */
    static final class AutoLoadRule implements ContentRule {
        private enum Format { PROPERTIES, LINES, PLEXUS }

        /** Groovy's extension module descriptor: only these two keys name classes. */
        private static final Set<String> GROOVY_CLASS_KEYS = Set.of("extensionClasses", "staticExtensionClasses");
        private static final String GROOVY = "org.codehaus.groovy.runtime.ExtensionModule";

        @Override
        public String id() {
            return AUTO_LOAD_NEW_ENTRY;
        }

        static Optional<Format> registry(String path) {
            return switch (path) {
                case "META-INF/spring.factories", "META-INF/spring.handlers", "META-INF/spring/aot.factories",
                     "META-INF/groovy/" + GROOVY -> Optional.of(Format.PROPERTIES);
                // Plexus component descriptors and Sisu's index: Maven instantiates the components of a plugin or
                // build extension it loads (an AbstractMavenLifecycleParticipant runs in every build).
                case "META-INF/plexus/components.xml" -> Optional.of(Format.PLEXUS);
                default -> (path.startsWith("META-INF/spring/") && path.endsWith(".imports")
                        && !path.substring(16).contains("/"))
                        || (path.startsWith("META-INF/sisu/") && !path.substring(14).contains("/"))
                        ? Optional.of(Format.LINES) : Optional.empty();
            };
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            Optional<Format> format = registry(path);
            if (format.isEmpty()) {
                return Optional.empty();
            }
            boolean groovy = path.endsWith(GROOVY);
            Set<String> published = entries(bytes, format.get());
            Set<String> declared = source.map(b -> entries(b, format.get())).orElse(Set.of());
            List<String> added = new ArrayList<>();
            for (String e : published) {
                String key = e.substring(0, e.indexOf('='));
                if (!declared.contains(e) && (!groovy || GROOVY_CLASS_KEYS.contains(key))) {
                    added.add(e);
                }
            }
            if (!added.isEmpty()) {
                return Optional.of(new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                        AUTO_LOAD_NEW_ENTRY, Set.of(RiskFlag.AUTO_EXEC), Optional.of(
                        "classes the framework loads by itself that the source's file does not name: " + added)));
            }
            return source.isPresent() && published.equals(declared)
                    ? Optional.of(Decision.of(FileStatus.MATCH_NORMALIZED, AUTO_LOAD_SAME_ENTRIES)) : Optional.empty();
        }

        /** "key=class" pairs; for the {@code .imports} lists the key is empty. */
        static Set<String> entries(byte[] bytes, Format format) {
            Set<String> out = new java.util.TreeSet<>();
            // Spring reads the .imports lists as UTF-8, the properties formats through Properties.load(InputStream):
            // ISO-8859-1
            String text = new String(bytes, format == Format.LINES ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            if (format == Format.PLEXUS) {
                try {
                    org.w3c.dom.NodeList impl = MavenRegistry.xml(bytes, "components.xml").getDocumentElement()
                            .getElementsByTagName("implementation");
                    for (int i = 0; i < impl.getLength(); i++) {
                        out.add("=" + impl.item(i).getTextContent().strip());
                    }
                } catch (dev.divergence.registry.RegistryException malformed) {
                    out.add("=" + new String(bytes, StandardCharsets.UTF_8)); // never the same entries as the source's
                }
                return out;
            }
            if (format == Format.LINES) {
                for (String line : text.split("\\r?\\n|\\r")) {
                    String l = line.replaceFirst("#.*$", "").strip();
                    if (!l.isEmpty()) {
                        out.add("=" + l);
                    }
                }
                return out;
            }
            java.util.Properties p = new java.util.Properties();
            try {
                p.load(new java.io.StringReader(text));
            } catch (java.io.IOException | IllegalArgumentException malformed) {
                out.add("=" + text); // unreadable here: never the same entries as the source's
                return out;
            }
            for (String key : p.stringPropertyNames()) {
                for (String value : p.getProperty(key).split(",")) {
                    if (!value.isBlank()) {
                        out.add(key.strip() + "=" + value.strip());
                    }
                }
            }
            return out;
        }
    }

    /**
     * A class file stands for its source file by name, but its bytes are still read. Process execution, script
     * evaluation, native library loading and run-time class definition (constant pool and calls, {@link CompiledClass})
     * — and reflection, method handles and class loading, by which a class reaches an API its constant pool does not
     * name — must be named by that source's code, comments and string literals left out ({@link #uses}): else {@link #CLASS_CALLS_BEYOND_SOURCE}, HIGH_RISK. A Java
     * class's superclass and interfaces must be named by its source too (the implicit {@code Object}, {@code Enum},
     * {@code Record} and an annotation type's {@code Annotation} aside): else {@link #CLASS_SUPERTYPES_NOT_IN_SOURCE}.
     * A {@code module-info.class} (from {@code module-info.java}, or written by moditect or bnd) registers service
     * providers that {@code ServiceLoader} and {@code DriverManager} load on the module path without anyone naming
     * them: each {@code provides S with P} must be declared by the source — a {@code module-info.java} or a build
     * file's module declaration (moditect's {@code <moduleInfoSource>}) saying so, a {@code META-INF/services/S} file
     * listing P, or {@code @AutoService(S.class)} on P — else {@link #NEW_SERVICE_PROVIDER}, HIGH_RISK, as a services
     * file's.
     */
    static final class CompiledClassRule implements ContentRule {
        /**
         * One use of an API that runs code the class does not hold: {@code what} it is, and whether a source naming
         * {@code names} (identifiers in code, {@link SourceNames}) writes it.
         */
        private record Use(String what, java.util.function.Predicate<Set<String>> named, String needs) {
            static Use any(String what, String... names) {
                Set<String> set = Set.of(names);
                return new Use(what, n -> n.stream().anyMatch(set::contains), String.join("|", new java.util.TreeSet<>(set)));
            }

            /** {@code parse} on a parser the source names by its type or by the factory method that makes it. */
            static Use parse(String what, String type, String factoryMethod) {
                return new Use(what, n -> n.contains("parse") && (n.contains(type) || n.contains(factoryMethod)),
                        "parse+" + type + "|" + factoryMethod);
            }

            /** A method the source must name together with one of the types it is called on. */
            static Use on(String what, String method, String... types) {
                Set<String> set = Set.of(types);
                return new Use(what, n -> n.contains(method) && n.stream().anyMatch(set::contains),
                        method + "+" + String.join("|", new java.util.TreeSet<>(set)));
            }

            static Use all(String what, String... names) {
                Set<String> set = Set.of(names);
                return new Use(what, n -> n.containsAll(set), String.join("+", new java.util.TreeSet<>(set)));
            }
        }

        private static final String PROCESS = "process execution";
        private static final String SCRIPT = "script evaluation";
        private static final String NATIVE = "native library loading";
        private static final String DEFINE = "run-time class definition";
        private static final String REFLECTION = "reflective invocation";
        private static final String LOADING = "dynamic class loading";
        private static final String INTERPRETER = "code read as data (deserialisation, an interpreter, a name service)";
        private static final String EXFILTRATION = "environment or network access";
        private static final String FILE_WRITE = "file writing";
        private static final String[] JNDI_TYPES = {"Context", "InitialContext", "DirContext", "InitialDirContext",
                "LdapContext", "InitialLdapContext"};

        /**
         * Calls ({@code owner.name}; {@code *.name}: any owner, as a ClassLoader subclass calls its own defineClass)
         * whose source must name them: process execution, native libraries, class definition and loading,
         * reflective and method-handle invocation — with a name computed at run time
         * ({@code Class.forName("java.lang."+"Process"+"Builder")}) the API a class reaches this way is in no constant
         * pool, so the reflection itself must be the source's.
         */
        static final Map<String, Use> CALLS = Map.ofEntries(
                Map.entry("java/lang/Runtime.exec", Use.any(PROCESS, "exec")),
                Map.entry("java/lang/System.load", Use.all(NATIVE, "System", "load")),
                Map.entry("java/lang/Runtime.load", Use.all(NATIVE, "Runtime", "load")),
                Map.entry("*.loadLibrary", Use.any(NATIVE, "loadLibrary")),
                Map.entry("*.defineClass", Use.any(DEFINE, "defineClass")),
                Map.entry("*.defineHiddenClass", Use.any(DEFINE, "defineHiddenClass")),
                Map.entry("*.defineAnonymousClass", Use.any(DEFINE, "defineAnonymousClass")),
                // one family: a source that loads classes by name one way reaches the same classes the other way
                // (commons-logging 1.0's LogFactoryImpl falls back from loader.loadClass to Class.forName)
                Map.entry("*.loadClass", Use.any(LOADING, "loadClass", "forName")),
                Map.entry("java/lang/Class.forName", Use.any(LOADING, "forName", "loadClass")),
                Map.entry("java/lang/reflect/Method.invoke", Use.any(REFLECTION, "invoke")),
                Map.entry("java/lang/reflect/Constructor.newInstance", Use.any(REFLECTION, "newInstance")),
                Map.entry("java/lang/Class.newInstance", Use.any(REFLECTION, "newInstance")),
                Map.entry("java/lang/invoke/MethodHandle.invoke", Use.any(REFLECTION, "invoke")),
                Map.entry("java/lang/invoke/MethodHandle.invokeExact", Use.any(REFLECTION, "invokeExact")),
                Map.entry("java/lang/invoke/MethodHandle.invokeWithArguments", Use.any(REFLECTION, "invokeWithArguments")),
                // code or objects read from a stream or a name service: what they run is in no constant pool
                Map.entry("java/io/ObjectInputStream.readObject", Use.any(INTERPRETER, "readObject")),
                Map.entry("java/io/ObjectInputStream.readUnshared", Use.any(INTERPRETER, "readUnshared")),
                // the name lookup and the type it is called on (red team round 7, case2b: a source with a lookup()
                // method of its own is no source of a JNDI lookup)
                Map.entry("javax/naming/Context.lookup", Use.on(INTERPRETER, "lookup", JNDI_TYPES)),
                Map.entry("javax/naming/InitialContext.lookup", Use.on(INTERPRETER, "lookup", JNDI_TYPES)),
                Map.entry("javax/naming/directory/DirContext.lookup", Use.on(INTERPRETER, "lookup", JNDI_TYPES)),
                Map.entry("javax/naming/directory/InitialDirContext.lookup", Use.on(INTERPRETER, "lookup", JNDI_TYPES)),
                Map.entry("javax/naming/ldap/InitialLdapContext.lookup", Use.on(INTERPRETER, "lookup", JNDI_TYPES)),
                Map.entry("java/rmi/Naming.lookup", Use.on(INTERPRETER, "lookup", "Naming")),
                Map.entry("java/rmi/registry/Registry.lookup", Use.on(INTERPRETER, "lookup", "Registry", "LocateRegistry")),
                // what a payload reads and where it sends it: the environment, a connection
                Map.entry("java/lang/System.getenv", Use.any(EXFILTRATION, "getenv")),
                Map.entry("java/net/URL.openStream", Use.any(EXFILTRATION, "openStream")),
                Map.entry("java/net/URL.openConnection", Use.any(EXFILTRATION, "openConnection")),
                Map.entry("java/net/Socket.<init>", Use.any(EXFILTRATION, "Socket")),
                // red team round 7 (case7): channels and datagrams reach the network as sockets do, an address
                // resolves its host name (a DNS query), a desktop opens what it is given
                Map.entry("java/nio/channels/SocketChannel.open", Use.any(EXFILTRATION, "SocketChannel")),
                Map.entry("java/nio/channels/AsynchronousSocketChannel.open",
                        Use.any(EXFILTRATION, "AsynchronousSocketChannel")),
                Map.entry("java/nio/channels/DatagramChannel.open", Use.any(EXFILTRATION, "DatagramChannel")),
                Map.entry("java/net/DatagramSocket.<init>", Use.any(EXFILTRATION, "DatagramSocket")),
                Map.entry("java/net/InetSocketAddress.<init>", Use.any(EXFILTRATION, "InetSocketAddress")),
                Map.entry("java/awt/Desktop.browse", Use.all(EXFILTRATION, "Desktop", "browse")),
                Map.entry("java/awt/Desktop.open", Use.all(PROCESS, "Desktop", "open")),
                Map.entry("java/sql/DriverManager.getConnection", Use.any(EXFILTRATION, "DriverManager", "getConnection")),
                Map.entry("java/net/http/HttpClient.newHttpClient", Use.any(EXFILTRATION, "newHttpClient", "HttpClient")),
                Map.entry("java/net/http/HttpClient.newBuilder", Use.any(EXFILTRATION, "newBuilder", "HttpClient")),
                Map.entry("java/net/URL.getContent", Use.any(EXFILTRATION, "getContent")),
                // red team round 8 (c4): a socket from a (TLS) socket factory, and modules defined at run time — a
                // module layer over a downloaded jar runs what its ServiceLoader providers do
                Map.entry("*.createSocket", Use.any(EXFILTRATION, "createSocket")),
                Map.entry("java/lang/ModuleLayer.defineModules", Use.any(DEFINE, "defineModules")),
                Map.entry("java/lang/ModuleLayer.defineModulesWithOneLoader", Use.any(DEFINE, "defineModulesWithOneLoader")),
                Map.entry("java/lang/ModuleLayer.defineModulesWithManyLoaders",
                        Use.any(DEFINE, "defineModulesWithManyLoaders")),
                // a name lookup is a DNS query: data sent out in the name asked for
                Map.entry("java/net/InetAddress.getByName", Use.any(EXFILTRATION, "getByName")),
                Map.entry("java/net/InetAddress.getAllByName", Use.any(EXFILTRATION, "getAllByName")),
                // red team round 6 (case2): an XSLT stylesheet runs Java extension functions (the JDK's XSLTC
                // calls any public method a xalan/java namespace names), so compiling one runs code read as data
                Map.entry("javax/xml/transform/TransformerFactory.newTransformer", Use.any(INTERPRETER, "newTransformer")),
                Map.entry("javax/xml/transform/TransformerFactory.newTemplates", Use.any(INTERPRETER, "newTemplates")),
                Map.entry("javax/xml/transform/sax/SAXTransformerFactory.newTransformerHandler",
                        Use.any(INTERPRETER, "newTransformerHandler")),
                Map.entry("javax/xml/transform/sax/SAXTransformerFactory.newXMLFilter", Use.any(INTERPRETER, "newXMLFilter")),
                // and java.beans' calls by name (Expression, Statement, EventHandler are types below)
                Map.entry("java/beans/Beans.instantiate", Use.any(LOADING, "instantiate")),
                // what a payload writes: a shell profile, a startup script, a class of another jar
                Map.entry("java/nio/file/Files.write", Use.all(FILE_WRITE, "Files", "write")),
                Map.entry("java/nio/file/Files.writeString", Use.all(FILE_WRITE, "Files", "writeString")),
                Map.entry("java/nio/file/Files.newOutputStream", Use.all(FILE_WRITE, "Files", "newOutputStream")),
                Map.entry("java/nio/file/Files.newBufferedWriter", Use.all(FILE_WRITE, "Files", "newBufferedWriter")),
                Map.entry("java/io/FileOutputStream.<init>", Use.any(FILE_WRITE, "FileOutputStream")),
                Map.entry("java/io/FileWriter.<init>", Use.any(FILE_WRITE, "FileWriter")),
                Map.entry("java/io/RandomAccessFile.<init>", Use.any(FILE_WRITE, "RandomAccessFile")));
        /**
         * Overloads ({@code owner.name(arguments}, a prefix of {@link CompiledClass#typedCalls}) whose source must
         * name them, where other overloads of the same method are harmless: a copy into a path, a parse of a
         * document fetched from a URI.
         */
        static final Map<String, Use> TYPED_CALLS = Map.ofEntries(
                Map.entry("java/nio/file/Files.copy(Ljava/io/InputStream;Ljava/nio/file/Path;",
                        Use.all(FILE_WRITE, "Files", "copy")),
                Map.entry("java/nio/file/Files.copy(Ljava/nio/file/Path;Ljava/nio/file/Path;",
                        Use.all(FILE_WRITE, "Files", "copy")),
                Map.entry("javax/xml/parsers/DocumentBuilder.parse(Ljava/lang/String;)",
                        Use.parse(EXFILTRATION, "DocumentBuilder", "newDocumentBuilder")),
                Map.entry("javax/xml/parsers/SAXParser.parse(Ljava/lang/String;",
                        Use.parse(EXFILTRATION, "SAXParser", "newSAXParser")),
                Map.entry("java/util/ServiceLoader.load(Ljava/lang/ModuleLayer;", Use.all(LOADING, "ServiceLoader",
                        "ModuleLayer")));
        /** {@code MethodHandles.Lookup} methods that reach a member by name: each must be the source's. */
        private static final Pattern LOOKUP_FIND = Pattern.compile(
                "java/lang/invoke/MethodHandles\\$Lookup\\.((?:find|unreflect)\\w*|defineClass|accessClass)");
        /** Classes whose use the source must name by their simple name. */
        private static final Map<String, String> TYPES = Map.ofEntries(Map.entry("java/lang/ProcessBuilder", PROCESS),
                Map.entry("java/lang/Runtime", PROCESS), Map.entry("java/net/URLClassLoader", LOADING),
                // interpreters of code given as data: the JDK's and the common embedded ones
                Map.entry("java/beans/XMLDecoder", INTERPRETER), Map.entry("jdk/jshell/JShell", INTERPRETER),
                // calls by name: new Expression(Runtime.class, "getRuntime", ..) reaches any public method
                Map.entry("java/beans/Expression", REFLECTION), Map.entry("java/beans/Statement", REFLECTION),
                Map.entry("java/beans/EventHandler", REFLECTION),
                Map.entry("javax/el/ELProcessor", INTERPRETER), Map.entry("jakarta/el/ELProcessor", INTERPRETER),
                Map.entry("javax/el/ExpressionFactory", INTERPRETER), Map.entry("jakarta/el/ExpressionFactory", INTERPRETER),
                Map.entry("javax/tools/ToolProvider", INTERPRETER), Map.entry("javax/management/loading/MLet", LOADING),
                Map.entry("java/lang/module/ModuleFinder", LOADING),
                Map.entry("groovy/lang/GroovyShell", INTERPRETER), Map.entry("groovy/lang/GroovyClassLoader", LOADING),
                Map.entry("org/mozilla/javascript/Context", INTERPRETER), Map.entry("bsh/Interpreter", INTERPRETER),
                Map.entry("ognl/Ognl", INTERPRETER), Map.entry("org/mvel2/MVEL", INTERPRETER),
                Map.entry("org/codehaus/janino/ScriptEvaluator", INTERPRETER),
                Map.entry("org/codehaus/janino/ExpressionEvaluator", INTERPRETER),
                Map.entry("org/codehaus/janino/SimpleCompiler", INTERPRETER),
                Map.entry("org/springframework/expression/spel/standard/SpelExpressionParser", INTERPRETER),
                Map.entry("sun/misc/Unsafe", DEFINE), Map.entry("jdk/internal/misc/Unsafe", DEFINE),
                Map.entry("java/lang/instrument/Instrumentation", DEFINE));

        /**
         * What the class uses (its calls and classes read with ASM; the constant pool's length-prefixed Utf8 entries
         * as well, so a class ASM cannot read is still searched): each use its source must name.
         */
        static List<Use> uses(String classText, Optional<CompiledClass> parsed) {
            List<Use> out = new ArrayList<>();
            Set<String> scriptTypes = new java.util.TreeSet<>();
            Matcher script = Pattern.compile("javax/script/(\\w+)").matcher(classText);
            while (script.find()) {
                scriptTypes.add(script.group(1));
            }
            if (classText.contains("java/lang/ProcessBuilder")) {
                out.add(Use.any(PROCESS, "ProcessBuilder"));
            }
            if (classText.contains("java/lang/Runtime") && classText.contains("\u0000\u0004exec")) {
                out.add(Use.any(PROCESS, "exec"));
            }
            for (String define : List.of("defineClass", "defineHiddenClass", "defineAnonymousClass", "loadLibrary")) {
                if (classText.contains("\u0000" + (char) define.length() + define)) {
                    out.add(Use.any(define.equals("loadLibrary") ? NATIVE : DEFINE, define));
                }
            }
            if (parsed.isPresent()) {
                for (String call : parsed.get().calls()) {
                    Use use = CALLS.get(call);
                    if (use == null) {
                        use = CALLS.get("*" + call.substring(call.lastIndexOf('.')));
                    }
                    Matcher lookup = LOOKUP_FIND.matcher(call);
                    if (use == null && lookup.matches()) {
                        use = Use.any(REFLECTION, lookup.group(1));
                    }
                    if (use != null) {
                        out.add(use);
                    }
                }
                for (String call : parsed.get().typedCalls()) {
                    TYPED_CALLS.forEach((overload, use) -> {
                        if (call.startsWith(overload)) {
                            out.add(use);
                        }
                    });
                }
                for (String type : parsed.get().types()) {
                    if (TYPES.containsKey(type)) {
                        out.add(Use.any(TYPES.get(type), type.substring(type.lastIndexOf('/') + 1)));
                    }
                    if (type.startsWith("javax/script/")) {
                        scriptTypes.add(type.substring(13));
                    }
                }
            }
            if (!scriptTypes.isEmpty()) {
                // any of the javax.script classes the class uses: `var e = new ScriptEngineManager().getEngineByName(..)`
                // names the manager, not the engine
                out.add(Use.any(SCRIPT, scriptTypes.stream().map(t -> t.replaceFirst("\\$.*", "")).toArray(String[]::new)));
            }
            return out;
        }

        private static final Set<String> IMPLICIT_SUPERTYPES = Set.of("java/lang/Object", "java/lang/Enum",
                "java/lang/Record", "java/lang/annotation/Annotation");

        @Override
        public String id() {
            return CLASS_CALLS_BEYOND_SOURCE;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            if (!path.endsWith(".class")) {
                return Optional.empty();
            }
            String name = path.substring(path.lastIndexOf('/') + 1);
            Optional<CompiledClass> parsed = CompiledClass.read(bytes);
            // refused past a readable header: what a JVM may still load (an attribute it skips). A file that is no class
            // file, or cut inside its constant pool, the JVM refuses too: nothing of it runs
            boolean newer = parsed.isEmpty() && CompiledClass.newerThanReader(bytes);
            if (parsed.isEmpty() && (source.isPresent() || name.equals("module-info.class"))
                    && (newer || CompiledClass.headerReadable(bytes))) {
                return Optional.of(new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                        CLASS_UNREADABLE, newer ? Set.of(RiskFlag.CODE) : Set.of(RiskFlag.CODE, RiskFlag.OBFUSCATED),
                        Optional.of(newer ? "a class-file version newer than the class reader knows: its code cannot be "
                                + "checked against its source" : "the class reader refuses this class (malformed or "
                                + "crafted attributes the JVM may skip): its code cannot be checked against its source")));
            }
            if (name.equals("module-info.class")) {
                return parsed.map(c -> moduleInfo(c, source, view));
            }
            if (source.isEmpty()) {
                return Optional.empty();
            }
            String text = new String(source.get(), StandardCharsets.UTF_8);
            String classText = new String(bytes, StandardCharsets.ISO_8859_1);
            String sourceFile = view.alignment().sourcePath(path).orElse(path);
            // as javac may have read it: as committed, or after the replacements the build makes in the sources when
            // its target runs (AntReplacements: a target for one JDK uncomments code, one for another comments it out)
            Set<String> names = new java.util.HashSet<>(SourceNames.of(text, sourceFile));
            String replaced = AntReplacements.apply(text, AntReplacements.of(view.tree(), view.sourceReader()));
            if (!replaced.equals(text)) {
                names.addAll(SourceNames.of(replaced, sourceFile));
            }
            boolean java = view.alignment().sourcePath(path).map(p -> p.endsWith(".java")).orElse(false);
            Map<String, Set<String>> unnamed = new java.util.TreeMap<>();
            for (Use use : uses(classText, parsed)) {
                // Kotlin inlines its standard library's file helpers (Path.outputStream() is Files.newOutputStream,
                // File.bufferedWriter() a new FileOutputStream) into the caller: only javac writes what Java names
                if (use.what().equals(FILE_WRITE) && !java) {
                    continue;
                }
                if (!use.named().test(names)) {
                    unnamed.computeIfAbsent(use.what(), k -> new java.util.TreeSet<>()).add(use.needs());
                }
            }
            if (!unnamed.isEmpty()) {
                List<String> described = new ArrayList<>();
                unnamed.forEach((what, needs) -> described.add(what + " (" + String.join(", ", needs) + ")"));
                return Optional.of(new Decision(FileStatus.MODIFIED, CLASS_CALLS_BEYOND_SOURCE,
                        Set.of(RiskFlag.CODE, RiskFlag.DYNAMIC_EXEC), Optional.of("the class's code uses "
                        + String.join(", ", described) + "; its source's code names no such API: compiled from other "
                        + "source")));
            }
            Optional<Decision> strings = stringsBeyondSource(bytes, classText, text, view);
            if (strings.isPresent()) {
                return strings;
            }
            Optional<Decision> otherFile = otherSourceFile(path, bytes, view);
            if (otherFile.isPresent()) {
                return otherFile;
            }
            if (java && parsed.isPresent()) {
                String sourcePath = view.alignment().sourcePath(path).orElseThrow();
                String sourceName = sourcePath.substring(sourcePath.lastIndexOf('/') + 1).replaceFirst("\\.java$", "");
                Set<String> beyond = JavaSourceReferences.unnamed(parsed.get(), names, sourceName);
                if (!beyond.isEmpty()) {
                    List<String> described = beyond.stream().limit(8).map(JavaSourceReferences::describe).toList();
                    return Optional.of(new Decision(FileStatus.MODIFIED, CLASS_REFERENCES_BEYOND_SOURCE,
                            Set.of(RiskFlag.CODE), Optional.of("the class's code reaches "
                            + String.join(", ", described) + (beyond.size() > 8 ? " (" + beyond.size() + " in all)" : "")
                            + ", which its source's code never names: compiled from other source")));
                }
            }
            if (java && parsed.isPresent()) {
                List<String> foreign = new ArrayList<>();
                List<String> supertypes = new ArrayList<>(parsed.get().interfaces());
                parsed.get().superName().ifPresent(supertypes::add);
                for (String t : supertypes) {
                    String simple = t.substring(Math.max(t.lastIndexOf('/'), t.lastIndexOf('$')) + 1);
                    if (!IMPLICIT_SUPERTYPES.contains(t) && !names.contains(simple)) {
                        foreign.add(t.replace('/', '.'));
                    }
                }
                if (!foreign.isEmpty()) {
                    return Optional.of(new Decision(FileStatus.MODIFIED, CLASS_SUPERTYPES_NOT_IN_SOURCE,
                            Set.of(RiskFlag.CODE), Optional.of("the class extends or implements " + foreign
                            + ", which its source never names: compiled from other source")));
                }
            }
            // a nested class is still checked against what its outer source declares (NestedClassRule)
            return name.contains("$") ? Optional.empty() : Optional.of(Decision.of(FileStatus.GENERATED, CLASS_FROM_SOURCE));
        }

        /** A string constant that is a shell command line: a download piped to a shell, {@code sh -c}, a reverse shell. */
        private static final Pattern SHELL_STRING = Pattern.compile("(?i)(?:\\b(?:curl|wget)\\b[^\\n]*[|>]|\\|\\s*(?:ba|z|da)?sh\\b"
                + "|\\b(?:ba|z|da)?sh\\s+-c\\b|\\bcmd(?:\\.exe)?\\s+/c\\b|powershell|/dev/tcp/|\\bnc\\s+-[a-z]*e\\b"
                // red team round 8 (c9): an interpreter given code inline, and code that fetches and runs
                + "|\\b(?:python[0-9.]*|perl|ruby|node|php|osascript)\\s+-[ce]\\b|__import__\\s*\\(|\\bexec\\s*\\(\\s*\\w+\\.urlopen"
                + "|urlopen\\s*\\([^)]*\\)\\s*\\.read\\s*\\(|\\beval\\s*\\(\\s*(?:atob|Buffer|require)\\b)");
        /**
         * A string constant that is a name-service URL a lookup fetches objects from (JNDI, RMI, CORBA). Web URLs are
         * left out: the compiler inlines other classes' constants (XMLConstants' namespace URIs), so they need not be
         * in any source of the repository.
         */
        private static final Pattern URL_STRING = Pattern.compile("(?i)\\b(?:ldaps?|rmi|iiop|dns|corba(?:loc|name)?)://");
        private static final int MAX_SOURCES_SEARCHED = 5000;

        /**
         * A class carrying a string constant that is a shell command line or a URL no source file of the repository
         * holds (red team round 7, case2: a source that legitimately runs processes compiled with a static
         * initialiser running {@code curl … | sh}): compiled from other source. Names alone cannot show it; the
         * compiler copies string literals as they are, from the class's own source or a constant of another file it
         * inlines, so every such constant must be in some source file. A shell line is HIGH_RISK, a name-service URL
         * DIVERGENT.
         */
        private static Optional<Decision> stringsBeyondSource(byte[] bytes, String classText, String sourceText,
                                                              SourceView view) {
            // A class that starts processes builds their command lines from its constants: each must be the
            // source's (red team round 8, c9: {"python3", "-c", "import urllib…"} beside a legitimate ProcessBuilder).
            boolean runsProcesses = classText.contains("java/lang/ProcessBuilder")
                    || (classText.contains("java/lang/Runtime") && classText.contains("\u0000\u0004exec"));
            if (!runsProcesses && !URL_STRING.matcher(classText).find() && !SHELL_STRING.matcher(classText).find()) {
                return Optional.empty(); // cheap first look at the raw constant pool
            }
            Map<String, Boolean> candidates = new java.util.LinkedHashMap<>(); // constant -> shell-like
            for (String constant : CompiledClass.strings(bytes)) {
                boolean isShell = SHELL_STRING.matcher(constant).find();
                boolean wanted = isShell || URL_STRING.matcher(constant).find()
                        || (runsProcesses && !constant.isBlank() && constant.indexOf('\u0001') < 0
                        && constant.indexOf('\u0002') < 0);
                if (wanted && !sourceText.contains(constant) && !sourceText.contains(escaped(constant))) {
                    candidates.merge(constant, isShell, Boolean::logicalOr);
                }
            }
            candidates.keySet().removeAll(inSomeSource(candidates.keySet(), view));
            if (runsProcesses && candidates.containsValue(false)) {
                // javac folds a concatenation of constants into one ("Command line '" + DF + "' did not…", commons-io's
                // FileSystemUtils): a plain string whose every word the sources hold is theirs; a shell line or URL
                // stays judged as a whole
                Set<String> words = sourceWords(sourceText, view);
                candidates.entrySet().removeIf(e -> !e.getValue() && words.containsAll(words(e.getKey())));
            }
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
            boolean shell = candidates.containsValue(true);
            boolean exec = shell || runsProcesses;
            List<String> missing = candidates.keySet().stream().limit(3)
                    .map(c -> c.length() > 80 ? c.substring(0, 80) + "…" : c).toList();
            String what = shell ? "a shell command line" : runsProcesses ? "strings a class that starts processes uses"
                    : "a URL";
            return Optional.of(new Decision(FileStatus.MODIFIED, CLASS_STRINGS_BEYOND_SOURCE,
                    exec ? Set.of(RiskFlag.CODE, RiskFlag.DYNAMIC_EXEC) : Set.of(RiskFlag.CODE),
                    Optional.of("the class holds " + what + " no source file of the repository holds: " + missing
                            + "; compiled from other source")));
        }

        private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_]{2,}");

        /** The words (letters, digits, {@code _}; two or more) of a text. */
        private static Set<String> words(String text) {
            Set<String> out = new java.util.HashSet<>();
            Matcher m = WORD.matcher(text);
            while (m.find()) {
                out.add(m.group());
            }
            return out;
        }

        /** The words of the class's source and of every JVM-language source file of the commit (bounded). */
        private static Set<String> sourceWords(String sourceText, SourceView view) {
            Set<String> out = words(sourceText);
            int read = 0;
            for (String p : view.tree().files().keySet()) {
                if (!(p.endsWith(".java") || p.endsWith(".kt") || p.endsWith(".groovy") || p.endsWith(".scala")
                        || p.endsWith(".java.in")) || ++read > MAX_SOURCES_SEARCHED) {
                    continue;
                }
                view.sourceText(p).ifPresent(t -> out.addAll(words(t)));
            }
            return out;
        }

        /** A constant as a Java string literal spells it ({@code \n}, {@code \"}, {@code \\}, ...). */
        static String escaped(String constant) {
            StringBuilder b = new StringBuilder(constant.length() + 8);
            for (char ch : constant.toCharArray()) {
                switch (ch) {
                    case '\\' -> b.append("\\\\");
                    case '"' -> b.append("\\\"");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    case '\b' -> b.append("\\b");
                    case '\f' -> b.append("\\f");
                    default -> b.append(ch);
                }
            }
            return b.toString();
        }

        /** Which of {@code constants} some JVM-language source file of the commit holds literally (one pass). */
        private static Set<String> inSomeSource(Set<String> constants, SourceView view) {
            Set<String> found = new java.util.HashSet<>();
            if (constants.isEmpty()) {
                return found;
            }
            int read = 0;
            for (String p : view.tree().files().keySet()) {
                if (!(p.endsWith(".java") || p.endsWith(".kt") || p.endsWith(".groovy") || p.endsWith(".scala")
                        || p.endsWith(".java.in")) || ++read > MAX_SOURCES_SEARCHED) {
                    continue;
                }
                Optional<String> t = view.sourceText(p);
                if (t.isPresent()) {
                    for (String c : constants) {
                        if (!found.contains(c) && (t.get().contains(c) || t.get().contains(escaped(c)))) {
                            found.add(c);
                        }
                    }
                    if (found.size() == constants.size()) {
                        break;
                    }
                }
            }
            return found;
        }

        /**
         * A class the layout found in a file of another name that declares it as a top-level type
         * ({@code ThreadContainer.class} in {@code Threader.java}) while its own {@code SourceFile} attribute names a
         * different file: javac compiled it from that other file. Only ever narrows (the attribute may be absent, and
         * the publisher writes it); a class under its own file's name is not read for it.
         */
        private static Optional<Decision> otherSourceFile(String path, byte[] bytes, SourceView view) {
            Optional<String> sourcePath = view.alignment().sourcePath(path).filter(p -> p.endsWith(".java"));
            if (sourcePath.isEmpty()) {
                return Optional.empty();
            }
            String file = sourcePath.get().substring(sourcePath.get().lastIndexOf('/') + 1);
            String base = file.substring(0, file.length() - ".java".length());
            String simple = path.substring(path.lastIndexOf('/') + 1, path.length() - ".class".length());
            if (simple.equals(base) || simple.startsWith(base + "$")) {
                return Optional.empty();
            }
            Optional<String> claimed = CompiledClass.sourceFile(bytes);
            if (claimed.isEmpty() || claimed.get().equals(file)) {
                return Optional.empty();
            }
            return Optional.of(new Decision(FileStatus.MODIFIED, CLASS_OTHER_SOURCE_FILE, Set.of(RiskFlag.CODE),
                    Optional.of("the class says it was compiled from " + claimed.get() + ", not from " + file
                            + ", the file of its package that declares it")));
        }

        private static Decision moduleInfo(CompiledClass c, Optional<byte[]> source, SourceView view) {
            List<String> declarations = new ArrayList<>();
            source.ifPresent(b -> declarations.add(new String(b, StandardCharsets.UTF_8)));
            for (String p : view.tree().files().keySet()) {
                if (p.endsWith("module-info.java") && !TestSources.contains(p) && declarations.size() < 64) {
                    view.sourceText(p).ifPresent(declarations::add);
                }
            }
            declarations.addAll(ManifestRule.buildFiles(view));
            List<String> unexplained = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : c.provides().entrySet()) {
                for (String provider : e.getValue()) {
                    if (!declared(e.getKey(), provider, declarations, view)) {
                        unexplained.add(e.getKey() + " with " + provider);
                    }
                }
            }
            if (!unexplained.isEmpty()) {
                return new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM, NEW_SERVICE_PROVIDER,
                        Set.of(RiskFlag.AUTO_EXEC), Optional.of("module-info provides service providers the source "
                        + "does not declare: " + unexplained));
            }
            return Decision.of(FileStatus.GENERATED, source.isPresent() ? CLASS_FROM_SOURCE : GENERATED_MODULE_INFO);
        }

        private static final Pattern PROVIDES = Pattern.compile("\\bprovides\\s+([\\w.$]+)\\s+with\\s+([\\w.$,\\s]+);");

        /** Declared by a module declaration's text, a services file of the source, or {@code @AutoService}. */
        private static boolean declared(String service, String provider, List<String> declarations, SourceView view) {
            for (String text : declarations) {
                Matcher m = PROVIDES.matcher(text.replaceAll("//[^\\n]*|/\\*(?s:.*?)\\*/", " "));
                while (m.find()) {
                    if (sameName(m.group(1), service)) {
                        for (String p : m.group(2).split(",")) {
                            if (sameName(p.strip(), provider)) {
                                return true;
                            }
                        }
                    }
                }
            }
            String services = "META-INF/services/" + service;
            for (String p : view.tree().files().keySet()) {
                if ((p.equals(services) || p.endsWith("/" + services)) && !TestSources.contains(p)) {
                    Optional<String> text = view.sourceText(p);
                    if (text.isPresent() && ServicesRule.providers(text.get()).contains(provider)) {
                        return true;
                    }
                }
            }
            return ServicesRule.autoService(provider, service, view);
        }

        /** A name as written in a declaration (qualified, or simple with an import) against a binary name. */
        private static boolean sameName(String written, String binary) {
            String dotted = binary.replace('$', '.');
            return written.equals(binary) || written.equals(dotted)
                    || (!written.contains(".") && written.equals(dotted.substring(dotted.lastIndexOf('.') + 1)));
        }
    }

    /**
     * {@code Outer$Name.class} stands for its outer source only when that source declares what javac would compile
     * to that name: a member or local class ({@code class|interface|enum|record Name}, {@code $1Name}), or — for
     * {@code $1}, {@code $2}, ... — an anonymous class body, an enum constant body or a switch on an enum. Kotlin,
     * Groovy and Scala name more synthetic classes; there the name must at least appear in the source.
     */
    static final class NestedClassRule implements ContentRule {
        private static final Pattern TYPE = Pattern.compile("\\b(?:class|interface|enum|record)\\s+[A-Za-z_]");
        private static final Pattern ANONYMOUS = Pattern.compile(
                "new\\s+[\\w.$]+\\s*(?:<[^;{}]*>)?\\s*\\([^;{}]*\\)\\s*\\{|\\bswitch\\b|\\benum\\b");

        @Override
        public String id() {
            return CLASS_UNDECLARED;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (!name.endsWith(".class") || !name.contains("$") || source.isEmpty()) {
                return Optional.empty();
            }
            String text = new String(source.get(), StandardCharsets.UTF_8);
            Optional<String> sourcePath = view.alignment().sourcePath(path);
            boolean java = sourcePath.map(p -> p.endsWith(".java")).orElse(true);
            String simple = name.substring(0, name.length() - ".class".length());
            String outer = sourcePath.map(p -> p.substring(p.lastIndexOf('/') + 1)
                            .replaceFirst("\\.java\\.in$|\\.[^.]+$", ""))
                    .orElse("");
            // A top-level name may hold '$' itself ($Gson$Types.java): only what follows the source's name nests.
            String nested = !outer.isEmpty() && (simple.equals(outer) || simple.startsWith(outer + "$"))
                    ? simple.substring(outer.length()) : simple.substring(simple.indexOf('$'));
            if (nested.isEmpty()) {
                return Optional.of(Decision.of(FileStatus.GENERATED, CLASS_FROM_SOURCE));
            }
            String[] segments = ("x" + nested).split("\\$", -1);
            int last = segments.length - 1;
            for (int i = 1; i < segments.length; i++) {
                if (i == last && java && segments[i].matches("\\d+") && TYPE.matcher(text).results().count() > 1
                        && AccessTagClass.is(bytes, MavenLayout.stripVersions(path).replaceFirst("\\.class$", ""),
                                sourcePath.map(p -> p.substring(p.lastIndexOf('/') + 1)).orElse(""))) {
                    // The empty class javac adds to call a private nested constructor: no code, nothing but names.
                    return Optional.of(Decision.of(FileStatus.GENERATED, CLASS_ACCESS_TAG));
                }
                if (!declares(text, segments[i], java)) {
                    return Optional.of(new Decision(FileStatus.PHANTOM, CLASS_UNDECLARED, Set.of(RiskFlag.CODE),
                            Optional.of("the outer source declares no class that compiles to '" + segments[i] + "'")));
                }
            }
            return Optional.of(Decision.of(FileStatus.GENERATED, CLASS_FROM_SOURCE));
        }

        static boolean declares(String source, String segment, boolean java) {
            Matcher local = Pattern.compile("^(\\d+)([A-Za-z_][A-Za-z0-9_]*)?$").matcher(segment);
            if (local.matches()) {
                if (local.group(2) != null) {
                    return declaresType(source, local.group(2));
                }
                return java ? ANONYMOUS.matcher(source).find()
                        : source.contains("object") || source.contains("->") || source.contains("{");
            }
            if (!segment.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return false;
            }
            return java ? declaresType(source, segment) : Pattern.compile("\\b" + segment + "\\b").matcher(source).find()
                    || segment.equals("Companion") || segment.equals("WhenMappings") || segment.equals("DefaultImpls");
        }

        private static boolean declaresType(String source, String name) {
            return Pattern.compile("\\b(?:class|interface|enum|record|@interface|object)\\s+" + Pattern.quote(name) + "\\b")
                    .matcher(source).find();
        }
    }

    /**
     * An entry of a jar (not a sources jar) with no source, under the folder a plugin execution of a POM in the
     * repository writes into the classes directory ({@code ${project.build.outputDirectory}/P}, exec-maven-plugin's
     * arguments or antrun's {@code <java>} task; Maven 1: a maven.xml {@code <ant:java>} writing to
     * {@code ${maven.build.dest}/P}) while running a class whose source is in the repository (its
     * {@code <mainClass>} or {@code classname}). That is data the build computes from the sources (joda-time's
     * compiled time zones): BUILD_OUTPUT, scanned like all build output. Entries outside that folder, or a generator
     * that is not the project's own class, are not explained.
     */
    static final class GeneratorOutputRule implements ContentRule {
        /** A POM plugin, or an Ant {@code <java>} task (antrun in a POM, a Maven 1 maven.xml goal). */
        private static final Pattern BLOCK = Pattern.compile(
                "<plugin>(.*?)</plugin>|(<(?:ant:)?java\\s.*?</(?:ant:)?java>)", Pattern.DOTALL);
        private static final Pattern GENERATOR = Pattern.compile(
                "<mainClass>\\s*([\\w.$]+)\\s*</mainClass>|<(?:ant:)?java\\s[^>]*\\bclassname=\"([\\w.$]+)\"");
        /** The classes directory: Maven 2+ {@code project.build.outputDirectory}, Maven 1 {@code maven.build.dest}. */
        private static final Pattern OUTPUT = Pattern.compile("\\$\\{(?:(?:project|pom)\\.build\\.outputDirectory"
                + "|maven\\.build\\.dest)\\}/([A-Za-z0-9_][A-Za-z0-9_./-]*[A-Za-z0-9_])");
        /** Folder → generator class, per commit (a jar has hundreds of such entries; the POMs are read once). */
        private static final Map<String, Map<String, String>> BY_COMMIT = java.util.Collections.synchronizedMap(
                new java.util.LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Map<String, String>> e) {
                        return size() > 16;
                    }
                });

        @Override
        public String id() {
            return BUILD_GENERATOR_OUTPUT;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            if (artifact.kind() != dev.divergence.model.ArtifactKind.JAR || source.isPresent() || path.endsWith(".class")
                    || path.startsWith("META-INF/")) {
                return Optional.empty();
            }
            Map<String, String> outputs = BY_COMMIT.computeIfAbsent(view.tree().commit(), c -> outputs(view));
            for (Map.Entry<String, String> o : outputs.entrySet()) {
                if (path.startsWith(o.getKey() + "/")) {
                    Set<RiskFlag> flags = dev.divergence.archive.ContentSignals.buildOutputSignals(path, bytes);
                    return Optional.of(new Decision(FileStatus.BUILD_OUTPUT, BUILD_GENERATOR_OUTPUT, flags,
                            Optional.of("written into the classes directory by " + o.getValue()
                                    + ", run by the build (pom.xml): not verifiable without a rebuild")));
                }
            }
            return Optional.empty();
        }

        private static Map<String, String> outputs(SourceView view) {
            Map<String, String> out = new java.util.TreeMap<>();
            List<String> buildFiles = new ArrayList<>();
            for (String p : view.tree().files().keySet()) {
                String name = p.substring(p.lastIndexOf('/') + 1);
                if ((name.equals("pom.xml") || name.equals("maven.xml")) && buildFiles.size() < 200) {
                    view.sourceText(p).ifPresent(buildFiles::add);
                }
            }
            for (String file : buildFiles) {
                Matcher plugin = BLOCK.matcher(file.replaceAll("(?s)<!--.*?-->", ""));
                while (plugin.find()) {
                    String block = plugin.group(1) != null ? plugin.group(1) : plugin.group(2);
                    Matcher g = GENERATOR.matcher(block);
                    if (!g.find()) {
                        continue;
                    }
                    String generator = g.group(1) != null ? g.group(1) : g.group(2);
                    if (!projectClass(generator, view)) {
                        continue;
                    }
                    Matcher o = OUTPUT.matcher(block);
                    while (o.find()) {
                        if (!o.group(1).contains("..")) {
                            out.put(o.group(1), generator);
                        }
                    }
                }
            }
            return out;
        }

        /** The generator's source is a main (not test) source file of the repository. */
        private static boolean projectClass(String className, SourceView view) {
            String rel = "/" + className.replaceFirst("\\$.*$", "").replace('.', '/') + ".java";
            return view.tree().files().keySet().stream().anyMatch(p -> p.endsWith(rel) && !TestSources.contains(p));
        }
    }

    /**
     * Maven 1 projects built from {@code project.xml}; the POM published for them (by Maven 1's pom plugin, or by
     * Central's conversion of the Maven 1 repository) is generated from it, so it matches no committed file. It is
     * GENERATED only when it is exactly such a conversion in what a consumer's resolver reads: this release's
     * coordinates, those of the project.xml at the commit; no parent, repositories, profiles, dependency management
     * or build plugins beyond what the conversion writes (surefire, and the Maven 1 plugins project.xml lists as
     * {@code plugin} dependencies); and every dependency declared by the project.xml with the
     * same version (Maven 1 plugin dependencies are dropped by the conversion). A dependency from elsewhere is
     * HIGH_RISK, as for npm and wheels. Descriptive elements (developers, mailing lists, url) are not compared.
     */
    /** The published POM artifact's document element; empty for any other file or a POM that does not parse. */
    private static Optional<org.w3c.dom.Element> publishedPom(Artifact artifact, String path, byte[] bytes) {
        if (artifact.kind() != dev.divergence.model.ArtifactKind.POM || !path.equals("pom.xml")) {
            return Optional.empty();
        }
        try {
            return Optional.of(MavenRegistry.xml(bytes, path).getDocumentElement());
        } catch (dev.divergence.registry.RegistryException e) {
            return Optional.empty();
        }
    }

    static final class DeployDescriptorRule implements ContentRule {
        /** Descriptive elements a deploy-time POM may hold: none of them changes what consumers resolve. */
        private static final Set<String> DESCRIPTIVE = Set.of("modelVersion", "groupId", "artifactId", "version",
                "packaging", "name", "description", "url", "inceptionYear", "organization", "licenses", "developers",
                "contributors", "mailingLists", "scm", "issueManagement", "ciManagement");

        @Override
        public String id() {
            return POM_DEPLOY_DESCRIPTOR;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            Optional<org.w3c.dom.Element> parsed = publishedPom(artifact, path, bytes);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            // Gradle's maven-publish writes the POM of a Gradle build from the build files, whatever pom.xml the
            // repository also keeps (picocli's stale one); else a repository with a POM (or a Maven 1 project) has
            // it compared by the other rules
            Optional<GradleBuild> gradle = GradleBuild.publishing(view, version);
            if (gradle.isEmpty() && (source.isPresent() || view.tree().files().keySet().stream().anyMatch(p ->
                    p.equals("pom.xml") || p.endsWith("/pom.xml") || p.equals("project.xml") || p.endsWith("/project.xml")))) {
                return Optional.empty();
            }
            org.w3c.dom.Element pom = parsed.get();
            String name = artifact.filename();
            String expected = MavenRegistry.child(pom, "artifactId").orElse("") + "-" + version + ".pom";
            if (!pom.getNodeName().equals("project") || !MavenRegistry.child(pom, "modelVersion").orElse("").equals("4.0.0")
                    || !MavenRegistry.child(pom, "version").orElse("").equals(version) || !name.equals(expected)
                    || !"jar".equals(MavenRegistry.child(pom, "packaging").orElse("jar"))) {
                return Optional.empty();
            }
            for (org.w3c.dom.Node n = pom.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof org.w3c.dom.Element e) {
                    // <dependencies> of test scope only (Kobalt's POMs name testng) declares nothing consumers
                    // resolve, as an empty one; any other element may change resolution
                    boolean testOnly = e.getNodeName().equals("dependencies") && testScopeOnly(e);
                    boolean declared = e.getNodeName().equals("dependencies") && gradle.isPresent()
                            && gradle.get().declaresAll(e, MavenRegistry.child(pom, "groupId").orElse("").strip());
                    if (!DESCRIPTIVE.contains(e.getNodeName()) && !testOnly && !declared) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.of(new Decision(FileStatus.GENERATED, POM_DEPLOY_DESCRIPTOR, Set.of(), Optional.of(gradle
                    .map(g -> "written by Gradle's maven-publish (" + g.publishingFile() + "): every dependency it"
                            + " names is declared with that version in the build files")
                    .orElse("written at deploy: the repository has no POM, and this one declares nothing consumers"
                            + " resolve"))));
        }

        /** Element names a test-scoped dependency may have: coordinates, and nothing that reaches a consumer. */
        private static final Set<String> TEST_DEPENDENCY = Set.of("groupId", "artifactId", "version", "type",
                "classifier", "scope", "optional", "exclusions");

        /**
         * Whether every child of {@code <dependencies>} is a {@code <dependency>} of scope {@code test}, which Maven
         * never resolves for a consumer (test scope is not transitive), with coordinates only.
         */
        private static boolean testScopeOnly(org.w3c.dom.Element dependencies) {
            for (org.w3c.dom.Node n = dependencies.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof org.w3c.dom.Element d) {
                    if (!d.getNodeName().equals("dependency")
                            || !"test".equals(MavenRegistry.child(d, "scope").orElse("").strip())) {
                        return false;
                    }
                    for (org.w3c.dom.Node c = d.getFirstChild(); c != null; c = c.getNextSibling()) {
                        if (c instanceof org.w3c.dom.Element x && !TEST_DEPENDENCY.contains(x.getNodeName())) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }
    }

    static final class ProjectXmlPomRule implements ContentRule {
        private static final List<String> FORBIDDEN = List.of("parent", "repositories", "pluginRepositories", "profiles",
                "dependencyManagement", "modules");

        /** Where the declared dependencies' own POMs are read (their relocations); NONE reads nothing. */
        private final RepositoryPoms repository;

        ProjectXmlPomRule() {
            this(RepositoryPoms.NONE);
        }

        ProjectXmlPomRule(RepositoryPoms repository) {
            this.repository = repository;
        }

        @Override
        public String id() {
            return POM_FROM_PROJECT_XML;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            Optional<org.w3c.dom.Element> parsed = publishedPom(artifact, path, bytes);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            org.w3c.dom.Element pom = parsed.get();
            String group = MavenRegistry.child(pom, "groupId").orElse("");
            String id = MavenRegistry.child(pom, "artifactId").orElse("");
            if (!MavenRegistry.child(pom, "modelVersion").orElse("").equals("4.0.0")) {
                return Optional.empty();
            }
            Optional<org.w3c.dom.Element> project = projectXml(group, id, view);
            // The conversion copies project.xml's <currentVersion> as it stands: a release deployed from a project.xml
            // still saying 1.0-dev (commons-dbcp 1.0) has a POM saying 1.0-dev. Any other version is not from it.
            String declaredVersion = MavenRegistry.child(pom, "version").orElse("");
            if (project.isEmpty() || !(declaredVersion.equals(version)
                    || declaredVersion.equals(MavenRegistry.child(project.get(), "currentVersion").orElse(version)))) {
                return Optional.empty();
            }
            // project.xml names no parent, relocation, managed versions or dependency repositories (Maven 1 read those
            // from project.properties): whatever of these reaches consumers is not from the conversion.
            // A pom.xml beside the project.xml (commons-io 1.3.2 kept both) declares its own parent and repositories:
            // what it declares too is not from the conversion.
            Optional<org.w3c.dom.Element> sourcePom = source.flatMap(b -> {
                try {
                    return Optional.of(MavenRegistry.xml(b, path).getDocumentElement());
                } catch (dev.divergence.registry.RegistryException e) {
                    return Optional.empty();
                }
            });
            Optional<Decision> extra = consumerExtras(pom, source.isPresent(), sourcePom);
            if (extra.isPresent()) {
                return extra;
            }
            for (String f : FORBIDDEN) {
                if (MavenRegistry.childElement(pom, f).isPresent()) {
                    return Optional.empty();
                }
            }
            Optional<org.w3c.dom.Element> build = MavenRegistry.childElement(pom, "build");
            if (build.isPresent() && (MavenRegistry.childElement(build.get(), "extensions").isPresent()
                    || MavenRegistry.childElement(build.get(), "pluginManagement").isPresent()
                    || !convertedPlugins(build.get(), project.get()))) {
                return Optional.empty();
            }
            Map<String, List<String>> declared = relocated(dependencies(project.get(), true));
            List<String> unexplained = new ArrayList<>();
            Set<String> optional = optionalDependencies(pom);
            List<String> resolved = new ArrayList<>(); // unexplained ones a consumer's Maven resolves
            dependencies(pom, false).forEach((key, v) -> {
                // the same version; the scope the same or narrower (the conversion marks junit "test"): a test or
                // provided dependency is not passed on to consumers
                boolean same = declared.getOrDefault(key, List.of()).stream().anyMatch(d -> v.equals(d)
                        || (d.endsWith(":compile") && (v.endsWith(":test") || v.endsWith(":provided"))
                        && v.substring(0, v.lastIndexOf(':')).equals(d.substring(0, d.lastIndexOf(':')))));
                if (!same) {
                    unexplained.add(key + ":" + v);
                    // a dependency with neither groupId nor artifactId names no artifact: no consumer resolves it
                    if (!v.endsWith(":test") && !optional.contains(key) && !key.startsWith("::")) {
                        resolved.add(key);
                    }
                }
            });
            if (!unexplained.isEmpty()) {
                // A test or optional dependency is never resolved for a consumer (neither is transitive): a finding,
                // not a risk to them (commons-chain 1.0's POM on Central names javax.portlet's API, optional).
                boolean consumerVisible = !resolved.isEmpty();
                return Optional.of(new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                        POM_NEW_DEPENDENCY, consumerVisible ? Set.of(RiskFlag.NEW_DEPENDENCY) : Set.of(),
                        Optional.of("dependencies the project.xml does not declare: " + unexplained
                                + (consumerVisible ? "" : " (test scope or optional: not passed on to consumers)"))));
            }
            return Optional.of(new Decision(FileStatus.GENERATED, POM_FROM_PROJECT_XML, Set.of(),
                    Optional.of("generated from project.xml; coordinates and dependencies equal")));
        }

        private static Optional<Decision> consumerExtras(org.w3c.dom.Element pom, boolean sourceExists,
                                                        Optional<org.w3c.dom.Element> sourcePom) {
            List<String> redirect = redirects(pom);
            List<String> repositories = repositories(pom);
            sourcePom.ifPresent(sp -> {
                redirect.removeAll(redirects(sp));
                repositories.removeAll(repositories(sp));
            });
            FileStatus status = sourceExists ? FileStatus.MODIFIED : FileStatus.PHANTOM;
            if (!redirect.isEmpty()) {
                return Optional.of(new Decision(status, POM_NEW_DEPENDENCY, Set.of(RiskFlag.NEW_DEPENDENCY),
                        Optional.of("what the project.xml does not declare, resolved by consumers: " + redirect)));
            }
            return repositories.isEmpty() ? Optional.empty() : Optional.of(new Decision(status, POM_NEW_REPOSITORY,
                    Set.of(RiskFlag.NEW_DEPENDENCY), Optional.of("repositories the project.xml does not declare: "
                    + repositories)));
        }

        private static List<String> repositories(org.w3c.dom.Element pom) {
            return new ArrayList<>(ConsumerPom.of(pom).repositories.stream().filter(r -> r.releases() || r.snapshots())
                    .map(ConsumerPom.Repository::url).toList());
        }

        private static List<String> redirects(org.w3c.dom.Element pom) {
            ConsumerPom consumed = ConsumerPom.of(pom);
            List<String> redirect = new ArrayList<>();
            MavenRegistry.childElement(pom, "parent").ifPresent(p -> redirect.add("parent "
                    + MavenRegistry.child(p, "groupId").orElse("") + ":" + MavenRegistry.child(p, "artifactId").orElse("")
                    + ":" + MavenRegistry.child(p, "version").orElse("")));
            if (!DependencyReducedPom.descendants(pom, "relocation").isEmpty()) {
                redirect.add("a relocation");
            }
            consumed.dependencies.stream().filter(d -> d.managed() || !d.where().isEmpty())
                    .forEach(d -> redirect.add((d.managed() ? "managed " : "in " + d.where() + " ") + d.coordinates()));
            return redirect;
        }

        /**
         * A dependency's groupId and artifactId, read as Maven 1 did too: a legacy {@code <id>} names both when it has a
         * colon ({@code <id>mockobjects:mockobjects-core</id>}: Maven 1's {@code Dependency.setId}) or a plus
         * ({@code <id>ant+optional</id>}: group {@code ant}, artifact {@code ant-optional}), else it is the artifactId
         * and, without a {@code <groupId>}, the groupId as well.
         */
        static String[] maven1Coordinates(org.w3c.dom.Element d) {
            Optional<String> artifact = MavenRegistry.child(d, "artifactId");
            Optional<String> group = MavenRegistry.child(d, "groupId");
            String id = MavenRegistry.child(d, "id").orElse("");
            int colon = id.indexOf(':');
            if (artifact.isEmpty() && colon > 0) {
                return new String[] {group.orElse(id.substring(0, colon)), id.substring(colon + 1)};
            }
            // the older legacy form <id>ant+optional</id>: group ant, artifact ant-optional (commons-jxpath 1.1)
            int plus = id.indexOf('+');
            if (artifact.isEmpty() && plus > 0) {
                return new String[] {group.orElse(id.substring(0, plus)), id.replace('+', '-')};
            }
            String a = artifact.orElse(id);
            return new String[] {group.orElse(a), a};
        }

        /**
         * The conversion writes surefire (from project.xml's unitTest includes) and the Maven 1 plugins the project.xml
         * lists as {@code <type>plugin</type>} dependencies; any other plugin is not from project.xml.
         */
        private static boolean convertedPlugins(org.w3c.dom.Element build, org.w3c.dom.Element project) {
            Optional<org.w3c.dom.Element> plugins = MavenRegistry.childElement(build, "plugins");
            if (plugins.isEmpty()) {
                return true;
            }
            Set<String> maven1Plugins = new java.util.HashSet<>();
            MavenRegistry.childElement(project, "dependencies").ifPresent(deps -> {
                for (org.w3c.dom.Node n = deps.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof org.w3c.dom.Element d && MavenRegistry.child(d, "type").orElse("").equals("plugin")) {
                        maven1Plugins.add(String.join(":", maven1Coordinates(d)) + ":"
                                + MavenRegistry.child(d, "version").orElse(""));
                    }
                }
            });
            for (org.w3c.dom.Node n = plugins.get().getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof org.w3c.dom.Element p)) {
                    continue;
                }
                Optional<String> declaredGroup = MavenRegistry.child(p, "groupId");
                String group = declaredGroup.orElse("org.apache.maven.plugins");
                String id = MavenRegistry.child(p, "artifactId").orElse("");
                String version = MavenRegistry.child(p, "version").orElse("");
                // The Maven 1 conversion writes a plugin without its group (maven:maven-xdoc-plugin:1.9.2 becomes
                // <artifactId>maven-xdoc-plugin</artifactId>): the same artifactId and version, whatever the group.
                boolean converted = declaredGroup.isEmpty() && maven1Plugins.stream()
                        .map(m -> m.split(":", -1)).anyMatch(m -> m.length == 3 && m[1].equals(id) && m[2].equals(version));
                boolean surefire = group.equals("org.apache.maven.plugins")
                        && (id.equals("maven-surefire-plugin") || id.equals("surefire")) // "surefire": Maven 2 betas
                        && MavenRegistry.childElement(p, "dependencies").isEmpty()
                        && MavenRegistry.childElement(p, "executions").isEmpty();
                if (!surefire && !converted && !maven1Plugins.contains(group + ":" + id + ":" + version)) {
                    return false;
                }
            }
            return true;
        }

        /** The project.xml of this groupId/artifactId (Maven 1: {@code <id>} or {@code <artifactId>}), when any. */
        private static Optional<org.w3c.dom.Element> projectXml(String group, String id, SourceView view) {
            for (String p : view.tree().files().keySet()) {
                if (!(p.equals("project.xml") || p.endsWith("/project.xml")) || p.chars().filter(c -> c == '/').count() > 2) {
                    continue;
                }
                Optional<byte[]> b = view.sourceBytes(p);
                if (b.isEmpty()) {
                    continue;
                }
                try {
                    org.w3c.dom.Element e = MavenRegistry.xml(b.get(), p).getDocumentElement();
                    String pid = MavenRegistry.child(e, "artifactId").or(() -> MavenRegistry.child(e, "id")).orElse("");
                    String pgroup = MavenRegistry.child(e, "groupId").orElse(pid);
                    if (pid.equals(id) && pgroup.equals(group)) {
                        return Optional.of(e);
                    }
                } catch (dev.divergence.registry.RegistryException ignored) {
                    // not a project descriptor
                }
            }
            return Optional.empty();
        }

        /**
         * The declared dependencies as a consumer's Maven resolves them: one whose own POM in the repository declares a
         * {@code <distributionManagement><relocation>} stands for the artifact it relocates to (an element it leaves
         * out keeps the original's value), which is what the conversion wrote (Central's {@code jdbc:jdbc:2.0} POM
         * relocates to {@code javax.sql:jdbc-stdext:2.0}: commons-dbcp 1.2's POM names the latter). One hop, as
         * declared by the relocated POM itself; the original coordinates stay explained too.
         * See https://maven.apache.org/guides/mini/guide-relocation.html.
         */
        private Map<String, List<String>> relocated(Map<String, String> declared) {
            Map<String, List<String>> out = new java.util.TreeMap<>();
            declared.forEach((key, value) -> {
                String[] k = key.split(":", -1);
                String version = value.substring(0, value.lastIndexOf(':'));
                String scope = value.substring(value.lastIndexOf(':') + 1);
                Optional<org.w3c.dom.Element> relocation = k.length < 3 || version.isEmpty() ? Optional.empty()
                        : repository.pom(k[0], k[1], version).flatMap(b -> {
                            try {
                                org.w3c.dom.Element e = MavenRegistry.xml(b, "pom.xml").getDocumentElement();
                                return MavenRegistry.childElement(e, "distributionManagement")
                                        .flatMap(dm -> MavenRegistry.childElement(dm, "relocation"));
                            } catch (dev.divergence.registry.RegistryException unreadable) {
                                return Optional.empty();
                            }
                        });
                out.computeIfAbsent(key, x -> new ArrayList<>()).add(value); // a conversion may write either name
                if (relocation.isEmpty()) {
                    return;
                }
                org.w3c.dom.Element r = relocation.get();
                k[0] = MavenRegistry.child(r, "groupId").orElse(k[0]);
                k[1] = MavenRegistry.child(r, "artifactId").orElse(k[1]);
                // xml-apis:xml-apis:2.0.2 relocates to its own 1.0.b2: both versions stay explained
                out.computeIfAbsent(String.join(":", k), x -> new ArrayList<>())
                        .add(MavenRegistry.child(r, "version").orElse(version) + ":" + scope);
            });
            return out;
        }

        /** The groupId:artifactId:type[:classifier] keys of a POM's {@code <optional>true</optional>} dependencies. */
        private static Set<String> optionalDependencies(org.w3c.dom.Element pom) {
            Set<String> out = new java.util.HashSet<>();
            Optional<org.w3c.dom.Element> deps = MavenRegistry.childElement(pom, "dependencies");
            for (org.w3c.dom.Node n = deps.map(org.w3c.dom.Node::getFirstChild).orElse(null); n != null;
                 n = n.getNextSibling()) {
                if (n instanceof org.w3c.dom.Element d && d.getNodeName().equals("dependency")
                        && "true".equals(MavenRegistry.child(d, "optional").orElse("").strip())) {
                    String classifier = MavenRegistry.child(d, "classifier").orElse("");
                    out.add(MavenRegistry.child(d, "groupId").orElse("") + ":" + MavenRegistry.child(d, "artifactId")
                            .orElse("") + ":" + MavenRegistry.child(d, "type").orElse("jar")
                            + (classifier.isEmpty() ? "" : ":" + classifier));
                }
            }
            return out;
        }

        /** groupId:artifactId:type → version:scope; Maven 1 {@code <id>} and {@code <properties><scope>} read too. */
        private static Map<String, String> dependencies(org.w3c.dom.Element project, boolean maven1) {
            Map<String, String> out = new java.util.TreeMap<>();
            Optional<org.w3c.dom.Element> deps = MavenRegistry.childElement(project, "dependencies");
            if (deps.isEmpty()) {
                return out;
            }
            for (org.w3c.dom.Node n = deps.get().getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof org.w3c.dom.Element d) || !d.getNodeName().equals("dependency")) {
                    continue;
                }
                String type = MavenRegistry.child(d, "type").orElse("jar");
                if (maven1 && type.equals("plugin")) {
                    continue; // a Maven 1 plugin: not a dependency of the artifact
                }
                if (maven1 && type.equals("required")) {
                    type = "jar"; // Maven 1 betas' <type>required</type> (commons-jxpath 1.0): a jar the build needs
                }
                String[] coordinates = maven1Coordinates(d);
                String group = coordinates[0];
                String id = coordinates[1];
                String scope = MavenRegistry.child(d, "scope")
                        .or(() -> MavenRegistry.childElement(d, "properties").flatMap(p -> MavenRegistry.child(p, "scope")))
                        .orElse("compile");
                // a classifier (which project.xml cannot name) makes it another artifact
                String classifier = MavenRegistry.child(d, "classifier").orElse("");
                out.put(group + ":" + id + ":" + type + (classifier.isEmpty() ? "" : ":" + classifier),
                        MavenRegistry.child(d, "version").orElse("") + ":" + scope);
            }
            return out;
        }
    }

    /**
     * Maven 2.0.x wrote the POM it deployed from its model (MavenXpp3Writer): comments and the XML namespace dropped,
     * fields in the model's order, text trimmed. Such a POM is MATCH_NORMALIZED when it is the committed POM as a
     * model: every element has the same children with the same trimmed text, where the order of differently named
     * children is free (the POM schema's fields) but repeated children — dependencies, modules, repositories — keep
     * their order (dependency order decides resolution). Any added, removed or changed value is not explained.
     */
    /** See {@link #POM_DEPENDENCY_REDUCED}. */
    static final class DependencyReducedPom {
        private DependencyReducedPom() {
        }

        /** A note when {@code published} is {@code source}'s dependency-reduced POM. */
        static Optional<String> explain(org.w3c.dom.Element published, org.w3c.dom.Element source) {
            org.w3c.dom.Element shade = activeShadePlugin(source).orElse(null);
            if (shade == null || text(shade, "createDependencyReducedPom").equals("false")) {
                return Optional.empty();
            }
            Set<String> shaded = new java.util.TreeSet<>();
            for (org.w3c.dom.Element inc : descendants(shade, "include")) {
                if (inc.getParentNode() instanceof org.w3c.dom.Element p && SameModelPomRule.localName(p).equals("includes")
                        && p.getParentNode() instanceof org.w3c.dom.Element set
                        && SameModelPomRule.localName(set).equals("artifactSet")) {
                    shaded.add(inc.getTextContent().trim());
                }
            }
            org.w3c.dom.Element src = (org.w3c.dom.Element) source.cloneNode(true);
            org.w3c.dom.Element pub = (org.w3c.dom.Element) published.cloneNode(true);
            Set<String> kept = new java.util.HashSet<>();
            for (org.w3c.dom.Element d : dependencies(pub)) {
                kept.add(text(d, "groupId") + ":" + text(d, "artifactId"));
            }
            List<String> removed = new ArrayList<>();
            for (org.w3c.dom.Element d : dependencies(src)) {
                String ga = text(d, "groupId") + ":" + text(d, "artifactId");
                if (kept.contains(ga)) {
                    continue;
                }
                String scope = text(d, "scope");
                // without <includes>, the plugin shades every dependency of the runtime class path in
                boolean isShaded = shaded.contains(ga) || shaded.contains(text(d, "groupId") + ":*")
                        || (shaded.isEmpty() && (scope.isEmpty() || scope.equals("compile") || scope.equals("runtime")));
                if (!isShaded && !text(d, "scope").equals("test")) {
                    return Optional.empty(); // a runtime dependency gone for no reason the plugin gives
                }
                removed.add(ga + (isShaded ? " (shaded in)" : " (test scope)"));
                d.getParentNode().removeChild(d);
            }
            for (org.w3c.dom.Element root : List.of(src, pub)) {
                dropEmpty(root, "dependencies");
                dropDefaults(root);
            }
            return SameModelPomRule.sameModel(pub, src, false)
                    ? Optional.of("maven-shade-plugin's dependency-reduced POM of the source's; dependencies left out: "
                    + removed) : Optional.empty();
        }

        /**
         * What else a consumer resolves from a published POM that the source's does not say: another parent (its
         * dependencies are inherited) or a relocation (Maven follows it to another artifact).
         */
        static List<String> redirections(org.w3c.dom.Element published, org.w3c.dom.Element source) {
            List<String> out = new ArrayList<>();
            String pub = coordinates(SameModelPomRule.children(published).getOrDefault("parent", List.of()));
            String src = coordinates(SameModelPomRule.children(source).getOrDefault("parent", List.of()));
            // a parent dropped (objenesis 1.0's POM on Central, flattened by hand) redirects nothing: consumers then
            // inherit less, and whatever the POM now declares itself is compared as its own
            if (!pub.equals(src) && !pub.isEmpty() && parentVersionOnly(published, source).isEmpty()) {
                out.add("parent " + (pub.isEmpty() ? "(none)" : pub) + " (source: " + (src.isEmpty() ? "none" : src) + ")");
            }
            String relPub = coordinates(descendants(published, "relocation"));
            String relSrc = coordinates(descendants(source, "relocation"));
            if (!relPub.equals(relSrc)) {
                out.add("relocation " + relPub + " (source: " + (relSrc.isEmpty() ? "none" : relSrc) + ")");
            }
            return out;
        }

        /**
         * When the two POMs' parents differ in version only (same groupId and artifactId, one parent each): "X
         * (source: Y)". The project's own parent line at another version — what a release cut from a later commit
         * than the baseline shows, or the release plugin's {@code -SNAPSHOT} removal — is a version change like a
         * dependency's, not another artifact.
         */
        static Optional<String> parentVersionOnly(org.w3c.dom.Element published, org.w3c.dom.Element source) {
            List<org.w3c.dom.Element> a = SameModelPomRule.children(published).getOrDefault("parent", List.of());
            List<org.w3c.dom.Element> b = SameModelPomRule.children(source).getOrDefault("parent", List.of());
            if (a.size() != 1 || b.size() != 1 || !text(a.get(0), "groupId").equals(text(b.get(0), "groupId"))
                    || !text(a.get(0), "artifactId").equals(text(b.get(0), "artifactId"))
                    || text(a.get(0), "groupId").isEmpty() || text(a.get(0), "artifactId").isEmpty()
                    || text(a.get(0), "version").equals(text(b.get(0), "version"))) {
                return Optional.empty();
            }
            String pv = text(a.get(0), "version");
            String sv = text(b.get(0), "version");
            String base = sv.endsWith("-SNAPSHOT") ? sv.substring(0, sv.length() - "-SNAPSHOT".length()) : sv;
            // Only the forms a release of the same parent line takes: the source's X-SNAPSHOT released as X or as a
            // pre-release of X (X-rc1: the release plugin), or a later plain release of it (2.14.1-SNAPSHOT -> 2.15.0, commons-parent 104 -> 105:
            // a release cut from a later commit than the baseline). Anything else ("3-hotfix", an older parent, a
            // qualifier) is another parent: what it injects is not the source's.
            boolean released = pv.equals(base) || (sv.endsWith("-SNAPSHOT") && pv.startsWith(base + "-")
                    && pv.substring(base.length() + 1).matches("(?i)(alpha|beta|rc|cr|m|milestone)[.-]?\\d{1,4}"))
                    || (pv.matches("\\d{1,9}(\\.\\d{1,9}){0,4}") && !base.isEmpty()
                    && new org.apache.maven.artifact.versioning.ComparableVersion(pv)
                    .compareTo(new org.apache.maven.artifact.versioning.ComparableVersion(base)) >= 0);
            if (!released) {
                return Optional.empty();
            }
            return Optional.of(coordinates(a) + " (source: " + text(b.get(0), "version") + ")");
        }

        private static String coordinates(List<org.w3c.dom.Element> one) {
            return one.size() != 1 ? (one.isEmpty() ? "" : "several") : text(one.get(0), "groupId") + ":"
                    + text(one.get(0), "artifactId") + ":" + text(one.get(0), "version");
        }

        /** maven-shade-plugin in the project's {@code <build><plugins>}: the one the build runs. */
        static Optional<org.w3c.dom.Element> activeShadePlugin(org.w3c.dom.Element project) {
            for (org.w3c.dom.Element build : SameModelPomRule.children(project).getOrDefault("build", List.of())) {
                for (org.w3c.dom.Element plugins : SameModelPomRule.children(build).getOrDefault("plugins", List.of())) {
                    for (org.w3c.dom.Element p : SameModelPomRule.children(plugins).getOrDefault("plugin", List.of())) {
                        if (text(p, "artifactId").equals("maven-shade-plugin")) {
                            return Optional.of(p);
                        }
                    }
                }
            }
            return Optional.empty();
        }

        /** The project's own {@code <dependencies>/<dependency>} (not dependencyManagement's, not a plugin's). */
        private static List<org.w3c.dom.Element> dependencies(org.w3c.dom.Element project) {
            List<org.w3c.dom.Element> out = new ArrayList<>();
            for (org.w3c.dom.Element deps : SameModelPomRule.children(project).getOrDefault("dependencies", List.of())) {
                out.addAll(SameModelPomRule.children(deps).getOrDefault("dependency", List.of()));
            }
            return out;
        }

        private static void dropEmpty(org.w3c.dom.Element project, String name) {
            for (org.w3c.dom.Element e : SameModelPomRule.children(project).getOrDefault(name, List.of())) {
                if (SameModelPomRule.children(e).isEmpty() && e.getTextContent().trim().isEmpty()) {
                    project.removeChild(e);
                }
            }
        }

        /** Values Maven's writer leaves out because they are the defaults, and the parent's relativePath. */
        private static void dropDefaults(org.w3c.dom.Element project) {
            for (org.w3c.dom.Element p : SameModelPomRule.children(project).getOrDefault("packaging", List.of())) {
                if (p.getTextContent().trim().equals("jar")) {
                    project.removeChild(p);
                }
            }
            for (org.w3c.dom.Element parent : SameModelPomRule.children(project).getOrDefault("parent", List.of())) {
                for (org.w3c.dom.Element r : SameModelPomRule.children(parent).getOrDefault("relativePath", List.of())) {
                    parent.removeChild(r); // where a build finds the parent on disk: consumers resolve it by coordinates
                }
            }
            for (org.w3c.dom.Element e : descendants(project, "enabled")) {
                if (e.getParentNode() instanceof org.w3c.dom.Element p
                        && Set.of("releases", "snapshots").contains(SameModelPomRule.localName(p))
                        && e.getTextContent().trim().equals("true")) {
                    p.removeChild(e);
                }
            }
        }

        static List<org.w3c.dom.Element> descendants(org.w3c.dom.Element root, String name) {
            List<org.w3c.dom.Element> out = new ArrayList<>();
            org.w3c.dom.NodeList all = root.getElementsByTagName("*");
            for (int i = 0; i < all.getLength(); i++) {
                org.w3c.dom.Element e = (org.w3c.dom.Element) all.item(i);
                if (SameModelPomRule.localName(e).equals(name)) {
                    out.add(e);
                }
            }
            return out;
        }

        static String text(org.w3c.dom.Element e, String child) {
            List<org.w3c.dom.Element> c = SameModelPomRule.children(e).getOrDefault(child, List.of());
            return c.size() == 1 ? c.get(0).getTextContent().trim() : "";
        }
    }

    /**
     * What Maven 2.0.x's install/deploy wrote for a POM whose versions were expressions (slf4j 1.2–1.4): the model
     * re-serialised by its writer, with {@code ${project.version}}/{@code ${parent.version}} (and their {@code pom.}
     * and unprefixed spellings) filled in wherever they occur — no other expression ({@code ${pv4osgi}},
     * {@code ${project.description}} stay as written) — the default {@code <packaging>jar</packaging>} and empty
     * lists ({@code <dependencies/>}) left out, as the writer writes no default and no empty list. Applied to both
     * sides, so only a difference the model holds is left.
     */
    static final class Maven2Deploy {
        /** Model lists (the writer skips an empty one); not {@code <configuration>} content nor properties. */
        private static final Set<String> LISTS = Set.of("dependencies", "modules", "repositories",
                "pluginRepositories", "plugins", "executions", "goals", "resources", "testResources", "extensions",
                "exclusions", "profiles", "developers", "contributors", "licenses", "mailingLists", "reportSets",
                "reports", "filters", "includes", "excludes", "roles", "otherArchives", "properties");

        private Maven2Deploy() {
        }

        static org.w3c.dom.Element written(org.w3c.dom.Element project) {
            org.w3c.dom.Element copy = (org.w3c.dom.Element) project.cloneNode(true);
            Map<String, List<org.w3c.dom.Element>> top = SameModelPomRule.children(copy);
            String parentVersion = top.getOrDefault("parent", List.of()).stream().findFirst()
                    .map(p -> DependencyReducedPom.text(p, "version")).orElse("");
            String own = DependencyReducedPom.text(copy, "version");
            Map<String, String> values = new HashMap<>();
            if (!parentVersion.isEmpty() && !parentVersion.contains("${")) {
                for (String prefix : List.of("project.", "pom.", "")) {
                    values.put("${" + prefix + "parent.version}", parentVersion);
                }
            }
            String version = own.isEmpty() ? parentVersion : values.getOrDefault(own, own);
            if (!version.isEmpty() && !version.contains("${")) {
                for (String prefix : List.of("project.", "pom.", "")) {
                    values.put("${" + prefix + "version}", version);
                }
            }
            fill(copy, values);
            for (org.w3c.dom.Element p : top.getOrDefault("packaging", List.of())) {
                if (p.getTextContent().trim().equals("jar")) {
                    copy.removeChild(p);
                }
            }
            dropEmptyLists(copy);
            return copy;
        }

        /**
         * Maven 2.0's interpolator filled the expressions in the model's whole XML text, so in attribute values too
         * (fileupload 1.2's antrun {@code <unzip src=".../${project.artifactId}-${project.version}-sources.jar">}).
         */
        private static void fill(org.w3c.dom.Node node, Map<String, String> values) {
            if (node instanceof org.w3c.dom.Element e) {
                org.w3c.dom.NamedNodeMap attributes = e.getAttributes();
                for (int i = 0; i < attributes.getLength(); i++) {
                    org.w3c.dom.Node a = attributes.item(i);
                    a.setNodeValue(filled(a.getNodeValue(), values));
                }
            }
            for (org.w3c.dom.Node n = node.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n.getNodeType() == org.w3c.dom.Node.TEXT_NODE || n.getNodeType() == org.w3c.dom.Node.CDATA_SECTION_NODE) {
                    n.setNodeValue(filled(n.getNodeValue(), values));
                } else if (n instanceof org.w3c.dom.Element) {
                    fill(n, values);
                }
            }
        }

        private static String filled(String text, Map<String, String> values) {
            for (Map.Entry<String, String> v : values.entrySet()) {
                text = text.replace(v.getKey(), v.getValue());
            }
            return text;
        }

        private static void dropEmptyLists(org.w3c.dom.Element e) {
            if (Set.of("configuration", "properties").contains(SameModelPomRule.localName(e))) {
                return; // a plugin's own XML, or property names: an empty element there is a value
            }
            for (org.w3c.dom.Element c : SameModelPomRule.elements(e)) {
                if (LISTS.contains(SameModelPomRule.localName(c)) && SameModelPomRule.elements(c).isEmpty()
                        && c.getTextContent().trim().isEmpty()) {
                    e.removeChild(c);
                } else {
                    dropEmptyLists(c);
                }
            }
        }
    }

    static final class SameModelPomRule implements ContentRule {
        @Override
        public String id() {
            return POM_SAME_MODEL;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            boolean pom = (artifact.kind() == dev.divergence.model.ArtifactKind.POM && path.equals("pom.xml"))
                    || (path.startsWith("META-INF/maven/") && path.endsWith("/pom.xml"));
            if (!pom || source.isEmpty()) {
                return Optional.empty();
            }
            try {
                org.w3c.dom.Element a = MavenRegistry.xml(bytes, path).getDocumentElement();
                org.w3c.dom.Element b = MavenRegistry.xml(source.get(), path).getDocumentElement();
                if (sameModel(a, b, false)) {
                    return Optional.of(Decision.of(FileStatus.MATCH_NORMALIZED, POM_SAME_MODEL));
                }
                if (sameModel(Maven2Deploy.written(a), Maven2Deploy.written(b), false)) {
                    return Optional.of(new Decision(FileStatus.MATCH_NORMALIZED, POM_SAME_MODEL, Set.of(), Optional.of(
                            "the same model as Maven 2.0's deploy writes it: version expressions filled in, "
                                    + "default packaging and empty lists left out")));
                }
                Optional<String> reduced = DependencyReducedPom.explain(a, b);
                if (reduced.isPresent()) {
                    return Optional.of(new Decision(FileStatus.MATCH_NORMALIZED, POM_DEPENDENCY_REDUCED, Set.of(),
                            Optional.of(reduced.get())));
                }
                // Not explained: a dependency consumers resolve that the source never declares is HIGH_RISK.
                List<String> redirected = DependencyReducedPom.redirections(a, b);
                if (!redirected.isEmpty()) {
                    return Optional.of(new Decision(FileStatus.MODIFIED, POM_NEW_DEPENDENCY,
                            Set.of(RiskFlag.NEW_DEPENDENCY), Optional.of("consumers resolve another artifact: "
                            + String.join("; ", redirected))));
                }
                // What a consumer's Maven resolves differently: a dependency it did not resolve, another version, a
                // dropped exclusion, another repository (values interpolated from each POM's own properties).
                ConsumerPom consumed = ConsumerPom.of(a);
                List<ConsumerPom.Change> changes = ConsumerPom.changes(consumed, ConsumerPom.released(b, consumed.version));
                if (changes.isEmpty()) {
                    // Divergent and named, never explained: which parent release consumers inherit from changed. Named
                    // so only when nothing else differs (the project's own version aside): a changed plugin or
                    // description beside it stays the unexplained difference it is.
                    Optional<String> parentVersion = DependencyReducedPom.parentVersionOnly(a, b).filter(pv -> sameBut(a, b));
                    if (parentVersion.isEmpty()) {
                        return Optional.empty();
                    }
                    // A parent's <dependencies> and <repositories> are inherited by consumers: a release of an outside
                    // parent that no commit of this POM ever declared brings what the source never asked for.
                    boolean declared = parentDeclared(a, path, view);
                    return Optional.of(new Decision(FileStatus.MODIFIED, POM_PARENT_VERSION,
                            declared ? Set.of() : Set.of(RiskFlag.NEW_DEPENDENCY),
                            Optional.of("parent at another version: " + parentVersion.get() + (declared ? ""
                                    : "; no commit of this POM declares that parent, a POM outside the repository "
                                    + "whose dependencies and repositories consumers inherit"))));
                }
                // Declared so by this POM at an earlier commit of the release line: a release cut from another
                // working tree, divergent and named, not something the project never asked consumers to resolve.
                Set<String> past = new java.util.HashSet<>();
                view.alignment().sourcePath(path).ifPresent(sp -> {
                    for (byte[] old : view.historyBytes(sp)) {
                        try {
                            past.addAll(ConsumerPom.of(MavenRegistry.xml(old, sp).getDocumentElement()).facts());
                        } catch (dev.divergence.registry.RegistryException e) {
                            // a past version that is no XML declares nothing
                        }
                    }
                });
                List<ConsumerPom.Change> fresh = changes.stream().filter(c -> !past.contains(c.fact())).toList();
                if (fresh.isEmpty()) {
                    return Optional.of(new Decision(FileStatus.MODIFIED, POM_DEPENDENCY_FROM_HISTORY, Set.of(),
                            Optional.of("what consumers resolve differs from this commit's POM as an earlier commit of "
                                    + "the same POM declared it: " + changes.stream().map(ConsumerPom.Change::text).toList())));
                }
                return Optional.of(new Decision(FileStatus.MODIFIED, fresh.get(0).rule(), Set.of(RiskFlag.NEW_DEPENDENCY),
                        Optional.of(describe(fresh))));
            } catch (dev.divergence.registry.RegistryException e) {
                return Optional.empty();
            }
        }

        /** "dependencies the source's POM does not declare: [...]; another version: [...]; ..." by rule. */
        private static String describe(List<ConsumerPom.Change> changes) {
            Map<String, List<String>> byRule = new java.util.LinkedHashMap<>();
            for (ConsumerPom.Change c : changes) {
                byRule.computeIfAbsent(c.rule(), k -> new ArrayList<>()).add(c.text());
            }
            List<String> parts = new ArrayList<>();
            byRule.forEach((rule, texts) -> parts.add(switch (rule) {
                case POM_NEW_DEPENDENCY -> "dependencies the source's POM does not declare: " + texts;
                case POM_DEPENDENCY_VERSION -> "dependency versions the source's POM does not declare: " + texts;
                case POM_EXCLUSION_REMOVED -> "exclusions dropped: " + texts;
                default -> "repositories the source's POM does not declare: " + texts;
            }));
            return String.join("; ", parts);
        }

        /** The same model once the source's parent version and own version are the published POM's. */
        /**
         * The published POM's parent is one the project declares: a POM of the tree (a reactor parent, versioned with
         * the project and read from the repository) or, at that very version, this POM at some commit of the
         * repository's trusted history.
         */
        private static boolean parentDeclared(org.w3c.dom.Element published, String path, SourceView view) {
            List<org.w3c.dom.Element> parent = children(published).getOrDefault("parent", List.of());
            if (parent.size() != 1) {
                return false;
            }
            String group = DependencyReducedPom.text(parent.get(0), "groupId");
            String artifact = DependencyReducedPom.text(parent.get(0), "artifactId");
            String version = DependencyReducedPom.text(parent.get(0), "version");
            for (String pom : poms(view).keySet()) {
                Optional<org.w3c.dom.Element> own = view.sourceBytes(pom).flatMap(bytes -> element(bytes, pom));
                if (own.isPresent() && artifact.equals(DependencyReducedPom.text(own.get(), "artifactId"))
                        && group.equals(groupOf(own.get()))) {
                    return true;
                }
            }
            Optional<String> sourcePath = view.alignment().sourcePath(path);
            for (byte[] old : sourcePath.map(view::historyBytes).orElse(List.of())) {
                Optional<org.w3c.dom.Element> past = element(old, sourcePath.get());
                List<org.w3c.dom.Element> p = past.map(e -> children(e).getOrDefault("parent", List.of())).orElse(List.of());
                if (p.size() == 1 && group.equals(DependencyReducedPom.text(p.get(0), "groupId"))
                        && artifact.equals(DependencyReducedPom.text(p.get(0), "artifactId"))
                        && version.equals(DependencyReducedPom.text(p.get(0), "version"))) {
                    return true;
                }
            }
            return false;
        }

        /** A POM's groupId: its own, else its parent's (Maven's inheritance). */
        private static String groupOf(org.w3c.dom.Element pom) {
            String own = DependencyReducedPom.text(pom, "groupId");
            List<org.w3c.dom.Element> parent = children(pom).getOrDefault("parent", List.of());
            return !own.isEmpty() || parent.size() != 1 ? own : DependencyReducedPom.text(parent.get(0), "groupId");
        }

        private static Optional<org.w3c.dom.Element> element(byte[] bytes, String path) {
            try {
                return Optional.of(MavenRegistry.xml(bytes, path).getDocumentElement());
            } catch (dev.divergence.registry.RegistryException e) {
                return Optional.empty(); // no XML: declares nothing
            }
        }

        private static boolean sameBut(org.w3c.dom.Element published, org.w3c.dom.Element source) {
            org.w3c.dom.Element copy = (org.w3c.dom.Element) source.cloneNode(true);
            for (String[] at : new String[][] {{"parent", "version"}, {null, "version"}}) {
                org.w3c.dom.Element pubHolder = at[0] == null ? published
                        : children(published).getOrDefault(at[0], List.of()).stream().findFirst().orElse(null);
                org.w3c.dom.Element srcHolder = at[0] == null ? copy
                        : children(copy).getOrDefault(at[0], List.of()).stream().findFirst().orElse(null);
                if (pubHolder == null || srcHolder == null) {
                    continue;
                }
                List<org.w3c.dom.Element> pv = children(pubHolder).getOrDefault(at[1], List.of());
                List<org.w3c.dom.Element> sv = children(srcHolder).getOrDefault(at[1], List.of());
                if (pv.size() == 1 && sv.size() == 1) {
                    sv.get(0).setTextContent(pv.get(0).getTextContent());
                }
            }
            return sameModel(published, copy, false);
        }

        /** What deploy tools write into the published POM (POM reference: "must not be set in your project"). */
        private static final Set<String> STATUS = Set.of("none", "converted", "partner", "deployed", "verified");

        /**
         * @param ordered inside a plugin's {@code <configuration>} (an Ant target's tasks run in order): every child in
         *     the same order
         */
        static boolean sameModel(org.w3c.dom.Element a, org.w3c.dom.Element b, boolean ordered) {
            if (!localName(a).equals(localName(b)) || !attributes(a).equals(attributes(b))) {
                return false; // combine.children="append" and the like change the model
            }
            boolean inConfiguration = ordered || localName(a).equals("configuration");
            if (inConfiguration) {
                List<org.w3c.dom.Element> x = elements(a);
                List<org.w3c.dom.Element> y = elements(b);
                if (x.size() != y.size() || (x.isEmpty() && !a.getTextContent().trim().equals(b.getTextContent().trim()))) {
                    return false;
                }
                for (int i = 0; i < x.size(); i++) {
                    if (!sameModel(x.get(i), y.get(i), true)) {
                        return false;
                    }
                }
                return x.isEmpty() || (ownText(a).isEmpty() && ownText(b).isEmpty());
            }
            Map<String, List<org.w3c.dom.Element>> ca = children(a);
            Map<String, List<org.w3c.dom.Element>> cb = children(b);
            if (localName(a).equals("distributionManagement")) {
                // the deploying tool's <status> exists only in the published POM
                dropStatus(ca);
                dropStatus(cb);
            }
            if (localName(a).equals("project")) {
                dropStatusOnly(ca);
                dropStatusOnly(cb);
            }
            if (localName(a).equals("plugin")) {
                // Maven's writer leaves out the default plugin groupId
                defaultGroup(ca, cb);
                defaultGroup(cb, ca);
            }
            if (ca.isEmpty() && cb.isEmpty()) {
                return a.getTextContent().trim().equals(b.getTextContent().trim());
            }
            if (!ca.keySet().equals(cb.keySet()) || !ownText(a).isEmpty() || !ownText(b).isEmpty()) {
                return false;
            }
            for (Map.Entry<String, List<org.w3c.dom.Element>> e : ca.entrySet()) {
                List<org.w3c.dom.Element> x = e.getValue();
                List<org.w3c.dom.Element> y = cb.get(e.getKey());
                if (x.size() != y.size()) {
                    return false;
                }
                for (int i = 0; i < x.size(); i++) {
                    if (!sameModel(x.get(i), y.get(i), false)) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** A {@code <distributionManagement>} holding nothing but the deploying tool's status. */
        private static void dropStatusOnly(Map<String, List<org.w3c.dom.Element>> children) {
            List<org.w3c.dom.Element> dm = children.get("distributionManagement");
            if (dm != null && dm.size() == 1) {
                Map<String, List<org.w3c.dom.Element>> inner = children(dm.get(0));
                dropStatus(inner);
                if (inner.isEmpty() && ownText(dm.get(0)).isEmpty()) {
                    children.remove("distributionManagement");
                }
            }
        }

        private static void dropStatus(Map<String, List<org.w3c.dom.Element>> children) {
            List<org.w3c.dom.Element> st = children.get("status");
            if (st != null && st.size() == 1 && STATUS.contains(st.get(0).getTextContent().trim())) {
                children.remove("status");
            }
        }

        private static void defaultGroup(Map<String, List<org.w3c.dom.Element>> one, Map<String, List<org.w3c.dom.Element>> other) {
            List<org.w3c.dom.Element> g = one.get("groupId");
            if (g != null && g.size() == 1 && g.get(0).getTextContent().trim().equals("org.apache.maven.plugins")
                    && !other.containsKey("groupId")) {
                one.remove("groupId");
            }
        }

        static List<org.w3c.dom.Element> elements(org.w3c.dom.Element e) {
            List<org.w3c.dom.Element> out = new ArrayList<>();
            for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof org.w3c.dom.Element c) {
                    out.add(c);
                }
            }
            return out;
        }

        /** Attributes but the namespace declarations and xsi:schemaLocation, which Maven's writer drops. */
        private static Map<String, String> attributes(org.w3c.dom.Element e) {
            Map<String, String> out = new java.util.TreeMap<>();
            org.w3c.dom.NamedNodeMap m = e.getAttributes();
            for (int i = 0; i < m.getLength(); i++) {
                String n = m.item(i).getNodeName();
                if (!n.equals("xmlns") && !n.startsWith("xmlns:") && !n.startsWith("xsi:")) {
                    out.put(n, m.item(i).getNodeValue());
                }
            }
            return out;
        }

        static String localName(org.w3c.dom.Element e) {
            String n = e.getNodeName();
            return n.substring(n.indexOf(':') + 1);
        }

        static Map<String, List<org.w3c.dom.Element>> children(org.w3c.dom.Element e) {
            Map<String, List<org.w3c.dom.Element>> out = new java.util.TreeMap<>();
            for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof org.w3c.dom.Element c) {
                    out.computeIfAbsent(localName(c), k -> new ArrayList<>()).add(c);
                }
            }
            return out;
        }

        /** Text directly inside an element that also has child elements (mixed content): must be blank. */
        private static String ownText(org.w3c.dom.Element e) {
            StringBuilder sb = new StringBuilder();
            for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n.getNodeType() == org.w3c.dom.Node.TEXT_NODE || n.getNodeType() == org.w3c.dom.Node.CDATA_SECTION_NODE) {
                    sb.append(n.getNodeValue());
                }
            }
            return sb.toString().trim();
        }
    }
}
