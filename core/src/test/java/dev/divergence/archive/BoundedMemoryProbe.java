package dev.divergence.archive;

import java.nio.file.Path;

/** Reads one archive and prints its listing's first entry; run in a small-heap JVM by the corpus test. */
public final class BoundedMemoryProbe {

    private BoundedMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        ArchiveListing l = ArchiveReaders.read(Path.of(args[0]),
                new ArchiveLimits(1000, 2L << 30, 100_000, 0, 16L << 20));
        System.out.println(l.files().get(0).size() + " " + l.files().get(0).sha256() + " " + l.error().orElse("ok"));
    }
}
