#!/usr/bin/env bash
# Whole-process measurement of vtic validate and vtic build against their
# floors (internal/testkit/sitegen/floor), under /usr/bin/time -v:
#
#   docs/perf/measure.sh [ROUTERS...]        default: 1000
#
# The floor of build reads every file of the site and writes as many files
# and bytes as the build wrote, with plain Go file I/O; the floor of
# validate only reads. Environment: RUNS (default 5) runs per size, each
# running validate, its floor, build and its floor one after the other so
# that all see the same machine load; TUNNELS (10) per router; SEED (1);
# WORK, the directory for sites and outputs (default: a fresh one in
# /dev/shm). Prints a Markdown table of medians; raw samples are kept in
# $WORK/samples.
set -euo pipefail
cd "$(dirname "$0")/../.."
. docs/perf/lib.sh

sizes=("${@:-1000}")
runs=${RUNS:-5}
tunnels=${TUNNELS:-10}
seed=${SEED:-1}
perf_setup
perf_machine
echo
echo "Medians; each cell is wall seconds (CPU seconds, user + system); ratios are vtic / floor."
echo
echo "| routers | tunnels | validate | read floor | ratio | build | build floor | ratio | validate RSS MiB | build RSS MiB | output files, MB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
    site=$WORK/site-$n
    rm -rf "$site" "$WORK/ref-$n"
    "$WORK/bin/gen" -routers "$n" -tunnels "$tunnels" -seed "$seed" -o "$site" >"$WORK/gen-$n.txt"
    ntunnels=$(sed -n 's/.* peers, \([0-9]*\) tunnels.*/\1/p' "$WORK/gen-$n.txt")
    "$WORK/bin/vtic" validate "$site" >/dev/null # also warms the page cache
    "$WORK/bin/vtic" build "$site" -o "$WORK/ref-$n" >/dev/null
    "$WORK/bin/floor" -record "$WORK/ref-$n" >"$WORK/shape-$n.txt"
    rm -rf "$WORK/ref-$n"
    files=$(wc -l <"$WORK/shape-$n.txt")
    mb=$(awk '{ s += $2 } END { printf "%.1f", s / 1e6 }' "$WORK/shape-$n.txt")
    for _ in $(seq "$runs"); do
        timed "validate-$n" "$WORK/bin/vtic" validate "$site"
        timed "read-$n" "$WORK/bin/floor" -site "$site"
        timed "build-$n" "$WORK/bin/vtic" build "$site" -o "$WORK/out-$n"
        rm -rf "$WORK/out-$n"
        timed "floor-$n" "$WORK/bin/floor" -site "$site" -shape "$WORK/shape-$n.txt" -o "$WORK/floor-$n"
        rm -rf "$WORK/floor-$n"
    done
    cell() { echo "$(median "$1-$n" 2) ($(median "$1-$n" 3))"; }
    both() { echo "$(ratio "$(median "$1-$n" 2)" "$(median "$2-$n" 2)") ($(ratio "$(median "$1-$n" 3)" "$(median "$2-$n" 3)"))"; }
    echo "| $n | $ntunnels | $(cell validate) | $(cell read) | $(both validate read) |" \
        "$(cell build) | $(cell floor) | $(both build floor) |" \
        "$(mib "$(median "validate-$n" 4)") | $(mib "$(median "build-$n" 4)") | $files, $mb |"
done
echo
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg); samples in $WORK/samples"
