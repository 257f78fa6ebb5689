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
 * (URL or local path) when the registry's own hint is missing or wrong. {@code #} starts a comment.
 * <pre>
 * pkg:pypi/litellm    https://github.com/BerriAI/litellm
 * pkg:pypi/requests
 * </pre>
 */
public record Watchlist(List<Entry> entries) {

    public record Entry(PackageId pkg, Optional<String> repository) {
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
                out.add(new Entry(PackageId.parse(parts[0]), parts.length == 2 ? Optional.of(parts[1]) : Optional.empty()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        return new Watchlist(out);
    }
}
