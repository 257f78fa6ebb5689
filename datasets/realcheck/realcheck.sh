#!/usr/bin/env bash
# Precision check on real release histories: scans every package of a list against a local mirror of its
# public repository and the live registries (npm, Maven Central), then prints per package how many versions
# resolved to a commit and how many came out CLEAN / EXPLAINED / DIVERGENT / HIGH_RISK, with the causes of
# every DIVERGENT and HIGH_RISK version. Needs the network to the registries; fetched data is never committed.
#
#   datasets/realcheck/realcheck.sh [LIST] [OUT]      (MIRRORS=/work/.mirror by default)
# Ends with score.py: precision on clean releases, judged against truth.tsv (releases that really diverge).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
list="${1:-$here/packages.txt}"
out="${2:-/tmp/divergence-realcheck}"
mirrors="${MIRRORS:-/work/.mirror}"
watchlist="$(mktemp)"
trap 'rm -f "$watchlist"' EXIT
grep -v '^\s*#' "$list" | while read -r purl repo; do
  [ -z "$purl" ] && continue
  dir="$mirrors/${repo/\//+}/repo"
  if [ ! -d "$dir" ]; then
    echo "realcheck: no mirror of $repo at $dir, skipping $purl" >&2
    continue
  fi
  # The repository's URL, opened at its mirror (every mirror stands for its URL below): the location names the
  # repository as a user's --repo would, and tags named after it (SLF4J_1.3.0 in qos-ch/slf4j) are read as such.
  echo "$purl https://github.com/$repo" >> "$watchlist"
done
# Every mirror also stands for its GitHub URL, so submodules (vendor/benchmark.js, support/jade, ...) whose
# repositories are mirrored here are verified at their pinned commits; the others stay IN_SUBMODULE with the reason.
mirror_flags=()
for dir in "$mirrors"/*+*/repo; do
  [ -d "$dir" ] || continue
  name="$(basename "$(dirname "$dir")")"
  mirror_flags+=(--mirror "https://github.com/${name/+//}=$dir")
done
"$root/divergence" scan --watchlist "$watchlist" --out "$out" --no-summary "${mirror_flags[@]}" ${REALCHECK_FLAGS:-} || true
"$root/divergence" sql "select ecosystem, package, count(*) as versions,
    sum(case when commit is not null then 1 else 0 end) as resolved,
    sum(case when verdict = 'CLEAN' then 1 else 0 end) as clean,
    sum(case when verdict = 'EXPLAINED' then 1 else 0 end) as explained,
    sum(case when verdict = 'DIVERGENT' then 1 else 0 end) as divergent,
    sum(case when verdict = 'HIGH_RISK' then 1 else 0 end) as high_risk,
    sum(case when verdict in ('NO_SOURCE', 'ERROR') then 1 else 0 end) as untold
  from releases group by ecosystem, package order by ecosystem, package" --out "$out" --rows 1000
"$root/divergence" sql "select package, version, verdict, ref_method, doc_only_divergence as doc_only,
    repository_older as repo_older, substr(reason, 1, 220) as reason
  from releases where verdict in ('DIVERGENT', 'HIGH_RISK') order by package, version_order" --out "$out" --rows 1000
# Precision on clean releases against the hand-made list of releases that really diverge (truth.tsv).
DIVERGENCE="$root/divergence" MIRRORS="$mirrors" python3 "$here/score.py" "$list" "$out" "$here/truth.tsv"
