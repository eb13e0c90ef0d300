#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Every C file of ours is formatted as .clang-format says (clang-format 14,
# Debian 12's).  alloc/kernel/compat/ is left out: its tables of kernel
# names are aligned by hand, to be read against the kernel's headers.
# To fix: bash .ci/format-check.sh --fix
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.c' '*.h' | grep -v '^alloc/kernel/compat/')
if [ "${1:-}" = --fix ]; then
	clang-format -i "${files[@]}"
	exit 0
fi
bad=0
for f in "${files[@]}"; do
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "not formatted as .clang-format says: $f (bash .ci/format-check.sh --fix)" >&2
		bad=1
	fi
done
exit $bad
