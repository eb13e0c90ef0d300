#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The example campaign as a 4-task Slurm job array on this machine
# (scripts/slurm/): munged, slurmctld and slurmd started here with a minimal
# configuration in a temporary directory, the array and its merge job
# submitted, and the merged table and results checked against one process's.
# Every daemon started here is stopped by its pid, on failure too.
# Without Slurm or munge: skipped (77), but failed under CI=true, where
# .ci/install-deps.sh --ci installs them.
#   tests/check_slurm.sh SLABSIM SOURCE-ROOT
set -euo pipefail
slabsim=$(realpath "$1") root=$(realpath "$2")
campaign=$root/scenarios/campaigns/example.ini

missing=
for p in munged slurmctld slurmd sbatch squeue sinfo scancel; do
	command -v "$p" >/dev/null || missing="$missing $p"
done
if [ "$(id -u)" != 0 ]; then missing="$missing (root: slurmd runs jobs as their users)"; fi
if [ -n "$missing" ]; then
	if [ "${CI:-}" = true ]; then
		echo "check_slurm: missing:$missing; under CI=true this test must run (.ci/install-deps.sh --ci installs slurm-wlm and munge; CI runs as root)" >&2
		exit 1
	fi
	echo "check_slurm: skipped, missing:$missing" >&2
	exit 77
fi

tmp=$(mktemp -d /tmp/slabsim-slurm.XXXXXX)
pids=()
stop_daemons() {
	local rc=$?
	# The last started first: slurmd, slurmctld, then munged.
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
		kill "${pids[i]}" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [ $rc != 0 ]; then
		for log in "$tmp"/*.log "$tmp"/*.out "$tmp"/*/slurm-*.out; do
			[ -e "$log" ] && { echo "== $log"; tail -n 30 "$log"; }
		done >&2
	fi
	rm -rf "$tmp"
	exit $rc
}
trap stop_daemons EXIT
trap 'exit 130' INT TERM

# munge: a key of our own, every file in tmp.
dd if=/dev/urandom of="$tmp/munge.key" bs=1024 count=1 status=none
chmod 600 "$tmp/munge.key"
munged --foreground --force --key-file="$tmp/munge.key" --socket="$tmp/munge.socket" \
	--pid-file="$tmp/munged.pid" --log-file="$tmp/munged.log" --seed-file="$tmp/munge.seed" \
	>"$tmp/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S "$tmp/munge.socket" ] && break; sleep 0.1; done
[ -S "$tmp/munge.socket" ] || { echo "check_slurm: munged did not start" >&2; exit 1; }

# Slurm: one node (this machine), one partition, no cgroups, no accounting.
host=$(hostname -s)
port=$((20000 + $$ % 20000))
mkdir -p "$tmp/ctld" "$tmp/spool"
: >"$tmp/plugstack.conf"
cat >"$tmp/slurm.conf" <<EOF
ClusterName=slabsim
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$tmp/munge.socket
CredType=cred/munge
StateSaveLocation=$tmp/ctld
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
PlugStackConfig=$tmp/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$tmp/slurm.conf
slurmctld -D -i -f "$SLURM_CONF" >"$tmp/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" >"$tmp/slurmd.out" 2>&1 &
pids+=($!)
state=
for _ in $(seq 120); do
	state=$(sinfo -h -o %t 2>/dev/null || true)
	[ "$state" = idle ] && break
	sleep 0.5
done
[ "$state" = idle ] || { echo "check_slurm: the node is '$state', expected idle" >&2; exit 1; }

# The campaign: 4 array tasks and the merge, run from the source root so
# that the scenario paths in the results read as in one process's.
cd "$root"
# Submit (submit.sh's options first), wait for the array and its merge; "ARRAY MERGE" in $jobs.
submit() {
	local t0 t1
	t0=$(date +%s%N)
	jobs=$(bash scripts/slurm/submit.sh --slabsim "$slabsim" "$@")
	for _ in $(seq 600); do
		[ -z "$(squeue -h -j "${jobs/ /,}" 2>/dev/null)" ] && break
		sleep 0.5
	done
	t1=$(date +%s%N)
	[ -z "$(squeue -h -j "${jobs/ /,}")" ] || { echo "check_slurm: jobs still queued" >&2; exit 1; }
	echo "check_slurm: jobs $jobs: $(((t1 - t0) / 1000000)) ms from submission to the merge's end"
}
submit "$campaign" "$tmp/array" 4
read -r array merge <<<"$jobs"
ls "$tmp/array"/slurm-"$array"_{0,1,2,3}.out "$tmp/array"/slurm-merge-"$merge".out >/dev/null
cat "$tmp/array/table.txt"

# One process: the same campaign as one task, merged.
"$slabsim" campaign run "$campaign" --task 0/1 --out "$tmp/one" >/dev/null || [ $? = 1 ]
set +e
"$slabsim" campaign merge "$tmp/one" --out "$tmp/one/merged" >"$tmp/one/table.txt" 2>/dev/null
rc=$?
set -e
[ $rc = 1 ] || { echo "check_slurm: one process's merge exited $rc, expected 1 (finds)" >&2; exit 1; }
diff -u "$tmp/one/table.txt" "$tmp/array/table.txt"
n=0
for f in "$tmp/one/merged"/*.json; do
	g=$tmp/array/merged/$(basename "$f")
	diff -u <(sed '$d; s|/one/schedules/|/DIR/schedules/|g' "$f") \
		<(sed '$d; s|/array/schedules/|/DIR/schedules/|g' "$g")
	n=$((n + 1))
done
[ $n = 4 ] || { echo "check_slurm: $n merged results, expected 4" >&2; exit 1; }
echo "check_slurm: the array's merged table and $n merged results are one process's"

# --until-found: the first task to find a violation cancels the array; the
# merge job still runs (afterany) and says what the tasks did.
submit --until-found "$campaign" "$tmp/until" 4
read -r array merge <<<"$jobs"
grep -h "found a violation: cancelling array job $array" "$tmp/until"/slurm-"$array"_*.out
grep -q "^scenario " "$tmp/until/table.txt"
grep -q "slabsim campaign merge: exit [13]" "$tmp/until/slurm-merge-$merge.out"
# Cancelled tasks' results are incomplete, never refused as foreign.
if grep "cannot be merged\|exit 2" "$tmp/until/slurm-merge-$merge.out"; then exit 1; fi
echo "check_slurm: --until-found cancelled array $array; the merge ran after it"
