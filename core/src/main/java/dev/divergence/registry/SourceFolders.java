package dev.divergence.registry;

import java.util.Locale;
import java.util.Set;

/**
 * Folders of a repository that hold no package source: tests, fixtures, examples, samples, documentation. Their files
 * are in the repository to be run by a test runner or read by a person, not installed: the same bytes shipped as an
 * importable module elsewhere (a detector's malicious test sample shipped as a top-level module) are not the
 * package's source, whatever a layout or a blob lookup finds.
 */
public final class SourceFolders {

    /** Folder names (lowercase) whose content is never installed as package code. */
    static final Set<String> NOT_PACKAGE_SOURCE = Set.of("test", "tests", "testing", "__tests__", "spec", "specs",
            "fixture", "fixtures", "__fixtures__", "testdata", "test_data", "test-data", "example", "examples",
            "sample", "samples", "doc", "docs");

    private SourceFolders() {
    }

    /** Whether any folder of {@code folders} (a relative folder path, "" or ending with "/") is such a folder. */
    public static boolean notPackageSource(String folders) {
        for (String seg : folders.split("/")) {
            if (NOT_PACKAGE_SOURCE.contains(seg.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
