#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""SIGINT or SIGTERM during `slabsim explore` (one process, and with
--jobs 2 where only the parent is signalled) stops it within seconds: it
prints the runs done so far and says it was interrupted, exits 130, and
leaves no worker behind.
Usage: check_signals.py SLABSIM SCENARIOS_DIR
"""
import os
import signal
import subprocess
import sys
import time

slabsim, scenarios = sys.argv[1], sys.argv[2]
scn = os.path.join(scenarios, "race-preempt.ini")


def fail(msg):
    sys.exit("FAIL: " + msg)


def group_members(pgid):
    """Processes of a process group, from /proc (no procps needed)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = open(f"/proc/{pid}/stat").read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            found.append(pid)
    return found


for sig, jobs in ((signal.SIGINT, "1"), (signal.SIGTERM, "2"), (signal.SIGINT, "2")):
    p = subprocess.Popen([slabsim, "explore", scn, "--designs", "lameter-v1", "--runs",
                          "100000000", "--jobs", jobs], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(1.5)
    p.send_signal(sig)  # the parent alone
    try:
        out, err = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        fail(f"{sig.name}, --jobs {jobs}: still running 30 s after the signal")
    if p.returncode != 130:
        fail(f"{sig.name}, --jobs {jobs}: exit {p.returncode}, expected 130; stderr {err!r}")
    if "interrupted:" not in out or "design lameter-v1:" not in out:
        fail(f"{sig.name}, --jobs {jobs}: no totals or no word of the interruption: {out!r}")
    time.sleep(0.2)
    left = group_members(p.pid)
    if left:
        os.killpg(p.pid, signal.SIGKILL)
        fail(f"{sig.name}, --jobs {jobs}: workers left behind: {left}")
print("explore stops on SIGINT and SIGTERM with its totals, exit 130, no worker left")
