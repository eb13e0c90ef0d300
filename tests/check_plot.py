#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`compare --plot` and `calibrate --plot` write an SVG figure of the
slab_test rows: well-formed XML, one line per simulated design and per
measured series (dashed), the cycles-by-primitive bars, the same bytes
twice; bad use is refused with exit 2.
Usage: check_plot.py SLABSIM
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

slabsim = sys.argv[1]
NS = "{http://www.w3.org/2000/svg}"


def run(*args):
    return subprocess.run([slabsim, *args], capture_output=True, text=True)


def fail(msg):
    sys.exit("FAIL: " + msg)


with tempfile.TemporaryDirectory() as d:
    scn = os.path.join(d, "small.ini")
    with open(scn, "w") as f:
        f.write("[scenario]\nname = small\nseed = 1\ncpus = 2\nmemory_mib = 64\n"
                "designs = v3.18, lameter-v1\nprofile = dev-vm-2026-overlap\n"
                "[task t]\nworkload = slab_test\ncpu = 0\nsizes = 8, 256, 4096\ncount = 200\n")
    table = os.path.join(d, "t.csv")
    with open(table, "w") as f:
        f.write("design,test,size,op,cycles\n")
        for design, base in (("v3.18", 30), ("lameter-v1", 28)):
            for size in (8, 256, 4096):
                f.write(f"{design},repeat_alloc_then_free,{size},kmalloc,{base}\n")
                f.write(f"{design},repeat_alloc_then_free,{size},kfree,{base + 5}\n")
                f.write(f"{design},alloc_free_pair,{size},kmalloc+kfree,{base * 2}\n")
    svg1, svg2 = os.path.join(d, "a.svg"), os.path.join(d, "b.svg")
    for out in (svg1, svg2):
        r = run("compare", scn, "--plot", out, "--plot-table", table)
        if r.returncode != 0:
            fail(f"compare --plot exited {r.returncode}: {r.stderr}")
    if open(svg1, "rb").read() != open(svg2, "rb").read():
        fail("two runs wrote different figures")
    root = ET.parse(svg1).getroot()
    lines = root.findall(f"{NS}polyline")
    solid = [p for p in lines if "stroke-dasharray" not in p.attrib]
    dashed = [p for p in lines if "stroke-dasharray" in p.attrib]
    # 3 panels x 2 designs simulated, 3 panels x 2 designs measured
    if len(solid) != 6 or len(dashed) != 6:
        fail(f"expected 6 solid and 6 dashed lines, found {len(solid)} and {len(dashed)}")
    for p in lines:
        if len(p.attrib["points"].split()) != 3:
            fail("a line does not have one point per size")
    text = "".join(t.text or "" for t in root.iter(f"{NS}text"))
    for needle in ("v3.18", "lameter-v1 cycles", "test 2: kmalloc + kfree",
                   "cycles by primitive"):
        if needle not in text:
            fail(f"no '{needle}' in the figure")
    if not any("this_cpu_cmpxchg_double" in (t.text or "") for t in root.iter(f"{NS}title")):
        fail("no cycles-by-primitive bar")

    cal = os.path.join(d, "cal.svg")
    r = run("calibrate", table, "--scenario", scn, "--design", "v3.18", "--passes", "1",
            "--plot", cal)
    if r.returncode != 0:
        fail(f"calibrate --plot exited {r.returncode}: {r.stderr}")
    root = ET.parse(cal).getroot()
    n = len(root.findall(f"{NS}polyline"))
    if n != 12:  # v3.18 fitted and measured, lameter-v1 predicted and measured
        fail(f"calibrate --plot: expected 12 lines, found {n}")

    race = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios",
                        "race-preempt.ini")
    for args, needle in (
            (("compare", race, "--plot", os.path.join(d, "x.svg")), "has no slab_test rows"),
            (("compare", scn, "--plot", os.path.join(d, "no", "x.svg")), "cannot write"),
            (("compare", scn, "--plot", svg1, "--plot-table", os.path.join(d, "none.csv")),
             "cannot read")):
        r = run(*args)
        if r.returncode != 2 or needle not in r.stderr:
            fail(f"{args}: exit {r.returncode}, stderr {r.stderr!r}; expected 2 and '{needle}'")
print("figures written as documented")
