#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""check_kernel_designs.py SLABSIM SCENARIOS_DIR DESIGN... - the kernels built
(alloc/kernel/) as designs of the simulator (sim/engine/kernel_machine.c):

 - the seed scenario prints every kernel's slab_test lines beside the port's
   presets, and the compare exits 0;
 - a kernel's run is the same after a port design ran in the same process
   (kslab_reset restores the state right after boot): equal trace hashes;
 - the same command twice gives byte-identical output;
 - on one CPU with random_mix, the SLUB_STATS of the run are the kernel's
   own, counted from boot (the boot's allocations are not the run's): the
   allocations and frees add up to the operations the workload made;
 - explore runs race scenarios (preemption; flush IPIs on 4 CPUs;
   kmalloc_node for the other of two NUMA nodes) on every kernel, without
   a violation;
 - on two nodes, random_mix runs clean with every allocation counted, and
   kmalloc_node for the other node takes the node-mismatch path;
 - a scenario with more nodes than the compat layer's MAX_NUMNODES (4) is
   refused with a message naming the design, exit 2;
 - the tid-revert mutant leaks on race-node (the node-mismatch
   deactivation without a tid bump), found by explore.
"""
import re
import subprocess
import sys
import tempfile

slabsim, scen = sys.argv[1], sys.argv[2]
kernels = sys.argv[3:]
failures = 0


def check(ok, what):
    global failures
    if not ok:
        failures += 1
        print("FAIL: " + what)
    else:
        print("ok: " + what)


def run(*args, expect=0):
    p = subprocess.run([slabsim, *args], capture_output=True, text=True)
    if p.returncode != expect:
        print(p.stdout[-3000:], p.stderr[-3000:])
    check(p.returncode == expect, "exit %d: slabsim %s" % (expect, " ".join(args)))
    return p


designs = ",".join(["v5.15"] + kernels)
seed = run("compare", scen + "/seed-2014.ini", "--designs", designs)
for k in kernels:
    block = seed.stdout.split("== design " + k + "\n")[1].split("\n== design")[0]
    lines = re.findall(r"^10000 times kmalloc\(\d+\)", block, re.M)
    check(len(lines) == 24, "%s prints the seed's 24 slab_test lines (%d)" % (k, len(lines)))
    check(re.search(r"^%s\s+ok, trace [0-9a-f]{16}$" % re.escape(k), seed.stdout, re.M),
          "%s finishes clean on the seed scenario" % k)
again = run("compare", scen + "/seed-2014.ini", "--designs", designs)
check(seed.stdout == again.stdout, "the same compare twice: byte-identical")

with tempfile.TemporaryDirectory() as tmp:
    mix = tmp + "/mix.ini"
    with open(mix, "w") as f:
        f.write("[scenario]\nname = kernel-mix\ndescription = random_mix on one CPU\n"
                "seed = 3\ncpus = 2\nnodes = 1\nmemory_mib = 64\npreemption = full\n"
                "profile = xeon-2014-preempt\n\n[task a]\nworkload = random_mix\ncpu = 0\n"
                "ops = 20000\n")
    for k in kernels:
        p = run("compare", mix, "--designs", "%s,v5.19,%s" % (k, k))
        hashes = re.findall(r"^%s\s+ok, trace ([0-9a-f]{16})$" % re.escape(k), p.stdout, re.M)
        check(len(hashes) == 2 and hashes[0] == hashes[1],
              "%s: the same run before and after a port design (%s)" % (k, hashes))
        stats = dict(re.findall(r"^([A-Z_]+)\s+(\d+)", (p.stdout.split("SLUB_STATS") + [""])[1], re.M))
        allocs = int(stats.get("ALLOC_FASTPATH", 0)) + int(stats.get("ALLOC_SLOWPATH", 0))
        frees = int(stats.get("FREE_FASTPATH", 0)) + int(stats.get("FREE_SLOWPATH", 0))
        check(allocs == frees and allocs > 0,
              "%s: allocations (%d) and frees (%d) of the run add up" % (k, allocs, frees))

    two = tmp + "/two-nodes.ini"
    with open(mix) as f:
        text = f.read().replace("nodes = 1", "nodes = 2")
    with open(two, "w") as f:
        f.write(text)
    for k in kernels:
        p = run("run", two, "--designs", k)
        stats = dict(re.findall(r"^\s+([A-Z_]+)\s+(\d+)", p.stdout, re.M))
        allocs = int(stats.get("ALLOC_FASTPATH", 0)) + int(stats.get("ALLOC_SLOWPATH", 0))
        check("2 nodes" in p.stdout and "result: ok" in p.stdout and allocs > 0,
              "%s: random_mix on two nodes runs clean (%d allocations)" % (k, allocs))
        p = run("run", scen + "/race-node.ini", "--designs", k)
        stats = dict(re.findall(r"^\s+([A-Z_]+)\s+(\d+)", p.stdout, re.M))
        check(int(stats.get("ALLOC_NODE_MISMATCH", 0)) > 0,
              "%s: race-node's kmalloc_node takes the node-mismatch path (%s)"
              % (k, stats.get("ALLOC_NODE_MISMATCH")))
    five = tmp + "/five-nodes.ini"
    with open(five, "w") as f:
        f.write(text.replace("nodes = 2", "nodes = 5").replace("cpus = 2", "cpus = 8"))
    p = run("run", five, "--designs", kernels[0], expect=2)
    check("design %s" % kernels[0] in p.stderr and "NUMA nodes" in p.stderr,
          "five nodes refused, naming the design: " + p.stderr.strip()[:200])

    # Interrupts (race-irq-controls: flush_all's IPIs from 4 CPUs) caught
    # local_lock_irqsave restoring interrupts on where they had been off.
    for k in [k for k in kernels if not k.endswith("-tid-revert")]:
        for race in ("race-preempt", "race-irq-controls", "race-node"):
            p = run("explore", scen + "/" + race + ".ini", "--designs", k, "--runs", "300",
                    "--out", tmp)
            check("no violation in 300 runs" in p.stdout, "%s: %s explored clean" % (k, race))

    # The 2022 fix's own case: kmalloc_node for the other node deactivates
    # the cpu slab (ALLOC_NODE_MISMATCH, ___slab_alloc's deactivate_slab
    # label, one of the places the fix bumps the tid).
    for k in [k for k in kernels if k.endswith("-tid-revert")]:
        p = run("explore", scen + "/race-node.ini", "--designs", k, "--runs", "5000",
                "--out", tmp, expect=1)
        check("found leak at run" in p.stdout, "%s: race-node finds the leak: %s" %
              (k, (re.findall(r"found leak at run \d+", p.stdout) or ["-"])[0]))

sys.exit(1 if failures else 0)
