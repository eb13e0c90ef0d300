#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""check_kernel_zero.py SLABSIM - the workloads' zeroing allocations
(zero_percent: kzalloc, __GFP_ZERO) reach the kernel's own memset
(slab_post_alloc_hook) on linux-6.1, a kernel.range point:

 - race_mix with zero_percent = 100 on two CPUs: the trace holds
   kernel.range points, one per allocation of a kmalloc-64 object at
   least; with zero_percent = 0, none (no other path of these runs makes
   one); both runs clean, and so on the port (v5.19);
 - a bad zero_percent: exit 2, naming file, group, key and what is expected.

test_zeroing.c checks that the memory comes zeroed.
"""
import json
import os
import re
import sys
import tempfile

from kernel_checks import Checks

slabsim = sys.argv[1]
checks = Checks(slabsim)
check, run = checks.check, checks.run

SCENARIO = """[scenario]
name = zeroing
seed = 1
cpus = 2
designs = v5.19,linux-6.1
"""
TASK = """[task {name}]
workload = race_mix
cpu = {cpu}
size = 64
rounds = 3
burst = 8
burst_exact = true
zero_percent = {zero}
"""


def scenario(d, zero):
    path = os.path.join(d, "zero-%s.ini" % zero)
    with open(path, "w") as fh:
        fh.write(SCENARIO)
        for cpu, name in enumerate(("a", "b")):
            fh.write(TASK.format(name=name, cpu=cpu, zero=zero))
    return path


def range_points(trace):
    """The names of the trace's kernel.range events."""
    with open(trace) as fh:
        events = json.load(fh)["traceEvents"]
    return [ev["name"] for ev in events if ev.get("name", "").startswith("kernel.range")]


with tempfile.TemporaryDirectory() as d:
    for zero in ("100", "0"):
        sc, trace = scenario(d, zero), os.path.join(d, "trace-%s.json" % zero)
        r = run("run", sc, "--designs", "linux-6.1", "--trace", trace, "-q")
        check(r.returncode == 0 and "result: ok" in r.stdout,
              "linux-6.1, zero_percent %s: clean (rc %d)" % (zero, r.returncode))
        names = range_points(trace)
        n = len(names)
        # 2 tasks x 3 rounds x 8 kzallocs of kmalloc-64 objects.
        want = n >= 48 if zero == "100" else n == 0
        check(want, "linux-6.1, zero_percent %s: %d kernel.range points" % (zero, n))
        # Each is named by its site, FUNCTION:LINE (kernel_files.py sites
        # finds the calls of the compat layer's memory functions too).
        unnamed = sorted({x for x in names if not re.search(r" \w+:\d+", x)})
        check(not unnamed, "linux-6.1, zero_percent %s: kernel.range points named by "
              "site: %s" % (zero, sorted(set(names))[:3] if not unnamed else unnamed[:3]))
        r = run("run", sc, "--designs", "v5.19", "-q")
        check(r.returncode == 0 and "result: ok" in r.stdout,
              "v5.19, zero_percent %s: clean (rc %d)" % (zero, r.returncode))
    bad = scenario(d, "101")
    r = run("run", bad, "-q")
    want = "%s: [task a] zero_percent: expected an integer in 0..100, got '101'" % bad
    check(r.returncode == 2 and want in r.stderr,
          "zero_percent = 101: exit %d, %s" % (r.returncode, r.stderr.strip()))
sys.exit(checks.exit_code())
