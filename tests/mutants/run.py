#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Mutation check: does the test suite notice small deliberate bugs?

Each mutant in mutants.py replaces one exact piece of text in alloc/ or
sim/ by another.  This script copies the checkout into a scratch tree
(default: $TMPDIR/slabsim-mutants-<hash of the checkout's path>; kept
between invocations, so that later runs rebuild incrementally), builds it
there once with the README's settings, and then, one mutant at a time:
applies it, rebuilds only what the next test needs, runs the README's
test command's tests (`meson test --no-suite slow`, as `meson introspect
--tests` lists them) one by one, cheapest first, and stops at the first
that fails (killed) or after the last (survived); then puts the file back.
Survivors then meet a longer explore of the race scenarios
(--explore-runs, default 10,000 runs each, --check-expected) as issue 10
measured them.  The checkout itself is never written to.

Mutants marked `equivalent` (with the reason) are run too and must
survive; the score is killed / (mutants - equivalent).

  python3 tests/mutants/run.py                    all mutants
  python3 tests/mutants/run.py --only ID[,ID..]    some of them
  python3 tests/mutants/run.py --check             every mutant applies exactly once (no build)
  python3 tests/mutants/run.py --list              the mutants
  python3 tests/mutants/run.py --source DIR        another checkout's tests (e.g. main's)

Exit status: 0 when the score is at least --min-score (default 0: report
only) and every mutant applied and compiled, 1 otherwise, 2 for bad usage.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mutants as mutant_list  # noqa: E402

NICE = ["nice", "-n", "15"]


def repo_root():
    out = subprocess.run(["git", "-C", HERE, "rev-parse", "--show-toplevel"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def log(msg):
    print(msg, flush=True)


# ----------------------------------------------------------------------------
# Applying a mutant

def apply_text(text, m):
    """The file's text with mutant m applied; ValueError if it does not apply once."""
    n = text.count(m.old)
    if n != 1:
        raise ValueError(f"{m.id}: {m.file}: the text to replace occurs {n} times, expected once:"
                         f"\n{m.old}")
    return text.replace(m.old, m.new, 1)


def check_all(src, ms):
    """Every mutant applies exactly once to the tree at src: a list of problems."""
    problems = []
    seen = set()
    for m in ms:
        if m.id in seen:
            problems.append(f"{m.id}: a second mutant with this id")
        seen.add(m.id)
        if m.old == m.new:
            problems.append(f"{m.id}: replaces a text by itself")
        path = os.path.join(src, m.file)
        try:
            with open(path) as f:
                apply_text(f.read(), m)
        except (OSError, ValueError) as e:
            problems.append(str(e))
    return problems


# ----------------------------------------------------------------------------
# The scratch tree

def tracked_files(root):
    out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                          "--exclude-standard"], capture_output=True, check=True)
    return [p for p in out.stdout.decode().split("\0") if p and os.path.isfile(os.path.join(root, p))]


def sync(root, src):
    """Copy the checkout's files into src, writing only those that differ (keeps mtimes)."""
    changed = 0
    for rel in tracked_files(root):
        a, b = os.path.join(root, rel), os.path.join(src, rel)
        with open(a, "rb") as f:
            data = f.read()
        try:
            with open(b, "rb") as f:
                same = f.read() == data
        except OSError:
            same = False
        if not same:
            os.makedirs(os.path.dirname(b), exist_ok=True)
            with open(b, "wb") as f:
                f.write(data)
            shutil.copymode(a, b)
            changed += 1
    return changed


def setup_build(src, build):
    if os.path.exists(os.path.join(build, "build.ninja")):
        return
    subprocess.run(NICE + ["meson", "setup", build, src], check=True, stdout=subprocess.DEVNULL)


class Suite:
    """The README's tests, as meson lists them, with what each needs built."""

    def __init__(self, build, names=None):
        self.build = build
        tests = json.loads(subprocess.run(["meson", "introspect", build, "--tests"],
                                          capture_output=True, text=True, check=True).stdout)
        targets = json.loads(subprocess.run(["meson", "introspect", build, "--targets"],
                                            capture_output=True, text=True, check=True).stdout)
        files = {t["id"]: t["filename"] for t in targets}
        self.tests = []
        for t in tests:
            suites = [s.split(":")[-1] for s in t["suite"]]
            if "slow" in suites or (names and t["name"] not in names):
                continue
            need = [os.path.relpath(f, build) for d in t.get("depends", []) for f in files.get(d, [])]
            t["targets"] = need
            self.tests.append(t)
        if names:
            unknown = set(names) - {t["name"] for t in self.tests}
            if unknown:
                raise SystemExit(f"run.py: --tests: unknown test(s): {', '.join(sorted(unknown))}")

    def build_for(self, t):
        """Build what test t needs; False if the build fails."""
        p = subprocess.run(NICE + ["ninja", "-C", self.build] + t["targets"],
                           capture_output=True, text=True)
        return p.returncode == 0, p.stdout[-3000:] + p.stderr[-2000:]

    def run_test(self, t, limit):
        """(passed, seconds, output tail) of one test, stopped after limit seconds."""
        env = dict(os.environ)
        env.update(t.get("env") or {})
        t0 = time.monotonic()
        try:
            p = subprocess.run(NICE + t["cmd"], cwd=t.get("workdir") or self.build, env=env,
                               stdin=subprocess.DEVNULL, capture_output=True, timeout=limit)
            ok = p.returncode == 0
            tail = (p.stdout[-1500:] + p.stderr[-1500:]).decode(errors="replace")
        except subprocess.TimeoutExpired:
            ok, tail = False, f"timed out after {limit:.0f} s"
        return ok, time.monotonic() - t0, tail


# ----------------------------------------------------------------------------
# One mutant

class Scratch:
    def __init__(self, src, suite, explore_runs):
        self.src, self.suite, self.explore_runs = src, suite, explore_runs
        self.limits = {}

    def baseline(self):
        """Every test passes unmutated; each test's time sets its limit and the order."""
        times = {}
        for t in self.suite.tests:
            ok, out = self.suite.build_for(t)
            if not ok:
                raise SystemExit(f"run.py: the unmutated tree does not build:\n{out}")
            passed, secs, tail = self.suite.run_test(t, t.get("timeout") or 600)
            if not passed:
                raise SystemExit(f"run.py: test {t['name']} fails without a mutant:\n{tail}")
            times[t["name"]] = secs
            log(f"  baseline {t['name']:<32} {secs:6.2f} s")
        self.suite.tests.sort(key=lambda t: times[t["name"]])
        # A mutant may loop: ten times the clean time, and at least 30 s.
        self.limits = {n: max(30.0, 10 * s) for n, s in times.items()}
        return sum(times.values())

    def explores(self):
        slabsim = os.path.join(self.suite.build, "sim", "slabsim")
        out = os.path.join(self.suite.build, "mutant-finds")  # its schedule files
        for sc in ("race-preempt.ini", "race-migrate.ini"):
            yield sc, [slabsim, "explore", os.path.join(self.src, "scenarios", sc), "--runs",
                       str(self.explore_runs), "--check-expected", "--quiet", "--jobs", "1",
                       "--out", out]

    def run_mutant(self, m):
        path = os.path.join(self.src, m.file)
        with open(path) as f:
            original = f.read()
        result = {"id": m.id, "what": m.what, "file": m.file}
        t0 = time.monotonic()
        try:
            with open(path, "w") as f:
                f.write(apply_text(original, m))
            result.update(self._judge())
        finally:
            with open(path, "w") as f:
                f.write(original)
        result["seconds"] = round(time.monotonic() - t0, 1)
        return result

    def _judge(self):
        for t in self.suite.tests:
            ok, out = self.suite.build_for(t)
            if not ok:
                return {"status": "stillborn", "by": "build", "detail": out[-1500:]}
            passed, _, tail = self.suite.run_test(t, self.limits[t["name"]])
            if not passed:
                return {"status": "killed", "by": t["name"], "detail": tail[-800:]}
        if self.explore_runs:
            for sc, cmd in self.explores():
                try:
                    p = subprocess.run(NICE + cmd, capture_output=True, text=True, timeout=900,
                                       cwd=self.suite.build)
                    rc, tail = p.returncode, p.stdout[-800:] + p.stderr[-400:]
                except subprocess.TimeoutExpired:
                    rc, tail = -1, "timed out"
                if rc != 0:
                    return {"status": "killed", "by": f"explore-{self.explore_runs}-{sc}",
                            "detail": tail}
        return {"status": "survived", "by": "", "detail": ""}


# ----------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="comma-separated mutant ids")
    ap.add_argument("--tests", help="comma-separated test names (default: every non-slow test)")
    ap.add_argument("--work", help="scratch directory (default: $TMPDIR/slabsim-mutants-HASH)")
    ap.add_argument("--source", help="the checkout to test (default: this one), e.g. a worktree "
                    "of main for the score before a change to the tests")
    ap.add_argument("--explore-runs", type=int, default=10000,
                    help="runs of each race scenario for survivors (0: none)")
    ap.add_argument("--json", help="write the results here as JSON")
    ap.add_argument("--min-score", type=float, default=0.0,
                    help="exit 1 below this score (percent of non-equivalent mutants)")
    ap.add_argument("--expect", choices=["killed", "survived"],
                    help="exit 1 unless every selected mutant is killed (or survives)")
    ap.add_argument("--check", action="store_true", help="only check that every mutant applies")
    ap.add_argument("--list", action="store_true", help="list the mutants")
    args = ap.parse_args()

    root = os.path.realpath(args.source) if args.source else repo_root()
    ms = mutant_list.MUTANTS
    if args.only:
        want = args.only.split(",")
        unknown = set(want) - {m.id for m in ms}
        if unknown:
            print(f"run.py: --only: unknown mutant(s): {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        ms = [m for m in ms if m.id in want]
    if args.list:
        for m in ms:
            eq = f"  [equivalent: {m.equivalent}]" if m.equivalent else ""
            print(f"{m.id:<34} {m.file:<32} {m.what}{eq}")
        return 0
    problems = check_all(root, ms)
    if problems:
        print("run.py: mutants that do not apply to this tree:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    if args.check:
        print(f"{len(ms)} mutants, each applies exactly once")
        return 0

    work = args.work or os.path.join(
        tempfile.gettempdir(), "slabsim-mutants-" + hashlib.sha1(root.encode()).hexdigest()[:8])
    src, build = os.path.join(work, "src"), os.path.join(work, "build")
    os.makedirs(src, exist_ok=True)
    log(f"scratch tree {src}: {sync(root, src)} files updated")
    setup_build(src, build)
    suite = Suite(build, args.tests.split(",") if args.tests else None)
    scratch = Scratch(src, suite, args.explore_runs)
    t0 = time.monotonic()
    base = scratch.baseline()
    log(f"baseline: {len(suite.tests)} tests pass in {base:.1f} s")

    results = []
    for i, m in enumerate(ms, 1):
        r = scratch.run_mutant(m)
        r["equivalent"] = m.equivalent
        results.append(r)
        log(f"[{i}/{len(ms)}] {r['status']:<9} {m.id:<34} {r['by']:<32} {r['seconds']:6.1f} s")

    killed = [r for r in results if r["status"] == "killed"]
    eq = [r for r in results if r["equivalent"]]
    eq_killed = [r for r in eq if r["status"] == "killed"]
    survived = [r for r in results if r["status"] == "survived" and not r["equivalent"]]
    stillborn = [r for r in results if r["status"] == "stillborn"]
    counted = len(results) - len(eq) - len(stillborn)
    score = 100.0 * (len(killed) - len(eq_killed)) / counted if counted else 100.0
    log("")
    log(f"mutants: {len(results)}; killed {len(killed) - len(eq_killed)}, survived {len(survived)}, "
        f"equivalent {len(eq)}, stillborn {len(stillborn)}")
    log(f"score: {len(killed) - len(eq_killed)} of {counted} non-equivalent mutants killed "
        f"({score:.1f}%) in {time.monotonic() - t0:.0f} s")
    for r in survived:
        log(f"  survived: {r['id']}: {r['what']} ({r['file']})")
    for r in eq:
        log(f"  equivalent ({r['status']}): {r['id']}: {r['equivalent']}")
    for r in eq_killed:
        log(f"  marked equivalent but killed by {r['by']}: {r['id']}: remove the mark")
    for r in stillborn:
        log(f"  does not compile: {r['id']}:\n{r['detail']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"score": score, "counted": counted, "results": results}, f, indent=1)
    bad = bool(stillborn or eq_killed) or score < args.min_score
    if args.expect == "killed":
        bad |= any(r["status"] != "killed" for r in results)
    elif args.expect == "survived":
        bad |= any(r["status"] != "survived" for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
