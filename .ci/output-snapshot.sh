#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Writes what one slabsim binary prints for every scenario (run, compare,
# JSON), for explores under each scheduler, and for a bisect and a replay of
# their finds, into DIR.  A refactor keeps behaviour when two snapshots made
# before and after it are equal:
#   bash .ci/output-snapshot.sh build-before/sim/slabsim /tmp/before
#   bash .ci/output-snapshot.sh build/sim/slabsim /tmp/after
#   diff -r /tmp/before /tmp/after
# SNAPSHOT_SCENARIOS, SNAPSHOT_RACES (files) and SNAPSHOT_DESIGNS (a --designs
# list for the explores) narrow it (.ci/same-output.sh does).
set -uo pipefail
bin=$(realpath "$1") out=$2
mkdir -p "$out"
cd "$(dirname "$0")/.."
for sc in ${SNAPSHOT_SCENARIOS:-scenarios/*.ini}; do
	n=$(basename "$sc" .ini)
	case $n in dev-vm-native) continue ;; esac
	"$bin" run "$sc" --format csv >"$out/$n.run.csv" 2>&1; echo "rc=$?" >>"$out/$n.run.csv"
	"$bin" run "$sc" --format json >"$out/$n.run.json" 2>&1; echo "rc=$?" >>"$out/$n.run.json"
	"$bin" compare "$sc" >"$out/$n.compare.txt" 2>&1; echo "rc=$?" >>"$out/$n.compare.txt"
done
races="scenarios/race-preempt.ini scenarios/race-migrate.ini scenarios/migrate-tid-retry.ini"
for sc in ${SNAPSHOT_RACES:-$races}; do
	n=$(basename "$sc" .ini)
	for s in random pct bounded; do
		d=$out/$n.$s
		mkdir -p "$d"
		"$bin" explore "$sc" ${SNAPSHOT_DESIGNS:+--designs "$SNAPSHOT_DESIGNS"} --quiet \
			--scheduler $s --runs 400 --out "$d" >"$d/stdout" 2>&1
		echo "rc=$?" >>"$d/stdout"
		for f in "$d"/*.schedule; do
			[ -e "$f" ] || continue
			"$bin" replay "$f" >"$f.replay" 2>&1; echo "rc=$?" >>"$f.replay"
			"$bin" bisect "$f" --out "$f.min" >"$f.bisect" 2>&1; echo "rc=$?" >>"$f.bisect"
		done
	done
done
# Wall times, the output folder, the checkout's path and the build's id differ between any two
# runs or builds: mask them.
find "$out" -type f -exec sed -i -E \
	-e "s#$(realpath "$out")#OUT#g" \
	-e "s#$(pwd)/#REPO/#g" \
	-e 's/^build .*/build B/' \
	-e 's/in [0-9.]+ s \([0-9]+ runs\/s\)/in T s (R runs\/s)/g' \
	-e 's/[0-9]+(\.[0-9]+)? s (wall|CPU)/T s \2/g' {} +
