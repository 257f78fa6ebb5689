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

    public static final String MANIFEST = "maven.manifest";
    public static final String POM_PROPERTIES = "maven.pom-properties";
    public static final String REMOTE_RESOURCES = "maven.remote-resources";
    public static final String CLASS_FROM_SOURCE = "maven.class-compiled-from-source";
    public static final String CLASS_WITHOUT_SOURCE = "maven.class-without-source";
    public static final String GENERATED_MODULE_INFO = "maven.generated-module-info";
    /** A nested class ({@code Foo$Bar.class}) whose outer source declares nothing that compiles to that name. */
    public static final String CLASS_UNDECLARED = "maven.class-undeclared-in-source";
    /** A manifest naming an agent, main class or class path the build configuration does not: HIGH_RISK. */
    public static final String MANIFEST_EXECUTION = "maven.manifest.execution-entry";
    /** A service provider the source neither lists nor generates (@AutoService): HIGH_RISK. */
    public static final String NEW_SERVICE_PROVIDER = "maven.services.new-provider";
    public static final String SERVICES_AUTO_SERVICE = "maven.services.auto-service";
    /** The same providers as the source's file, spelled differently (order, comments, line endings). */
    public static final String SERVICES_SAME_PROVIDERS = "maven.services.same-providers";

    /**
     * Manifest attributes that make the JVM run code: agents (https://docs.oracle.com/en/java/javase/17/docs/api/
     * java.instrument/java/lang/instrument/package-summary.html), the launcher's main class, extra class path.
     */
    static final List<String> EXECUTION_ATTRIBUTES = List.of("Premain-Class", "Agent-Class", "Launcher-Agent-Class",
            "Main-Class", "Class-Path");

    /** Rule ids that explain a compiled class by its name only: only a rebuild can verify its bytes. */
    public static final Set<String> BY_NAME_ONLY = Set.of(CLASS_FROM_SOURCE, GENERATED_MODULE_INFO);

    @Override
    public Optional<String> pathRule(Artifact artifact, String path) {
        if (path.equals("META-INF/INDEX.LIST")) {
            return Optional.of(MANIFEST);
        }
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
        if (sourceExists) {
            // A nested class is checked against what its outer source declares (content rule below).
            return path.substring(path.lastIndexOf('/') + 1).contains("$") ? Optional.empty()
                    : Optional.of(Decision.of(FileStatus.GENERATED, CLASS_FROM_SOURCE));
        }
        if (path.endsWith("module-info.class")) {
            // Written by moditect or bnd from the build configuration: declarations, no code.
            return Optional.of(Decision.of(FileStatus.GENERATED, GENERATED_MODULE_INFO));
        }
        return Optional.of(new Decision(FileStatus.PHANTOM, CLASS_WITHOUT_SOURCE, Set.of(RiskFlag.CODE),
                Optional.of("compiled class with no source file in the module")));
    }

    /** The manifest and service files run code without being named; they are checked by content. */
    @Override
    public ExecutionRelevance executionRelevance(Artifact artifact, SourceView view) {
        return path -> path.startsWith("META-INF/services/") && !path.substring(18).contains("/")
                ? Optional.of("service provider loaded by ServiceLoader") : Optional.empty();
    }

    @Override
    public List<ContentRule> contentRules() {
        return List.of(new ManifestRule(), new ServicesRule(), new NestedClassRule());
    }

    /**
     * {@code META-INF/MANIFEST.MF} is written by the jar plugin (Built-By, Build-Jdk-Spec, ...): generated, except
     * that an agent, main class or class path must be one the build configuration names (a {@code pom.xml} or
     * Gradle build file of the repository, or the source's own manifest). Anything else is HIGH_RISK.
     */
    static final class ManifestRule implements ContentRule {
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
            List<String> unexplained = new ArrayList<>();
            for (String key : EXECUTION_ATTRIBUTES) {
                String value = attributes.get(key);
                if (value == null || value.equals(declared.get(key))) {
                    continue;
                }
                if (buildFiles == null) {
                    buildFiles = buildFiles(view);
                }
                if (!namedByBuild(key, value, buildFiles)) {
                    unexplained.add(key + ": " + value);
                }
            }
            if (unexplained.isEmpty()) {
                return Optional.of(Decision.of(FileStatus.GENERATED, MANIFEST));
            }
            return Optional.of(new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                    MANIFEST_EXECUTION, Set.of(RiskFlag.AUTO_EXEC),
                    Optional.of("manifest entries no build file declares: " + unexplained)));
        }

        /**
         * The value must be given for this very attribute: Maven's {@code <KEY>value</KEY>} (manifestEntries) or, for
         * Main-Class, {@code <mainClass>}; Gradle's {@code 'KEY': 'value'} or {@code mainClass = 'value'}. A class
         * named as the main class does not explain the same class as an agent. Class-Path needs addClasspath.
         */
        private static boolean namedByBuild(String key, String value, List<String> buildFiles) {
            if (key.equals("Class-Path")) {
                return buildFiles.stream().anyMatch(b -> b.contains("<addClasspath>true</addClasspath>")
                        || b.contains("<Class-Path>" + value + "</Class-Path>"));
            }
            String v = Pattern.quote(value);
            String k = Pattern.quote(key);
            String forms = "<" + k + ">\\s*" + v + "\\s*</" + k + ">|[\"']" + k + "[\"']\\s*[:=,]\\s*[\"']" + v + "[\"']";
            if (key.equals("Main-Class")) {
                forms += "|<mainClass>\\s*" + v + "\\s*</mainClass>|\\bmainClass\\s*(?:=|\\.set\\()\\s*[\"']" + v + "[\"']";
            }
            Pattern named = Pattern.compile(forms);
            return buildFiles.stream().anyMatch(b -> named.matcher(b).find());
        }

        /** The repository's pom.xml and Gradle build files (at most 200). */
        private static List<String> buildFiles(SourceView view) {
            List<String> out = new ArrayList<>();
            for (String p : view.tree().files().keySet()) {
                String name = p.substring(p.lastIndexOf('/') + 1);
                if ((name.equals("pom.xml") || name.equals("build.gradle") || name.equals("build.gradle.kts"))
                        && out.size() < 200) {
                    view.sourceText(p).ifPresent(out::add);
                }
            }
            return out;
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

        private static Set<String> providers(String text) {
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
        private static boolean autoService(String provider, String service, SourceView view) {
            String rel = provider.replaceFirst("\\$.*$", "").replace('.', '/') + ".java";
            String simple = provider.substring(Math.max(provider.lastIndexOf('.'), provider.lastIndexOf('$')) + 1);
            String serviceSimple = service.substring(service.lastIndexOf('.') + 1);
            Pattern annotated = Pattern.compile("@(?:com\\.google\\.auto\\.service\\.)?AutoService\\s*\\([^)]*\\b"
                    + Pattern.quote(serviceSimple) + "\\.class[^)]*\\)\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*"
                    + "(?:(?:public|protected|private|final|static|abstract)\\s+)*class\\s+" + Pattern.quote(simple) + "\\b");
            for (String p : view.tree().files().keySet()) {
                if ((p.equals(rel) || p.endsWith("/" + rel)) && !p.contains("/test/")) {
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
     * {@code Outer$Name.class} stands for its outer source only when that source declares what javac would compile
     * to that name: a member or local class ({@code class|interface|enum|record Name}, {@code $1Name}), or — for
     * {@code $1}, {@code $2}, ... — an anonymous class body, an enum constant body or a switch on an enum. Kotlin,
     * Groovy and Scala name more synthetic classes; there the name must at least appear in the source.
     */
    static final class NestedClassRule implements ContentRule {
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
            boolean java = view.alignment().sourcePath(path).map(p -> p.endsWith(".java")).orElse(true);
            String[] segments = name.substring(0, name.length() - ".class".length()).split("\\$", -1);
            for (int i = 1; i < segments.length; i++) {
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
}
