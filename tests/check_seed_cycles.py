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
        'test1 kmalloc(8)': (634048, 10000),
        'test1 kfree(8)': (1067050, 10000),
        'test1 kmalloc(4096)': (2034008, 10000),
        'test2 kmalloc+kfree(64)': (1160000, 10000),
        'test2 kmalloc+kfree(256)': (1160000, 10000),
        'test2 kmalloc+kfree(16384)': (8379980, 10000),
        'load': (9180658, 2719864),
        'store': (5471578, 539565),
        'atomic_add': (539379, 23440),
        'this_cpu_read': (27395, 5912),
        'this_cpu_cmpxchg': (82953, 5912),
        'this_cpu_cmpxchg_double': (6370458, 324489),
        'cmpxchg_double': (4111136, 121349),
        'preempt_disable': (2201304, 440000),
        'preempt_enable': (4969220, 440000),
        'local_irq_save': (263080, 13289),
        'local_irq_restore': (398670, 13289),
        'spin_lock': (47373, 1443),
        'spin_unlock': (21645, 1443),
        'alloc_pages': (15129694, 25923),
        'free_pages': (5532355, 25797),
        'this_cpu_ptr': (2100403, 453289),
        'raw_cpu_ptr': (29615, 5923),
        'compute': (300128, 265923),
        'call': (2765463, 480000),
    },
    'lameter-v1-posted': {
        'test1 kmalloc(8)': (363607, 10000),
        'test1 kfree(8)': (780195, 10000),
        'test1 kmalloc(4096)': (1794419, 10000),
        'test2 kmalloc+kfree(64)': (1150029, 10000),
        'test2 kmalloc+kfree(256)': (561416, 10000),
        'test2 kmalloc+kfree(16384)': (8379980, 10000),
        'load': (5976518, 1952517),
        'store': (5832222, 557155),
        'atomic_add': (551882, 23982),
        'this_cpu_read': (1184092, 885912),
        'this_cpu_cmpxchg': (82953, 5912),
        'this_cpu_cmpxchg_double': (5502147, 273430),
        'cmpxchg_double': (5841527, 172408),
        'local_irq_save': (282983, 14165),
        'local_irq_restore': (424950, 14165),
        'spin_lock': (63025, 2002),
        'spin_unlock': (30030, 2002),
        'alloc_pages': (15223460, 26194),
        'free_pages': (5532355, 25797),
        'this_cpu_ptr': (72155, 14453),
        'raw_cpu_ptr': (30970, 6194),
        'compute': (314110, 272377),
        'call': (3785407, 480000),
    },
    'lameter-v1': {
        'test1 kmalloc(8)': (363303, 10000),
        'test1 kfree(8)': (767153, 10000),
        'test1 kmalloc(4096)': (1764596, 10000),
        'test2 kmalloc+kfree(64)': (560007, 10000),
        'test2 kmalloc+kfree(256)': (560007, 10000),
        'test2 kmalloc+kfree(16384)': (8379980, 10000),
        'load': (5189919, 1845776),
        'store': (5566024, 527730),
        'atomic_add': (539379, 23440),
        'this_cpu_read': (1272183, 885912),
        'this_cpu_cmpxchg': (82953, 5912),
        'this_cpu_cmpxchg_double': (6370398, 324489),
        'cmpxchg_double': (4125836, 121349),
        'local_irq_save': (265463, 13289),
        'local_irq_restore': (398670, 13289),
        'spin_lock': (47373, 1443),
        'spin_unlock': (21645, 1443),
        'alloc_pages': (15129687, 25923),
        'free_pages': (5532355, 25797),
        'this_cpu_ptr': (66335, 13289),
        'raw_cpu_ptr': (29615, 5923),
        'compute': (311336, 271835),
        'call': (2764227, 480000),
    },
    'v4.0': {
        'test1 kmalloc(8)': (354070, 10000),
        'test1 kfree(8)': (796778, 10000),
        'test1 kmalloc(4096)': (1763819, 10000),
        'test2 kmalloc+kfree(64)': (600011, 10000),
        'test2 kmalloc+kfree(256)': (600011, 10000),
        'test2 kmalloc+kfree(16384)': (8379980, 10000),
        'load': (5981887, 2719864),
        'store': (4967170, 539565),
        'atomic_add': (539379, 23440),
        'this_cpu_read': (832448, 445912),
        'this_cpu_cmpxchg': (82953, 5912),
        'this_cpu_cmpxchg_double': (6370488, 324489),
        'cmpxchg_double': (4049306, 121349),
        'local_irq_save': (257261, 13289),
        'local_irq_restore': (398670, 13289),
        'spin_lock': (47373, 1443),
        'spin_unlock': (21645, 1443),
        'alloc_pages': (15129693, 25923),
        'free_pages': (5532355, 25797),
        'this_cpu_ptr': (65839, 13289),
        'raw_cpu_ptr': (35562, 445923),
        'compute': (299814, 265923),
        'barrier': (0, 440000),
        'call': (2765463, 480000),
    },
    'v5.15': {
        'test1 kmalloc(8)': (353430, 10000),
        'test1 kfree(8)': (786755, 10000),
        'test1 kmalloc(4096)': (1762258, 10000),
        'test2 kmalloc+kfree(64)': (580011, 10000),
        'test2 kmalloc+kfree(256)': (580011, 10000),
        'test2 kmalloc+kfree(16384)': (8379980, 10000),
        'load': (6221581, 2719864),
        'store': (4965918, 539565),
        'atomic_add': (539379, 23440),
        'this_cpu_read': (27395, 5912),
        'this_cpu_cmpxchg': (82953, 5912),
        'this_cpu_cmpxchg_double': (6370458, 324489),
        'cmpxchg_double': (4023888, 121349),
        'local_irq_save': (263080, 13289),
        'local_irq_restore': (398670, 13289),
        'spin_lock': (47373, 1443),
        'spin_unlock': (21645, 1443),
        'alloc_pages': (15129690, 25923),
        'free_pages': (5532355, 25797),
        'this_cpu_ptr': (65715, 13289),
        'raw_cpu_ptr': (279172, 445923),
        'compute': (299826, 265923),
        'barrier': (0, 440000),
        'call': (2766390, 480000),
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
