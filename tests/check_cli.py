# SPDX-License-Identifier: GPL-2.0-only
"""slabsim's exit statuses and messages: 2 and one clear line for bad usage
or bad input (never a crash), 1 for a violation, 0 for a clean run."""
import os
import subprocess
import sys
import tempfile

slabsim, scenarios = sys.argv[1], sys.argv[2]


def run(*args):
    p = subprocess.run([slabsim, *args], capture_output=True, text=True)
    return p.returncode, p.stderr


def expect(code, needle, *args):
    rc, err = run(*args)
    assert rc == code, f"{args}: exit {rc}, expected {code}; stderr: {err}"
    assert needle in err, f"{args}: expected '{needle}' in stderr: {err}"


with tempfile.TemporaryDirectory() as d:
    bad = os.path.join(d, "bad.ini")
    with open(bad, "w") as f:
        f.write("[scenario]\nname = x\ncpus = many\n[task t]\nworkload = slab_test\ncpu = 0\n")
    expect(2, "[scenario] cpus: expected an integer", "run", bad)
    # A bad escape: GLib gives the value and an error; the error wins.
    for text, key in (("cpus = 2\\\n", "cpus"), ("cpus = 2\nname = ba\\qse\n", "name")):
        esc = os.path.join(d, "esc.ini")
        with open(esc, "w") as f:
            f.write("[scenario]\nname = x\n" if key == "cpus" else "[scenario]\n")
            f.write(text + "[task t]\nworkload = slab_test\ncpu = 0\n")
        expect(2, f"[scenario] {key}: a bad escape in the value; expected \\s, \\n, \\t, "
               "\\r or \\\\ after a backslash", "run", esc)
    expect(2, "cannot read", "run", os.path.join(d, "missing.ini"))
    expect(2, "expected one scenario FILE", "run")
    expect(2, "unknown command", "frobnicate")
    expect(2, "unknown design 'v9'", "compare", os.path.join(scenarios, "seed-2014.ini"),
           "--designs", "v9")
    expect(2, "--format: expected text, json or csv", "run",
           os.path.join(scenarios, "migrate-tid-retry.ini"), "--format", "xml")
    expect(2, "--seed: expected a non-negative integer", "run",
           os.path.join(scenarios, "migrate-tid-retry.ini"), "--seed", "-3")
    expect(2, "--shard: expected s/n", "explore",
           os.path.join(scenarios, "race-preempt.ini"), "--shard", "3/2")
    expect(2, "expected 'slabsim-schedule 2'", "replay", bad)
    expect(2, "native: --cpus: expected 1 .. 1024, got 0", "native", "--cpus", "0")
    expect(2, "native: --repeat: expected 1 .. 1000, got 0", "native", "--repeat", "0")
    race = os.path.join(scenarios, "race-preempt.ini")
    for args, msg in ((("--time", "nan"), "--time: expected seconds >= 0, got nan"),
                      (("--probability", "nan"), "--probability: expected 0 .. 1, got nan"),
                      (("--jobs", "0"), "--jobs: expected 1 .. 64, got 0"),
                      (("--runs", "0"), "--runs: expected at least 1, got 0"),
                      (("--depth", "99"), "--depth: expected 1 .. 16, got 99"),
                      (("--seed", "99999999999999999999999"),
                       "--seed: expected a non-negative integer up to 18446744073709551615")):
        expect(2, "explore: " + msg, "explore", race, *args)
    # expect_violation with kinds: the wrong kind, or the workload's own bug, fails the check.
    kinded = os.path.join(d, "kinded.ini")
    with open(race) as f:
        text = f.read()
    with open(kinded, "w") as f:
        f.write(text.replace(text[text.index("expect_violation ="):].split("\n")[0],
                             "expect_violation = lameter-v1-posted:double-allocation"))
    expect(1, "design lameter-v1-posted: expected a violation of the kind expect_violation "
           "names, found validator", "run", kinded, "--designs", "lameter-v1-posted",
           "--check-expected")
    badwl = os.path.join(d, "badwl.ini")
    with open(badwl, "w") as f:
        f.write("[scenario]\nname = bad\ncpus = 1\nmemory_mib = 4\n[task b]\n"
                "workload = bad_free\ncpu = 0\n[checks]\nexpect_violation = v3.18\n")
    expect(1, "found workload-double-free (not the allocator's)", "run", badwl, "--designs",
           "v3.18", "--check-expected")
    r = subprocess.run([slabsim, "explore", badwl, "--designs", "v3.18", "--check-expected",
                        "--runs", "3", "--quiet", "--out", d], capture_output=True, text=True)
    assert r.returncode == 1, r.returncode
    assert "found workload-double-free (not the allocator's)" in r.stdout, r.stdout
    # explore --coverage: a CSV per design and point; an unwritable file is exit 2.
    cov = os.path.join(d, "cov.csv")
    r = subprocess.run([slabsim, "explore", race, "--designs", "v5.19", "--runs", "50",
                        "--quiet", "--coverage", cov], capture_output=True, text=True)
    assert r.returncode == 0, (r.returncode, r.stderr)
    assert "  coverage: " in r.stdout and " distinct schedules" in r.stdout, r.stdout
    rows = open(cov).read().splitlines()
    assert rows[0] == "design,point,runs,runs_executed,runs_decided", rows[0]
    assert any(l.startswith("v5.19,slab_alloc.commit,50,50,") for l in rows), rows[:5]
    expect(2, "--coverage: /dev/null/cov.csv: cannot write", "explore", race, "--designs",
           "v5.19", "--runs", "5", "--quiet", "--coverage", "/dev/null/cov.csv")
    expect(2, "--port must be kernel or ops", "native", "--port", "gs")
    expect(2, "--stats needs --port ops", "native", "--stats")
    expect(2, "unknown design 'v9'", "native", "--designs", "v9")
    seed = os.path.join(scenarios, "seed-2014.ini")
    table = os.path.join(scenarios, "tables", "seed-2014-slab_test.csv")
    expect(2, "expected one TABLE.csv, got 0 arguments", "calibrate")
    expect(2, "--scenario FILE and --design D are required", "calibrate", table)
    expect(2, "--design: unknown design 'v9'", "calibrate", table, "--scenario", seed,
           "--design", "v9")
    expect(2, "--jobs must be 1 .. 64, not 0", "calibrate", table, "--scenario", seed,
           "--design", "v3.18", "--jobs", "0")
    expect(2, ":1: no column 'cycles'; expected a header with test,size,op,cycles",
           "calibrate", table, "--scenario", seed, "--design", "v3.18")
    # A --measured table that cannot be read is refused before the fit, as a bad design is.
    expect(2, "--measured v4.0=nope: ", "calibrate", table, "--scenario", seed, "--design",
           "v3.18", "--column", "before_cycles", "--measured", "v4.0=nope")
    expect(2, "--measured: expected DESIGN or DESIGN=COLUMN with a known design, got 'v9'",
           "calibrate", table, "--scenario", seed, "--design", "v3.18", "--column",
           "before_cycles", "--measured", "v9")
    expect(2, "--profile: unknown profile 'nope'", "calibrate", table, "--scenario", seed,
           "--design", "v3.18", "--profile", "nope", "--column", "before_cycles")
    # A schedule file without its violation line, or with a NUL byte: refused, not a crash.
    # explore --out DIR makes DIR (the README's example names one that does not exist).
    sched_dir = os.path.join(d, "sched", "deeper")
    rc, _ = run("explore", os.path.join(scenarios, "race-migrate.ini"), "--designs",
                "null-alias-2014", "--out", sched_dir)
    assert rc == 1, rc
    found = [f for f in os.listdir(sched_dir) if f.endswith(".schedule")]
    assert len(found) == 1, found
    # A directory that cannot be made: exit 2, and the find is still printed.
    r = subprocess.run([slabsim, "explore", os.path.join(scenarios, "race-migrate.ini"),
                        "--designs", "null-alias-2014", "--out", "/dev/null/x"],
                       capture_output=True, text=True)
    assert r.returncode == 2, r.returncode
    assert "cannot create the directory /dev/null/x" in r.stderr, r.stderr
    assert "found validator at run" in r.stdout, r.stdout
    text = open(os.path.join(sched_dir, found[0])).read()
    no_violation = os.path.join(d, "no-violation.schedule")
    with open(no_violation, "w") as f:
        f.write("".join(l for l in text.splitlines(True) if not l.startswith("violation ")))
    expect(2, "bisect: --out: /dev/null/x.min: cannot write: Not a directory", "bisect",
           os.path.join(sched_dir, found[0]), "--out", "/dev/null/x.min")
    for cmd in ("replay", "bisect"):
        expect(2, "incomplete schedule: expected build, scenario, scenario-sha256, design, "
               "seed and violation lines", cmd, no_violation)
    def edited(name, old, new):
        assert old in text, old
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write(text.replace(old, new, 1))
        return path
    design_line = [l for l in text.splitlines() if l.startswith("design ")][0]
    expect(2, "a second 'design' line; expected one", "replay",
           edited("twice.schedule", design_line, design_line + "\n" + design_line))
    seed_line = [l for l in text.splitlines() if l.startswith("seed ")][0]
    expect(2, "seed: expected an integer 0 .. 18446744073709551615, got '-3'", "replay",
           edited("neg.schedule", seed_line, "seed -3"))
    expect(2, "seed: expected an integer 0 .. 18446744073709551615, got "
           "'99999999999999999999999'", "replay",
           edited("huge.schedule", seed_line, "seed 99999999999999999999999"))
    dec_line = [l for l in text.splitlines() if l.startswith("decision ")][0]
    point = dec_line.split()[1].split("#")[0]
    expect(2, "decision: expected an occurrence in 1..18446744073709551615, got '-1'", "replay",
           edited("negocc.schedule", dec_line, f"decision {point}#-1:migrate:0"))
    expect(2, "decision: expected an occurrence in 1..18446744073709551615, got "
           "' -18446744073709551615'", "replay",
           edited("blankocc.schedule", dec_line,
                  f"decision {point}# -18446744073709551615:migrate:0"))
    expect(2, "decision: expected a CPU in 0..1 to migrate to, got '2'", "replay",
           edited("badcpu.schedule", dec_line, f"decision {point}#1:migrate:2"))
    expect(2, "decision: expected the name of a task of this scenario or kworker/0..1 to switch "
           "to, got 'nobody'",
           "replay", edited("badtask.schedule", dec_line, f"decision {point}#1:preempt:nobody"))
    # Version 1 files (decision POINT#N ACTION ARG) are still read, and replay the same.
    assert text.startswith("slabsim-schedule 2\n"), text[:40]
    v1_lines = []
    for l in text.splitlines():
        if l.startswith("decision "):
            l = "decision " + " ".join(l.split(" ", 1)[1].split(":"))
        v1_lines.append(l)
    v1 = os.path.join(d, "v1.schedule")
    with open(v1, "w") as f:
        f.write("\n".join(v1_lines).replace("slabsim-schedule 2", "slabsim-schedule 1", 1) + "\n")
    assert " migrate " in open(v1).read() or " preempt" in open(v1).read()
    r1 = subprocess.run([slabsim, "replay", v1], capture_output=True, text=True)
    r2 = subprocess.run([slabsim, "replay", os.path.join(sched_dir, found[0])],
                        capture_output=True, text=True)
    assert r1.returncode == 1 and r2.returncode == 1, (r1.returncode, r1.stderr)
    assert r1.stdout.replace(v1, "X") == r2.stdout.replace(os.path.join(sched_dir, found[0]), "X")
    header = text.splitlines()[0]
    expect(2, "expected 'slabsim-schedule 2'", "replay",
           edited("noheader.schedule", header + "\n", "# a comment first\n"))
    expect(2, "a second 'slabsim-schedule' line", "replay",
           edited("twoheaders.schedule", header + "\n", header + "\n" + header + "\n"))
    expect(2, "recorded with profile xeon-2014-overlap, the scenario now runs xeon-2014-preempt",
           "replay", edited("prof.schedule", "profile xeon-2014-preempt",
                            "profile xeon-2014-overlap"))
    # Without its decisions the run is clean: it does not reproduce, and that is exit 1.
    no_decisions = os.path.join(d, "nodec.schedule")
    with open(no_decisions, "w") as f:
        f.write("".join(l for l in text.splitlines(True) if not l.startswith("decision ")))
    r = subprocess.run([slabsim, "replay", no_decisions], capture_output=True, text=True)
    assert r.returncode == 1, r.returncode
    assert "does not reproduce: recorded 'validator', replayed 'none'" in r.stderr, r.stderr
    nul = os.path.join(d, "nul.schedule")
    with open(nul, "w") as f:
        f.write(text.replace("violation ", "\0violation ", 1))
    for cmd in ("replay", "bisect"):
        expect(2, "a NUL byte; expected a schedule file", cmd, nul)
    # An endless input (/dev/zero) is refused at 16 MiB, not read until memory runs out.
    expect(2, "/dev/zero: cannot read: File too large", "run", "/dev/zero")
    expect(2, "/dev/zero: cannot read: File too large", "replay", "/dev/zero")
    # Progress: on stderr with --progress (the final line counts every run), none with
    # --quiet or when stderr is not a terminal; the results do not change.
    race = os.path.join(scenarios, "race-preempt.ini")
    plain = subprocess.run([slabsim, "explore", race, "--designs", "lameter-v1", "--runs", "3000"],
                           capture_output=True, text=True)
    shown = subprocess.run([slabsim, "explore", race, "--designs", "lameter-v1", "--runs",
                            "3000", "--progress", "--jobs", "2"], capture_output=True, text=True)
    quiet = subprocess.run([slabsim, "explore", race, "--designs", "lameter-v1", "--runs",
                            "3000", "--quiet"], capture_output=True, text=True)
    assert plain.returncode == shown.returncode == quiet.returncode == 0
    assert plain.stderr == "" and quiet.stderr == "", (plain.stderr, quiet.stderr)
    assert "lameter-v1: 3000/3000 runs" in shown.stderr and "0 found" in shown.stderr, shown.stderr
    # After the header (which names the jobs), the same lines up to the timing.
    strip = lambda out: [l.split(" in ")[0] for l in out.splitlines()[1:]]
    assert strip(plain.stdout) == strip(shown.stdout), (plain.stdout, shown.stdout)
    expect(2, "--progress and --quiet: expected one of them", "explore", race, "--progress",
           "--quiet")
    # A livelock the scenario causes is the scenario's (exit 2), never an allocator bug.
    irq = open(os.path.join(scenarios, "random-mix-irq.ini")).read()
    storm = os.path.join(d, "storm.ini")
    with open(storm, "w") as f:
        f.write(irq.replace("period = 20000", "period = 1"))
    r = subprocess.run([slabsim, "run", storm, "--designs", "v3.18"], capture_output=True,
                       text=True)
    assert r.returncode == 2, r.returncode
    assert "SCENARIO PROBLEM (v3.18)" in r.stdout and "starved:" in r.stdout, r.stdout[-600:]
    assert "allocator bug" not in r.stdout
    slow = os.path.join(d, "slow.ini")
    with open(slow, "w") as f:
        f.write("[scenario]\nname = slow\ncpus = 1\ndesigns = v3.18\n[costs]\ncall = 5000\n"
                "[task t]\nworkload = slab_test\ncpu = 0\nsizes = 8\ncount = 10\n"
                "[checks]\nlivelock_cycles = 1000\n")
    r = subprocess.run([slabsim, "run", slow], capture_output=True, text=True)
    assert r.returncode == 2, r.returncode
    assert "costs are too high for [checks] livelock_cycles" in r.stdout, r.stdout[-600:]
    # Output that cannot be written is an error, never a silent exit 0.
    expect(2, "--trace: cannot write /dev/full: No space left on device", "run",
           os.path.join(scenarios, "migrate-tid-retry.ini"), "--trace", "/dev/full")
    expect(2, "replay: --trace: cannot write /dev/full: No space left on device", "replay",
           os.path.join(sched_dir, found[0]), "--trace", "/dev/full")
    with open("/dev/full", "w") as full:
        r = subprocess.run([slabsim, "run", os.path.join(scenarios, "migrate-tid-retry.ini")],
                           stdout=full, stderr=subprocess.PIPE, text=True)
    assert r.returncode == 2, r.returncode
    assert "cannot write the standard output: No space left on device" in r.stderr, r.stderr
    rc, _ = run("run", os.path.join(scenarios, "migrate-tid-retry.ini"))
    assert rc == 0, rc
    rc, _ = run("run", os.path.join(scenarios, "seed-2014.ini"),
                "--designs", "lameter-v1-posted", "--format", "csv")
    assert rc == 1, rc
print("exit statuses as documented")
