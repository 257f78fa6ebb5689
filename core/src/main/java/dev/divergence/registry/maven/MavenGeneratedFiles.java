package dev.divergence.registry.maven;

import dev.divergence.model.Artifact;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import dev.divergence.registry.GeneratedFiles;
import java.util.List;
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

    @Override
    public Optional<String> pathRule(Artifact artifact, String path) {
        if (path.equals("META-INF/MANIFEST.MF") || path.equals("META-INF/INDEX.LIST")) {
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
            return Optional.of(Decision.of(FileStatus.GENERATED, CLASS_FROM_SOURCE));
        }
        if (path.endsWith("module-info.class")) {
            // Written by moditect or bnd from the build configuration: declarations, no code.
            return Optional.of(Decision.of(FileStatus.GENERATED, GENERATED_MODULE_INFO));
        }
        return Optional.of(new Decision(FileStatus.PHANTOM, CLASS_WITHOUT_SOURCE, Set.of(RiskFlag.CODE),
                Optional.of("compiled class with no source file in the module")));
    }

    @Override
    public List<ContentRule> contentRules() {
        return List.of();
    }
}
