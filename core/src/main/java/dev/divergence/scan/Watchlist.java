package dev.divergence.scan;

import dev.divergence.model.PackageId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The packages a scheduled scan covers: one per line, a purl and optionally the repository to compare with
 * (URL or local path) when the registry's own hint is missing or wrong. {@code #} starts a comment. A purl with
 * {@code @VERSION} follows only that version.
 * <pre>
 * pkg:pypi/litellm    https://github.com/BerriAI/litellm
 * pkg:pypi/requests
 * </pre>
 */
public record Watchlist(List<Entry> entries) {

    /**
     * A package to scan; {@code version} set when the purl names one ({@code pkg:pypi/litellm@1.82.7}): then only
     * that version is scanned.
     */
    public record Entry(PackageId pkg, Optional<String> repository, Optional<String> version) {
        public Entry(PackageId pkg, Optional<String> repository) {
            this(pkg, repository, Optional.empty());
        }
    }

    public Watchlist {
        entries = List.copyOf(entries);
    }

    public static Watchlist read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            String l = line.replaceFirst("#.*$", "").trim();
            if (l.isEmpty()) {
                continue;
            }
            String[] parts = l.split("\\s+");
            if (parts.length > 2) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": expected 'PURL [REPOSITORY]', got: " + line);
            }
            try {
                PackageId.Ref ref = PackageId.parseRef(parts[0]);
                out.add(new Entry(ref.pkg(), parts.length == 2 ? Optional.of(parts[1]) : Optional.empty(),
                        ref.version()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        return new Watchlist(out);
    }
}
