#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Determinism across builds: the same scenario and seed must print the same
# bytes (text and JSON, trace hashes included) from two builds of the same
# commit, e.g. the release build and the ASan+UBSan debug build: runs of
# three scenarios (CSV, JSON, compare), and explores of both race
# scenarios under every scheduler with a replay and a bisect of each find
# and the minimized schedule files (.ci/output-snapshot.sh, narrowed to the
# mutants whose bisects are short; wall times and paths masked).
set -euo pipefail
a=$(realpath "$1") b=$(realpath "$2")
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SNAPSHOT_SCENARIOS="scenarios/seed-2014.ini scenarios/random-mix-irq.ini scenarios/smp-remote-free.ini"
export SNAPSHOT_RACES="scenarios/race-preempt.ini scenarios/race-migrate.ini"
export SNAPSHOT_DESIGNS="aba-2008,rostedt-2013,null-alias-2014,v4.0"
for side in a b; do
	bash .ci/output-snapshot.sh "${!side}/sim/slabsim" "$tmp/$side"
done
# Each snapshot masks its own folder as OUT, so the two compare directly.
if ! diff -r "$tmp/a" "$tmp/b" >"$tmp/diff"; then
	echo "different output from $a and $b:" >&2
	head -40 "$tmp/diff" >&2
	exit 1
fi
finds=$(find "$tmp/a" -name '*.schedule' | wc -l)
echo "same output from $a and $b: $(find "$tmp/a" -type f | wc -l) files, $finds finds replayed and bisected"
[ "$finds" -gt 0 ] || { echo "no find was explored: nothing replayed or bisected" >&2; exit 1; }
