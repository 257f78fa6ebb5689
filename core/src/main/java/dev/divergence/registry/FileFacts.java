package dev.divergence.registry;

import dev.divergence.model.RiskFlag;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What an ecosystem's languages and tools make of a file, by name and by content: the facts behind the files
 * table's {@code kind} ({@code compare.FileKinds}) and the risk flags read from bytes ({@code archive.ContentSignals}).
 * Each ecosystem states its own (Python's {@code .pth} and {@code setup.py}, JavaScript's {@code require(x)}, Java's
 * bytecode); shared code applies the {@link #union} of every plugin's, since a package of one ecosystem ships files
 * of another's languages (a wheel with a JavaScript widget). Extensions and names are lowercase; patterns are regular
 * expression fragments that shared code joins into one alternation, so one pass over a text tests them all.
 *
 * @param codeExtensions extensions whose files are {@code CODE} in the files table
 * @param buildOutputExtensions extensions of what a build produces ({@code .class}, {@code .pyc}, {@code .map})
 * @param metadataNames file names that declare a package ({@code package.json}, {@code pom.xml})
 * @param metadataPaths whole lowercase paths that are packaging metadata ({@code *.dist-info/...})
 * @param testNames file names (as written) that the ecosystem's test runners treat as tests
 * @param ownDocNames documentation names only in this ecosystem's own packages (javadoc's {@code package.html})
 * @param flaggedExtensions extensions flagged {@link RiskFlag#CODE} when they diverge: they run as shipped
 * @param nativeExtensions native code extensions, flagged {@link RiskFlag#BINARY}
 * @param nameFlags flags a file name carries whatever its content ({@code setup.py}: an install script)
 * @param extensionFlags flags an extension carries ({@code pth}: Python runs its import lines at start-up)
 * @param execTokens byte strings the streaming pass reads as dynamic execution ({@code child_process})
 * @param execCalls process execution or evaluation as a call, in a whole text; a file of an extension only this
 *     ecosystem claims ({@link #languageExtensions} or {@link #languageExecCalls}) takes only this ecosystem's
 *     (Python's {@code subprocess} is a word in a JavaScript message), any other file every ecosystem's
 * @param computedLoads code loaded by a name computed at run time, in any text
 * @param buildOutputLoads {@link #computedLoads} in build output, where a bare identifier is expected
 * @param languageExtensions files of this ecosystem's language, whose computed loads are {@link #languageLoads}
 * @param languageLoads the computed-load fragments for {@link #languageExtensions} files instead of the union's
 * @param bytecode extensions of bytecode, whose content the text scans skip, to the test saying their constant
 *     pool starts processes
 * @param buildOutputNoise text tools write into build output that looks like a payload (an inline source map)
 * @param languageExecCalls process execution or evaluation as a call in files of one extension only, where the name
 *     is that language's (C's {@code system(}, Python's bare {@code compile(}) and an ordinary one elsewhere (a
 *     JavaScript {@code cluster.fork()}, a Python {@code self._compile(}); joined with the union's per extension
 */
public record FileFacts(Set<String> codeExtensions, Set<String> buildOutputExtensions, Set<String> metadataNames,
                        List<String> metadataPaths, List<String> testNames, Set<String> ownDocNames,
                        Set<String> flaggedExtensions, Set<String> nativeExtensions, Map<String, RiskFlag> nameFlags,
                        Map<String, RiskFlag> extensionFlags, List<String> execTokens, List<String> execCalls,
                        List<String> computedLoads, List<String> buildOutputLoads, Set<String> languageExtensions,
                        List<String> languageLoads, Map<String, Predicate<String>> bytecode,
                        List<String> buildOutputNoise, Map<String, List<String>> languageExecCalls) {

    /** No fact at all. */
    public static final FileFacts NONE = new FileFacts(Set.of(), Set.of(), Set.of(), List.of(), List.of(), Set.of(),
            Set.of(), Set.of(), Map.of(), Map.of(), List.of(), List.of(), List.of(), List.of(), Set.of(), List.of(),
            Map.of(), List.of(), Map.of());

    /**
     * A call's argument that is a plain string literal (a comment before it allowed, as bundlers write
     * {@code import(/* chunk *\/ "x")}): nothing computed is loaded. Shared by Python and JavaScript fragments.
     */
    public static final String LITERAL_ARG =
            "\\s*(?:/\\*[^*]*\\*/\\s*)*(?:\"[^\"\\\\\\n]*\"|'[^'\\\\\\n]*'|`[^`\\\\$\\n]*`)\\s*";
    /**
     * A method's parameter list and body on the same line ({@code require(keys, max, msg) {}): a definition, not a
     * call. Across a line break it is a call followed by a block (automatic semicolon insertion): still a load.
     */
    public static final String METHOD_PARAMS = "\\s*[A-Za-z_$][\\w$]*(?:\\s*,\\s*[A-Za-z_$][\\w$]*)*\\s*\\)[ \\t]*\\{"
            + "|\\s*\\)"; // or no argument at all ("require()d" in a comment): nothing is loaded by a computed name

    public FileFacts {
        codeExtensions = Set.copyOf(codeExtensions);
        buildOutputExtensions = Set.copyOf(buildOutputExtensions);
        metadataNames = Set.copyOf(metadataNames);
        metadataPaths = List.copyOf(metadataPaths);
        testNames = List.copyOf(testNames);
        ownDocNames = Set.copyOf(ownDocNames);
        flaggedExtensions = Set.copyOf(flaggedExtensions);
        nativeExtensions = Set.copyOf(nativeExtensions);
        nameFlags = Map.copyOf(nameFlags);
        extensionFlags = Map.copyOf(extensionFlags);
        execTokens = List.copyOf(execTokens);
        execCalls = List.copyOf(execCalls);
        computedLoads = List.copyOf(computedLoads);
        buildOutputLoads = List.copyOf(buildOutputLoads);
        languageExtensions = Set.copyOf(languageExtensions);
        languageLoads = List.copyOf(languageLoads);
        bytecode = Map.copyOf(bytecode);
        buildOutputNoise = List.copyOf(buildOutputNoise);
        Map<String, List<String>> calls = new LinkedHashMap<>();
        languageExecCalls.forEach((k, v) -> calls.put(k, List.copyOf(v)));
        languageExecCalls = Map.copyOf(calls);
    }

    private static volatile Union union;

    /** Every plugin's facts together, computed once per JVM. */
    public static Union union() {
        Union u = union;
        if (u == null) {
            u = new Union(EcosystemPlugins.all());
            union = u;
        }
        return u;
    }

    /**
     * The facts of all ecosystems, ready to apply: sets merged, pattern fragments joined into one alternation each
     * (a fragment list that is empty matches nothing).
     */
    public static final class Union {
        private final Set<String> codeExtensions = new LinkedHashSet<>();
        private final Set<String> buildOutputExtensions = new LinkedHashSet<>();
        private final Set<String> metadataNames = new LinkedHashSet<>();
        private final Set<String> flaggedExtensions = new LinkedHashSet<>();
        private final Set<String> nativeExtensions = new LinkedHashSet<>();
        private final Map<String, Set<RiskFlag>> nameFlags = new LinkedHashMap<>();
        private final Map<String, Set<RiskFlag>> extensionFlags = new LinkedHashMap<>();
        private final Set<String> execTokens = new LinkedHashSet<>();
        private final Map<String, Predicate<String>> bytecode = new LinkedHashMap<>();
        private final Map<String, Pattern> languageLoads = new LinkedHashMap<>();
        private final Map<String, Pattern> languageExecCalls = new LinkedHashMap<>();
        /** Per language extension, its own ecosystem's {@link FileFacts#execCalls}. */
        private final Map<String, Pattern> ownExecCalls = new LinkedHashMap<>();
        private final Pattern metadataPaths;
        /** The metadata-path fragments that start at a folder boundary (SEGMENT_START then X): X alone. */
        private final Pattern metadataAtSegment;
        /** The other metadata-path fragments, matched against the whole path. */
        private final Pattern metadataWhole;
        private final Pattern testNames;
        private final Pattern execCalls;
        private final Pattern computedLoads;
        private final Pattern buildOutputLoads;
        private final Pattern buildOutputNoise;

        Union(Collection<EcosystemPlugin> plugins) {
            Set<String> metadataPathFragments = new LinkedHashSet<>();
            Set<String> testNameFragments = new LinkedHashSet<>();
            Set<String> execCallFragments = new LinkedHashSet<>();
            Set<String> loadFragments = new LinkedHashSet<>();
            Set<String> buildLoadFragments = new LinkedHashSet<>();
            Set<String> noiseFragments = new LinkedHashSet<>();
            Map<String, Set<String>> languageCallFragments = new LinkedHashMap<>();
            Map<String, List<FileFacts>> claimants = new LinkedHashMap<>();
            for (EcosystemPlugin p : plugins) {
                FileFacts f = p.fileFacts();
                codeExtensions.addAll(f.codeExtensions());
                buildOutputExtensions.addAll(f.buildOutputExtensions());
                metadataNames.addAll(f.metadataNames());
                metadataPathFragments.addAll(f.metadataPaths());
                testNameFragments.addAll(f.testNames());
                flaggedExtensions.addAll(f.flaggedExtensions());
                nativeExtensions.addAll(f.nativeExtensions());
                f.nameFlags().forEach((k, v) -> nameFlags.computeIfAbsent(k, x -> EnumSet.noneOf(RiskFlag.class)).add(v));
                f.extensionFlags().forEach((k, v) ->
                        extensionFlags.computeIfAbsent(k, x -> EnumSet.noneOf(RiskFlag.class)).add(v));
                execTokens.addAll(f.execTokens());
                execCallFragments.addAll(f.execCalls());
                loadFragments.addAll(f.computedLoads());
                buildLoadFragments.addAll(f.buildOutputLoads());
                noiseFragments.addAll(f.buildOutputNoise());
                bytecode.putAll(f.bytecode());
                Pattern own = join(f.languageLoads());
                f.languageExtensions().forEach(ext -> languageLoads.putIfAbsent(ext, own));
                Set<String> claimed = new LinkedHashSet<>(f.languageExtensions());
                claimed.addAll(f.languageExecCalls().keySet());
                claimed.forEach(ext -> claimants.computeIfAbsent(ext, x -> new ArrayList<>()).add(f));
                f.languageExecCalls().forEach((ext, calls) ->
                        languageCallFragments.computeIfAbsent(ext, x -> new LinkedHashSet<>()).addAll(calls));
            }
            languageCallFragments.forEach((ext, calls) -> languageExecCalls.put(ext, join(calls)));
            // an extension one ecosystem alone claims as its language's (.js, .py) is read for its calls only; one
            // several claim (C sources, compiled at install by npm and by pip) keeps every ecosystem's
            claimants.forEach((ext, owners) -> {
                if (owners.size() == 1) {
                    ownExecCalls.put(ext, join(owners.get(0).execCalls()));
                }
            });
            metadataPaths = join(metadataPathFragments);
            List<String> atSegment = new ArrayList<>();
            List<String> whole = new ArrayList<>();
            for (String fragment : metadataPathFragments) {
                String rest = fragment.startsWith(SEGMENT_START) ? fragment.substring(SEGMENT_START.length()) : null;
                if (rest != null && !topLevelAlternation(rest)) {
                    atSegment.add(rest);
                } else {
                    whole.add(fragment);
                }
            }
            metadataAtSegment = join(atSegment);
            metadataWhole = join(whole);
            testNames = join(testNameFragments);
            execCalls = join(execCallFragments);
            computedLoads = join(loadFragments);
            buildOutputLoads = join(buildLoadFragments);
            buildOutputNoise = join(noiseFragments);
        }

        /** One alternation of the fragments, each grouped; none matches nothing. */
        static Pattern join(Collection<String> fragments) {
            if (fragments.isEmpty()) {
                return Pattern.compile("(?!)");
            }
            List<String> grouped = new ArrayList<>();
            fragments.forEach(f -> grouped.add("(?:" + f + ")"));
            return Pattern.compile(String.join("|", grouped));
        }

        public boolean code(String extension) {
            return codeExtensions.contains(extension);
        }

        public boolean buildOutput(String extension) {
            return buildOutputExtensions.contains(extension);
        }

        public boolean metadataName(String lowerName) {
            return metadataNames.contains(lowerName);
        }

        /**
         * Whether the whole lowercase path matches one of the metadata-path fragments. Every file row asks, and a
         * fragment SEGMENT_START + X backtracks over the whole path once per fragment: X is tried instead at the path's
         * start and after each '/', the places where SEGMENT_START can end. A path with a line terminator (which '.'
         * does not match) goes to the joined pattern itself.
         */
        public boolean metadataPath(String lowerPath) {
            if (hasLineTerminator(lowerPath)) {
                return metadataPaths.matcher(lowerPath).matches();
            }
            if (metadataWhole.matcher(lowerPath).matches()) {
                return true;
            }
            java.util.regex.Matcher m = metadataAtSegment.matcher(lowerPath);
            for (int start = 0; start >= 0; ) {
                if (m.region(start, lowerPath.length()).matches()) {
                    return true;
                }
                int slash = lowerPath.indexOf('/', start);
                start = slash < 0 ? -1 : slash + 1;
            }
            return false;
        }

        /** The joined fragments, which {@link #metadataPath} answers for (tests compare the two). */
        Pattern metadataPathPattern() {
            return metadataPaths;
        }

        /** "At the start of the path or after any '/'", as the ecosystems write it. */
        private static final String SEGMENT_START = "(^|.*/)";

        /** Whether a regex has a '|' outside any group or class (then it cannot be cut from a prefix). */
        static boolean topLevelAlternation(String regex) {
            int depth = 0;
            boolean inClass = false;
            for (int i = 0; i < regex.length(); i++) {
                char c = regex.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (inClass) {
                    inClass = c != ']';
                } else if (c == '[') {
                    inClass = true;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == '|' && depth == 0) {
                    return true;
                }
            }
            return false;
        }

        private static boolean hasLineTerminator(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                    return true;
                }
            }
            return false;
        }

        public boolean testName(String name) {
            return testNames.matcher(name).matches();
        }

        public boolean flaggedCode(String extension) {
            return flaggedExtensions.contains(extension);
        }

        public boolean nativeCode(String extension) {
            return nativeExtensions.contains(extension);
        }

        /** The flags a file's lowercase name and extension carry. */
        public Set<RiskFlag> pathFlags(String lowerName, String extension) {
            Set<RiskFlag> out = EnumSet.noneOf(RiskFlag.class);
            out.addAll(nameFlags.getOrDefault(lowerName, Set.of()));
            out.addAll(extensionFlags.getOrDefault(extension, Set.of()));
            return out;
        }

        public List<String> execTokens() {
            return List.copyOf(execTokens);
        }

        public Pattern execCalls() {
            return execCalls;
        }

        /**
         * The exec-call patterns for a file: its language's own when an ecosystem claims the extension (a JavaScript
         * file runs under Node, whatever Python words it holds), else every ecosystem's.
         */
        public Pattern execCalls(String extension) {
            return ownExecCalls.getOrDefault(extension, execCalls);
        }

        /** The computed-load patterns for a file: its language's when an ecosystem claims the extension. */
        public Pattern computedLoads(String extension) {
            return languageLoads.getOrDefault(extension, computedLoads);
        }

        /** The exec-call patterns only files of this extension carry ({@link #languageExecCalls}), if any. */
        public Optional<Pattern> languageExecCalls(String extension) {
            return Optional.ofNullable(languageExecCalls.get(extension));
        }

        public Pattern buildOutputLoads() {
            return buildOutputLoads;
        }

        public Pattern buildOutputNoise() {
            return buildOutputNoise;
        }

        /** Whether the extension is bytecode, and if so the test that its text starts processes. */
        public Optional<Predicate<String>> bytecode(String extension) {
            return Optional.ofNullable(bytecode.get(extension));
        }
    }
}
