#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the libFuzzer targets (clang, ASan + UBSan, -Dfuzz=true) in
# build-fuzz/ and runs each for SECONDS from its seed corpus
# (tests/fuzz/corpus/TARGET/, read only; what the fuzzer adds goes to
# build-fuzz/fuzz-work/TARGET/).  Exits 1 if any target crashed, leaked,
# ran into undefined behaviour, timed out or ran out of memory; the input
# is left in build-fuzz/fuzz-work/artifacts/ (turn it into a regression
# test: tests/fuzz/README.md).
#   bash tests/fuzz/run.sh 60                   every target, 60 s each
#   bash tests/fuzz/run.sh 1800 scenario cli    two of them
# FUZZ_BUILD=DIR uses another build directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:?usage: tests/fuzz/run.sh SECONDS [TARGET...] (scenario profile schedule cli)}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario profile schedule cli)
build=${FUZZ_BUILD:-build-fuzz}
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" -Dfuzz=true -Dtests=false \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
meson compile -C "$build" $(printf 'tests/fuzz/fuzz_%s ' "${targets[@]}") >/dev/null
work=$(realpath "$build")/fuzz-work
mkdir -p "$work/artifacts" "$work/cwd"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
failed=()
for t in "${targets[@]}"; do
	exe=$(realpath "$build/tests/fuzz/fuzz_$t")
	seeds=$(realpath "tests/fuzz/corpus/$t")
	mkdir -p "$work/$t"
	args=(-max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -error_exitcode=77
		-timeout_exitcode=78 -artifact_prefix="$work/artifacts/$t-" -print_final_stats=1)
	# The commands print: keep the log to what libFuzzer says.
	[ "$t" = cli ] && args+=(-dict="$(realpath tests/fuzz/cli.dict)" -close_fd_mask=3)
	echo "fuzz_$t: $secs s" >&2
	# In a scratch directory: a command may write files (a trace, --out) where it is told.
	if (cd "$work/cwd" && "$exe" "${args[@]}" "$work/$t" "$seeds" </dev/null \
		>"$work/$t.log" 2>&1); then
		grep -E '^stat::number_of_executed_units|^Done' "$work/$t.log" >&2 || true
	else
		echo "fuzz_$t FAILED (exit $?): $work/$t.log" >&2
		tail -40 "$work/$t.log" >&2
		failed+=("$t")
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz targets that failed: ${failed[*]}" >&2
	exit 1
fi
