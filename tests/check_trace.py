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
