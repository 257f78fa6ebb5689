package dev.divergence.registry.pypi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configparser port against what setuptools 65's {@code setopt.edit_config(f, {"egg_info": {"tag_build": "",
 * "tag_date": 0}})} (the call sdist makes) really wrote for each input, under CPython 3.11: the expected strings were
 * produced by running it.
 */
class SetupCfgTest {

    private static String roundTrip(String source) {
        Map<String, String> eggInfo = new LinkedHashMap<>();
        eggInfo.put("tag_build", "");
        eggInfo.put("tag_date", "0");
        return SetupCfg.write(SetupCfg.set(SetupCfg.read(source).orElseThrow(), "egg_info", eggInfo));
    }

    @Test
    void commentsAreDroppedSpacingNormalisedAndContinuationsTabIndented() {
        assertEquals("[metadata]\nname = demo\nversion = 1.0\n\n[options]\ninstall_requires = \n\trequests>=2\n\tclick\n\n"
                        + "[flake8]\nmax-line-length = 100\n\n[egg_info]\ntag_build = \ntag_date = 0\n\n",
                roundTrip("# top comment\n[metadata]\nname=demo\nversion : 1.0\n; another\n[options]\ninstall_requires =\n"
                        + "    requests>=2\n    # commented out\n    click\n\n[flake8]\nmax-line-length=100\n"));
    }

    @Test
    void anEmptyLineInsideAValueIsKeptAndTrailingOnesDropped() {
        assertEquals("[options]\npackages = find:\ninstall_requires = \n\ta\n\t\n\tb\n\n[bdist_wheel]\nuniversal = 1\n\n"
                        + "[egg_info]\ntag_build = \ntag_date = 0\n\n",
                roundTrip("[options]\npackages = find:\ninstall_requires =\n  a\n\n  b\n\n\n[bdist_wheel]\nuniversal = 1\n"));
    }

    @Test
    void anExistingEggInfoSectionIsEditedInPlaceAndDefaultComesFirst() {
        assertEquals("[DEFAULT]\nx = 1\n\n[egg_info]\negg_base = build\ntag_build = \ntag_date = 0\n\n"
                        + "[tool:pytest]\naddopts = -q  ; not an inline comment\n\n",
                roundTrip("[DEFAULT]\nx = 1\n[egg_info]\negg_base = build\ntag_build = .dev\n[tool:pytest]\n"
                        + "addopts = -q  ; not an inline comment\n"));
    }

    @Test
    void indentedKeysAndTabContinuations() {
        assertEquals("[sdist]\nformats = gztar\n\n[options.entry_points]\nconsole_scripts = \n\tdemo = demo.core:main\n\n"
                        + "[egg_info]\ntag_build = \ntag_date = 0\n\n",
                roundTrip("[sdist]\n  formats = gztar\n[options.entry_points]\nconsole_scripts =\n\tdemo = demo.core:main\n"));
    }

    @Test
    void whatConfigparserRejectsIsNotRead() {
        assertTrue(SetupCfg.read("name = x\n[metadata]\n").isEmpty(), "no section header");
        assertTrue(SetupCfg.read("[a]\nx = 1\nx = 2\n").isEmpty(), "duplicate option");
        assertTrue(SetupCfg.read("[a]\nx = 1\n[a]\ny = 2\n").isEmpty(), "duplicate section");
        assertTrue(SetupCfg.read("[a]\njust words\n").isEmpty(), "neither option nor header");
        assertTrue(SetupCfg.read("[a]\n= 1\n").isEmpty(), "empty option name");
    }
}
