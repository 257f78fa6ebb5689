package dev.divergence.registry.npm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NpmScriptsTest {

    @Test
    void outputRedirectsAndOutputFlagsNameTheFilesACommandWrites() {
        assertEquals(Set.of("types.json"), NpmScripts.writtenFiles("node build/build.js > types.json"));
        assertEquals(Set.of("README.md"),
                NpmScripts.writtenFiles("node src/build.js && runmd --output README.md src/README_js.md"));
        assertEquals(List.of("a.js", "b.js", "c.js", "d.js", "e.js", "f.js"), List.copyOf(NpmScripts.writtenFiles(
                "x >>a.js; y 1> ./b.js && babel src -o c.js --out-file=d.js | z --outfile \"e.js\" ; w>|f.js")));
    }

    @Test
    void stderrInputRedirectsOtherFoldersAndUnplainPathsNameNothing() {
        assertEquals(Set.of(), NpmScripts.writtenFiles("node-gyp rebuild 2> builderror.log"));
        assertEquals(Set.of(), NpmScripts.writtenFiles("node x.js < input.js 2>&1"));
        assertEquals(Set.of(), NpmScripts.writtenFiles("cd lib && node b.js > out.js"));
        assertEquals(Set.of(), NpmScripts.writtenFiles("node b > ../up.js; node c > $OUT; node d > /etc/x; node e > *.js"));
        assertEquals(Set.of(), NpmScripts.writtenFiles("echo '> quoted.js' \"--output x.js\""));
    }

    @Test
    void removingOutputRedirectsKeepsWhatTheCommandRunsAndReads() {
        assertEquals("( node-gyp rebuild ) || ( exit 0 )",
                NpmScripts.withoutOutputRedirects("(node-gyp rebuild 2> builderror.log) || (exit 0)"));
        assertEquals("node x.js", NpmScripts.withoutOutputRedirects("node x.js >out.log 2>&1"));
        assertEquals("sh < setup.sh", NpmScripts.withoutOutputRedirects("sh < setup.sh"));
    }

    @Test
    void aReadWriteOrDuplicatedInputRedirectKeepsItsFileAndWritesNothing() {
        // sh -c "node <> x.js" opens x.js read-write as node's stdin: node runs it
        assertEquals("node <> scripts/setup.js", NpmScripts.withoutOutputRedirects("node <> scripts/setup.js"));
        assertEquals("node 0<> x.js", NpmScripts.withoutOutputRedirects("node 0<> x.js 2> e.log"));
        assertEquals("sh <<- EOF", NpmScripts.withoutOutputRedirects("sh <<- EOF"));
        assertEquals(Set.of("b.txt"), NpmScripts.writtenFiles("cat <> a.txt > b.txt; cat 0<&3 > b.txt"));
    }

    @Test
    void nodeIsGivenItsProgramItsArgumentsAndItsPreloadModules() {
        assertEquals(List.of("./hook", "./h2", "./h3", "scripts/setup", "arg"), NpmScripts.nodeModules(
                "FOO=1 node -r ./hook --require=./h2 --import ./h3 --max-old-space-size=99 scripts/setup arg > out.log"));
        assertEquals(List.of("x", "y"), NpmScripts.nodeModules("echo x && /usr/bin/node x 2>&1 | tee l; nodejs y"));
        assertEquals(List.of(), NpmScripts.nodeModules("node-gyp rebuild && echo node"));
    }

    @Test
    void scriptsRunByNameAreTheOnesTheManifestHasAfterNoCd() {
        Set<String> scripts = Set.of("dist", "prepublishOnly", "build", "lint", "test");
        assertEquals(List.of("prepublishOnly"), NpmScripts.scriptsRun("not-in-publish || npm run prepublishOnly", scripts));
        assertEquals(List.of("dist", "build", "test"), NpmScripts.scriptsRun(
                "npm run --silent dist > x.log && yarn build; npm test", scripts));
        assertEquals(List.of("lint", "build"), NpmScripts.scriptsRun("run-s lint 'b*' build", scripts));
        assertEquals(List.of("build"), NpmScripts.scriptsRun("pnpm run build", scripts));
        // a name the manifest lacks, yarn's own command, a runner after cd: nothing
        assertEquals(List.of(), NpmScripts.scriptsRun("npm run missing; yarn install; npm publish", scripts));
        assertEquals(List.of(), NpmScripts.scriptsRun("cd packages/a && npm run dist", scripts));
        assertEquals(List.of(), NpmScripts.scriptsRun("echo 'npm run dist'", scripts));
    }

    @Test
    void aCdMovesWhereRelativePathsResolveUntilTheSubshellEndsOrPopd() {
        // red10 case4b: "cd scripts && node setup.js" runs scripts/setup.js
        List<NpmScripts.Step> steps = NpmScripts.steps("postinstall",
                "cd scripts && node setup.js; (cd ../x && a) && b; pushd lib/y; c; popd; d; cd $HOME; e < in.sh");
        assertEquals(List.of("cd scripts", "node setup.js", "cd ../x", "a", "b", "pushd lib/y", "c", "popd", "d",
                "cd $HOME", "e"), steps.stream().map(s -> String.join(" ", s.words())).toList());
        assertEquals(List.of(Set.of(""), Set.of("", "scripts/"), Set.of("", "scripts/"), Set.of("", "x/"),
                Set.of("", "scripts/"), Set.of("", "scripts/"), Set.of("", "scripts/lib/y/"), Set.of("", "scripts/lib/y/"),
                Set.of("", "scripts/"), Set.of("", "scripts/"), Set.of("")), steps.stream().map(NpmScripts.Step::dirs).toList());
        assertEquals(List.of("in.sh"), steps.get(steps.size() - 1).inputs());
    }

    @Test
    void optionValuesWrappersAndShellStringsDoNotHideWhatRuns() {
        java.util.Set<String> scripts = java.util.Set.of("setup", "fix", "build", "lint");
        assertEquals(List.of("setup"), NpmScripts.scriptsRun("npm --loglevel silent run setup", scripts));
        assertEquals(List.of("setup"), NpmScripts.scriptsRun("yarn --cwd . setup", scripts));
        assertEquals(List.of("fix", "build"), NpmScripts.scriptsRun("sh -c 'npm run fix && bash -lc \"pnpm build\"'", scripts));
        assertEquals(List.of("setup", "fix", "build"), NpmScripts.scriptsRun(
                "env -i PATH=/bin npm run setup; exec npm run fix; nice -n 5 time npm run build", scripts));
        // yarn's own commands and a missing name still run nothing
        assertEquals(List.of(), NpmScripts.scriptsRun("yarn install --frozen-lockfile; npm run missing", scripts));
        assertEquals(List.of("node", "x.js"), NpmScripts.unwrapped(List.of("FOO=1", "cross-env", "A=2", "node", "x.js")));
        assertEquals(java.util.Optional.of("node x.js"), NpmScripts.shellString(List.of("bash", "-e", "-c", "node x.js")));
        assertEquals(java.util.Optional.empty(), NpmScripts.shellString(List.of("sh", "run.sh")));
    }

    /**
     * Red team round 8 (c1): npm's package variables are expanded as the shell expands them — outside single quotes,
     * through the scripts a runner names by a variable, cmd.exe's %X% too —, and a word holding what cannot be told
     * (another variable, $(...), backquotes, ${X:-y}) is marked unresolved.
     */
    @Test
    void npmsPackageVariablesAreExpandedAndWhatCannotBeToldIsMarked() throws Exception {
        com.fasterxml.jackson.databind.JsonNode pkg = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"name\": \"@acme/w\", \"version\": \"1.2.3\", \"bin\": \"cli.js\", \"main\": \"lib/index.js\","
                        + " \"config\": {\"setup\": \"scripts/setup.js\", \"task\": \"fix\", \"list\": [\"a.js\"]}}");
        NpmScriptEnv env = NpmScriptEnv.of(pkg);
        java.util.Map<String, String> scripts = java.util.Map.of("postinstall", "node $npm_package_config_setup"
                + " && node \"${npm_package_config_list_0}\" %npm_package_main% && npm run $npm_package_config_task"
                + " && node -e 'require(`./$npm_package_main`)' && node $npm_package_bin_w $1 $PWD/x.js",
                "fix", "node scripts/$npm_lifecycle_event.js && node $HOME/a.js; node $(echo b).js; node `echo c`;"
                        + " node ${npm_package_main:-d.js}");
        List<NpmScripts.Step> steps = NpmScripts.reached("postinstall", d -> d.isEmpty() ? scripts : java.util.Map.of(),
                d -> env);
        assertEquals(List.of("node scripts/setup.js", "node a.js lib/index.js", "npm run fix",
                "node -e require(`./$npm_package_main`)", "node cli.js ./x.js", "node scripts/fix.js", "node $HOME/a.js",
                "node $(echo b).js", "node `echo c`", "node ${npm_package_main:-d.js}"),
                steps.stream().map(s -> String.join(" ", s.words())).toList());
        assertEquals(List.of(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of("$HOME/a.js"),
                List.of("$(echo b).js"), List.of("`echo c`"), List.of("${npm_package_main:-d.js}")),
                steps.stream().map(NpmScripts.Step::unresolved).toList());
        // without an environment the words are as written, as before
        assertEquals("node $npm_package_config_setup", String.join(" ",
                NpmScripts.reached("postinstall", scripts).get(0).words()));
    }

    @Test
    void aRunnerGivenAFolderOrRunAfterACdRunsTheScriptOfThatFoldersNearestManifest() {
        java.util.Map<String, java.util.Map<String, String>> manifests = java.util.Map.of(
                "", java.util.Map.of("postinstall", "npm --prefix tools run a; yarn --cwd=tools b; pnpm -C x/y c;"
                        + " cd hooks/deep && npm run d; (cd lib && npm run e)", "e", "node root-e.js"),
                "tools/", java.util.Map.of("a", "node a.js", "b", "node b.js", "prea", "node pre.js"),
                "x/y/", java.util.Map.of("c", "node c.js"),
                "hooks/", java.util.Map.of("d", "cd .. && node d.js"));
        List<NpmScripts.Step> steps = NpmScripts.reached("postinstall", d -> manifests.getOrDefault(d, java.util.Map.of()));
        java.util.Map<String, String> byScript = new java.util.LinkedHashMap<>();
        steps.forEach(s -> byScript.merge(s.script(), String.join(" ", s.words()) + " @" + s.dirs(), (x, y) -> x + "; " + y));
        assertEquals("node pre.js @[tools/]", byScript.get("tools/package.json's prea"));
        assertEquals("node a.js @[tools/]", byScript.get("tools/package.json's a"));
        assertEquals("node b.js @[tools/]", byScript.get("tools/package.json's b"));
        assertEquals("node c.js @[x/y/]", byScript.get("x/y/package.json's c"));
        // hooks/deep has no manifest: npm runs the nearest one above, hooks/ (and its paths resolve from there)
        assertEquals("cd .. @[hooks/]; node d.js @[hooks/, ]", byScript.get("hooks/package.json's d"));
        // lib/ has none either: the package's own e runs
        assertEquals("node root-e.js @[]", byScript.get("e"));
        assertEquals(java.util.Set.of("tools/", "x/y/", "hooks/", ""),
                steps.stream().map(NpmScripts.Step::manifest).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void whatAScriptRunsByNameIsFollowedWithItsPreAndPostScriptsEachOnceAndBounded() {
        // red10 case4: "postinstall": "npm run setup" runs setup (and presetup/postsetup around it)
        java.util.Map<String, String> scripts = new java.util.LinkedHashMap<>();
        scripts.put("postinstall", "npm run setup --silent && FOO=1 yarn build");
        scripts.put("presetup", "node pre.js");
        scripts.put("setup", "node scripts/setup.js && npm run-script postinstall");
        scripts.put("postsetup", "pnpm run tidy");
        scripts.put("tidy", "cd lib && npm run setup");
        scripts.put("build", "node b.js");
        scripts.put("unrelated", "node u.js");
        assertEquals(List.of("postinstall", "presetup", "setup", "postsetup", "build", "tidy"),
                List.copyOf(NpmScripts.reachedNames("postinstall", scripts)));
        java.util.Map<String, String> chain = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            chain.put("s" + i, "npm run s" + (i + 1));
        }
        assertEquals(NpmScripts.MAX_REACHED_SCRIPTS, NpmScripts.reachedNames("s0", chain).size());
    }
}
