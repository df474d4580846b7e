#!/usr/bin/env bash
# Growth curve from the Go benchmarks: every scale benchmark at 10, 100,
# 1,000 and 5,000 routers (10 tunnels each), summarised by benchstat with one
# column per size, then the median CPU time per router at each size. Linear
# growth shows as a flat per-router cost; quadratic growth would multiply it
# by 10 from one size to the next.
#
#   docs/perf/growth.sh
#
# Environment: COUNT (default 5) samples per benchmark, BENCHTIME (3x),
# BENCH (the -bench pattern, default all), OUT (the raw output file), IN
# (summarise this earlier output instead of running the benchmarks). The
# benchmarks write their sites to $TMPDIR: /dev/shm unless TMPDIR is set.
# benchstat: go install golang.org/x/perf/cmd/benchstat@latest
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${COUNT:-5}
out=${OUT:-$(mktemp "${TMPDIR:-/tmp}/vtic-bench.XXXXXX")}
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ]; then export TMPDIR=/dev/shm; fi
benchstat=$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")

# per_router UNIT DIVISOR: a Markdown table of the median of a metric per
# router at each size, divided by DIVISOR.
per_router() {
    awk -v unit="$1" '/^Benchmark/ {
            name = $1; sub(/-[0-9]+$/, "", name)
            if (!match(name, /routers=[0-9]+/)) next
            n = substr(name, RSTART + 8, RLENGTH - 8); sub(/\/?routers=[0-9]+/, "", name)
            for (i = 3; i <= NF; i++) if ($(i + 1) == unit) print name, n, $i
        }' "$out" | sort -k1,1 -k2,2n -k3,3g |
        awk -v div="$2" '{ k = $1 SUBSEP $2; v[k, ++c[k]] = $3
               if (!($1 in isname)) { isname[$1] = 1; names[++nn] = $1 }
               if (!($2 in issize)) { issize[$2] = 1; sizes[++ns] = $2 } }
            END {
                for (i = 1; i < ns; i++) for (j = i + 1; j <= ns; j++) if (sizes[j] + 0 < sizes[i] + 0) { t = sizes[i]; sizes[i] = sizes[j]; sizes[j] = t }
                printf "| benchmark |"; for (j = 1; j <= ns; j++) printf " %s |", sizes[j]; print " largest/smallest |"
                printf "|---|"; for (j = 1; j <= ns; j++) printf "---|"; print "---|"
                for (i = 1; i <= nn; i++) {
                    printf "| %s |", names[i]; lo = hi = 0
                    for (j = 1; j <= ns; j++) {
                        k = names[i] SUBSEP sizes[j]; m = c[k]
                        if (!m) { printf " - |"; continue }
                        med = (m % 2) ? v[k, (m + 1) / 2] : (v[k, m / 2] + v[k, m / 2 + 1]) / 2
                        x = med / sizes[j] / div; printf " %.1f |", x
                        if (!lo || x < lo) lo = x; if (x > hi) hi = x
                    }
                    printf " %.2f |\n", hi / lo
                }
            }'
}

if [ -n "${IN:-}" ]; then
    out=$IN # summarise an earlier run
else
    go test -run '^$' -bench "${BENCH:-.}" -benchtime "${BENCHTIME:-3x}" -count "$count" \
        ./lang/ ./compile/ ./targets/bundle/ ./cmd/vtic/ >"$out"
fi
"$benchstat" -col /routers "$out"
echo
echo "Median CPU time per router (cpu-ns/op / routers), microseconds:"
echo
per_router cpu-ns/op 1000
echo
echo "Bytes allocated per router (B/op / routers), KiB:"
echo
per_router B/op 1024
echo
echo "raw output: $out"
