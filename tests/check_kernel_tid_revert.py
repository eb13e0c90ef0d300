#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""check_kernel_tid_revert.py SLABSIM SCENARIOS_DIR - the explorer on real
code (issue 8, item 6).  The build compiles 6.1's mm/slub.c a second time
from a copy in the build directory without the two tid bumps of the 2022
fix "mm/slub: add missing TID updates on slab deactivation"
(alloc/kernel/kernel_files.py revert-tid): design linux-6.1-tid-revert.

 - explore finds its leak on race-preempt, and linux-6.1 (the same file
   with the fix) is clean over the same budget;
 - the schedule file replays to the same violation and trace;
 - bisect minimizes it to a 1-minimal schedule that still replays, its
   check of the kernel's slabs before every point (kslab_walk) names the
   corrupting event, a fastpath's this_cpu cmpxchg that leaves a freelist
   on a CPU without a cpu slab, and its timeline names the kernel
   functions where the decisions act; its decisions name their sites
   (check_kernel_sites.py checks explore and replay by site, fast).
"""
import glob
import re
import sys
import tempfile

from kernel_checks import Checks

slabsim, scen = sys.argv[1], sys.argv[2]
checks = Checks(slabsim)
check, run = checks.check, checks.run

RUNS = "5000"
with tempfile.TemporaryDirectory() as tmp:
    p = run("explore", scen + "/race-preempt.ini", "--designs", "linux-6.1-tid-revert",
            "--runs", RUNS, "--out", tmp)
    m = re.search(r"found leak at run (\d+) .*after (\d+) runs", p.stdout)
    check(p.returncode == 1 and m is not None, "explore finds the leak: " +
          (m.group(0) if m else p.stdout[-500:] + p.stderr[-500:]))
    p = run("explore", scen + "/race-preempt.ini", "--designs", "linux-6.1", "--runs", RUNS,
            "--out", tmp)
    check(p.returncode == 0 and "no violation in %s runs" % RUNS in p.stdout,
          "linux-6.1 with the fix: no violation in %s runs" % RUNS)

    sched = glob.glob(tmp + "/race-preempt-linux-6.1-tid-revert-run*.schedule")
    check(len(sched) == 1, "one schedule file: %s" % sched)
    if sched:
        r1 = run("replay", sched[0])
        r2 = run("replay", sched[0])
        check(r1.returncode == 1 and "leak: " in r1.stdout, "replay gives the leak")
        t1 = re.search(r"trace ([0-9a-f]{16})", r1.stdout)
        check(t1 is not None and r1.stdout == r2.stdout,
              "replay twice: the same trace %s" % (t1.group(1) if t1 else "?"))

        b = run("bisect", sched[0])
        check("1-minimal: without any one of the" in b.stdout, "bisect's result is 1-minimal")
        fns = set(re.findall(r"kernel\.\w+ (\w+):\d+", b.stdout))
        check(bool(fns & {"___slab_alloc", "__slab_alloc", "deactivate_slab",
                          "__kmem_cache_alloc_node", "slab_alloc_node"}),
              "the timeline names slub.c's functions: %s" % sorted(fns)[:8])
        # The walk of the kernel's slabs before every point names the commit
        # that corrupts them: a fastpath's this_cpu cmpxchg puts a freelist
        # on a CPU whose cpu slab was dropped without a tid bump.
        m = re.search(r"first event after which the state is corrupt: #\d+ "
                      r"kernel\.this_cpu_cmpxchg_double (\w+):\d+", b.stdout)
        check(m is not None and "a freelist without a slab" in b.stdout,
              "the corrupting event is a fastpath's this_cpu cmpxchg: %s"
              % (m.group(0) if m else b.stdout[:600]))
        mn = run("replay", sched[0] + ".min")
        check(mn.returncode == 1 and "leak: " in mn.stdout,
              "the minimized schedule replays to the leak")
        kept = re.findall(r"^decision (\S+)", open(sched[0] + ".min").read(), re.M)
        # Bisect works by site (POINT@FUNCTION:LINE[K]#N@TASK) and prints them.
        by_site = [d for d in kept if re.match(r"kernel\.\w+@\w+:\d+(\[\d+\])?#\d+@\w+:", d)]
        # The timeline ends at the corrupting event: the decisions up to there.
        marked = re.findall(r"kernel\.\w+ (\S+) +>>> decision", b.stdout)
        sites = [d.split("@")[1].split("#")[0] for d in kept]
        check(kept and by_site == kept and marked and sites[:len(marked)] == marked,
              "bisect minimizes by site, its timeline marks them there: %s" % marked[:3])
        print("# bisect kept %d decisions: %s" % (len(kept), " ".join(kept)))

sys.exit(checks.exit_code())
