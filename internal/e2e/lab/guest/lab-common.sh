# Sourced by the lab-* helpers: where a router's files live, and small
# utilities. Not a command of its own.

# LAB_ROOT holds one directory per router (see lab-router).
LAB_ROOT=${LAB_ROOT:-/lab}
LAB_PROG=${0##*/}

die() {
	echo "$LAB_PROG: $*" >&2
	exit 1
}

# router_dir NAME prints the router's config root. Names become paths and
# namespace names, so they are kept to a safe alphabet.
router_dir() {
	case $1 in
	'' | *[!A-Za-z0-9_-]*)
		echo "$LAB_PROG: bad router name '$1' (letters, digits, _ and - only)" >&2
		return 1
		;;
	esac
	echo "$LAB_ROOT/$1"
}

# require_router NAME fails unless lab-router created NAME.
require_router() {
	rr_dir=$(router_dir "$1") || exit 1
	[ -d "$rr_dir" ] && [ -e "/run/netns/$1" ] || die "no router $1 (create it with lab-router add --stock DIR $1)"
}

# uptime_s prints whole seconds since boot. It reads /proc/uptime with
# shell builtins because every exec of a dynamically linked program costs
# a sizeable fraction of a second in the emulated guest.
uptime_s() {
	read -r us_up us_idle </proc/uptime
	echo "${us_up%.*}"
}

# wait_for SECONDS WHAT COMMAND... runs COMMAND until it succeeds, or fails
# after SECONDS saying what it waited for.
wait_for() {
	wf_secs=$1 wf_what=$2
	shift 2
	wf_end=$(($(uptime_s) + wf_secs))
	until "$@" >/dev/null 2>&1; do
		if [ "$(uptime_s)" -ge "$wf_end" ]; then
			echo "$LAB_PROG: timed out after ${wf_secs}s waiting for $wf_what" >&2
			return 1
		fi
		sleep 0.2
	done
}

# pid_alive PIDFILE succeeds if the file names a running process.
pid_alive() {
	[ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# stop_pidfile PIDFILE WHAT sends TERM, waits up to 10 s, then KILL.
stop_pidfile() {
	pid_alive "$1" || return 0
	sp_pid=$(cat "$1")
	kill "$sp_pid" 2>/dev/null || true
	if ! wait_for 10 "$2 (pid $sp_pid) to exit" sh -c "! kill -0 $sp_pid"; then
		kill -9 "$sp_pid" 2>/dev/null || true
	fi
	rm -f "$1"
}
