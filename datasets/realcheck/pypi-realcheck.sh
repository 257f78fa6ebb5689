#!/usr/bin/env bash
# Precision check on real Python histories, offline: builds every tag of each project of a list into an sdist with
# the project's own build system (datasets/realcheck/pypi_sdists.py: setup.py sdist, flit_core), serves them from a
# local PyPI JSON tree on 127.0.0.1, scans them against the bare mirror, and prints per package versions /
# resolved / CLEAN / EXPLAINED / DIVERGENT / HIGH_RISK and the causes of every DIVERGENT and HIGH_RISK version.
# Building runs the projects' setup.py on this machine (fixtures only; divergence never runs it).
#
#   datasets/realcheck/pypi-realcheck.sh [LIST] [OUT]   (MIRRORS=/work/.mirror; FLIT_PATH, SCM_PATH, VERSIONEER_PATH:
#                                                        folders holding flit_core, setuptools_scm, versioneer;
#                                                        DIVERGENCE=the launcher to use, default this checkout's)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
list="${1:-$here/pypi-packages.txt}"
out="${2:-/tmp/divergence-realcheck-pypi}"
mirrors="${MIRRORS:-/work/.mirror}"
divergence="${DIVERGENCE:-$root/divergence}"
registry="$out/registry"
mkdir -p "$registry"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
watchlist="$out/watchlist.txt"
: > "$watchlist"
grep -v '^\s*#' "$list" | while read -r name repo; do
  [ -z "$name" ] && continue
  dir="$mirrors/${repo/\//+}/repo"
  if [ ! -d "$dir" ]; then
    echo "realcheck: no mirror of $repo at $dir, skipping $name" >&2
    continue
  fi
  [ -f "$registry/pypi/$name/json" ] || python3 "$here/pypi_sdists.py" "$name" "$dir" "$registry" "$base"
  echo "pkg:pypi/$name $dir" >> "$watchlist"
done
# The JSON names the base URL it was built for: rewrite it for this run's port.
for j in "$registry"/pypi/*/json; do
  sed -i -E "s#http://127\.0\.0\.1:[0-9]+/packages/#$base/packages/#" "$j"
done
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$registry" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
sleep 1
"$divergence" scan --watchlist "$watchlist" --pypi-url "$base" --out "$out/dataset" --no-summary ${REALCHECK_FLAGS:-} || true
"$divergence" sql "select package, count(*) as versions,
    sum(case when commit is not null then 1 else 0 end) as resolved,
    sum(case when verdict = 'CLEAN' then 1 else 0 end) as clean,
    sum(case when verdict = 'EXPLAINED' then 1 else 0 end) as explained,
    sum(case when verdict = 'DIVERGENT' then 1 else 0 end) as divergent,
    sum(case when verdict = 'HIGH_RISK' then 1 else 0 end) as high_risk,
    sum(case when verdict in ('NO_SOURCE', 'ERROR') then 1 else 0 end) as untold
  from releases group by package order by package" --out "$out/dataset" --rows 1000
"$divergence" sql "select package, version, verdict, ref_method, substr(reason, 1, 200) as reason
  from releases where verdict in ('DIVERGENT', 'HIGH_RISK') order by package, version" --out "$out/dataset" --rows 1000
"$divergence" sql "select f.package, f.version, f.artifact_path, f.status, f.rule_id, f.high_risk
  from files f join releases r on f.package = r.package and f.version = r.version
  where r.verdict in ('DIVERGENT', 'HIGH_RISK') and f.status in ('MODIFIED', 'PHANTOM', 'IN_HISTORY')
  order by f.package, f.version, f.artifact_path" --out "$out/dataset" --rows 2000
