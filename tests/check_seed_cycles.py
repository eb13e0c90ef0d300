#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The seed scenario's cycle figures, pinned: every design's cycles by
primitive (cycles and count of each point kind) and the cycles of six
slab_test rows, exactly as `slabsim compare scenarios/seed-2014.ini
--format csv` gives them.  The seed scenario draws nothing at random (its
output is the same for any --seed), so these move only when the timing
model, the cost profile, the cache model, the engine or the allocator's
points change: then check that the change is meant (README's table moves
with it) and re-pin with --print, which writes the PINNED table below.
Usage: check_seed_cycles.py SLABSIM SCENARIO [--print]
"""
import csv
import subprocess
import sys

ROWS = ("test1 kmalloc(8)", "test1 kfree(8)", "test1 kmalloc(4096)",
        "test2 kmalloc+kfree(64)", "test2 kmalloc+kfree(256)", "test2 kmalloc+kfree(16384)")

# design -> {name: (cycles, count)}: kinds by primitive, then the rows above.
PINNED = {
    'v3.18': {
        'test1 kmalloc(8)': (624045, 10000),
        'test1 kfree(8)': (1067052, 10000),
        'test1 kmalloc(4096)': (2027755, 10000),
        'test2 kmalloc+kfree(64)': (1150000, 10000),
        'test2 kmalloc+kfree(256)': (1150000, 10000),
        'test2 kmalloc+kfree(16384)': (8369981, 10000),
        'load': (9085619, 2720688),
        'store': (5560132, 539565),
        'atomic_add': (539379, 23440),
        'this_cpu_read': (27395, 5912),
        'this_cpu_cmpxchg': (82953, 5912),
        'this_cpu_cmpxchg_double': (6266682, 324489),
        'cmpxchg_double': (4352967, 121349),
        'preempt_disable': (1981317, 440000),
        'preempt_enable': (4969220, 440000),
        'local_irq_save': (263080, 13289),
        'local_irq_restore': (398670, 13289),
        'spin_lock': (47373, 1443),
        'spin_unlock': (21645, 1443),
        'alloc_pages': (15132851, 25923),
        'free_pages': (5561426, 25797),
        'this_cpu_ptr': (2100279, 453289),
        'raw_cpu_ptr': (29615, 5923),
        'compute': (299814, 265923),
        'call': (2626480, 480000),
    },
    'lameter-v1-posted': {
        'test1 kmalloc(8)': (353604, 10000),
        'test1 kfree(8)': (790196, 10000),
        'test1 kmalloc(4096)': (1788166, 10000),
        'test2 kmalloc+kfree(64)': (1150191, 10000),
        'test2 kmalloc+kfree(256)': (541445, 10000),
        'test2 kmalloc+kfree(16384)': (8369981, 10000),
        'load': (5970613, 1952517),
        'store': (5832235, 557155),
        'atomic_add': (551882, 23982),
        'this_cpu_read': (1184097, 885912),
        'this_cpu_cmpxchg': (82953, 5912),
        'this_cpu_cmpxchg_double': (5228720, 273430),
        'cmpxchg_double': (6186343, 172408),
        'local_irq_save': (282983, 14165),
        'local_irq_restore': (424950, 14165),
        'spin_lock': (63025, 2002),
        'spin_unlock': (30030, 2002),
        'alloc_pages': (15226075, 26194),
        'free_pages': (5561426, 25797),
        'this_cpu_ptr': (72155, 14453),
        'raw_cpu_ptr': (30970, 6194),
        'compute': (314110, 272377),
        'call': (3594747, 480000),
    },
    'lameter-v1': {
        'test1 kmalloc(8)': (353300, 10000),
        'test1 kfree(8)': (776609, 10000),
        'test1 kmalloc(4096)': (1758343, 10000),
        'test2 kmalloc+kfree(64)': (540008, 10000),
        'test2 kmalloc+kfree(256)': (540008, 10000),
        'test2 kmalloc+kfree(16384)': (8369981, 10000),
        'load': (5183957, 1845776),
        'store': (5566037, 527730),
        'atomic_add': (539379, 23440),
        'this_cpu_read': (1272174, 885912),
        'this_cpu_cmpxchg': (82953, 5912),
        'this_cpu_cmpxchg_double': (6046005, 324489),
        'cmpxchg_double': (4368534, 121349),
        'local_irq_save': (265463, 13289),
        'local_irq_restore': (398670, 13289),
        'spin_lock': (47373, 1443),
        'spin_unlock': (21645, 1443),
        'alloc_pages': (15132845, 25923),
        'free_pages': (5561426, 25797),
        'this_cpu_ptr': (66335, 13289),
        'raw_cpu_ptr': (29615, 5923),
        'compute': (311336, 271835),
        'call': (2624626, 480000),
    },
    'v4.0': {
        'test1 kmalloc(8)': (344067, 10000),
        'test1 kfree(8)': (806506, 10000),
        'test1 kmalloc(4096)': (1757567, 10000),
        'test2 kmalloc+kfree(64)': (590012, 10000),
        'test2 kmalloc+kfree(256)': (590012, 10000),
        'test2 kmalloc+kfree(16384)': (8369981, 10000),
        'load': (5975875, 2720688),
        'store': (4965944, 539565),
        'atomic_add': (539379, 23440),
        'this_cpu_read': (832422, 445912),
        'this_cpu_cmpxchg': (82953, 5912),
        'this_cpu_cmpxchg_double': (6156381, 324489),
        'cmpxchg_double': (4291138, 121349),
        'local_irq_save': (257261, 13289),
        'local_irq_restore': (398670, 13289),
        'spin_lock': (47373, 1443),
        'spin_unlock': (21645, 1443),
        'alloc_pages': (15132851, 25923),
        'free_pages': (5561426, 25797),
        'this_cpu_ptr': (65715, 13289),
        'raw_cpu_ptr': (35550, 445923),
        'compute': (299814, 265923),
        'barrier': (0, 440000),
        'call': (2626480, 480000),
    },
    'v5.15': {
        'test1 kmalloc(8)': (344037, 10000),
        'test1 kfree(8)': (797614, 10000),
        'test1 kmalloc(4096)': (1810493, 10000),
        'test2 kmalloc+kfree(64)': (560012, 10000),
        'test2 kmalloc+kfree(256)': (560012, 10000),
        'test2 kmalloc+kfree(16384)': (8369981, 10000),
        'load': (6237798, 2718484),
        'store': (4943263, 533716),
        'atomic_add': (539379, 23440),
        'this_cpu_read': (27395, 5912),
        'this_cpu_cmpxchg_double': (6046068, 324489),
        'cmpxchg_double': (4265720, 121349),
        'preempt_disable': (89931, 11846),
        'preempt_enable': (177690, 11846),
        'local_irq_save': (375140, 19190),
        'local_irq_restore': (575700, 19190),
        'spin_lock': (47373, 1443),
        'spin_unlock': (21645, 1443),
        'alloc_pages': (15132848, 25923),
        'free_pages': (5561426, 25797),
        'this_cpu_ptr': (107506, 23681),
        'raw_cpu_ptr': (249557, 440000),
        'compute': (311032, 265923),
        'barrier': (0, 440000),
        'call': (2736954, 480000),
    },
}


def measure(slabsim, scenario):
    out = subprocess.run([slabsim, "compare", scenario, "--format", "csv"],
                         capture_output=True, text=True)
    # The posted V1 leaks (the scenario expects it): exit 1.
    if out.returncode not in (0, 1):
        sys.exit(f"FAIL: slabsim compare exited {out.returncode}: {out.stderr}")
    got = {}
    for row in csv.reader(out.stdout.splitlines()):
        if len(row) < 5:
            continue
        design, kind, name = row[0], row[1], row[2]
        if kind == "cycles_by_primitive" or (kind == "metric" and name in ROWS):
            got.setdefault(design, {})[name] = (int(row[3]), int(row[4]))
    return got


def main():
    slabsim, scenario = sys.argv[1:3]
    got = measure(slabsim, scenario)
    if len(sys.argv) > 3 and sys.argv[3] == "--print":
        print("PINNED = {")
        for design, figures in got.items():
            print(f"    {design!r}: {{")
            for name, value in figures.items():
                print(f"        {name!r}: {value!r},")
            print("    },")
        print("}")
        return 0
    bad = []
    for design, figures in PINNED.items():
        for name, want in figures.items():
            have = got.get(design, {}).get(name)
            if have != want:
                bad.append(f"{design} {name}: (cycles, count) {have}, pinned {want}")
    if set(got) != set(PINNED):
        bad.append(f"designs {sorted(got)}, pinned {sorted(PINNED)}")
    for design in got:
        extra = set(got[design]) - set(PINNED.get(design, {}))
        if extra:
            bad.append(f"{design}: unpinned figures {sorted(extra)}")
    if bad:
        print("FAIL: the seed scenario's cycle figures moved:")
        for b in bad:
            print("  " + b)
        print("(if the change is meant, re-pin: check_seed_cycles.py SLABSIM SCENARIO --print)")
        return 1
    print(f"{sum(len(f) for f in PINNED.values())} figures of {len(PINNED)} designs as pinned")
    return 0


if __name__ == "__main__":
    sys.exit(main())
