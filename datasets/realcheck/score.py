#!/usr/bin/env python3
"""Precision on clean releases, from a realcheck dataset and a hand-made list of releases that really diverge.

    score.py LIST OUT [TRUTH]      (LIST: packages.txt / holdout.txt; OUT: the dataset realcheck.sh wrote;
                                    TRUTH: datasets/realcheck/truth.tsv; DIVERGENCE: the launcher)

A release counts as *clean* unless
  - TRUTH names it (package, a regular expression matching the whole version, the fact that makes it diverge:
    a file shipped by mistake, a release built from changes no commit holds, ...); or
  - no tag of the mirror spells it and it was published after the mirror's newest commit (the snapshot cannot hold
    its commit: counted apart, as "after snapshot"; registry times alone do not decide: npm's `time` of many old
    versions was rewritten long after they were published); or
  - divergence could not tell (NO_SOURCE, ERROR).
Printed per package and in total: clean releases, how many came out CLEAN or EXPLAINED (the precision the issue
asks for), false DIVERGENT and false HIGH_RISK among them, the releases TRUTH names and their verdicts (a named
release that came out CLEAN/EXPLAINED is a miss: a wrong label or a missed divergence), and each false verdict.
"""
import csv, io, os, re, subprocess, sys
from collections import defaultdict
from datetime import datetime, timezone

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
list_file, out = sys.argv[1], sys.argv[2]
truth_file = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "truth.tsv")
divergence = os.environ.get("DIVERGENCE", os.path.join(root, "divergence"))
mirrors = os.environ.get("MIRRORS", "/work/.mirror")

def package_of(purl):
    p = purl.split(":", 1)[1].split("/", 1)[1]
    return p

snapshot = {}
for line in open(list_file):
    if not line.strip() or line.lstrip().startswith("#"):
        continue
    purl, repo = line.split()[:2]
    git = os.path.join(mirrors, repo.replace("/", "+"), "repo")
    if not os.path.isdir(git):
        continue
    t = subprocess.run(["git", "--git-dir", git, "for-each-ref", "--sort=-committerdate", "--count=1",
                        "--format=%(committerdate:unix)"], capture_output=True, text=True).stdout.strip()
    snapshot[package_of(purl)] = int(t) if t else None

truth = []
for line in open(truth_file):
    if not line.strip() or line.startswith("#"):
        continue
    pkg, versions, cause = line.rstrip("\n").split("\t", 2)
    truth.append((pkg, re.compile(versions), cause))

q = ("select package, version, verdict, cast(unix_timestamp(published) as bigint) as published, "
     "tag, substr(reason, 1, 160) as reason from releases order by package, version_order")
res = subprocess.run([divergence, "sql", q, "--out", out, "--rows", "0", "--format", "csv"],
                     capture_output=True, text=True)
if res.returncode != 0:
    sys.exit("score.py: divergence sql failed: " + res.stderr[-2000:])
rows = list(csv.DictReader(io.StringIO(res.stdout)))

GOOD = ("CLEAN", "EXPLAINED")
stats = defaultdict(lambda: defaultdict(int))
false_rows, misses, named = [], [], []
for r in rows:
    pkg, v, verdict = r["package"], r["version"], r["verdict"]
    s = stats[pkg]
    s["versions"] += 1
    cause = next((c for p, rx, c in truth if p == pkg and rx.fullmatch(v)), None)
    snap = snapshot.get(pkg)
    pub = int(r["published"]) if r["published"] else None
    if verdict in ("NO_SOURCE", "ERROR"):
        s["untold"] += 1
    elif cause is not None:
        s["diverging"] += 1
        s["diverging_" + verdict] += 1
        named.append((pkg, v, verdict, cause))
        if verdict in GOOD:
            misses.append((pkg, v, verdict, cause))
    elif snap is not None and pub is not None and pub > snap + 86400 and not r["tag"]:
        s["after_snapshot"] += 1
        s["after_" + verdict] += 1
    else:
        s["clean"] += 1
        if verdict in GOOD:
            s["clean_ok"] += 1
        else:
            s["false_" + verdict] += 1
            false_rows.append((pkg, v, verdict, r["reason"]))

def pct(a, b):
    return "%.1f%%" % (100.0 * a / b) if b else "-"

cols = ["package", "versions", "untold", "after snapshot", "really diverging (of them HIGH_RISK)", "clean releases",
        "CLEAN/EXPLAINED", "precision", "false DIVERGENT", "false HIGH_RISK"]
print("\t".join(cols))
tot = defaultdict(int)
for pkg in sorted(stats):
    s = stats[pkg]
    for k, v in s.items():
        tot[k] += v
    print("\t".join(str(x) for x in [pkg, s["versions"], s["untold"], s["after_snapshot"],
                                     "%d (%d)" % (s["diverging"], s["diverging_HIGH_RISK"]), s["clean"], s["clean_ok"],
                                     pct(s["clean_ok"], s["clean"]), s["false_DIVERGENT"], s["false_HIGH_RISK"]]))
print("\t".join(str(x) for x in ["TOTAL", tot["versions"], tot["untold"], tot["after_snapshot"],
                                 "%d (%d)" % (tot["diverging"], tot["diverging_HIGH_RISK"]), tot["clean"],
                                 tot["clean_ok"], pct(tot["clean_ok"], tot["clean"]), tot["false_DIVERGENT"],
                                 tot["false_HIGH_RISK"]]))
print("after snapshot, by verdict: " + ", ".join("%s %d" % (k[6:], v) for k, v in sorted(tot.items())
                                                 if k.startswith("after_") and k != "after_snapshot"))
print("\nfalse verdicts on clean releases:")
for f in false_rows:
    print("  %s %s %s: %s" % f)
print("\nnamed as really diverging but CLEAN/EXPLAINED (a wrong label or a missed divergence):")
for m in misses:
    print("  %s %s %s: %s" % m)
