# SPDX-License-Identifier: GPL-2.0-only
"""slabsim merge and slabsim campaign: the shards of an exploration merged
print and write exactly what one process with the same budget prints and
writes (its time aside), for several shard counts and every scheduler; every
figure is computed here, from a run of one process, never written down.
Results that do not belong together are refused (exit 2, naming the file
and the field); missing shards are reported (exit 3)."""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

slabsim, scenarios = sys.argv[1], os.path.abspath(sys.argv[2])
campaign = os.path.join(scenarios, "campaigns", "example.ini")


def run(*args, cwd=None):
    p = subprocess.run([slabsim, *args], capture_output=True, text=True, cwd=cwd)
    assert p.returncode in (0, 1, 2, 3), f"{args}: exit {p.returncode}: {p.stderr}"
    return p.returncode, p.stdout, p.stderr


def untimed(text):
    """What one process prints, less its time: 'in 0.01 s (19000 runs/s)'."""
    return re.sub(r" in [0-9.]+ s \([0-9]+ runs/s\)", "", text)


def untimed_json(path):
    """A result file's bytes less its time: the last object, on its own line."""
    with open(path) as f:
        lines = f.read().splitlines()
    assert lines[-1].startswith('  "time": '), f"{path}: the last line is not the time"
    return "\n".join(lines[:-1])


def explore(d, sc, sched, runs, shard, name, jobs=1):
    args = ["explore", sc, "--scheduler", sched, "--runs", str(runs), "--quiet",
            "--out", os.path.join(d, "schedules"), "--result", os.path.join(d, name),
            "--jobs", str(jobs)]
    if shard:
        args += ["--shard", shard]
    rc, out, err = run(*args)
    assert rc in (0, 1), f"{args}: exit {rc}: {err}"
    return rc, out


def merge_equals_one(d, sc, sched, runs, counts):
    rc1, one = explore(d, sc, sched, runs, None, "one.json")
    for n in counts:
        for f in glob.glob(os.path.join(d, "shard-*.json")):
            os.remove(f)
        files = []
        for i in range(n):
            # The jobs of a shard must not change its result either.
            explore(d, sc, sched, runs, f"{i}/{n}", f"shard-{i}.json", jobs=1 + i % 2)
            files.append(os.path.join(d, f"shard-{i}.json"))
        merged = os.path.join(d, "merged.json")
        rc, out, err = run("merge", *files, "--out", merged)
        what = f"{os.path.basename(sc)} {sched} {runs} runs, {n} shards"
        assert rc == rc1, f"{what}: merge exit {rc}, one process {rc1}: {err}"
        assert untimed(out) == untimed(one), f"{what}:\n{out}\nversus one process:\n{one}"
        assert untimed_json(merged) == untimed_json(os.path.join(d, "one.json")), \
            f"{what}: the merged result file differs from one process's"
    print(f"{os.path.basename(sc)} {sched}: shards {counts} merge to one process's result")
    return one


def expect(code, needle, *args):
    rc, _, err = run(*args)
    assert rc == code, f"{args}: exit {rc}, expected {code}; stderr: {err}"
    assert needle in err, f"{args}: expected '{needle}' in stderr: {err}"


def edited(d, src, name, edit):
    with open(src) as f:
        r = json.load(f)
    edit(r)
    path = os.path.join(d, name)
    with open(path, "w") as f:
        json.dump(r, f)
    return path


with tempfile.TemporaryDirectory() as d:
    preempt = os.path.join(scenarios, "race-preempt.ini")
    migrate = os.path.join(scenarios, "race-migrate.ini")
    # Every design of race-preempt: finds early and late, and none; 3000
    # runs are 12 blocks, so that the cut falls inside a block that some
    # shard ran past (run again) and at the budget (added up).
    one = merge_equals_one(d, preempt, "random", 3000, (1, 2, 3, 5))
    assert "found" in one and "no violation" in one, one
    merge_equals_one(d, preempt, "pct", 600, (2, 3))
    merge_equals_one(d, migrate, "bounded", 700, (3,))
    merge_equals_one(d, migrate, "random", 900, (2, 5))

    # Shards of other explorations, and the same shard twice, are refused.
    sh = lambda i: os.path.join(d, f"shard-{i}.json")  # noqa: E731
    for i in range(2):
        explore(d, preempt, "random", 500, f"{i}/2", f"shard-{i}.json")
    explore(d, preempt, "random", 500, None, "seed2.json")  # overwritten below
    run("explore", preempt, "--runs", "500", "--seed", "2", "--shard", "1/2", "--quiet",
        "--out", d, "--result", os.path.join(d, "seed2.json"))
    expect(2, "seed2.json: settings.master_seed: expected 1", "merge", sh(0),
           os.path.join(d, "seed2.json"))
    run("explore", preempt, "--runs", "400", "--shard", "1/2", "--quiet", "--out", d,
        "--result", os.path.join(d, "runs400.json"))
    expect(2, "runs400.json: settings.runs: expected 500", "merge", sh(0),
           os.path.join(d, "runs400.json"))
    run("explore", preempt, "--runs", "500", "--shard", "1/3", "--quiet", "--out", d,
        "--result", os.path.join(d, "of3.json"))
    expect(2, "of3.json: shard.count: expected 2", "merge", sh(0), os.path.join(d, "of3.json"))
    expect(2, "overlapping shards", "merge", sh(0), sh(1), shutil.copy(sh(1), sh(1) + ".copy"))
    other = edited(d, sh(1), "other.json", lambda r: r["scenario"].update(sha256="0" * 64))
    expect(2, "other.json: scenario.sha256: expected", "merge", sh(0), other)
    build = edited(d, sh(0), "build.json", lambda r: r.update(build="v0-elsewhere"))
    expect(2, "build.json: build: expected this program's build", "merge", build, sh(1))
    # Bad files: each error names the file and the field.
    bad = edited(d, sh(0), "bad.json",
                 lambda r: r["designs"][1]["totals"].update(runs="many"))
    expect(2, "bad.json: designs[1].totals.runs: expected an integer >= 0, found a string",
           "merge", bad)
    neg = edited(d, sh(0), "neg.json", lambda r: r["designs"][0]["done"].update(count=-1))
    expect(2, "neg.json: designs[0].done.count: expected an integer >= 0, found a negative",
           "merge", neg)
    lie = edited(d, sh(0), "lie.json", lambda r: r["designs"][0]["done"].update(count=3))
    expect(2, "lie.json: designs[0].done.count: expected totals.runs", "merge", lie)
    ver = edited(d, sh(0), "ver.json", lambda r: r.update(version=99))
    expect(2, "ver.json: version: expected 2, found 99", "merge", ver)
    hashes = edited(d, sh(0), "hashes.json",
                    lambda r: r["designs"][0]["blocks"][0].update(schedules="AAAA"))
    expect(2, "hashes.json: designs[0].blocks[0].schedules: expected 8-byte hashes", "merge",
           hashes)
    with open(os.path.join(d, "cut.json"), "w") as f:
        f.write(open(sh(0)).read()[:500])
    expect(2, "cut.json: not JSON", "merge", os.path.join(d, "cut.json"))
    with open(os.path.join(d, "big.json"), "w") as f:
        f.write(" " * (17 << 20))
    expect(2, "big.json: cannot read: File too large", "merge", os.path.join(d, "big.json"))
    expect(2, "cannot read", "merge", os.path.join(d, "none.json"))
    expect(2, "expected one or more RESULT files", "merge")

    # A missing shard: reported (exit 3); the figures are those of the runs
    # below the first index nobody ran, as one process with that budget.
    for i in range(3):
        explore(d, migrate, "random", 900, f"{i}/3", f"shard-{i}.json")
    rc, out, err = run("merge", sh(0), sh(2))
    assert rc == 3 and "missing shards (no result file): 1/3" in err, (rc, err)
    assert "incomplete: no shard ran index 1" in err, err
    _, small = explore(d, migrate, "random", 1, None, "small.json")
    lines = lambda t: [ln for ln in untimed(t).splitlines() if ln.startswith(("design", "  cov"))]  # noqa: E731,E501
    assert lines(out) == lines(small), f"{out}\nversus one run:\n{small}"
    print("refusals, bad files and a missing shard: as expected")

    # Shards stopped by a signal: each result says what it ran (and the
    # design it never started); the merge counts the runs below the first
    # index nobody ran, as one process with that budget would (exit 3).
    procs = [subprocess.Popen([slabsim, "explore", preempt, "--designs", "v5.19,lameter-v1",
                               "--runs", "100000000", "--shard", f"{i}/2", "--quiet",
                               "--out", d, "--result", sh(i)], stdout=subprocess.PIPE,
                              text=True) for i in range(2)]
    for i, p in enumerate(procs):
        p.stdout.readline()  # the header: the runs begin
        time.sleep(0.3 * (i + 1))
        p.send_signal(signal.SIGINT)
    for p in procs:
        p.stdout.read()
        assert p.wait() == 130, "explore stopped by SIGINT exits 130"
        p.stdout.close()
    rc, out, err = run("merge", sh(0), sh(1))
    assert rc == 3, f"exit {rc}: {err}"
    gap = int(re.search(r"v5\.19: incomplete: no shard ran index (\d+)", err).group(1))
    assert "lameter-v1: incomplete: no shard ran index 0, so the figures count no runs" in err, err
    rc, cut, err = run("explore", preempt, "--designs", "v5.19", "--runs", str(gap), "--quiet",
                       "--out", d)
    assert lines(out)[:2] == lines(cut)[:2], f"{out}\nversus one process:\n{cut}"
    print(f"shards stopped by SIGINT: merged up to run {gap}, as one process")

    # Campaigns: bad files refused with the group and key ...
    def campaign_file(text):
        path = os.path.join(d, "c.ini")
        with open(path, "w") as f:
            f.write(text)
        return path

    head = "[campaign]\nname = t\n[explore a]\nscenario = %s\n" % preempt
    for text, msg in (
            (head + "runs = 10\nschedulers = random, dfs\n",
             "[explore a] schedulers: expected random, pct or bounded, found 'dfs'"),
            (head + "runs = 0\n", "[explore a] runs: expected a budget of runs 1 .."),
            (head + "runs = 10\ndesigns = v4.0, v9\n",
             "[explore a] designs: expected design names (slabsim designs), found 'v9'"),
            (head + "runs = 10\nbudget = 3\n", "[explore a] budget: unknown key"),
            ("[campaign]\nname = t\n[explore a]\nscenario = nowhere.ini\nruns = 1\n",
             "[explore a] scenario: "),
            ("[campaign]\nname = t\n", "expected at least one [explore NAME] group"),
            (head + "runs = 10\n[task x]\n", "[task x]: expected [campaign] or [explore NAME]")):
        expect(2, msg, "campaign", "plan", campaign_file(text), "--tasks", "2")
    expect(2, "--task: expected i/N", "campaign", "run", campaign, "--task", "4/4", "--out", d)
    expect(2, "no result files", "campaign", "merge", d)

    # ... and a campaign in 1 task and in 3 merges to the same table and results.
    rc, plan, _ = run("campaign", "plan", campaign, "--tasks", "3")
    assert rc == 0 and plan.count("slabsim explore") == 3 * 4, plan
    tables = {}
    for n in (1, 3):
        out_dir = os.path.join(d, f"c{n}")
        for i in range(n):
            rc, out, err = run("campaign", "run", campaign, "--task", f"{i}/{n}", "--out", out_dir)
            assert rc in (0, 1), f"task {i}/{n}: exit {rc}: {err}"
        rc, table, err = run("campaign", "merge", out_dir, "--out", os.path.join(d, f"m{n}"))
        assert rc == 1, f"{n} tasks: merge exit {rc}: {err}"  # the example has finds
        tables[n] = table
    assert tables[1] == tables[3], f"1 task:\n{tables[1]}\n3 tasks:\n{tables[3]}"
    assert re.search(r"race-preempt +random +v4\.0 +\d+ +1 +leak at run \d+", tables[1]), tables[1]
    assert re.search(r"race-preempt +random +v5\.19 +2000 +0 +- +0\.0015 \(3/2000\)",
                     tables[1]), tables[1]
    for path in glob.glob(os.path.join(d, "m1", "*.json")):
        other = os.path.join(d, "m3", os.path.basename(path))
        assert untimed_json(path).replace("/c1/", "/c3/") == untimed_json(other), path
    print("campaign in 1 and in 3 tasks: the same table and merged results\n" + tables[1])
