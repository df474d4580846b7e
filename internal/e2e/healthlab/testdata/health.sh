# Guest script of TestHealthLab (internal/e2e/healthlab): vtic status and
# vtic check [--repair] on router gw1 of /share/site (testdata/site), with
# gw2 as its far end, both converged by vtic apply and joined through an
# "inet" namespace that routes between their outer addresses.
#
# Phases, in one boot: a healthy router (status, status --json, check,
# check --repair), then three faults on gw1, each followed by vtic check
# and vtic check --repair: a killed CHILD SA, a deleted VTI device, a
# stopped charon. The script judges nothing: it leaves every command's
# output in /share/out/PHASE.STEP.txt and its exit status in .rc, and the
# Go test judges them. "LAB-TIME <milestone> <s>" lines time the phases.
#
# The routers are stock Debian installs (lab-router add --stock: /etc/frr,
# strongswan.conf, strongswan.d and swanctl as their packages ship them)
# whose services start as boot starts them (lab-boot: FRR by frrinit.sh,
# charon as charon-systemd then swanctl --load-all), and every vtic
# command runs on the router with vtic's default flags: apply enables
# bgpd, and --repair restarts charon with systemctl restart strongswan,
# as on a real router.
set -u

out=/share/out
mkdir -p "$out"
. /share/bin/lab-lib.sh # mark, poll
# The share is 9p without a page cache: run vtic from the guest's tmpfs.
cp /share/bin/vtic /usr/local/bin/vtic
# FRR logs to syslog as Debian configures it.
/bin/busybox syslogd -O /tmp/syslog

# rec NAME COMMAND...: COMMAND's output in NAME.txt, its status in NAME.rc.
rec() {
	n=$1
	shift
	"$@" >"$out/$n.txt" 2>&1
	echo $? >"$out/$n.rc"
}

# vt ROUTER SUBCOMMAND [ARG...]: vtic on ROUTER, with no flag but its name.
vt() {
	r=$1 sub=$2
	shift 2
	lab-exec "$r" vtic "$sub" --host "$r" "$@"
}

# healthy ROUTER FAR_PREFIX: vtic check calls the tunnel healthy and the
# far LAN is routed through it.
healthy() {
	vt "$1" check | grep -q '^gw1-gw2: healthy$' && ip -n "$1" route show "$2" | grep -q vti3
}

diag() {
	for r in gw1 gw2; do
		mkdir -p "$out/$r.logs"
		cp "/lab/$r/run/charon.log" "/lab/$r/run/"*.out "$out/$r.logs/" 2>/dev/null
	done
	cp /tmp/syslog "$out/syslog" 2>/dev/null
	echo "=== gw1 charon.log (tail)"
	grep -v plugin /lab/gw1/run/charon.log | tail -n 25
}

# --- setup
cp -a /share/stock /tmp/stock
lab-router add --stock /tmp/stock gw1 gw2 || exit 1
ip netns add inet
ip -n inet link set lo up
ip netns exec inet sysctl -qw net.ipv4.ip_forward=1
lab-link gw1 eth0 192.0.2.1/24 inet eth1 192.0.2.254/24 || exit 1
lab-link gw2 eth0 203.0.113.1/24 inet eth2 203.0.113.254/24 || exit 1
# The LANs the routers announce (FRR announces only prefixes it has).
ip -n gw1 addr add 10.1.0.1/16 dev lo
ip -n gw2 addr add 10.2.0.1/16 dev lo
# Daemons run before the first apply, as on a real router.
lab-boot gw1 gw2 || exit 1
mark daemons
# Both routers at the same moment. Only gw1 initiates the tunnel (its
# name sorts first); gw2 loads it and waits, so one IKE SA with one CHILD
# SA joins them whichever apply gets to charon first. If gw1 starts it
# before gw2 has loaded it, gw2 refuses and charon does not retry, but
# gw1's trap policy initiates again on the next packet into the VTI (BGP's
# next connection attempt).
vt gw1 apply /share/site >"$out/apply.gw1.txt" 2>&1 &
a1=$!
vt gw2 apply /share/site >"$out/apply.gw2.txt" 2>&1 &
a2=$!
wait $a1 || { echo "apply gw1 failed:"; cat "$out/apply.gw1.txt"; diag; exit 1; }
wait $a2 || { echo "apply gw2 failed:"; cat "$out/apply.gw2.txt"; diag; exit 1; }
mark applied
# vtic's BGP timers come from the provider preset, and FRR retries a
# failed connect only every 120 s. A faster retry keeps the lab short; it
# changes no file, so no repair's apply reloads it away.
lab-exec gw1 vtysh -c 'configure terminal' -c 'router bgp 65001' -c 'neighbor 169.254.20.2 timers connect 2' >/dev/null
lab-exec gw2 vtysh -c 'configure terminal' -c 'router bgp 65002' -c 'neighbor 169.254.20.1 timers connect 2' >/dev/null
poll 240 healthy gw1 10.2.0.0/16 || { echo "gw1 never became healthy:"; vt gw1 status; diag; exit 1; }
poll 60 healthy gw2 10.1.0.0/16 || { echo "gw2 never became healthy:"; vt gw2 status; diag; exit 1; }
mark healthy

# --- a healthy router: status shows it, check --repair leaves it alone
rec healthy.status vt gw1 status
vt gw1 status --json >"$out/healthy.status-json.txt" 2>"$out/healthy.status-json.err"
echo $? >"$out/healthy.status-json.rc"
rec healthy.check vt gw1 check
lab-exec gw1 swanctl --list-sas >"$out/healthy.sas-before.txt" 2>&1
rec healthy.repair vt gw1 check --repair
lab-exec gw1 swanctl --list-sas >"$out/healthy.sas-after.txt" 2>&1
mark healthy-phase

# after PHASE: the evidence after a repair; then wait for the tunnel to
# be healthy, so that the next phase starts from one.
after() {
	ip netns exec gw1 ping -c 3 -W 2 169.254.20.2 >"$out/$1.ping.txt" 2>&1
	lab-exec gw1 swanctl --list-sas >"$out/$1.sas.txt" 2>&1
	diag >/dev/null
	mark "$1"
	poll 120 healthy gw1 10.2.0.0/16 || echo "$1: gw1 still not healthy 120 s after the repair"
}

# --- a killed CHILD SA. IKE between the routers is dropped first, so
# that gw2 never hears of the delete and gw1's CHILD SA stays DELETING,
# waiting for an answer, while ESP (and so BGP) still flows: the stale
# state a repair must clear. IKE comes back while the repair initiates,
# after it has terminated the stale IKE SA.
ike_block() {
	for port in 500 4500; do
		ip netns exec inet iptables "$1" FORWARD -p udp --dport $port -j DROP
	done
}
ike_block -I
# Every CHILD SA gw1 holds for the tunnel is killed, by its ID (a repair
# of an earlier run or a rekey may have left more than one).
child_fault() {
	ids=$(lab-exec gw1 swanctl --list-sas | sed -n 's/^ *gw1-gw2: #\([0-9]*\), reqid .*/\1/p')
	[ -n "$ids" ] || { echo "no CHILD SA to kill"; return 1; }
	for id in $ids; do
		echo "terminating CHILD SA #$id"
		lab-exec gw1 swanctl --terminate --child-id "$id" --timeout 5
	done
	return 0
}
rec child.fault child_fault
rec child.check vt gw1 check
mark child-check
vt gw1 check --repair --settle 90s >"$out/child.repair.txt" 2>&1 &
rp=$!
poll 90 grep -q -e '^repair: gw1-gw2: initiating' -e '^gw1-gw2: ' "$out/child.repair.txt"
ike_block -D
wait $rp
echo $? >"$out/child.repair.rc"
mark child-repair
after child

# --- a deleted VTI device
rec device.fault ip -n gw1 link del vti3
rec device.check vt gw1 check
mark device-check
rec device.repair vt gw1 check --repair --settle 90s
mark device-repair
after device

# --- a stopped charon
rec charon.fault lab-exec gw1 systemctl stop strongswan
rec charon.check vt gw1 check
mark charon-check
rec charon.repair vt gw1 check --repair --settle 90s
mark charon-repair
after charon

diag >/dev/null
mark done
