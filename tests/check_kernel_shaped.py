#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The kernel-shaped object executes the kernel's instruction forms.

objdump -d of sim/kernel_shaped.o must show, inside the allocator's own
functions: cmpxchg16b on %fs: without LOCK (this_cpu_cmpxchg_double), lock
cmpxchg16b (cmpxchg_double), incl/decl of %fs: (the preempt count), %fs:0
(this_cpu_ptr), pushf/popf (irq save/restore); and no indirect call in the
fastpath functions: every primitive is inline.  Its only global symbols are
kshaped_*.
Usage: check_kernel_shaped.py OBJECT
"""
import re
import subprocess
import sys

obj = sys.argv[1]
dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", obj], check=True,
                     capture_output=True, text=True).stdout

functions = {}
current = None
for line in dis.splitlines():
    m = re.match(r"^[0-9a-f]+ <([^>]+)>:$", line)
    if m:
        current = m.group(1)
        functions[current] = []
    elif current and "\t" in line:
        functions[current].append(line.split("\t", 1)[1].strip())


def body(name):
    for fn, insns in functions.items():
        if fn == name or fn.startswith(name + "."):
            return insns
    sys.exit(f"FAIL: no function {name} in {obj}")


def expect(name, pattern, what):
    if not any(re.search(pattern, i) for i in body(name)):
        sys.exit(f"FAIL: {name} has no {what} (/{pattern}/)")


expect("kmem_cache_alloc_node", r"^cmpxchg16b %fs:", "unlocked cmpxchg16b %fs:")
expect("slab_free", r"^cmpxchg16b %fs:", "unlocked cmpxchg16b %fs:")
expect("kmem_cache_alloc_node", r"^(incl|addl \$0x1,) +%fs:", "incl %fs: (preempt_disable)")
expect("kmem_cache_alloc_node", r"^(decl|subl \$0x1,) +%fs:", "decl %fs: (preempt_enable)")
expect("kmem_cache_alloc_node", r"%fs:0x0,", "%fs:0 read (this_cpu_ptr)")
expect("kmem_cache_alloc_node", r"^mov +%fs:", "%fs: load (this_cpu_read)")
all_insns = [i for insns in functions.values() for i in insns]
if not any(re.match(r"^lock cmpxchg16b", i) for i in all_insns):
    sys.exit("FAIL: no lock cmpxchg16b anywhere (cmpxchg_double)")
if not any(re.match(r"^popf", i) for i in all_insns):
    sys.exit("FAIL: no popf anywhere (local_irq_restore)")
for fn in ("kmem_cache_alloc_node", "slab_free"):
    for i in body(fn):
        if re.match(r"^call +\*", i):
            sys.exit(f"FAIL: {fn} makes an indirect call ({i}): a primitive is not inline")
for i in body("kmem_cache_alloc_node"):
    if re.match(r"^lock ", i) and "cmpxchg16b %fs" in i:
        sys.exit("FAIL: this_cpu_cmpxchg_double has a LOCK prefix")

syms = subprocess.run(["nm", "-g", "--defined-only", obj], check=True, capture_output=True,
                      text=True).stdout.split("\n")
globals_ = [s.split()[-1] for s in syms if s.strip()]
bad = [s for s in globals_ if not s.startswith("kshaped_")]
if bad:
    sys.exit(f"FAIL: global symbols other than kshaped_*: {bad}")
if sorted(globals_) != ["kshaped_primitives", "kshaped_slab_test"]:
    sys.exit(f"FAIL: expected kshaped_primitives and kshaped_slab_test, found {globals_}")
print("kernel-shaped instruction forms present; only kshaped_* exported")
