# SPDX-License-Identifier: GPL-2.0-only
"""Soak: OPS random allocations and frees (random_mix) over 8 CPUs with random
preemption and migration, the full slab walk every million points, and the
end-of-run check (every object freed, every slab page back): the run must
come out clean, with exactly OPS operations done.  Prints the time and the
peak RSS.  usage: soak.py SLABSIM OPS [DESIGN]"""
import os
import subprocess
import sys
import tempfile
import time

slabsim, ops, design = sys.argv[1], int(sys.argv[2]), (sys.argv[3:] or ["v5.19"])[0]
cpus = 8
assert ops % cpus == 0, "OPS must be a multiple of 8"
scenario = f"""[scenario]
name = soak
description = {ops} random operations over {cpus} CPUs
seed = 2024
cpus = {cpus}
nodes = 2
memory_mib = 256
designs = {design}
profile = xeon-2014-preempt

[task mix]
workload = random_mix
cpu = all
pinned = false
ops = {ops // cpus}
live_max = 2000

[inject]
policy = random
probability = 0.0005
kinds = preempt, migrate

[checks]
validate_every = 1000000
"""
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "soak.ini")
    with open(path, "w") as f:
        f.write(scenario)
    t0 = time.monotonic()
    p = subprocess.Popen([slabsim, "run", path, "--format", "csv"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    wall = time.monotonic() - t0
    ru = __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN)
assert p.returncode == 0, (p.returncode, err, out[-2000:])
rows = [l.split(",") for l in out.splitlines()]
result = [r for r in rows if r[1] == "result"]
assert result and result[0][2] == "ok", result
done = sum(int(r[4]) for r in rows if r[1] == "metric" and "random_mix" in r[2])
assert done == ops, f"{done} operations done, expected {ops}"
cpu = ru.ru_utime + ru.ru_stime
print(f"soak: {ops} random operations over {cpus} CPUs, design {design}, clean; "
      f"{wall:.1f} s wall, {ru.ru_utime:.1f} s user, {ru.ru_stime:.1f} s sys, "
      f"peak RSS {ru.ru_maxrss} KB, {ops / cpu:.0f} operations per CPU second")
