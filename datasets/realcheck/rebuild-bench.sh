#!/usr/bin/env bash
# Rebuild cost per version vs a bare `mvn -o -DskipTests package` of the same commit, in the same run, with the shared
# dependency repository warm (run 0 warms it and is not counted). Defaults: commons-cli 1.9.0 from live Maven Central
# and a bare mirror of its repository. Needs bubblewrap, Maven, JDK 17 and the network for the first (warm-up) resolve.
#   datasets/realcheck/rebuild-bench.sh [REPO] [TAG] [GROUP/ARTIFACT] [VERSION] [REPEAT] [CACHE]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
repo="${1:-${MIRRORS:-/work/.mirror}/apache+commons-cli/repo}"
tag="${2:-rel/commons-cli-1.9.0}"
coords="${3:-commons-cli/commons-cli}"
version="${4:-1.9.0}"
repeat="${5:-3}"
cache="${6:-${TMPDIR:-/tmp}/divergence-rebuild-bench}"
mkdir -p "$cache"
group="${coords%%/*}"; artifact="${coords##*/}"
jar="$cache/$artifact-$version.jar"
[ -f "$jar" ] || curl -sSfL -o "$jar" "https://repo1.maven.org/maven2/${group//.//}/$artifact/$version/$artifact-$version.jar"
commit="$(git --git-dir="$repo" rev-parse "$tag^{commit}" 2>/dev/null || git -C "$repo" rev-parse "$tag^{commit}")"
"$here/divergence" help >/dev/null # builds divergence when its sources changed
exec java -cp "$here/jobs/target/classes:$(cat "$here/jobs/target/runtime-classpath.txt")" \
  dev.divergence.rebuild.RebuildBench "$repo" "$commit" "$jar" "$coords" "$version" "$cache" "$repeat"
