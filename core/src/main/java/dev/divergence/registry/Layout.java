package dev.divergence.registry;

import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.SourceHints;
import dev.divergence.source.SourceTree;
import java.util.List;

/** Maps an artifact's paths to repository paths (strip {@code name-1.2.3/}, find a wheel's packages, ...). */
public interface Layout {

    Alignment align(Artifact artifact, List<ArtifactFile> files, SourceTree tree, SourceHints hints);

    /**
     * As above, for layouts that read the tree's build files to know where a file is copied from (Maven's
     * {@code <resources>}); {@code sourceReader} gives a tree path's bytes (empty when absent or unreadable).
     */
    default Alignment align(Artifact artifact, List<ArtifactFile> files, SourceTree tree, SourceHints hints,
                            java.util.function.Function<String, java.util.Optional<byte[]>> sourceReader) {
        return align(artifact, files, tree, hints);
    }

    /** The single top-level folder every entry sits in ({@code name-1.2.3/}, {@code package/}), when there is one. */
    static java.util.Optional<String> commonRoot(List<ArtifactFile> files) {
        String root = null;
        for (ArtifactFile f : files) {
            String path = f.path();
            int slash = path.indexOf('/');
            if (slash <= 0) {
                return java.util.Optional.empty();
            }
            if (root == null) {
                root = path.substring(0, slash);
            } else if (slash != root.length() || !path.startsWith(root)) { // no copy of the folder name per file
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.ofNullable(root);
    }
}
