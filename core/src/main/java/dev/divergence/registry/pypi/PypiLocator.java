package dev.divergence.registry.pypi;

import dev.divergence.model.Release;
import dev.divergence.registry.Locator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where setuptools, hatch, flit and poetry projects declare their version: {@code pyproject.toml} [project]
 * (or [tool.poetry]) version, {@code setup.cfg} [metadata] version, {@code setup.py} version=, then
 * {@code __version__} in the package's {@code __init__.py}, {@code _version.py}, {@code version.py} or
 * {@code __about__.py}, at the root or under {@code src/}.
 */
public final class PypiLocator implements Locator {

    private static final Pattern PYPROJECT = Pattern.compile(
            "(?ms)^\\[(?:project|tool\\.poetry)\\][^\\[]*?^version\\s*=\\s*[\"']([^\"']+)[\"']");
    /**
     * A literal version only: {@code version = attr: pkg.__version__} and {@code version = file: VERSION} are
     * setuptools directives (https://setuptools.pypa.io/en/latest/userguide/declarative_config.html), answered by
     * the module's {@code __version__} found next, never a version called "attr:".
     */
    private static final Pattern SETUP_CFG = Pattern.compile(
            "(?ms)^\\[metadata\\][^\\[]*?^version\\s*[=:]\\s*(?!attr:|file:)([^\\s#;]+)");
    private static final Pattern SETUP_PY = Pattern.compile("version\\s*=\\s*[\"']([0-9][^\"']*)[\"']");
    private static final Pattern DUNDER = Pattern.compile("(?m)^__version__\\s*(?::\\s*str\\s*)?=\\s*[\"']([^\"']+)[\"']");
    private static final List<String> VERSION_FILES = List.of("__init__.py", "_version.py", "version.py", "__about__.py");

    @Override
    public List<String> manifestPaths(Release release) {
        String base = release.hints().directory().map(d -> d.endsWith("/") ? d : d + "/").orElse("");
        List<String> paths = new ArrayList<>(List.of(base + "pyproject.toml", base + "setup.cfg", base + "setup.py"));
        String module = release.pkg().name().replace('-', '_');
        for (String dir : List.of(base + module + "/", base + "src/" + module + "/")) {
            for (String f : VERSION_FILES) {
                paths.add(dir + f);
            }
        }
        return paths;
    }

    @Override
    public Optional<String> versionIn(String path, byte[] content, Release release) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        Pattern p = switch (name) {
            case "pyproject.toml" -> PYPROJECT;
            case "setup.cfg" -> SETUP_CFG;
            case "setup.py" -> SETUP_PY;
            default -> DUNDER;
        };
        Matcher m = p.matcher(new String(content, StandardCharsets.UTF_8));
        return m.find() ? Optional.of(m.group(1).trim()) : Optional.empty();
    }
}
