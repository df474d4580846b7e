# Guest script of TestLabApply (internal/e2e/labtest): three routers, gw1, gw2 and
# gw3, each a stock Debian install (lab-router add --stock: /etc/frr,
# strongswan.conf, strongswan.d and swanctl as their packages ship them,
# FRR with bgpd=no) whose services start before the first apply as its
# boot starts them (lab-boot: frr.service runs frrinit.sh,
# strongswan.service runs charon-systemd and swanctl --load-all), with
# one outside address on "inet", a namespace that forwards between them and
# is each router's gateway (and default route). Each router has a dummy
# device lan0 holding 10.N.0.1/16, so that its announced 10.N.0.0/16 is in
# its RIB. Nothing else configures the routers: every VTI, inside address,
# peer route, connection, key, BGP neighbor, firewall rule and FRR daemon
# comes from plain `vtic apply --host NAME SITE`, with vtic's default flags.
#
# The phases, in order, each leaving its evidence in /share/out/PHASE:
#
#   initial        site-v1 (a triangle of tunnels) applied to gw1, gw2, gw3
#   change         site-v2 (gw1-gw2 MTU 1380, gw1-gw3 disabled, gw2-gw3
#                  removed) applied to all three; its evidence is also the
#                  "before" of noop
#   noop           site-v2 applied again
#   fail           site-bad applied to gw1: its devices step fails (a
#                  gateway on none of gw1's networks) and apply rolls back;
#                  `ip monitor link` records what happened to the devices
#   crash-devices  site-v1 applied to all three with
#                  VTIC_APPLY_CRASH_AFTER=devices
#   crash-frr      site-v1 applied to gw2 with VTIC_APPLY_CRASH_AFTER=frr
#   converge       site-v1 applied plainly to all three
#
# Where connections are loaded (initial, converge) the routers are applied
# one after the other, gw3, gw2, gw1: of each tunnel between two routers
# only the end whose name sorts first initiates, as soon as it loads the
# connection, and an initiation the other end refuses because it has not
# loaded its side yet is retried only on traffic into the VTI, 30 s later
# at the earliest (README, "Which end initiates"). In this order every
# initiator comes after its responder, as when a site is rolled out router
# by router in that order, and the tunnels come up at once. Elsewhere the
# routers are applied at once.
#
# The script judges nothing (the Go test does, from the evidence); it only
# waits for milestones, printing "LAB-TIME <milestone> <seconds>".
set -u

out=/share/out
mkdir -p "$out"
. /share/bin/lab-lib.sh # mark, poll

routers="gw1 gw2 gw3"

# The share is 9p without a page cache: run vtic from the guest's tmpfs.
cp /share/bin/vtic /usr/local/bin/vtic
# FRR logs to syslog as Debian configures it.
/bin/busybox syslogd -O /tmp/syslog

# --- The site ---------------------------------------------------------------
# One read of the stock files from the 9p share, three copies from tmpfs.
cp -a /share/stock /tmp/stock
lab-router add --stock /tmp/stock $routers
ip netns add inet
ip -n inet link set lo up
ip netns exec inet sysctl -qw net.ipv4.ip_forward=1
lab-link gw1 eth0 192.0.2.1/24 inet eth1 192.0.2.254/24
lab-link gw2 eth0 203.0.113.1/24 inet eth2 203.0.113.254/24
lab-link gw3 eth0 198.51.100.1/24 inet eth3 198.51.100.254/24
ip -n gw1 route add default via 192.0.2.254
ip -n gw2 route add default via 203.0.113.254
ip -n gw3 route add default via 198.51.100.254
for n in 1 2 3; do
	ip -n "gw$n" link add lan0 type dummy
	ip -n "gw$n" addr add "10.$n.0.1/16" dev lan0
	ip -n "gw$n" link set lan0 up
done
lab-boot $routers || exit 1
mark daemons

# vapply PHASE ROUTER SITE [VAR=VALUE...]: vtic apply on ROUTER, the way
# an operator runs it there, with no flag but the router's name.
vapply() {
	va_ph=$1 va_r=$2 va_site=$3
	shift 3
	mkdir -p "$out/$va_ph"
	env "$@" lab-exec "$va_r" vtic apply --host "$va_r" \
		"/share/$va_site" >"$out/$va_ph/$va_r.apply.out" 2>"$out/$va_ph/$va_r.apply.err"
	echo $? >"$out/$va_ph/$va_r.apply.rc"
	mark "$va_ph-$va_r"
}

# files ROUTER: sha256 of every file in the directories vtic installs to,
# relative to the router's root; mtimes ROUTER: their modification times.
files() {
	(cd "/lab/$1" && find etc/swanctl etc/strongswan.d etc/frr etc/vtic var/lib/vtic -type f 2>/dev/null |
		sort | xargs -r sha256sum)
}
mtimes() {
	(cd "/lab/$1" && find etc/swanctl etc/strongswan.d etc/frr etc/vtic var/lib/vtic -type f \
		-printf '%p %T@\n' 2>/dev/null | sort)
}

# evidence PHASE ROUTER: what the router looks like, for the Go test. The
# daemons are asked in one lab-exec: each costs seconds in the guest.
evidence() {
	ev=$out/$1/$2
	mkdir -p "$out/$1"
	lab-exec "$2" sh -c '
		swanctl --list-sas >"$1.sas.txt" 2>&1
		swanctl --list-conns >"$1.conns.txt" 2>&1
		vtysh -c "show bgp neighbors json" >"$1.bgp.json" 2>&1
		vtysh -c "show running-config" >"$1.running.txt" 2>&1' evidence "$ev"
	ip -n "$2" -d -j link show >"$ev.links.json" 2>&1
	ip -n "$2" -j addr show >"$ev.addrs.json" 2>&1
	ip -n "$2" -j route show table main >"$ev.routes.json" 2>&1
	ip netns exec "$2" iptables-save 2>&1 | grep -v '^#' >"$ev.iptables.txt"
	files "$2" >"$ev.files.txt"
	mtimes "$2" >"$ev.mtimes.txt"
	cp "/lab/$2/var/lib/vtic/state.json" "$ev.state.json" 2>/dev/null
}

# all_evidence PHASE: evidence of the three routers, at once.
all_evidence() {
	evidence "$1" gw1 &
	evidence "$1" gw2 &
	evidence "$1" gw3
	wait
}

# pings PHASE ROUTER ADDR...: three pings to each address.
pings() {
	pg_ph=$1 pg_r=$2
	shift 2
	for a in "$@"; do
		ip netns exec "$pg_r" ping -c 3 -i 0.3 -W 2 "$a" >"$out/$pg_ph/$pg_r.ping-$a.txt" 2>&1
	done
}

# lanping PHASE FROM_N TO_N: gw$FROM_N's LAN address to gw$TO_N's, through
# the tunnel BGP chose.
lanping() {
	ip netns exec "gw$2" ping -c 3 -i 0.3 -W 2 -I "10.$2.0.1" "10.$3.0.1" \
		>"$out/$1/gw$2.lanping-10.$3.0.1.txt" 2>&1
}

# logs: the daemons' logs so far, for a human reading a failed run.
logs() {
	for r in $routers; do
		mkdir -p "$out/logs/$r"
		cp "/lab/$r/run/charon.log" "/lab/$r/run/"*.out "$out/logs/$r/" 2>/dev/null
	done
	cp /tmp/syslog "$out/logs/syslog" 2>/dev/null
}

# routed ROUTER PREFIX DEV: the kernel routes PREFIX through DEV, by BGP.
routed() { ip -n "$1" route show "$2" proto bgp | grep -Eq "dev $3( |\$)"; }

# all_routed "ROUTER,PREFIX,DEV"...: every triple is routed.
all_routed() {
	for tr in "$@"; do
		IFS=, read -r ar_r ar_p ar_d <<EOF
$tr
EOF
		routed "$ar_r" "$ar_p" "$ar_d" || return 1
	done
}

full_mesh="gw1,10.2.0.0/16,vti12 gw1,10.3.0.0/16,vti13 gw2,10.1.0.0/16,vti21 gw2,10.3.0.0/16,vti23 gw3,10.1.0.0/16,vti31 gw3,10.2.0.0/16,vti32"

# triangle PHASE: apply site-v1 in order (responders first), wait for every router to route
# the other two's prefixes through their tunnels, and take the evidence.
triangle() {
	for r in gw3 gw2 gw1; do
		vapply "$1" "$r" site-v1
	done
	# shellcheck disable=SC2086
	if poll 300 all_routed $full_mesh; then mark "$1-routed"; else echo "$1: not every prefix routed"; fi
	all_evidence "$1"
	pings "$1" gw1 169.254.12.2 169.254.13.2 &
	pings "$1" gw2 169.254.12.1 169.254.23.2 &
	pings "$1" gw3 169.254.13.1 169.254.23.1
	wait
	lanping "$1" 1 2 &
	lanping "$1" 2 3 &
	lanping "$1" 3 1
	wait
	logs
	mark "$1-evidence"
}

# --- initial: site-v1 -------------------------------------------------------
triangle initial

# --- change: site-v2 --------------------------------------------------------
vapply change gw1 site-v2 &
vapply change gw2 site-v2 &
vapply change gw3 site-v2
wait
# The unloaded connections' SAs go; the routes through them are withdrawn.
settled() {
	for r in $routers; do
		! lab-exec "$r" swanctl --list-sas 2>/dev/null | grep -Eq '^gw(1-gw3|2-gw3):' || return 1
	done
	! ip -n gw1 route show 10.3.0.0/16 | grep -q . &&
		! ip -n gw2 route show 10.3.0.0/16 | grep -q . &&
		! ip -n gw3 route show proto bgp | grep -q .
}
if poll 90 settled; then mark change-settled; else echo "change: not settled"; fi
all_evidence change
pings change gw1 169.254.12.2 &
pings change gw2 169.254.12.1
wait
lanping change 1 2
logs
mark change-evidence

# --- noop: site-v2 again ----------------------------------------------------
vapply noop gw1 site-v2 &
vapply noop gw2 site-v2 &
vapply noop gw3 site-v2
wait
all_evidence noop

# --- fail: site-bad on gw1 --------------------------------------------------
# The kernel's link events show what the failed apply did to the devices
# and what its rollback did back.
mkdir -p "$out/fail"
ip -n gw1 -o monitor link >"$out/fail/gw1.monitor.txt" 2>&1 &
monitor=$!
sleep 1
vapply fail gw1 site-bad
sleep 1
kill "$monitor"
evidence fail gw1
pings fail gw1 169.254.12.2
lanping fail 1 2
mark fail-evidence

# --- crash: site-v1, each apply stopped after devices, gw2's then after frr -
for r in $routers; do
	(
		vapply crash-devices "$r" site-v1 VTIC_APPLY_CRASH_AFTER=devices
		files "$r" >"$out/crash-devices/$r.files.txt"
		cp "/lab/$r/var/lib/vtic/state.json" "$out/crash-devices/$r.state.json"
	) &
done
wait
vapply crash-frr gw2 site-v1 VTIC_APPLY_CRASH_AFTER=frr
files gw2 >"$out/crash-frr/gw2.files.txt"
cp /lab/gw2/var/lib/vtic/state.json "$out/crash-frr/gw2.state.json"

# --- converge: site-v1 plainly ----------------------------------------------
triangle converge
mark done
exit 0
