# SPDX-License-Identifier: GPL-2.0-only
"""The --trace output is Chrome/Perfetto trace JSON: one track per CPU,
slices for the operations, in the order and at the cycles they ran."""
import json
import subprocess
import sys
import tempfile

slabsim, scenario = sys.argv[1], sys.argv[2]
with tempfile.NamedTemporaryFile(suffix=".json") as f:
    subprocess.run([slabsim, "run", scenario, "--designs", "v3.18,lameter-v1",
                    "--trace", f.name], check=True, stdout=subprocess.DEVNULL)
    trace = json.load(open(f.name))
events = trace["traceEvents"]
names = [e for e in events if e["ph"] == "M" and e["name"] == "thread_name"]
slices = [e for e in events if e["ph"] == "X"]
assert {e["args"]["name"] for e in names} == {"cpu0", "cpu1"}, names
assert {e["pid"] for e in slices} == {0, 1}, "one process per design"
assert any(e["name"] == "slab_alloc.commit" for e in slices)
for pid in (0, 1):
    seq = [e["args"]["event"] for e in slices if e["pid"] == pid]
    assert seq == sorted(seq) and seq[0] == 1, "events in execution order"
    for tid in (0, 1):
        ts = [e["ts"] for e in slices if e["pid"] == pid and e["tid"] == tid]
        assert ts == sorted(ts), "a CPU's clock never goes back"
print(f"{len(slices)} slices on {len(names)} tracks")

# --trace-window: only the operations FROM .. TO-1 of each design.
with tempfile.NamedTemporaryFile(suffix=".json") as f:
    subprocess.run([slabsim, "run", scenario, "--designs", "v3.18,lameter-v1", "--trace", f.name,
                    "--trace-window", "10:20"], check=True, stdout=subprocess.DEVNULL)
    windowed = [e for e in json.load(open(f.name))["traceEvents"] if e["ph"] == "X"]
for pid in (0, 1):
    seq = [e["args"]["event"] for e in windowed if e["pid"] == pid]
    assert seq == list(range(10, 20)), seq
bad = subprocess.run([slabsim, "run", scenario, "--trace", "/dev/null", "--trace-window", "5:5"],
                     capture_output=True, text=True)
assert bad.returncode == 2 and "--trace-window: expected FROM:TO" in bad.stderr, bad.stderr
print("--trace-window keeps operations 10..19 of each design")
