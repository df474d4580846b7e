# Helpers sourced by the measurement scripts in docs/perf.

# perf_setup: choose $WORK (default: a fresh directory in /dev/shm when it
# exists, else in $TMPDIR), check for /usr/bin/time and build the programs.
perf_setup() {
    if [ -z "${WORK:-}" ]; then
        local base=${TMPDIR:-/tmp}
        [ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
        WORK=$(mktemp -d "$base/vtic-perf.XXXXXX")
    fi
    mkdir -p "$WORK/bin"
    if [ ! -x /usr/bin/time ]; then
        echo "$0: /usr/bin/time is missing (Debian: apt-get install time)" >&2
        exit 1
    fi
    go build -o "$WORK/bin/vtic" ./cmd/vtic
    go build -o "$WORK/bin/gen" ./internal/testkit/sitegen/gen
    go build -o "$WORK/bin/floor" ./internal/testkit/sitegen/floor
}

# perf_machine: the header lines describing the machine and its load.
perf_machine() {
    echo "# $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(go version | cut -d' ' -f3)"
    echo "# work directory $WORK on $(df -T "$WORK" | awk 'NR == 2 { print $2 }'); niceness ${NICE:-0}; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# timed LABEL CMD...: run CMD under /usr/bin/time -v and append the line
# "LABEL wall_s cpu_s maxrss_kib" to $WORK/samples. Exit status 2 (vtic
# diff: there are changes) counts as success. With NICE set (root only for
# negative values), CMD runs at that niceness, to measure on a busy machine.
timed() {
    local label=$1 t=$WORK/time.txt code=0
    shift
    ${NICE:+nice -n "$NICE"} /usr/bin/time -v -o "$t" "$@" >/dev/null || code=$?
    if [ "$code" != 0 ] && [ "$code" != 2 ]; then
        echo "$0: $* exited $code" >&2
        exit 1
    fi
    awk -v label="$label" '
        /Elapsed \(wall clock\)/ { n = split($NF, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
        /User time/ { u = $NF } /System time/ { s = $NF } /Maximum resident/ { m = $NF }
        END { printf "%s %.3f %.3f %d\n", label, w, u + s, m }' "$t" >>"$WORK/samples"
}

# median LABEL FIELD: the median of field 2 (wall s), 3 (CPU s) or 4 (peak
# RSS KiB) over the samples of LABEL.
median() {
    awk -v label="$1" -v f="$2" '$1 == label { print $f }' "$WORK/samples" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# mib KIB: KiB as whole MiB.
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
