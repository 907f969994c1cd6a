#!/usr/bin/env bash
# Checks that the build is reproducible: builds twice from a clean tree (tests not compiled: they
# are in no jar) and fails naming each jar that differs by a single byte.
# project.build.outputTimestamp in the parent POM fixes the dates inside every archive.
# --first-build-done: the tree was built once from clean already (CI's verify on a fresh clone),
# so its jars are the first build and only one more is made.
set -euo pipefail
cd "$(dirname "$0")/.."

build() { ./mvnw -B -ntp -q clean package -Dmaven.test.skip=true; }
sums() { find . -path ./.git -prune -o -path '*/target/*.jar' -print | sort | xargs sha256sum; }

first="$(mktemp)"; second="$(mktemp)"
trap 'rm -f "$first" "$second"' EXIT
[ "${1:-}" = "--first-build-done" ] || build
sums >"$first"
[ -s "$first" ] || { echo "reproducible: no jars to compare" >&2; exit 1; }
build
sums >"$second"
if diff "$first" "$second"; then
  echo "reproducible: $(wc -l <"$first") jars byte-identical across two builds"
else
  echo "reproducible: the jars above differ between two builds from the same clean tree" >&2
  exit 1
fi
