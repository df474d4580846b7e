# Sourced by guest scripts (". /share/bin/lab-lib.sh"): the clock and
# retry functions every scenario uses. Not a command of its own. The clock
# is read from /proc/uptime with shell builtins: execs are expensive in the
# guest.

# t0 is when the script sourced this file, in seconds since boot.
read -r t0 _ </proc/uptime

# mark MILESTONE prints "LAB-TIME <milestone> <seconds since t0>", the lines
# the Go tests collect to time the phases.
mark() {
	read -r now _ </proc/uptime
	echo "LAB-TIME $1 $(awk -v a="$now" -v b="$t0" 'BEGIN { printf "%.1f", a - b }')"
}

# poll SECONDS COMMAND...: retry COMMAND every half second until it
# succeeds, or fail after SECONDS.
poll() {
	read -r now _ </proc/uptime
	end=$((${now%.*} + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		read -r now _ </proc/uptime
		[ "${now%.*}" -lt "$end" ] || return 1
		sleep 0.5
	done
}
