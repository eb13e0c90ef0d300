# SPDX-License-Identifier: GPL-2.0-only
"""Progress on stderr for the long commands other than explore (whose test is
in check_cli.py): run, compare, bisect and calibrate show it with --progress
(the last line counts everything done), not with --quiet or when stderr is
not a terminal (as here), and refuse both flags; stdout is the same either
way."""
import os
import subprocess
import sys
import tempfile

slabsim, scenarios = sys.argv[1], sys.argv[2]


def run(*args):
    return subprocess.run([slabsim, *args], capture_output=True, text=True)


def check(args, last, strip=lambda out: out):
    """Plain, --quiet and --progress: the same stdout; only --progress writes stderr,
    its last line containing last."""
    plain, quiet, shown = run(*args), run(*args, "--quiet"), run(*args, "--progress")
    assert plain.returncode == quiet.returncode == shown.returncode, (
        args, plain.returncode, quiet.returncode, shown.returncode, shown.stderr)
    assert plain.stderr == "" and quiet.stderr == "", (args, plain.stderr, quiet.stderr)
    lines = [l for l in shown.stderr.replace("\r", "\n").splitlines() if l.strip()]
    assert lines and last in lines[-1], (args, shown.stderr)
    assert all(l.startswith(f"slabsim {args[0]}: ") for l in lines), (args, lines)
    assert strip(plain.stdout) == strip(shown.stdout) == strip(quiet.stdout), args
    both = run(*args, "--progress", "--quiet")
    assert both.returncode == 2, (args, both.returncode)
    assert "--progress and --quiet: expected one of them" in both.stderr, both.stderr


migrate = os.path.join(scenarios, "migrate-tid-retry.ini")
check(["run", migrate], "v5.15: 4/4 designs")
check(["compare", migrate, "--designs", "v3.18,v5.19"], "v5.19: 2/2 designs")

with tempfile.TemporaryDirectory() as d:
    # A schedule to bisect: the ABA mutant's find on race-preempt.
    r = run("explore", os.path.join(scenarios, "race-preempt.ini"), "--designs", "aba-2008",
            "--runs", "500", "--quiet", "--out", d)
    assert r.returncode == 1, r.stdout
    sched = [f for f in os.listdir(d) if f.endswith(".schedule")]
    assert len(sched) == 1, sched
    path = os.path.join(d, sched[0])
    # Bisect names its output file: the same one each time.
    check(["bisect", path, "--out", os.path.join(d, "min")], "done: ",
          lambda out: out.replace(d, "D"))
    shown = run("bisect", path, "--out", os.path.join(d, "min"), "--progress")
    tail = shown.stderr.replace("\r", "\n").splitlines()[-1]
    minimized = [l for l in shown.stdout.splitlines() if l.startswith("minimized: ")][0]
    # "minimized: K of N decisions" on stdout is "best so far K of N" on the last line.
    k, n = minimized.split()[1], minimized.split()[3]
    assert f"best so far {k} of {n} decisions" in tail, (tail, minimized)

    # A calibration small enough for a test: one row, one CPU, 20 operations.
    cal = os.path.join(d, "cal.ini")
    with open(cal, "w") as f:
        f.write("[scenario]\nname = cal\ncpus = 1\ndesigns = v3.18\nprofile = xeon-2014-preempt\n"
                "[task t]\nworkload = slab_test\ncpu = 0\ntests = 2\nsizes = 8\ncount = 20\n")
    table = os.path.join(d, "t.csv")
    with open(table, "w") as f:
        f.write("design,test,size,op,cycles\nv3.18,alloc_free_pair,8,kmalloc+kfree,120\n")
    args = ["calibrate", table, "--scenario", cal, "--design", "v3.18", "--passes", "1",
            "--jobs", "1"]
    r = run(*args, "--progress")
    values = [l for l in r.stdout.splitlines() if "values fitted" in l][0].split(",")[1].split()[0]
    check(args, f"identify: {values}/{values} values")
print("progress on stderr as documented")
