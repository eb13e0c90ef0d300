#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Determinism across builds: the same scenario and seed must print the same
# bytes (text and JSON, trace hashes included) from two builds of the same
# commit, e.g. the release build and the ASan+UBSan debug build.
set -euo pipefail
a=$1 b=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for sc in scenarios/seed-2014.ini scenarios/random-mix-irq.ini scenarios/smp-remote-free.ini; do
	for fmt in text json; do
		"$a/sim/slabsim" run "$sc" --check-expected --format "$fmt" >"$tmp/a" 2>/dev/null
		"$b/sim/slabsim" run "$sc" --check-expected --format "$fmt" >"$tmp/b" 2>/dev/null
		if ! cmp -s "$tmp/a" "$tmp/b"; then
			echo "different output from $a and $b for $sc ($fmt):" >&2
			diff "$tmp/a" "$tmp/b" | head -20 >&2
			exit 1
		fi
	done
	echo "same output from $a and $b: $sc"
done
