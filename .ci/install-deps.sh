#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what slabsim builds with, from Debian 12's packages.
set -euo pipefail
SUDO=
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
	gcc libc6-dev libglib2.0-dev libck-dev libcmocka-dev meson ninja-build pkg-config \
	python3 clang-format linux-source-6.1 linux-source-6.12
