#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what slabsim builds with, from Debian 12's packages.  With --ci
# also what CI checks with: clang-format, clang and its libFuzzer runtime
# (libclang-rt-14-dev, for tests/fuzz/), and the kernel sources whose own
# slub.c it builds (linux-source-6.1 and 6.12, about 280 MB: left out of the
# quick start), and Slurm and munge for the job-array test
# (tests/check_slurm.sh).
set -euo pipefail
SUDO=
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
extra=()
case "${1:-}" in
--ci) extra=(clang-format clang libclang-rt-14-dev linux-source-6.1 linux-source-6.12 slurm-wlm munge) ;;
"") ;;
*) echo "install-deps.sh: expected no argument or --ci, got '$1'" >&2; exit 2 ;;
esac
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
	gcc libc6-dev libglib2.0-dev libjson-glib-dev libck-dev libcmocka-dev meson ninja-build \
	pkg-config \
	python3 "${extra[@]}"
