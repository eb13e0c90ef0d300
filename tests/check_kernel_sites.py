#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""check_kernel_sites.py SLABSIM SCENARIOS_DIR - decisions by site on a
kernel design (sim/scenario/decision.h: POINT@FUNCTION:LINE[K]#N@TASK), on
linux-6.1-tid-revert in race-preempt, where explore finds the leak within a
few runs.  check_kernel_tid_revert.py, in the slow suite, is the long form
and checks bisect by site (its focused phase takes 200,000 runs):

 - explore's schedule file names every decision by its site;
 - replay of it is the explore's run: the same output as `slabsim run
   --seed` of that run (which replays the random scheduler, no decisions);
 - the same decisions in a scenario's [inject] decisions (and the seed) are
   the same run, and the occurrence form (POINT#N@TASK) is still read
   beside them;
 - an unknown site, a site without @TASK or on a port's point, is refused
   with exit 2 and a
   message naming the file (and the group and key in a scenario).
"""
import os
import re
import sys
import tempfile

from kernel_checks import Checks

slabsim, scen = sys.argv[1], sys.argv[2]
DESIGN = "linux-6.1-tid-revert"
SITE_DECISION = re.compile(r"^kernel\.\w+@\w+:\d+(\[\d+\])?#\d+@\w+:preempt$")
checks = Checks(slabsim)
check, run = checks.check, checks.run


def decisions(path):
    with open(path) as fh:
        return re.findall(r"^decision (\S+)$", fh.read(), re.M)


def body(out):
    """A run's report from its design on, without its reproduce line (the
    lines before and that one name the command and the scenario file)."""
    lines = out.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.startswith("== design")), len(lines))
    return [ln for ln in lines[start:] if not ln.startswith("reproduce:")]


with tempfile.TemporaryDirectory() as tmp:
    race = os.path.join(scen, "race-preempt.ini")
    p = run("explore", race, "--designs", DESIGN, "--runs", "50", "--out", tmp)
    m = re.search(r"found leak at run \d+ \(seed (\d+)\)", p.stdout)
    check(p.returncode == 1 and m is not None,
          "explore finds the leak: " + (m.group(0) if m else p.stdout[-400:] + p.stderr[-400:]))
    sched = os.path.join(tmp, [f for f in os.listdir(tmp) if f.endswith(".schedule")][0]) \
        if m else None
    if not sched:
        sys.exit(1)
    ds = decisions(sched)
    bad = [d for d in ds if not SITE_DECISION.match(d)]
    check(ds and not bad, "the schedule's %d decisions are by site (e.g. %s); not: %s"
          % (len(ds), ds[0] if ds else "-", bad[:3]))

    r1, r2 = run("replay", sched), run("replay", sched)
    check(r1.returncode == 1 and "leak: " in r1.stdout and r1.stdout == r2.stdout,
          "replay gives the leak, twice the same")
    orig = run("run", race, "--seed", m.group(1), "--designs", DESIGN)
    trace = re.search(r"trace ([0-9a-f]{16})", r1.stdout)
    check(body(r1.stdout) == body(orig.stdout) and trace is not None,
          "replay by site is the explore's run (slabsim run --seed): trace %s"
          % (trace.group(1) if trace else "?"))

    # The same decisions in a scenario, by site; one more by occurrence is read too.
    with open(race) as fh:
        text = fh.read()

    def scenario(decs, name):
        path = os.path.join(tmp, name + ".ini")
        with open(path, "w") as fh:
            fh.write(text.replace("policy = random\nprobability = 0.05\nkinds = preempt",
                                  "policy = decisions\ndecisions = " + ", ".join(decs)))
        return path

    seed = ("--seed", m.group(1))
    p = run("run", scenario(ds, "by-site"), "--designs", DESIGN, *seed)
    check(p.returncode == 1 and "leak: " in p.stdout and body(p.stdout) == body(r1.stdout),
          "[inject] decisions by site in a scenario: the schedule's run")
    p = run("run", scenario(ds + ["kernel.load#400@big:preempt"], "mixed"), "--designs",
            DESIGN, *seed)
    check(p.returncode in (0, 1) and not p.stderr.strip(),
          "the occurrence form is still read beside sites (exit %d) %s"
          % (p.returncode, p.stderr.strip()[:300]))

    p = run("run", scenario(["kernel.load@no_such_function:1#1@big:preempt"], "unknown"),
            "--designs", DESIGN)
    check(p.returncode == 2 and "[inject]" in p.stderr and "decisions" in p.stderr
          and "unknown site 'no_such_function:1'" in p.stderr and "unknown.ini" in p.stderr,
          "a scenario's unknown site: exit 2, file, group, key: %s" % p.stderr.strip()[:300])
    site = ds[0].split("#")[0]
    p = run("run", scenario([site + "#1:preempt"], "notask"), "--designs", DESIGN)
    check(p.returncode == 2 and "expected @TASK" in p.stderr,
          "a site without @TASK: exit 2: %s" % p.stderr.strip()[:300])
    p = run("run", scenario(["slab_free.commit@" + site.split("@")[1] + "#1@big:preempt"],
                            "portpoint"), "--designs", DESIGN)
    check(p.returncode == 2 and "expected a kernel.* point" in p.stderr,
          "a site on a port point: exit 2: %s" % p.stderr.strip()[:300])
    with open(sched) as fh:
        stext = fh.read()
    badsched = os.path.join(tmp, "bad.schedule")
    with open(badsched, "w") as fh:
        fh.write(stext.replace("decision " + ds[0],
                               "decision " + ds[0].split("@")[0] + "@__slab_free:1#1@big:preempt"))
    p = run("replay", badsched)
    check(p.returncode == 2 and "bad.schedule" in p.stderr
          and "unknown site '__slab_free:1'" in p.stderr,
          "a schedule's unknown site: exit 2 naming the file: %s" % p.stderr.strip()[:300])

sys.exit(checks.exit_code())
