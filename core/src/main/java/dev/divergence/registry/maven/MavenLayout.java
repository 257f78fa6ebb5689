package dev.divergence.registry.maven;

import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.SourceHints;
import dev.divergence.registry.Alignment;
import dev.divergence.registry.Layout;
import dev.divergence.source.SourceTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a jar's and a sources jar's entries live in the repository. The standard layout is
 * {@code MODULE/src/main/java} and {@code MODULE/src/main/resources}
 * (https://maven.apache.org/guides/introduction/introduction-to-the-standard-directory-layout.html), but old
 * projects used {@code src/java} and friends, so the roots are found, not assumed: the source root is the
 * folder under which the most of the artifact's {@code .java} files (for a jar: the sources of its classes,
 * {@code Foo$Bar.class} → {@code Foo.java}) exist; the resource root likewise for the other entries.
 * {@code META-INF/maven/G/A/pom.xml} and a POM artifact map to the module's {@code pom.xml}.
 */
public final class MavenLayout implements Layout {

    static final String JAVA = "src/main/java/";
    static final String RESOURCES = "src/main/resources/";

    @Override
    public Alignment align(Artifact artifact, List<ArtifactFile> files, SourceTree tree, SourceHints hints) {
        return align(artifact, files, tree, hints, path -> Optional.empty());
    }

    @Override
    public Alignment align(Artifact artifact, List<ArtifactFile> files, SourceTree tree, SourceHints hints,
                           java.util.function.Function<String, Optional<byte[]>> sourceReader) {
        Map<String, List<String>> byName = new HashMap<>();
        for (String p : tree.files().keySet()) {
            byName.computeIfAbsent(p.substring(p.lastIndexOf('/') + 1), k -> new ArrayList<>()).add(p);
        }
        List<String> sources = new ArrayList<>();
        List<String> resources = new ArrayList<>();
        for (ArtifactFile f : files) {
            String p = stripVersions(f.path());
            if (!p.equals(f.path()) && (p.endsWith(".java") || p.endsWith(".class"))) {
                continue; // a versioned class has its own root (versionedSource): only the base ones vote
            }
            if (p.endsWith(".java")) {
                sources.add(p);
            } else if (p.endsWith(".class")) {
                sources.add(outerSource(p));
            } else if (!p.startsWith("META-INF/")) {
                resources.add(p);
            }
        }
        String javaRoot = bestRoot(sources, byName).orElse(JAVA);
        String module = javaRoot.endsWith(JAVA) ? javaRoot.substring(0, javaRoot.length() - JAVA.length())
                : javaRoot.replaceFirst("src/(main/)?java/$", "").replaceFirst("src/$", "");
        if (artifact.kind() == ArtifactKind.POM) {
            module = pomModule(artifact, files, tree, sourceReader);
            resources.clear();
        }
        List<String> voted = roots(resources, byName);
        String resourceRoot = voted.isEmpty() ? module + RESOURCES : voted.get(0);
        // Non-Java files live in every root the build copies from: old layouts keep package.html and overview.html
        // beside the .java files, newer ones in src/main/resources, some in both. Each file is looked up in the
        // roots its files vote for (most votes first), then the source root and the standard resource root.
        List<String> resourceRoots = new ArrayList<>();
        for (String r : voted) {
            if (r.equals(resourceRoot) || (r.startsWith(module) && !isTestRoot(r, module))) {
                resourceRoots.add(r);
            }
        }
        List<String> declaredRoots = artifact.kind() == ArtifactKind.POM ? List.of()
                : SourceRoots.declared(module, tree, sourceReader);
        // then the other source roots the build declares (Ant copies each javac root's non-Java files along)
        for (String r : java.util.stream.Stream.concat(java.util.stream.Stream.of(javaRoot, module + RESOURCES),
                declaredRoots.stream()).toList()) {
            if (!resourceRoots.contains(r)) {
                resourceRoots.add(r);
            }
        }
        List<MavenResources.Resource> declared = artifact.kind() == ArtifactKind.POM ? List.of()
                : MavenResources.of(module, tree, sourceReader);
        List<MavenResources.Resource> copied = artifact.kind() == ArtifactKind.POM ? List.of()
                : AntCopies.of(module, tree, sourceReader);
        ClassSources classes = new ClassSources(javaRoot, declaredRoots, tree, sourceReader);
        // bnd's -sources: the bundle carries its source roots' files under OSGI-OPT/src/ (checked only when shipped)
        boolean bndSources = artifact.kind() == ArtifactKind.JAR
                && files.stream().anyMatch(f -> f.path().startsWith(OSGI_SOURCES))
                && BundleInstructions.of(module + "pom.xml", tree, sourceReader, RepositoryPoms.NONE, "")
                .map(b -> b.includesSources(p -> sourceReader.apply(p)
                        .map(x -> new String(x, java.nio.charset.StandardCharsets.UTF_8))))
                .orElse(false);
        Map<String, String> map = new HashMap<>();
        java.util.Set<String> used = new java.util.LinkedHashSet<>(List.of(javaRoot, resourceRoot));
        java.util.Set<String> usedSources = new java.util.LinkedHashSet<>(List.of(javaRoot));
        String moduleRoot = module;
        for (ArtifactFile f : files) {
            String sp = bndSources && f.path().startsWith(OSGI_SOURCES)
                    ? bundledSource(f.path().substring(OSGI_SOURCES.length()), classes)
                    : sameBytesInRoot(f, sourcePath(artifact, f.path(), module, javaRoot, resourceRoots, declared,
                    copied, classes), resourceRoots, tree);
            map.put(f.path(), sp);
            // a root that supplied a file joins the scope (SOURCE_ONLY rows), except the module folder itself
            resourceRoots.stream().filter(r -> sp.startsWith(r) && tree.get(sp).isPresent()).findFirst()
                    .filter(r -> !r.equals(moduleRoot)).ifPresent(used::add);
            classes.roots().stream().filter(r -> sp.startsWith(r) && tree.get(sp).isPresent()).findFirst()
                    .ifPresent(usedSources::add);
        }
        java.util.Set<String> all = new java.util.LinkedHashSet<>(used);
        all.addAll(usedSources);
        List<String> scope = artifact.kind() == ArtifactKind.POM ? List.of(module + "pom.xml") : List.copyOf(all);
        return new Alignment(map, scope, Optional.of("module " + (module.isEmpty() ? "(root)" : module)
                + ", sources " + String.join(" ", usedSources) + ", resources " + String.join(" ", used.stream()
                .filter(r -> !r.equals(javaRoot) || r.equals(resourceRoot)).toList())));
    }

    /**
     * Where a class's source is when no {@code .java} of its name is in the voted source root: the same name in
     * another root the build declares ({@link SourceRoots}: a second root compiled into the same jar), else the file
     * of its package, in one of those roots, that declares it as a top-level type (a compilation unit may declare more
     * than one; javac writes each as {@code Name.class} beside the public one — commons-net's {@code Threader.java}
     * declares {@code ThreadContainer}). Declarations are read from code only ({@link SourceNames#topLevelTypes}); a
     * package may declare a top-level type once (JLS 7.6), so the file found is the one javac compiled it from. The
     * class's own SourceFile attribute is not needed, and being the publisher's to write, proves nothing.
     */
    static final class ClassSources {
        private final List<String> roots;
        private final SourceTree tree;
        private final java.util.function.Function<String, Optional<byte[]>> reader;
        /** Folder → (top-level type → .java path declaring it), read once per folder. */
        private final Map<String, Map<String, String>> declarations = new HashMap<>();
        private Map<String, List<String>> javaByFolder;

        ClassSources(String javaRoot, List<String> declaredRoots, SourceTree tree,
                     java.util.function.Function<String, Optional<byte[]>> reader) {
            java.util.Set<String> all = new java.util.LinkedHashSet<>();
            all.add(javaRoot);
            all.addAll(declaredRoots);
            this.roots = List.copyOf(all);
            this.tree = tree;
            this.reader = reader;
        }

        /** The voted source root first, then the roots the build declares. */
        List<String> roots() {
            return roots;
        }

        /** A {@code .java} path (relative to a root) in a root after the first. */
        Optional<String> sameName(String relative) {
            return roots.stream().skip(1).map(r -> r + relative).filter(p -> tree.get(p).isPresent()).findFirst();
        }

        /** The source of {@code classPath} (a jar path of a {@code .class}, versions stripped) beyond the first root. */
        Optional<String> of(String classPath) {
            for (String root : roots.subList(1, roots.size())) {
                String java = outerSource(classPath, rel -> tree.get(root + rel).isPresent());
                if (tree.get(root + java).isPresent()) {
                    return Optional.of(root + java);
                }
            }
            String binary = classPath.substring(classPath.lastIndexOf('/') + 1, classPath.length() - ".class".length());
            String pkg = classPath.substring(0, classPath.lastIndexOf('/') + 1);
            for (String root : roots) {
                Map<String, String> declared = declarations.computeIfAbsent(root + pkg, this::declaredIn);
                // the longest '$'-cut prefix a file declares ($Gson$Types$Impl → $Gson$Types), as outerSource
                for (int d = binary.length(); d > 0; d = binary.lastIndexOf('$', d - 1)) {
                    String type = declared.get(binary.substring(0, d));
                    if (type != null) {
                        return Optional.of(type);
                    }
                }
            }
            return Optional.empty();
        }

        private Map<String, String> declaredIn(String folder) {
            if (javaByFolder == null) {
                javaByFolder = new HashMap<>();
                for (String p : tree.files().keySet()) {
                    if (p.endsWith(".java")) {
                        javaByFolder.computeIfAbsent(p.substring(0, p.lastIndexOf('/') + 1), k -> new ArrayList<>()).add(p);
                    }
                }
            }
            Map<String, String> out = new HashMap<>();
            for (String p : javaByFolder.getOrDefault(folder, List.of())) {
                reader.apply(p).ifPresent(bytes -> SourceNames.topLevelTypes(
                        new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).forEach(t -> out.putIfAbsent(t, p)));
            }
            return out;
        }
    }

    /**
     * A resource found first in one root but with the bytes another of the roots holds: several roots the build copies
     * from may hold the same path, and the last copy wins (commons-beanutils 1.7's sub-build updates the jar with
     * {@code optional/bean-collections/src/java/overview.html} over the main {@code src/java/overview.html}). The
     * file is then that root's: same bytes, same commit, a root of the build.
     */
    private static String sameBytesInRoot(ArtifactFile f, String sourcePath, List<String> resourceRoots, SourceTree tree) {
        String p = f.path();
        if (p.endsWith(".class") || p.endsWith(".java") || p.startsWith("META-INF/") || f.gitBlobId() == null
                || tree.get(sourcePath).map(s -> s.blobId().equals(f.gitBlobId())).orElse(true)) {
            return sourcePath;
        }
        for (String root : resourceRoots) {
            if (tree.get(root + p).map(s -> s.blobId().equals(f.gitBlobId())).orElse(false)) {
                return root + p;
            }
        }
        return sourcePath;
    }

    /** A root under the module's test sources (a fixture copy of a resource is not what the jar packages). */
    private static boolean isTestRoot(String root, String module) {
        String rel = root.substring(module.length());
        return rel.startsWith("src/test/") || rel.startsWith("test/") || rel.contains("/test/");
    }

    /** Where bnd's {@code -sources} puts the files of the source path. */
    static final String OSGI_SOURCES = "OSGI-OPT/src/";

    /**
     * The source file bnd copied to {@code OSGI-OPT/src/REL}: {@code REL} in the first compile source root holding it
     * (the voted root, then the roots the build declares), else where the voted root would hold it.
     */
    private static String bundledSource(String rel, ClassSources classes) {
        for (String root : classes.roots()) {
            if (classes.tree.get(root + rel).isPresent()) {
                return root + rel;
            }
        }
        return classes.roots().get(0) + rel;
    }

    /** Source roots and extensions of the other JVM languages a class may be compiled from. */
    private static final String[][] OTHER_JVM_SOURCES = {{"src/main/kotlin/", ".kt"}, {JAVA, ".kt"},
            {"src/main/kt/", ".kt"}, {"src/main/groovy/", ".groovy"}, {"src/main/scala/", ".scala"}};

    static String sourcePath(Artifact artifact, String path, String module, String javaRoot, List<String> resourceRoots,
                             List<MavenResources.Resource> declared, List<MavenResources.Resource> copied,
                             ClassSources classes) {
        SourceTree tree = classes.tree;
        String resourceRoot = resourceRoots.get(0);
        if (artifact.kind() == ArtifactKind.POM || (path.startsWith("META-INF/maven/") && path.endsWith("/pom.xml"))) {
            return module + "pom.xml";
        }
        String p = stripVersions(path);
        Optional<String> versioned = versionedSource(path, p, module, tree);
        if (versioned.isPresent()) {
            return versioned.get();
        }
        if (p.endsWith(".class")) {
            String java = outerSource(p, rel -> tree.get(javaRoot + rel).isPresent()
                    || template(module, javaRoot, rel, tree).isPresent());
            // the JVM languages' own roots (Kotlin's is src/main/kotlin; Kotlin sources beside Java ones too)
            for (String[] lang : OTHER_JVM_SOURCES) {
                String other = module + lang[0] + java.replaceFirst("\\.java$", lang[1]);
                if (tree.get(other).isPresent()) {
                    return other;
                }
            }
            return tree.get(javaRoot + java).isPresent() ? javaRoot + java
                    : template(module, javaRoot, java, tree).or(() -> classes.of(p)).orElse(javaRoot + java);
        }
        if (p.endsWith(".java")) {
            return tree.get(javaRoot + p).isPresent() ? javaRoot + p
                    : template(module, javaRoot, p, tree).or(() -> classes.sameName(p))
                    .or(() -> p.equals("module-info.java") ? versionedModuleInfo(module, tree) : Optional.empty())
                    .orElse(javaRoot + p);
        }
        // Where the module's (or its parent's) <resources> copy it from, when the tree holds that file: the build's own
        // word, even from outside the module (slf4j's parent maps <directory>..</directory> LICENSE.txt to META-INF).
        Optional<String> resource = path.equals(p) ? MavenResources.sourceOf(declared, p, tree) : Optional.empty();
        if (resource.isPresent()) {
            return resource.get();
        }
        for (String root : resourceRoots) {
            if (tree.get(root + p).isPresent()) {
                return root + p;
            }
        }
        // Copied into the classes folder by a Maven 1 maven.xml or an Ant build.xml <copy> (commons-validator's DTDs).
        Optional<String> copy = path.equals(p) ? MavenResources.sourceOf(copied, p, tree) : Optional.empty();
        if (copy.isPresent()) {
            return copy.get();
        }
        // META-INF/LICENSE.txt and NOTICE.txt are copied from the module or repository root by the build.
        if (p.startsWith("META-INF/") && !p.substring(9).contains("/")) {
            String name = p.substring(9);
            if (tree.get(module + name).isPresent()) {
                return module + name;
            }
            if (tree.get(name).isPresent()) {
                return name;
            }
        }
        return resourceRoot + p;
    }

    /**
     * The module of a POM artifact: the pom.xml with the same bytes, else the shallowest pom.xml (tests aside) that
     * declares the artifactId as its own (objenesis 1.x: {@code main/pom.xml} beside the root's parent POM), else the
     * folder named like the artifactId (the usual multi-module convention), else the root.
     */
    static String pomModule(Artifact artifact, List<ArtifactFile> files, SourceTree tree,
                            java.util.function.Function<String, Optional<byte[]>> sourceReader) {
        for (ArtifactFile f : files) {
            Optional<SourceTree.SourceFile> same = tree.findBlob(f.gitBlobId())
                    .filter(s -> s.path().equals("pom.xml") || s.path().endsWith("/pom.xml"));
            if (same.isPresent()) {
                return same.get().path().substring(0, same.get().path().length() - "pom.xml".length());
            }
        }
        String artifactId = artifact.filename().replaceFirst("-\\d.*$", "");
        List<String> poms = tree.files().keySet().stream().filter(p -> p.equals("pom.xml") || p.endsWith("/pom.xml"))
                .filter(p -> !TestSources.contains(p) && !p.contains("src/it/"))
                .sorted(java.util.Comparator.comparingInt((String p) -> p.split("/").length).thenComparing(p -> p))
                .limit(200).toList();
        for (String p : poms) {
            Optional<String> own = sourceReader.apply(p).flatMap(b -> {
                try {
                    return MavenRegistry.child(MavenRegistry.xml(b, p).getDocumentElement(), "artifactId");
                } catch (dev.divergence.registry.RegistryException e) {
                    return Optional.empty();
                }
            });
            if (own.map(String::strip).filter(artifactId::equals).isPresent()) {
                return p.substring(0, p.length() - "pom.xml".length());
            }
        }
        return tree.get(artifactId + "/pom.xml").isPresent() ? artifactId + "/" : "";
    }

    /**
     * The template a build fills in to write {@code relative} (a {@code .java} path under the source root), when
     * the source holds no such file: {@code X.java.in} beside where it would be (the replacer plugin's convention,
     * jackson's PackageVersion) or {@code src/main/java-templates/X.java} (templating-maven-plugin, gson's
     * GsonBuildConfig).
     */
    static Optional<String> template(String module, String javaRoot, String relative, SourceTree tree) {
        for (String t : List.of(javaRoot + relative + ".in", module + "src/main/java-templates/" + relative)) {
            if (tree.get(t).isPresent()) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern VERSIONED = java.util.regex.Pattern.compile("^META-INF/versions/(\\d+)/");

    /**
     * Where a multi-release jar's {@code META-INF/versions/N/} class or source comes from: the module's source root
     * for release N ({@code src/main/javaN}, {@code src/main/java-N}, {@code src/main/javaN/java}: the layouts of
     * log4j2, the compiler plugin's multi-release guide and the multi-release-jar plugin). The JVM loads that class
     * in place of the base one (JEP 238), so it is judged against that source, not the base class's. Empty when no
     * such root holds it: the build compiled the base source for release N (the base source stands for it).
     */
    static Optional<String> versionedSource(String path, String stripped, String module, SourceTree tree) {
        java.util.regex.Matcher m = VERSIONED.matcher(path);
        if (!m.find() || !(stripped.endsWith(".class") || stripped.endsWith(".java"))) {
            return Optional.empty();
        }
        String n = m.group(1);
        for (String root : List.of(module + "src/main/java" + n + "/", module + "src/main/java-" + n + "/",
                module + "src/main/java" + n + "/java/", module + "src/main/java-mr/" + n + "/")) {
            String rel = stripped.endsWith(".java") ? stripped
                    : outerSource(stripped, r -> tree.get(root + r).isPresent());
            if (tree.get(root + rel).isPresent()) {
                return Optional.of(root + rel);
            }
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern VERSIONED_ROOT = java.util.regex.Pattern.compile(
            "src/main/java-?\\d+/(java/)?module-info\\.java");

    /**
     * The module descriptor a build compiles from a release-9+ source root into the base of the jar when the main
     * root must stay Java 8 (picocli's Gradle build: {@code src/main/java9/module-info.java} → {@code
     * module-info.java} of the sources jar): the one such file of the module; none, or two, is no answer.
     */
    static Optional<String> versionedModuleInfo(String module, SourceTree tree) {
        List<String> found = tree.files().keySet().stream().filter(f -> f.startsWith(module)
                && VERSIONED_ROOT.matcher(f.substring(module.length())).matches()).limit(2).toList();
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /** Multi-release jars keep version-specific classes under META-INF/versions/N/. */
    static String stripVersions(String path) {
        return path.replaceFirst("^META-INF/versions/\\d+/", "");
    }

    /** {@code a/b/Foo$Bar.class} → {@code a/b/Foo.java}. */
    static String outerSource(String classPath) {
        String outer = classPath.substring(0, classPath.length() - ".class".length());
        int dollar = outer.indexOf('$', outer.lastIndexOf('/') + 1);
        if (dollar > 0) {
            outer = outer.substring(0, dollar);
        }
        return outer + ".java";
    }

    /**
     * The source of a class whose own name may hold {@code $} ({@code $Gson$Types$Impl.class} →
     * {@code $Gson$Types.java}): the longest prefix, cut at a {@code $}, whose {@code .java} file exists; else
     * {@link #outerSource(String)}.
     */
    static String outerSource(String classPath, java.util.function.Predicate<String> exists) {
        String outer = classPath.substring(0, classPath.length() - ".class".length());
        int start = outer.lastIndexOf('/') + 1;
        for (int d = outer.length(); d > start; d = outer.lastIndexOf('$', d - 1)) {
            String candidate = outer.substring(0, d) + ".java";
            if (exists.test(candidate)) {
                return candidate;
            }
        }
        return outerSource(classPath);
    }

    /** The folder R for which the most {@code R + relative} paths exist in the tree. */
    static Optional<String> bestRoot(List<String> relatives, Map<String, List<String>> byName) {
        List<String> all = roots(relatives, byName);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Every folder R for which some {@code R + relative} path exists, most votes first (ties: the shallower). */
    static List<String> roots(List<String> relatives, Map<String, List<String>> byName) {
        Map<String, Integer> votes = new TreeMap<>();
        for (String rel : relatives) {
            String name = rel.substring(rel.lastIndexOf('/') + 1);
            for (String candidate : byName.getOrDefault(name, List.of())) {
                if (candidate.endsWith(rel) && (candidate.length() == rel.length()
                        || candidate.charAt(candidate.length() - rel.length() - 1) == '/')) {
                    votes.merge(candidate.substring(0, candidate.length() - rel.length()), 1, Integer::sum);
                }
            }
        }
        // Most votes; on a tie the shallower root (the main code rather than a copy under src/test).
        return votes.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(e -> -e.getKey().length())
                        .reversed())
                .map(Map.Entry::getKey).toList();
    }
}
