#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Submit a slabsim campaign as a Slurm job array, one task per slice, and a
# merge job that runs after every task has ended (scripts/slurm/README.md).
# Prints the array's job id and the merge's.
#   scripts/slurm/submit.sh [--until-found] [--slabsim PATH] CAMPAIGN OUT TASKS [SBATCH-OPTION...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
slabsim=$here/../../build/sim/slabsim until=
while [ $# -gt 0 ]; do
	case $1 in
	--until-found) until=--until-found; shift ;;
	--slabsim) slabsim=$2; shift 2 ;;
	*) break ;;
	esac
done
if [ $# -lt 3 ]; then
	echo "usage: submit.sh [--until-found] [--slabsim PATH] CAMPAIGN OUT TASKS [SBATCH-OPTION...]" >&2
	exit 2
fi
campaign=$1 out=$2 tasks=$3
shift 3
case $tasks in
'' | *[!0-9]* | 0) echo "submit.sh: TASKS: expected a number >= 1, got '$tasks'" >&2; exit 2 ;;
esac
[ -x "$slabsim" ] || { echo "submit.sh: $slabsim: expected the slabsim program (--slabsim PATH)" >&2; exit 2; }
# Check the campaign here, before any job waits in a queue for it.
"$slabsim" campaign plan "$campaign" --tasks "$tasks" >/dev/null
mkdir -p "$out"
slabsim=$(realpath "$slabsim") campaign=$(realpath "$campaign") out=$(realpath "$out")
array=$(sbatch --parsable --array="0-$((tasks - 1))" --output="$out/slurm-%A_%a.out" "$@" \
	"$here/campaign.sbatch" "$slabsim" "$campaign" "$out" $until)
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterany:$array" --output="$out/slurm-merge-%j.out" "$@" \
	"$here/merge.sbatch" "$slabsim" "$out")
merge=${merge%%;*}
echo "$array $merge"
