# SPDX-License-Identifier: GPL-2.0-only
"""kernel_checks.py - what the kernel designs' check scripts share
(check_kernel_tid_revert.py, check_kernel_sites.py): running slabsim and
counting the checks that failed."""
import subprocess


class Checks:
    def __init__(self, slabsim):
        self.slabsim = slabsim
        self.failures = 0

    def check(self, ok, what):
        print(("ok: " if ok else "FAIL: ") + what)
        self.failures += 0 if ok else 1

    def run(self, *args):
        return subprocess.run([self.slabsim, *args], capture_output=True, text=True)

    def exit_code(self):
        return 1 if self.failures else 0
