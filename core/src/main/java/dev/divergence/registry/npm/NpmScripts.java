package dev.divergence.registry.npm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a package.json script command does with files, read the way {@code sh -c} reads it (npm runs scripts with
 * {@code sh -c} on POSIX, https://docs.npmjs.com/cli/using-npm/scripts): the words of each simple command, and the
 * files it writes — by output redirect ({@code > F}, {@code >> F}, {@code 1> F}, {@code >| F}) or by a well-known
 * output flag ({@code --output F}, {@code --output=F}, {@code -o F}, {@code --out-file F}, {@code --outfile F},
 * {@code --out-file=F}). Only plain relative paths count: a word with {@code $}, a glob, a backquote, {@code ..} or
 * a leading {@code /} names no file that can be told, and a command after a {@code cd} runs elsewhere, so nothing it
 * writes is taken.
 */
final class NpmScripts {

    /** The output flags whose value is the file a tool writes (runmd, babel, browserify, esbuild, tsc's outFile...). */
    private static final Set<String> OUTPUT_FLAGS = Set.of("--output", "-o", "--out-file", "--outfile", "--outFile");
    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9_@+.,-][A-Za-z0-9_@+.,/-]*");

    private NpmScripts() {
    }

    /**
     * One shell token: a word (quotes removed) or an operator ({@code &&}, {@code |}, {@code >>}, ...); {@code unknown}
     * when the word holds an expansion that cannot be told ({@link #tokenize(String, NpmScriptEnv, String)}).
     */
    private record Token(String text, boolean operator, boolean unknown) {
        Token(String text, boolean operator) {
            this(text, operator, false);
        }
    }

    /**
     * The command with every output redirect clause ({@code N> F}, {@code N>> F}, {@code &> F}, {@code >| F} and the
     * file after it) removed: what is left names what the command runs or reads. A file written this way (a build
     * log, {@code 2> builderror.log}) is not executed by the command. An input redirect ({@code < F}, and
     * {@code <> F}, which opens F read-write as the input) stays: a shell or {@code node} reads F as its program when
     * the command is one.
     */
    static String withoutOutputRedirects(String command) {
        List<Token> tokens = tokenize(command);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.operator() && isOutputRedirect(t.text())) {
                i++; // and its target
                continue;
            }
            out.append(t.text()).append(' ');
        }
        return out.toString().strip();
    }

    /**
     * The files (relative to the package folder, {@code ./} removed) the command writes by a stdout redirect
     * ({@code >}, {@code >>}, {@code 1>}, {@code 1>>}, {@code >|}) or a well-known output flag, in order.
     */
    static Set<String> writtenFiles(String command) {
        Set<String> out = new LinkedHashSet<>();
        List<Token> tokens = tokenize(command);
        boolean elsewhere = false;
        boolean commandStart = true;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.operator()) {
                String op = t.text();
                if (op.matches("1?>>?|1?>\\|") && i + 1 < tokens.size() && !tokens.get(i + 1).operator()) {
                    add(out, tokens.get(i + 1).text(), elsewhere);
                    i++;
                    continue;
                }
                if (isOutputRedirect(op) || op.contains("<")) {
                    i++; // stderr/other redirects and input: their targets are no output of the build
                    continue;
                }
                commandStart = true;
                continue;
            }
            String w = t.text();
            if (commandStart && (w.equals("cd") || w.equals("pushd") || w.equals("popd"))) {
                elsewhere = true; // relative paths after this resolve in another folder
            }
            commandStart = false;
            if (OUTPUT_FLAGS.contains(w) && i + 1 < tokens.size() && !tokens.get(i + 1).operator()) {
                add(out, tokens.get(i + 1).text(), elsewhere);
                i++;
                continue;
            }
            int eq = w.indexOf('=');
            if (w.startsWith("--") && eq > 0 && OUTPUT_FLAGS.contains(w.substring(0, eq))) {
                add(out, w.substring(eq + 1), elsewhere);
            }
        }
        return out;
    }

    /** Runners of the package's own scripts by name: {@code npm run X}, {@code yarn [run] X}, {@code run-s X Y}. */
    private static final Set<String> RUN_VERBS = Set.of("run", "run-script", "rum", "urn");
    private static final Set<String> RUN_ALL = Set.of("run-s", "run-p", "npm-run-all");
    /** npm's own commands that run the script of that name. */
    private static final java.util.Map<String, String> NPM_ALIASES = java.util.Map.of("test", "test", "t", "test",
            "tst", "test", "start", "start", "stop", "stop", "restart", "restart");
    private static final Pattern SCRIPT_NAME = Pattern.compile("[A-Za-z0-9_:.@+-]+");

    /**
     * The scripts of the same package.json the command runs by name, in order: {@code npm run X} (also
     * {@code run-script} and its aliases, flags such as {@code --silent} skipped), {@code yarn run X},
     * {@code pnpm run X}, {@code yarn X} / {@code pnpm X} when X is one of {@code scripts} (what yarn and pnpm do
     * with a name that is no command of theirs), and the plain names given to npm-run-all's {@code run-s}/{@code run-p}
     * (a glob names nothing that can be told). npm runs a script with the package folder as working directory
     * wherever it is called from, but a {@code cd} before the runner could reach another package's manifest, so
     * nothing after one is taken.
     */
    static List<String> scriptsRun(String command, Set<String> scripts) {
        List<String> out = new ArrayList<>();
        boolean elsewhere = false;
        for (List<String> words : simpleCommands(command)) {
            String w0 = words.get(0);
            if (w0.equals("cd") || w0.equals("pushd") || w0.equals("popd")) {
                elsewhere = true;
            }
            if (!elsewhere) {
                named(words, scripts, out);
            }
        }
        return out;
    }

    /**
     * The words of each simple command, in order (split at {@code && || ; | & ( )}), with every redirect and its
     * target left out: an input redirect's file is read by the command, never one of its words.
     */
    private static List<List<String>> simpleCommands(String command) {
        List<List<String>> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        List<Token> tokens = tokenize(command);
        for (int i = 0; i <= tokens.size(); i++) {
            Token t = i < tokens.size() ? tokens.get(i) : null;
            if (t != null && !t.operator()) {
                words.add(t.text());
                continue;
            }
            if (t != null && (isOutputRedirect(t.text()) || t.text().contains("<") || t.text().matches("1?>>?|1?>\\|"))) {
                i++; // a redirect's target is no word of the command
                continue;
            }
            if (!words.isEmpty()) {
                List<String> simple = unwrapped(words);
                out.add(simple);
                shellString(simple).ifPresent(inner -> out.addAll(simpleCommands(inner)));
            }
            words.clear();
        }
        return out;
    }

    /** Commands that run the rest of their words as a command: {@code env}, {@code exec}, {@code nice}, ... */
    private static final Set<String> WRAPPERS = Set.of("env", "exec", "command", "nice", "time", "nohup", "builtin",
            "ionice", "stdbuf", "timeout", "npx", "cross-env", "dotenv", "/usr/bin/env");
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ksh", "/bin/sh", "/bin/bash");

    /**
     * The words with leading variable assignments ({@code FOO=1 npm run x}) and wrapper commands with their options
     * ({@code env -i npm run x}, {@code nice -n 5 node x.js}, {@code exec npm run x}, {@code cross-env A=1 node x}) left
     * out: what runs is the command after them.
     */
    static List<String> unwrapped(List<String> words) {
        int i = 0;
        while (i < words.size() - 1) {
            String w = words.get(i);
            if (w.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                i++;
            } else if (WRAPPERS.contains(w)) {
                i++;
                // the wrapper's options and their values (-n 5, -u NAME, --, a duration for timeout)
                while (i < words.size() - 1 && (words.get(i).startsWith("-") || words.get(i).matches("[0-9.]+[smhd]?")
                        || (i > 0 && words.get(i - 1).matches("-[nuCk]|--adjustment|--unset|--chdir")))) {
                    i++;
                }
            } else {
                break;
            }
        }
        return List.copyOf(words.subList(i, words.size()));
    }

    /** The command string of {@code sh -c 'STRING'} (any common shell, options before {@code -c} allowed). */
    static Optional<String> shellString(List<String> words) {
        if (words.isEmpty() || !SHELLS.contains(words.get(0))) {
            return Optional.empty();
        }
        for (int i = 1; i < words.size() - 1; i++) {
            String w = words.get(i);
            if (!w.startsWith("-")) {
                return Optional.empty(); // a script file, not a command string
            }
            if (w.matches("-[a-zA-Z]*c[a-zA-Z]*")) {
                return Optional.of(words.get(i + 1));
            }
        }
        return Optional.empty();
    }

    /** node's options whose value is a module it loads before the program (https://nodejs.org/api/cli.html). */
    private static final Set<String> PRELOAD_OPTIONS = Set.of("-r", "--require", "--import", "--loader",
            "--experimental-loader");

    /**
     * The module specifiers {@code node} is given in the command, as written: every word after a {@code node} (or
     * {@code nodejs}, or a path ending {@code /node}) command word that is no option — the program and, since an
     * option taking a separate value cannot always be told from the program, its arguments too — and the value of
     * each preload option ({@code -r X}, {@code --require=X}, {@code --import X}, {@code --loader X}). Each is to
     * be resolved the way Node resolves a module path ({@code X}, {@code X.js}, {@code X/index.js}, ...), since
     * {@code node scripts/setup} runs {@code scripts/setup.js}. Redirect targets are no words of the command.
     */
    static List<String> nodeModules(String command) {
        List<String> out = new ArrayList<>();
        for (List<String> words : simpleCommands(command)) {
            out.addAll(nodeModules(words));
        }
        return out;
    }

    /** {@link #nodeModules(String)} for the words of one simple command. */
    static List<String> nodeModules(List<String> words) {
        List<String> out = new ArrayList<>();
        {
            boolean afterNode = false;
            for (int w = 0; w < words.size(); w++) {
                String word = words.get(w);
                if (!afterNode) {
                    afterNode = word.equals("node") || word.equals("nodejs") || word.endsWith("/node");
                    continue;
                }
                int eq = word.indexOf('=');
                if (PRELOAD_OPTIONS.contains(word) && w + 1 < words.size()) {
                    out.add(words.get(++w));
                } else if (word.startsWith("--") && eq > 0 && PRELOAD_OPTIONS.contains(word.substring(0, eq))) {
                    out.add(word.substring(eq + 1));
                } else if (!word.startsWith("-")) {
                    out.add(word);
                }
            }
        }
        return out;
    }

    /** The most scripts followed from one lifecycle script (each read once): a bound on what a manifest can ask. */
    static final int MAX_REACHED_SCRIPTS = 32;

    /**
     * A simple command of a script npm runs, with the folders (relative to the package folder, {@code ""} for it,
     * else ending in {@code /}) its relative paths can resolve from: the folder of the script's manifest
     * ({@code manifest}), where npm starts every script, and the folder a {@code cd DIR}/{@code pushd DIR} before it moved to (sh keeps the folder across
     * {@code && || ;}, a subshell's {@code ( )} restores it). {@code inputs} are the files of its input redirects
     * ({@code sh < fix.sh}, {@code node <> run.js}), which the command reads as its program. {@code unresolved} are
     * the words (and inputs) holding a variable or command substitution that could not be told
     * ({@link NpmScriptEnv#expand}): what they name is unknown.
     */
    record Step(String script, List<String> words, List<String> inputs, Set<String> dirs, String manifest,
                List<String> unresolved) {
        Step(String script, List<String> words, List<String> inputs, Set<String> dirs, String manifest) {
            this(script, words, inputs, dirs, manifest, List.of());
        }

    }

    /** Script {@code script} of the manifest in folder {@code manifest} ({@code ""}: the package's own). */
    private record Run(String manifest, String script) {
    }

    /**
     * The simple commands npm runs for script {@code name} of a manifest whose scripts are {@code scripts}: its own,
     * then those of every script it runs by name ({@code npm run X}, {@code npm run-script X --silent},
     * {@code yarn [run] X}, {@code pnpm [run] X}, {@code npm test}/{@code start}, {@code run-s X}: see
     * {@link #scriptsRun}) with the {@code preX}/{@code postX} scripts npm (and yarn 1) run around X, each script read
     * once and at most {@link #MAX_REACHED_SCRIPTS} of them. npm runs a named script in the package folder wherever
     * it was called from, so a script run after a {@code cd} is still this manifest's.
     */
    static List<Step> reached(String name, java.util.Map<String, String> scripts) {
        return reached(name, dir -> dir.isEmpty() ? scripts : java.util.Map.of());
    }

    /**
     * {@link #reached(String, java.util.Map)} across the manifests of the package: {@code manifests} gives the scripts
     * of the {@code package.json} in a folder ({@code ""} for the package's own, else ending in {@code /}; empty when
     * there is none). A runner given a folder ({@code npm --prefix D run X}, {@code npm -C D}, {@code yarn --cwd D},
     * {@code pnpm --dir D}/{@code -C D}, {@code npm -w D}) runs X of D's manifest, and one run after a {@code cd}
     * runs X of the nearest manifest at or above the folder it is in (npm's prefix: the closest folder holding a
     * {@code package.json}): the folders a step can run in are each followed, so a script is never missed for a
     * folder that could not be told.
     */
    static List<Step> reached(String name, java.util.function.Function<String, java.util.Map<String, String>> manifests) {
        return reached(name, manifests, dir -> null); // words as written
    }

    /**
     * {@link #reached(String, java.util.function.Function)} with each step's words expanded as the shell expands them
     * in the environment npm gives the scripts of that manifest ({@code envs}, by manifest folder: its
     * {@code npm_package_*} variables, {@link NpmScriptEnv}), before the scripts it runs by name are followed
     * ({@code npm run $npm_package_config_task}).
     */
    static List<Step> reached(String name, java.util.function.Function<String, java.util.Map<String, String>> manifests,
                              java.util.function.Function<String, NpmScriptEnv> envs) {
        List<Step> out = new ArrayList<>();
        java.util.ArrayDeque<Run> todo = new java.util.ArrayDeque<>(List.of(new Run("", name)));
        Set<Run> seen = new LinkedHashSet<>();
        while (!todo.isEmpty() && seen.size() < MAX_REACHED_SCRIPTS) {
            Run run = todo.poll();
            java.util.Map<String, String> scripts = manifests.apply(run.manifest());
            if (!scripts.containsKey(run.script()) || !seen.add(run)) {
                continue;
            }
            NpmScriptEnv env = envs.apply(run.manifest());
            for (Step step : steps(run.script(), scripts.get(run.script()), run.manifest(), 0, env)) {
                out.add(step);
                for (Run r : runs(step, manifests)) {
                    todo.add(new Run(r.manifest(), "pre" + r.script()));
                    todo.add(r);
                    todo.add(new Run(r.manifest(), "post" + r.script()));
                }
            }
        }
        return out;
    }

    /** Options of npm, yarn and pnpm whose value is the folder whose manifest's script runs. */
    private static final Set<String> FOLDER_OPTIONS = Set.of("--prefix", "-C", "--cwd", "--dir", "-w", "--workspace");

    /** The scripts a step runs by name, each with the manifest folder it is read from. */
    private static List<Run> runs(Step step, java.util.function.Function<String, java.util.Map<String, String>> manifests) {
        List<String> words = unwrapped(step.words()); // FOO=1 npm run x, env npm run x
        Optional<String> folder = Optional.empty();
        List<String> rest = new ArrayList<>(List.of(words.get(0)));
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            int eq = w.indexOf('=');
            if (FOLDER_OPTIONS.contains(w) && i + 1 < words.size()) {
                folder = Optional.of(words.get(++i));
            } else if (w.startsWith("--") && eq > 0 && FOLDER_OPTIONS.contains(w.substring(0, eq))) {
                folder = Optional.of(w.substring(eq + 1));
            } else {
                rest.add(w);
            }
        }
        Set<String> targets = new LinkedHashSet<>();
        for (String cwd : step.dirs()) {
            if (folder.isPresent()) {
                if (PLAIN_PATH.matcher(folder.get()).matches()) {
                    NpmModules.segments(cwd + folder.get()).ifPresent(parts -> targets.add(
                            parts.isEmpty() ? "" : String.join("/", parts) + "/"));
                }
            } else {
                targets.add(nearestManifest(cwd, manifests));
            }
        }
        List<Run> out = new ArrayList<>();
        for (String target : targets) {
            List<String> named = new ArrayList<>();
            named(rest, manifests.apply(target).keySet(), named);
            named.forEach(n -> out.add(new Run(target, n)));
        }
        return out;
    }

    /** The closest folder at or above {@code dir} (within the package) whose manifest declares scripts; the package's own at last. */
    private static String nearestManifest(String dir, java.util.function.Function<String, java.util.Map<String, String>> manifests) {
        String d = dir;
        while (!d.isEmpty() && manifests.apply(d).isEmpty()) {
            int slash = d.lastIndexOf('/', d.length() - 2);
            d = slash < 0 ? "" : d.substring(0, slash + 1);
        }
        return d;
    }

    /** The names of the scripts {@link #reached} reads for {@code name} ({@code name} first when declared). */
    static Set<String> reachedNames(String name, java.util.Map<String, String> scripts) {
        Set<String> out = new LinkedHashSet<>();
        reached(name, scripts).forEach(s -> out.add(s.script()));
        return out;
    }

    /** The simple commands of one script, each with the folders it can run in ({@link Step}). */
    static List<Step> steps(String script, String command) {
        return steps(script, command, "");
    }

    /**
     * {@link #steps(String, String)} of a script of the manifest in folder {@code manifest} ({@code ""} or ending in
     * {@code /}): npm starts it there, so its folders are taken from there, and it is named
     * {@code MANIFEST/package.json's SCRIPT}.
     */
    private static List<Step> steps(String script, String command, String manifest) {
        return steps(script, command, manifest, 0, null);
    }

    private static final int MAX_SHELL_DEPTH = 4;

    private static List<Step> steps(String script, String command, String manifest, int depth, NpmScriptEnv env) {
        String name = manifest.isEmpty() ? script : manifest + "package.json's " + script;
        List<Step> out = new ArrayList<>();
        List<Token> tokens = tokenize(command, env, script);
        List<String> unknown = new ArrayList<>();
        java.util.ArrayDeque<Optional<String>> subshells = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Optional<String>> pushed = new java.util.ArrayDeque<>();
        Optional<String> dir = Optional.of(manifest);
        List<String> words = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i <= tokens.size(); i++) {
            Token t = i < tokens.size() ? tokens.get(i) : null;
            if (t != null && !t.operator()) {
                words.add(t.text());
                if (t.unknown()) {
                    unknown.add(t.text());
                }
                continue;
            }
            if (t != null && (isOutputRedirect(t.text()) || t.text().contains("<") || t.text().matches("1?>>?|1?>\\|"))) {
                boolean input = t.text().matches("[0-9]*<>?");
                if (input && i + 1 < tokens.size() && !tokens.get(i + 1).operator()) {
                    inputs.add(tokens.get(i + 1).text());
                    if (tokens.get(i + 1).unknown()) {
                        unknown.add(tokens.get(i + 1).text());
                    }
                }
                i++; // a redirect's target is no word of the command
                continue;
            }
            if (!words.isEmpty()) {
                Set<String> dirs = new LinkedHashSet<>();
                dirs.add(manifest);
                dir.ifPresent(dirs::add);
                List<String> simple = unwrapped(words);
                out.add(new Step(name, simple, List.copyOf(inputs), dirs, manifest, List.copyOf(unknown)));
                // sh -c 'npm run setup && node x.js': the string is a script of its own, run from the same folder
                Optional<String> inner = shellString(simple);
                if (inner.isPresent() && depth < MAX_SHELL_DEPTH) {
                    for (Step st : steps(script, inner.get(), manifest, depth + 1, env)) {
                        Set<String> innerDirs = new LinkedHashSet<>(dirs);
                        innerDirs.addAll(st.dirs());
                        out.add(new Step(name, st.words(), st.inputs(), innerDirs, manifest, st.unresolved()));
                    }
                }
                dir = folderAfter(simple, dir, pushed);
            }
            words.clear();
            inputs.clear();
            unknown.clear();
            if (t != null && t.text().equals("(")) {
                subshells.push(dir);
            } else if (t != null && t.text().equals(")") && !subshells.isEmpty()) {
                dir = subshells.pop();
            }
        }
        return out;
    }

    /** The folder sh is in after the simple command: moved by {@code cd}/{@code pushd}/{@code popd}; empty when it cannot be told. */
    private static Optional<String> folderAfter(List<String> words, Optional<String> dir,
                                                java.util.ArrayDeque<Optional<String>> pushed) {
        String w0 = words.get(0);
        if (w0.equals("popd")) {
            return pushed.isEmpty() ? Optional.empty() : pushed.pop();
        }
        if (!w0.equals("cd") && !w0.equals("pushd")) {
            return dir;
        }
        if (w0.equals("pushd")) {
            pushed.push(dir);
        }
        Optional<String> arg = words.stream().skip(1).filter(w -> !w.startsWith("-")).findFirst();
        if (arg.isEmpty() || dir.isEmpty() || !PLAIN_PATH.matcher(arg.get()).matches()) {
            return Optional.empty(); // cd alone goes home; cd $X, cd ~ or an absolute path: not this package
        }
        return NpmModules.segments(dir.get() + arg.get()).map(parts -> parts.isEmpty() ? "" : String.join("/", parts) + "/");
    }

    private static void named(List<String> words, Set<String> scripts, List<String> out) {
        words = unwrapped(words); // FOO=1 npm run x, env npm run x
        String w0 = words.get(0);
        List<String> args = words.subList(1, words.size()).stream().filter(w -> !w.startsWith("-")).toList();
        if (RUN_ALL.contains(w0)) {
            args.stream().filter(a -> SCRIPT_NAME.matcher(a).matches() && scripts.contains(a)).forEach(out::add);
            return;
        }
        if (!(w0.equals("npm") || w0.equals("yarn") || w0.equals("pnpm")) || args.isEmpty()) {
            return;
        }
        // an option's separate value can come before the verb (npm --loglevel silent run setup, yarn --cwd . setup):
        // the first words that are a run verb, npm's alias or (yarn, pnpm) a declared script decide, fail-closed
        for (int i = 0; i < Math.min(3, args.size()); i++) {
            String a = args.get(i);
            String name = RUN_VERBS.contains(a) ? (i + 1 < args.size() ? args.get(i + 1) : null)
                    : w0.equals("npm") ? NPM_ALIASES.get(a) : scripts.contains(a) ? a : null;
            if (name != null && SCRIPT_NAME.matcher(name).matches() && scripts.contains(name)) {
                out.add(name);
                return;
            }
            if (RUN_VERBS.contains(a)) {
                return;
            }
        }
    }

    private static void add(Set<String> out, String word, boolean elsewhere) {
        String p = word.replaceFirst("^(\\./)+", "");
        if (elsewhere || !PLAIN_PATH.matcher(p).matches() || p.equals("..") || p.startsWith("../")
                || p.contains("/../") || p.endsWith("/..") || p.endsWith("/") || p.equals(".") || p.startsWith("-")) {
            return;
        }
        out.add(p);
    }

    private static boolean isOutputRedirect(String op) {
        return op.matches("[0-9]*>>?|[0-9]*>\\||&>>?|[0-9]*>&");
    }

    /**
     * {@code sh} tokens: words with single/double quotes and backslash escapes resolved (a word that had a {@code $}
     * or a backquote keeps it, so it names no plain file), and the operators {@code && || ; | & ( )} and redirects
     * ({@code N>}, {@code N>>}, {@code >|}, {@code &>}, {@code N>&}, {@code N<}, {@code N<>}, {@code N<&}, {@code <<},
     * {@code <<-}).
     */
    private static List<Token> tokenize(String s) {
        return tokenize(s, null, "");
    }

    /**
     * {@link #tokenize(String)} with the shell's expansions done in the environment npm gives script {@code event}
     * ({@code env}; none when null): outside single quotes {@code $NAME}, {@code ${NAME}} are replaced by what
     * {@link NpmScriptEnv#lookup} knows, positional and special parameters ({@code $1}, {@code $@}, {@code $?}) by
     * nothing, and cmd.exe's {@code %NAME%} anywhere; any other variable, {@code ${X:-y}}, {@code $(...)} (kept in its
     * word, not split at its parentheses) and backquotes stay as written and mark the word
     * {@link Token#unknown()}. Inside single quotes nothing is expanded ({@code node -e 'require(`./x`)'}).
     */
    private static List<Token> tokenize(String s, NpmScriptEnv env, String event) {
        List<Token> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean[] unknown = new boolean[1];
        boolean inWord = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'' ) {
                int end = s.indexOf('\'', i + 1);
                end = end < 0 ? s.length() : end;
                word.append(s, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != '"') {
                    char d = s.charAt(j);
                    if (d == '\\' && j + 1 < s.length()) {
                        j++;
                    } else if (env != null && (d == '$' || d == '`')) {
                        j = expansion(s, j, word, env, event, unknown);
                        continue;
                    }
                    word.append(s.charAt(j));
                    j++;
                }
                inWord = true;
                i = j + 1;
            } else if (c == '\\' && i + 1 < s.length()) {
                word.append(s.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (env != null && (c == '$' || c == '`')) {
                int before = word.length();
                i = expansion(s, i, word, env, event, unknown);
                inWord |= word.length() > before; // an unquoted expansion to nothing is no word
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word(word, env, event, unknown));
                    inWord = false;
                }
                i++;
            } else if ("&|;()<>".indexOf(c) >= 0) {
                // a redirect's file-descriptor number is the word just before it, with no blank between
                String fd = "";
                if (inWord && (c == '>' || c == '<') && word.toString().matches("[0-9]+")) {
                    fd = word.toString();
                    word.setLength(0);
                    inWord = false;
                }
                if (inWord) {
                    out.add(word(word, env, event, unknown));
                    inWord = false;
                }
                String op = operatorAt(s, i);
                out.add(new Token(fd + op, true));
                i += op.length();
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            out.add(word(word, env, event, unknown));
        }
        return out;
    }

    private static final Pattern CMD_VARIABLE = Pattern.compile("%([A-Za-z_][A-Za-z0-9_.-]*)%");

    /** The word read so far as a token, cmd.exe's {@code %NAME%} expanded; the builder and the flag are reset. */
    private static Token word(StringBuilder word, NpmScriptEnv env, String event, boolean[] unknown) {
        String text = word.toString();
        boolean unknownWord = unknown[0];
        word.setLength(0);
        unknown[0] = false;
        if (env != null && text.indexOf('%') >= 0) {
            java.util.regex.Matcher m = CMD_VARIABLE.matcher(text);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                Optional<String> v = env.lookup(m.group(1), event);
                unknownWord |= v.isEmpty();
                m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(v.orElse(m.group())));
            }
            m.appendTail(b);
            text = b.toString();
        }
        return new Token(text, false, unknownWord);
    }

    /**
     * The expansion starting at {@code s[i]} ({@code $...} or a backquote) appended to {@code word}: its value when
     * {@code env} knows it, else its text with {@code unknown[0]} set. Returns the index after it.
     */
    private static int expansion(String s, int i, StringBuilder word, NpmScriptEnv env, String event, boolean[] unknown) {
        if (s.charAt(i) == '`') {
            int end = s.indexOf('`', i + 1);
            end = end < 0 ? s.length() : end + 1;
            word.append(s, i, end);
            unknown[0] = true; // a command's output
            return end;
        }
        if (i + 1 >= s.length()) {
            word.append('$');
            return i + 1;
        }
        char n = s.charAt(i + 1);
        if (n == '(') {
            int depth = 0;
            int j = i + 1;
            for (; j < s.length(); j++) {
                depth += s.charAt(j) == '(' ? 1 : s.charAt(j) == ')' ? -1 : 0;
                if (depth == 0) {
                    break;
                }
            }
            int end = Math.min(j + 1, s.length());
            word.append(s, i, end);
            unknown[0] = true; // $(...), $((...)): a command's output or arithmetic
            return end;
        }
        String name;
        int end;
        if (n == '{') {
            int close = s.indexOf('}', i + 2);
            end = close < 0 ? s.length() : close + 1;
            name = close < 0 ? "" : s.substring(i + 2, close);
        } else if (Character.isLetter(n) || n == '_') {
            int j = i + 1;
            while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                j++;
            }
            end = j;
            name = s.substring(i + 1, j);
        } else if ("0123456789?#@*!$-".indexOf(n) >= 0) {
            return i + 2; // no argument is given to an install script; a status or a pid names no file
        } else {
            word.append('$');
            return i + 1;
        }
        Optional<String> v = name.matches("[A-Za-z_][A-Za-z0-9_]*") ? env.lookup(name, event) : Optional.empty();
        if (v.isPresent()) {
            word.append(v.get());
        } else {
            word.append(s, i, end);
            unknown[0] = true;
        }
        return end;
    }

    private static String operatorAt(String s, int i) {
        // longest first: <> opens its file read-write as the input (sh -c "node <> x.js" runs x.js), <<- is a here-doc
        for (String op : List.of("<<-", "&>>", "&&", "||", ">>", ">|", ">&", "&>", "<<", "<&", "<>")) {
            if (s.startsWith(op, i)) {
                return op;
            }
        }
        return s.substring(i, i + 1);
    }
}
