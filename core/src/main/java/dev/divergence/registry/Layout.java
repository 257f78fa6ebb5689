package dev.divergence.registry;

import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.SourceHints;
import dev.divergence.source.SourceTree;
import java.util.List;

/** Maps an artifact's paths to repository paths (strip {@code name-1.2.3/}, find a wheel's packages, ...). */
public interface Layout {

    Alignment align(Artifact artifact, List<ArtifactFile> files, SourceTree tree, SourceHints hints);
}
