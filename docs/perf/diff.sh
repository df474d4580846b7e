#!/usr/bin/env bash
# Whole-process measurement of vtic diff between two git revisions of a
# synthetic site that differ in 1% of the tunnels (description and MTU):
#
#   docs/perf/diff.sh [ROUTERS...]           default: 1000
#
# The key files are not committed (secrets/ is ignored, as in a real site
# repository); vtic diff reads them from the work tree. Environment: RUNS
# (5), TUNNELS (10), SEED (1), CHANGE (0.01), WORK as for measure.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
. docs/perf/lib.sh

sizes=("${@:-1000}")
runs=${RUNS:-5}
tunnels=${TUNNELS:-10}
seed=${SEED:-1}
change=${CHANGE:-0.01}
perf_setup
perf_machine
export GIT_AUTHOR_NAME=perf GIT_AUTHOR_EMAIL=perf@example.invalid GIT_COMMITTER_NAME=perf GIT_COMMITTER_EMAIL=perf@example.invalid
echo
echo "| routers | tunnels | changed | diff s | diff CPU s | diff RSS MiB | report lines |"
echo "|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
    repo=$WORK/repo-$n
    rm -rf "$repo"
    "$WORK/bin/gen" -routers "$n" -tunnels "$tunnels" -seed "$seed" -o "$repo" >"$WORK/gen-$n.txt"
    ntunnels=$(sed -n 's/.* peers, \([0-9]*\) tunnels.*/\1/p' "$WORK/gen-$n.txt")
    git -C "$repo" init -q
    echo "secrets/" >"$repo/.gitignore"
    git -C "$repo" add .
    git -C "$repo" commit -qm "site, revision 1"
    "$WORK/bin/gen" -routers "$n" -tunnels "$tunnels" -seed "$seed" -change "$change" -overwrite -o "$repo" >"$WORK/gen2-$n.txt"
    changed=$(sed -n 's/.* \([0-9]*\) changed.*/\1/p' "$WORK/gen2-$n.txt")
    git -C "$repo" commit -qam "site, revision 2: $changed tunnels changed"
    lines=$("$WORK/bin/vtic" diff "$repo" --base HEAD~1 --head HEAD | wc -l || true)
    for _ in $(seq "$runs"); do
        timed "diff-$n" "$WORK/bin/vtic" diff "$repo" --base HEAD~1 --head HEAD
    done
    echo "| $n | $ntunnels | $changed | $(median "diff-$n" 2) | $(median "diff-$n" 3) | $(mib "$(median "diff-$n" 4)") | $lines |"
done
echo
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg); samples in $WORK/samples"
