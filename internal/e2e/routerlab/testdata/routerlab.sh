# Guest script of TestRouterLab (internal/e2e/routerlab): vtic on routers
# as a fresh Debian install runs them. Three stock routers (lab-router add
# --stock: /etc/frr, strongswan.conf, strongswan.d and swanctl as their
# packages ship them, nothing prepared for vtic), each with one outside
# address on "inet", a namespace that forwards between them, and a dummy
# LAN device lan0 holding 10.N.0.1/16. gw1 and gw2 run FRR in its
# integrated mode, as installed; gw3 in per-daemon mode (no frr.conf,
# vtysh.conf without service integrated-vtysh-config), as a person may
# have set it up. lab-boot starts each router's services as its boot does:
# FRR by frrinit.sh (bgpd=no: zebra and staticd only), charon as
# charon-systemd followed by swanctl --load-all. Each router runs sshd.
#
# The phases, each leaving its evidence in /share/out/PHASE:
#
#   fresh       site-v1 (gw1-gw2, gw1-gw3) applied by plain
#               `vtic apply --host NAME SITE` on gw1, then on gw2 and gw3
#               at once
#   reboot      gw2 (integrated) and gw3 (per-daemon) rebooted: services
#               stopped, namespace deleted (links, addresses, routes, XFRM
#               state, iptables rules, sysctls gone), /run emptied, a new
#               namespace with the same links, the services started as boot
#               does; then /share/boot/NAME.sh, the commands of
#               examples/systemd/vtic-boot.service, and nothing else.
#               reboot-daemons holds FRR's configuration before that unit
#               ran (what FRR loaded by itself)
#   concurrent  site-v2 adds gw2-gw3, applied to gw2 and gw3 at once
#   reject      site-bad adds a tunnel whose BGP neighbor FRR refuses,
#               applied to gw1 (integrated) and gw3 (per-daemon) at once;
#               compared with concurrent
#   ansible     examples/ansible/vtic-rollout.yml, run by the test on the
#               host over ssh, rolls site-v3 out: every MTU lowered, and for
#               gw2 a gateway its kernel refuses. gw1 (the canary) changes,
#               gw2's apply fails, gw3 must not be touched
#
# The script judges nothing (the Go test does); it waits for milestones
# and prints "LAB-TIME <milestone> <seconds>".
set -u

out=/share/out
mkdir -p "$out"
. /share/bin/lab-lib.sh # mark, poll

routers="gw1 gw2 gw3"

# The share is 9p without a page cache: vtic runs from the guest's disk,
# where it is installed on every router (ssh sessions find it on PATH).
cp /share/bin/vtic /usr/local/bin/vtic

# FRR logs to syslog as Debian configures it; keep the lines for people
# reading a failed run.
/bin/busybox syslogd -O /tmp/syslog

# --- The routers ----------------------------------------------------------
# One read of the stock files from the 9p share, three copies from tmpfs.
cp -a /share/stock /tmp/stock
lab-router add --stock /tmp/stock $routers
rm /lab/gw3/etc/frr/frr.conf
sed -i '/^service integrated-vtysh-config/d' /lab/gw3/etc/frr/vtysh.conf
mark routers

ip netns add inet
ip -n inet link set lo up
ip netns exec inet sysctl -qw net.ipv4.ip_forward=1

# net ROUTER: the router's network as its own configuration brings it up at
# boot: eth0 on inet with a default route, lan0 with its LAN address.
net() {
	case $1 in
	gw1) n=1 addr=192.0.2.1 gw=192.0.2.254 ;;
	gw2) n=2 addr=203.0.113.1 gw=203.0.113.254 ;;
	gw3) n=3 addr=198.51.100.1 gw=198.51.100.254 ;;
	esac
	lab-link "$1" eth0 "$addr/24" inet "eth$n" "$gw/24"
	ip -n "$1" -batch - <<EOF
route add default via $gw
link add lan0 type dummy
addr add 10.$n.0.1/16 dev lan0
link set lan0 up
EOF
}
for r in $routers; do net "$r"; done
mark network
lab-boot $routers || exit 1
LAB_SSH_KEYS=/share/ssh lab-sshd start $routers || exit 1
mark booted

# --- Evidence -------------------------------------------------------------

# vapply PHASE ROUTER SITE: vtic apply on ROUTER as its operator runs it,
# with no flag but the router's name.
vapply() {
	mkdir -p "$out/$1"
	lab-exec "$2" vtic apply --host "$2" "/share/$3" >"$out/$1/$2.apply.out" 2>"$out/$1/$2.apply.err"
	echo $? >"$out/$1/$2.apply.rc"
	mark "$1-apply-$2"
}

# files ROUTER [DIR...]: sha256 of every file in the directories vtic
# installs to (or DIRs), relative to the router's root.
files() {
	fl_r=$1
	shift
	[ $# -gt 0 ] || set -- etc/swanctl etc/strongswan.d etc/frr etc/vtic var/lib/vtic/state.json
	(cd "/lab/$fl_r" && find "$@" -type f 2>/dev/null | sort | xargs -r sha256sum)
}

# state PHASE ROUTER: devices and files, what a rollout changes.
state() {
	ev=$out/$1/$2
	mkdir -p "$out/$1"
	ip -n "$2" -d -j link show >"$ev.links.json" 2>&1
	ip -n "$2" -j addr show >"$ev.addrs.json" 2>&1
	files "$2" >"$ev.files.txt"
	files "$2" var/lib/vtic/upload >"$ev.upload.txt"
}

# evidence PHASE ROUTER: what the router looks like, for the Go test. The
# daemons are asked in one lab-exec: each exec costs in the guest.
evidence() {
	state "$1" "$2"
	ev=$out/$1/$2
	lab-exec "$2" sh -c '
		swanctl --list-sas >"$1.sas.txt" 2>&1
		swanctl --list-conns >"$1.conns.txt" 2>&1
		vtysh -c "show bgp neighbors json" >"$1.bgp.json" 2>&1
		vtysh -c "show running-config" >"$1.running.txt" 2>&1
		systemctl is-active frr strongswan >"$1.units.txt" 2>&1' evidence "$ev"
	ip -n "$2" -j route show table main >"$ev.routes.json" 2>&1
	ip netns exec "$2" iptables-save 2>&1 | grep -v '^#' >"$ev.iptables.txt"
	ip netns exec "$2" sh -c 'cd /proc/sys/net/ipv4 && grep -H . ip_forward conf/vti*/disable_policy conf/vti*/rp_filter' >"$ev.sysctl.txt" 2>&1
	cp "/lab/$2/etc/frr/daemons" "$ev.daemons.txt"
	for pid in $(ip netns pids "$2"); do
		tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null && echo
	done >"$ev.processes.txt"
}

all_evidence() {
	ph=$1
	shift
	for r in "$@"; do evidence "$ph" "$r" & done
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

# logs: the daemons' logs so far.
logs() {
	for r in $routers; do
		mkdir -p "$out/logs/$r"
		cp "/lab/$r/run/charon.log" "/lab/$r/run/"*.out "/lab/$r/run/sshd.log" "$out/logs/$r/" 2>/dev/null
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

v1_routes="gw1,10.2.0.0/16,vti12 gw2,10.1.0.0/16,vti21 gw1,10.3.0.0/16,vti13 gw3,10.1.0.0/16,vti31"
v2_routes="$v1_routes gw2,10.3.0.0/16,vti23 gw3,10.2.0.0/16,vti32"

# bgpd_running ROUTER: a bgpd process runs on the router.
bgpd_running() {
	for br_pid in $(ip netns pids "$1"); do
		[ "$(cat "/proc/$br_pid/comm" 2>/dev/null)" = bgpd ] && return 0
	done
	return 1
}

# converged PHASE SECONDS ROUTES: wait for every route, at most SECONDS;
# not at all when a router runs no bgpd, which no wait would mend.
converged() {
	for cv_r in $routers; do
		if ! bgpd_running "$cv_r"; then
			echo "$1: no bgpd runs on $cv_r: not waiting for routes"
			return
		fi
	done
	# shellcheck disable=SC2086
	if poll "$2" all_routed $3; then mark "$1-routed"; else echo "$1: not every prefix routed after $2 s"; fi
}

# --- fresh: site-v1 on stock routers --------------------------------------
# gw1 first, then its two far ends at once (they share no tunnel).
vapply fresh gw1 site-v1
vapply fresh gw2 site-v1 &
vapply fresh gw3 site-v1 &
wait
converged fresh 240 "$v1_routes"
all_evidence fresh $routers
pings fresh gw1 169.254.12.2 169.254.13.2 &
pings fresh gw2 169.254.12.1 &
pings fresh gw3 169.254.13.1
wait
logs
mark fresh-evidence

# --- reboot: gw2 and gw3 --------------------------------------------------
lab-router halt gw2 gw3
mark reboot-halted
lab-router power-on gw2 gw3
# inet's ends of their links go with the namespaces, but not at once.
ip -n inet link del eth2 2>/dev/null
ip -n inet link del eth3 2>/dev/null
net gw2
net gw3
lab-boot gw2 gw3
LAB_SSH_KEYS=/share/ssh lab-sshd start gw2 gw3
mark reboot-services
mkdir -p "$out/reboot-daemons" "$out/reboot"
for r in gw2 gw3; do
	lab-exec "$r" vtysh -c "show running-config" >"$out/reboot-daemons/$r.running.txt" 2>&1
	cp "/lab/$r/etc/frr/daemons" "$out/reboot-daemons/$r.daemons.txt"
done
for r in gw2 gw3; do
	(
		if [ -f "/share/boot/$r.sh" ]; then
			lab-exec "$r" sh "/share/boot/$r.sh" >"$out/reboot/$r.boot.out" 2>&1
			echo $? >"$out/reboot/$r.boot.rc"
		else
			echo missing >"$out/reboot/$r.boot.rc"
		fi
		mark "reboot-boot-$r"
	) &
done
wait
converged reboot 240 "$v1_routes"
all_evidence reboot $routers
pings reboot gw1 169.254.12.2 169.254.13.2 &
pings reboot gw2 169.254.12.1 &
pings reboot gw3 169.254.13.1
wait
logs
mark reboot-evidence

# --- concurrent: site-v2's gw2-gw3 on both ends at once -------------------
vapply concurrent gw2 site-v2 &
vapply concurrent gw3 site-v2 &
wait
converged concurrent 240 "$v2_routes"
# A duplicate SA would come from the second initiation; give it time.
sleep 5
all_evidence concurrent $routers
pings concurrent gw1 169.254.12.2 169.254.13.2 &
pings concurrent gw2 169.254.12.1 169.254.23.2 &
pings concurrent gw3 169.254.13.1 169.254.23.1
wait
logs
mark concurrent-evidence

# --- reject: a BGP neighbor FRR refuses, on gw1 and gw3 -------------------
vapply reject gw1 site-bad &
vapply reject gw3 site-bad &
wait
all_evidence reject gw1 gw3
pings reject gw1 169.254.12.2 169.254.13.2 &
pings reject gw3 169.254.13.1 169.254.23.1
wait
logs
mark reject-evidence

# --- ansible: the playbook of examples/ansible, run on the host ----------
# Ansible runs on the machine that runs the VM (in the emulated guest its
# every Python process takes tens of seconds), reaching the routers' sshd
# over qemu's user-mode network: host port -> guest port 220N on eth0,
# which goes into inet, -> DNAT to gwN's outside address, port 22. The test
# starts ansible-playbook when "ready" appears and writes "done" after it,
# with its output and exit status in /share/out/ansible.
mkdir -p "$out/ansible"
modprobe virtio_net
poll 30 ip link show eth0 || echo "ansible: no network card eth0"
ip link set eth0 netns inet
ip -n inet addr add 10.0.2.15/24 dev eth0
ip -n inet link set eth0 up
for n in 1 2 3; do
	case $n in 1) a=192.0.2.1 ;; 2) a=203.0.113.1 ;; 3) a=198.51.100.1 ;; esac
	ip netns exec inet iptables -t nat -A PREROUTING -i eth0 -p tcp --dport "220$n" -j DNAT --to-destination "$a:22"
done
: >"$out/ansible/ready"
mark ansible-ready
if poll 1200 test -e "$out/ansible/done"; then mark ansible-done; else echo "ansible: the test never said done"; fi
for r in $routers; do state ansible "$r" & done
wait
logs
mark done
exit 0
