package dev.divergence.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.divergence.model.Ecosystem;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The history rules over release outcomes: regressions and first appearances of execution-relevant files. */
class HistoryTest {

    private static final long DAY = 86_400_000L;

    @Test
    void aRegressionFollowsVersionOrderNotTheRegistrysTimes() {
        // 6.3.2 is a backport published after 7.1.0; 7.1.1 diverges after 7.1.0 was clean.
        List<History.Outcome> outcomes = List.of(
                new History.Outcome("6.3.1", 1 * DAY, "CLEAN"),
                new History.Outcome("7.1.0", 2 * DAY, "EXPLAINED"),
                new History.Outcome("6.3.2", 3 * DAY, "CLEAN"),
                new History.Outcome("7.1.1", 4 * DAY, "HIGH_RISK"),
                new History.Outcome("7.1.2", 5 * DAY, "DIVERGENT"));
        List<History.Signal> all = History.regressions(Ecosystem.PYPI, outcomes, Set.of("6.3.1", "7.1.0", "6.3.2", "7.1.1", "7.1.2"));
        assertEquals(List.of(new History.Signal("7.1.1", History.SignalKind.REGRESSION,
                "HIGH_RISK after 7.1.0 was EXPLAINED")), all);
        // Only versions scanned in this run are reported (earlier runs reported the others).
        assertEquals(List.of(), History.regressions(Ecosystem.PYPI, outcomes, Set.of("7.1.2")));
    }

    @Test
    void aRegressionFollowsTheEcosystemsVersionOrderNotTheText() {
        // By text 1.0.0rc10 came before 1.0.0rc2 and the regression went unseen; all published at once.
        List<History.Outcome> pypi = List.of(
                new History.Outcome("1.0.0rc10", DAY, "DIVERGENT"),
                new History.Outcome("1.0.0", DAY, "CLEAN"),
                new History.Outcome("1.0.0rc2", DAY, "CLEAN"));
        assertEquals(List.of(new History.Signal("1.0.0rc10", History.SignalKind.REGRESSION,
                "DIVERGENT after 1.0.0rc2 was CLEAN")),
                History.regressions(Ecosystem.PYPI, pypi, Set.of("1.0.0rc10", "1.0.0", "1.0.0rc2")));
        // npm: numeric prerelease identifiers compare as numbers (semver.org item 11).
        List<History.Outcome> npm = List.of(
                new History.Outcome("2.0.0-beta.11", DAY, "HIGH_RISK"),
                new History.Outcome("2.0.0-beta.2", DAY, "EXPLAINED"),
                new History.Outcome("2.0.0-beta.1", DAY, "DIVERGENT"));
        assertEquals(List.of(new History.Signal("2.0.0-beta.11", History.SignalKind.REGRESSION,
                "HIGH_RISK after 2.0.0-beta.2 was EXPLAINED")),
                History.regressions(Ecosystem.NPM, npm, Set.of("2.0.0-beta.11", "2.0.0-beta.2", "2.0.0-beta.1")));
        // Maven: a service pack follows its release (ComparableVersion), a snapshot precedes it.
        List<History.Outcome> maven = List.of(
                new History.Outcome("1.0-sp1", DAY, "DIVERGENT"),
                new History.Outcome("1.0", DAY, "CLEAN"),
                new History.Outcome("1.0-SNAPSHOT", DAY, "DIVERGENT"));
        assertEquals(List.of(new History.Signal("1.0-sp1", History.SignalKind.REGRESSION,
                "DIVERGENT after 1.0 was CLEAN")),
                History.regressions(Ecosystem.MAVEN, maven, Set.of("1.0-sp1", "1.0", "1.0-SNAPSHOT")));
    }

    @Test
    void publicationOrderBreaksTiesByVersionAndPutsUnknownTimesLast() {
        List<History.Outcome> ordered = History.publicationOrder(Ecosystem.PYPI, List.of(
                new History.Outcome("1.10.0", 2 * DAY, "CLEAN"),
                new History.Outcome("0.9", Long.MAX_VALUE, "CLEAN"),
                new History.Outcome("1.9.0", 2 * DAY, "CLEAN"),
                new History.Outcome("1.0.0", 1 * DAY, "CLEAN")));
        assertEquals(List.of("1.0.0", "1.9.0", "1.10.0", "0.9"),
                ordered.stream().map(History.Outcome::version).toList());
    }

    @Test
    void aNewFileIsAnExecutionRelevantPathFirstSeenAfterTheFirstRelease() {
        List<History.Outcome> ordered = History.publicationOrder(Ecosystem.PYPI, List.of(
                new History.Outcome("1.0", 1 * DAY, "CLEAN"),
                new History.Outcome("1.1", 2 * DAY, "CLEAN"),
                new History.Outcome("1.2", 3 * DAY, "HIGH_RISK"),
                new History.Outcome("1.3", Long.MAX_VALUE, "CLEAN")));
        List<History.FirstSeen> firsts = List.of(
                new History.FirstSeen("pkg/__init__.py", 0, true),  // in the first release: not new
                new History.FirstSeen("pkg/router.py", 1, true),
                new History.FirstSeen("pkg_init.pth", 2, true),
                new History.FirstSeen("CHANGES.md", 2, false),      // new but not execution-relevant
                new History.FirstSeen("pkg/late.py", 3, true));     // first seen in a version of unknown time
        Set<String> all = Set.of("1.0", "1.1", "1.2", "1.3");
        assertEquals(List.of(
                new History.Signal("1.1", History.SignalKind.NEW_FILE, "pkg/router.py"),
                new History.Signal("1.2", History.SignalKind.NEW_FILE, "pkg_init.pth")),
                History.newFiles(Ecosystem.PYPI, ordered, firsts, all));
        // A nightly run that rescanned only 1.2 reports only 1.2's new file.
        assertEquals(List.of(new History.Signal("1.2", History.SignalKind.NEW_FILE, "pkg_init.pth")),
                History.newFiles(Ecosystem.PYPI, ordered, firsts, Set.of("1.2")));
    }
}
