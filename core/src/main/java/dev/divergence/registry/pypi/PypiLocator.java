package dev.divergence.registry.pypi;

import dev.divergence.registry.Locator;
import dev.divergence.source.SourceRepository;
import dev.divergence.source.SourceTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the statically declared version at a commit, to validate a tag match (OSS Rebuild validates its
 * inferred commit the same way): {@code pyproject.toml} [project] version, {@code setup.cfg} [metadata]
 * version, {@code setup.py} version=, then {@code __version__} in a package's {@code __init__.py},
 * {@code _version.py}, {@code version.py} or {@code __about__.py}. Nothing is executed.
 */
public final class PypiLocator implements Locator {

    private static final Pattern PYPROJECT = Pattern.compile("(?ms)^\\[project\\][^\\[]*?^version\\s*=\\s*[\"']([^\"']+)[\"']");
    private static final Pattern SETUP_CFG = Pattern.compile("(?ms)^\\[metadata\\][^\\[]*?^version\\s*=\\s*([^\\s#]+)");
    private static final Pattern SETUP_PY = Pattern.compile("version\\s*=\\s*[\"']([0-9][^\"']*)[\"']");
    private static final Pattern DUNDER = Pattern.compile("(?m)^__version__\\s*(?::\\s*str\\s*)?=\\s*[\"']([^\"']+)[\"']");
    private static final List<String> VERSION_FILES = List.of("__init__.py", "_version.py", "version.py", "__about__.py");

    @Override
    public Optional<String> declaredVersion(SourceRepository repo, SourceTree tree, String packageName) {
        Optional<String> v = find(repo, tree, "pyproject.toml", PYPROJECT)
                .or(() -> find(repo, tree, "setup.cfg", SETUP_CFG))
                .or(() -> find(repo, tree, "setup.py", SETUP_PY));
        if (v.isPresent()) {
            return v;
        }
        String module = packageName.replace('-', '_');
        for (String dir : List.of(module + "/", "src/" + module + "/")) {
            for (String f : VERSION_FILES) {
                Optional<String> d = find(repo, tree, dir + f, DUNDER);
                if (d.isPresent()) {
                    return d;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> find(SourceRepository repo, SourceTree tree, String path, Pattern p) {
        Optional<SourceTree.SourceFile> f = tree.get(path);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<byte[]> bytes = repo.read(f.get().blobId(), 1 << 20);
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            Matcher m = p.matcher(new String(bytes.get(), StandardCharsets.UTF_8));
            return m.find() ? Optional.of(m.group(1).trim()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
