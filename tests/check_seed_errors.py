#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The seed's table, predicted: errors must not regress past stated bounds.

Runs `slabsim compare SCENARIO --format csv` for v3.18 and
lameter-v1-posted and compares each row with the seed's measurements
(scenarios/tables/seed-2014-slab_test.csv): Before against v3.18, After
against lameter-v1-posted.  With the shipped xeon-2014-seed-fitted profile
(fitted on Before only) the errors measured when it was fitted were:
Before mean 5.8%; After mean 8.3%, median 7.8%, test 2 from 256 to 8192
bytes at most 19.0% (the 1024-byte row, measured 67 where its neighbours
on the same code path measured 60).  The bounds below leave a little room
and no more (see the comment at the bounds).
Usage: check_seed_errors.py SLABSIM SCENARIO TABLE [--calibrate]
With --calibrate (the slow suite) it fits xeon-2014-debug-preempt-overlap
to Before afresh with `slabsim calibrate` and checks the same bounds on the
figures calibrate reports: the fit, not only the shipped profile, holds.
"""
import csv
import re
import statistics
import subprocess
import sys

# Each bound is the figure measured when xeon-2014-seed-fitted was fitted,
# plus a margin (0.2, 0.5, 0.5 and 1.0 points).  The figures come from
#   slabsim calibrate scenarios/tables/seed-2014-slab_test.csv
#       --scenario scenarios/seed-2014.ini --design v3.18
#       --profile xeon-2014-debug-preempt-overlap --column before_cycles
#       --measured lameter-v1-posted=after_cycles
# (the --calibrate run below) and agree with the shipped profile's compare.
# They moved when v3.18 and v4.0 began to free as 3.18 reads (c->freelist
# read twice: to link the object and as the commit's expected value; design
# knob free_reads, point slab_free.reread_freelist): the refit gives Before
# 5.8% (unchanged), After mean 8.3% (was 7.5%), median 7.8% (was 6.5%),
# test 2 at 256..8192 bytes worst 19.0% (was 16.0%); the bounds moved from
# 6.0 / 8.0 / 7.0 / 17.0 with the same margins.  The more faithful free is
# kept although After fits worse: the bounds follow the model, not the
# other way round.
BEFORE_MEAN = 6.0
AFTER_MEAN = 8.8
AFTER_MEDIAN = 8.3
AFTER_TEST2_BIG = 20.0

slabsim, scenario, table = sys.argv[1:4]


def fail(msg):
    sys.exit("FAIL: " + msg)


if len(sys.argv) > 4 and sys.argv[4] == "--calibrate":
    out = subprocess.run([slabsim, "calibrate", table, "--scenario", scenario, "--design", "v3.18",
                          "--profile", "xeon-2014-debug-preempt-overlap", "--column",
                          "before_cycles", "--measured", "lameter-v1-posted=after_cycles"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"slabsim calibrate exited {out.returncode}: {out.stderr}")
    text = out.stdout
    m = re.search(r"^v3\.18: mean error ([\d.]+)%", text, re.M)
    a = re.search(r"^lameter-v1-posted: mean error ([\d.]+)%, median ([\d.]+)%.*worst ([\d.]+)%",
                  text, re.M)
    if not m or not a:
        fail("calibrate printed no error figures")
    before, after_mean, after_median, big = float(m[1]), float(a[1]), float(a[2]), float(a[3])
else:
    out = subprocess.run([slabsim, "compare", scenario, "--designs", "v3.18,lameter-v1-posted",
                          "--format", "csv"], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        fail(f"slabsim compare exited {out.returncode}: {out.stderr}")
    pred = {}
    for row in csv.reader(out.stdout.splitlines()):
        if len(row) == 6 and row[1] == "metric":
            pred[(row[0], row[2])] = float(row[5])
    errs = {"v3.18": [], "lameter-v1-posted": []}
    big_errs = []
    with open(table) as f:
        for r in csv.DictReader(f):
            size = int(r["size"])
            name = (f"test1 {r['op']}({size})" if r["test"] == "repeat_alloc_then_free"
                    else f"test2 kmalloc+kfree({size})")
            for design, col in (("v3.18", "before_cycles"), ("lameter-v1-posted", "after_cycles")):
                p = pred.get((design, name))
                if p is None:
                    fail(f"no prediction for {design} {name}")
                e = 100 * abs(p - float(r[col])) / float(r[col])
                errs[design].append(e)
                if design != "v3.18" and name.startswith("test2") and 256 <= size <= 8192:
                    big_errs.append(e)
    before = statistics.mean(errs["v3.18"])
    after_mean = statistics.mean(errs["lameter-v1-posted"])
    after_median = statistics.median(errs["lameter-v1-posted"])
    big = max(big_errs)

print(f"Before mean {before:.1f}% (bound {BEFORE_MEAN}); After mean {after_mean:.1f}% "
      f"(bound {AFTER_MEAN}), median {after_median:.1f}% (bound {AFTER_MEDIAN}), "
      f"test 2 256..8192 worst {big:.1f}% (bound {AFTER_TEST2_BIG})")
if before > BEFORE_MEAN or after_mean > AFTER_MEAN or after_median > AFTER_MEDIAN \
        or big > AFTER_TEST2_BIG:
    fail("the seed's errors regressed past their bounds")
