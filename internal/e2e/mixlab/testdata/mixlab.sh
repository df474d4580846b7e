# Guest script of TestMixLab (internal/e2e/mixlab): one tunnel between a
# router that runs libreswan and BIRD (ls1) and one that runs strongSwan
# and FRR (ss1), from one site. Both are stock routers (lab-router add
# --stock); ss1's services start as Debian's units run them (lab-boot),
# ls1's as libreswan's ipsec.service and bird2's bird.service run them
# (start_ls1). Phases, each leaving its evidence in /share/out/PHASE:
#
#   fresh   site-v1 applied to ss1, then ls1
#   change  site-v2 (dpd_delay changed, one more announced LAN on each
#           router) applied to both
#   noop    site-v2 applied again to both; the daemons' state is recorded
#           before and after
#
# The script judges nothing (the Go test does); it prints
# "LAB-TIME <milestone> <seconds>".
set -u

out=/share/out
mkdir -p "$out"
. /share/bin/lab-lib.sh # mark, poll
cp /share/bin/vtic /usr/local/bin/vtic
cp /share/mix-exec /usr/local/bin/mix-exec
chmod 755 /usr/local/bin/mix-exec
/bin/busybox syslogd -O /tmp/syslog

# --- libreswan, installed as its package would be -------------------------
# Debian's libreswan conflicts with strongSwan's packages, so this machine
# has its .deb unpacked in a cache directory (realcheck.LibreswanDir), which
# the guest sees through the host's root. Its files go where dpkg would put
# them: programs under /usr, configuration in the router's etc.
ls=$(cat /share/libreswan.path)
cp -a "$ls/usr/." /usr/
for f in /etc/ipsec.conf /etc/ipsec.secrets; do : >"$f"; done
mkdir -p /etc/ipsec.d /var/lib/ipsec /etc/bird
mark installed

cp -a /share/stock /tmp/stock
lab-router add --stock /tmp/stock ls1 ss1
cp -a "$ls/etc/ipsec.conf" "$ls/etc/ipsec.secrets" "$ls/etc/ipsec.d" /lab/ls1/etc/
# bird.conf is no conffile of bird2: its postinst installs it from
# /usr/share/bird2 with ucf, bird:bird 0640.
install -o bird -g bird -m 0640 /usr/share/bird2/bird.conf /lab/ls1/etc/bird/bird.conf
# The package ships /var/lib/ipsec/nss; ipsec --checknss makes the database
# in it but not the directory.
mkdir -p /lab/ls1/var/lib/ipsec/nss /lab/ss1/var/lib/ipsec /lab/ss1/etc/ipsec.d
: >/lab/ss1/etc/ipsec.conf
: >/lab/ss1/etc/ipsec.secrets
mark routers

ip netns add inet
ip -n inet link set lo up
ip netns exec inet sysctl -qw net.ipv4.ip_forward=1
net() {
	case $1 in
	ls1) n=1 lan="10.11.0.1/16 10.13.0.1/16" addr=192.0.2.11 gw=192.0.2.254 ;;
	ss1) n=2 lan="10.12.0.1/16 10.14.0.1/16" addr=203.0.113.12 gw=203.0.113.254 ;;
	esac
	lab-link "$1" eth0 "$addr/24" inet "eth$n" "$gw/24"
	ip -n "$1" route add default via "$gw"
	ip -n "$1" link add lan0 type dummy
	for a in $lan; do ip -n "$1" addr add "$a" dev lan0; done
	ip -n "$1" link set lan0 up
}
net ls1
net ss1
mark network

# start_ls1: libreswan's ipsec.service (ExecStartPre: addconn
# --checkconfig, _stackmanager start, ipsec --checknss, which makes the
# NSS database, ipsec --checknflog; ExecStart: pluto --nofork) and
# bird2's bird.service (prepare-environment, bird -p, bird -u bird -g
# bird), with /run/pluto as libreswan's tmpfiles.d makes it.
start_ls1() {
	mix-exec ls1 /bin/sh -c '
		mkdir -p /run/pluto
		/usr/libexec/ipsec/addconn --config /etc/ipsec.conf --checkconfig || exit 1
		/usr/libexec/ipsec/_stackmanager start
		/usr/sbin/ipsec --checknss || exit 1
		/usr/sbin/ipsec --checknflog
		setsid /usr/libexec/ipsec/pluto --leak-detective --config /etc/ipsec.conf --nofork \
			</dev/null >>/run/pluto.out 2>&1 &
		. /etc/bird/envvars
		/usr/lib/bird/prepare-environment || exit 1
		/usr/sbin/bird -p || exit 1
		/usr/sbin/bird -u "$BIRD_RUN_USER" -g "$BIRD_RUN_GROUP" $BIRD_ARGS </dev/null >>/run/bird.out 2>&1 || exit 1
		i=0
		until ipsec whack --status >/dev/null 2>&1 && birdc show status >/dev/null 2>&1; do
			i=$((i + 1))
			[ $i -lt 240 ] || { echo "pluto or bird did not answer within 120 s" >&2; exit 1; }
			sleep 0.5
		done' >"$out/start-ls1.out" 2>&1
	echo $? >"$out/start-ls1.rc"
}
start_ls1 &
lab-boot ss1 >"$out/boot-ss1.out" 2>&1
echo $? >"$out/boot-ss1.rc"
wait
mark booted

# vapply PHASE ROUTER SITE
vapply() {
	mkdir -p "$out/$1"
	mix-exec "$2" vtic apply --host "$2" "/share/$3" >"$out/$1/$2.apply.out" 2>"$out/$1/$2.apply.err"
	echo $? >"$out/$1/$2.apply.rc"
	mark "$1-apply-$2"
}

# daemons PHASE NAME: what the daemons hold, for comparing before and after
# a no-op apply: pluto's SAs (with their serial numbers), BIRD's protocols
# (with the time each last changed state), charon's SAs (with their unique
# ids) and the BGP neighbor as FRR sees it.
daemons() {
	mix-exec ls1 /bin/sh -c 'ipsec whack --trafficstatus; echo ---; birdc show protocols' >"$out/$1/$2.ls1.daemons" 2>&1
	lab-exec ss1 /bin/sh -c 'swanctl --list-sas --raw; echo ---; vtysh -c "show bgp neighbors 169.254.40.1 json"' >"$out/$1/$2.ss1.daemons" 2>&1
}

# converged LAN...: ls1 reaches ss1's inside address through the tunnel,
# and each LAN is routed through vti4 on the router that does not have it.
converged() {
	mix-exec ls1 ping -c1 -W1 -I vti4 169.254.40.2 || return 1
	for l in "$@"; do
		case $l in
		10.11.* | 10.13.*) r=ss1 ;;
		*) r=ls1 ;;
		esac
		ip -n "$r" route show "$l" | grep -q "dev vti4" || return 1
	done
}

# evidence PHASE: the SAs, a ping across, the routes and BGP on both.
evidence() {
	ev=$out/$1
	mkdir -p "$ev"
	mix-exec ls1 ipsec whack --trafficstatus >"$ev/ls1.sas" 2>&1
	mix-exec ls1 ipsec whack --briefstatus >"$ev/ls1.status" 2>&1
	lab-exec ss1 swanctl --list-sas >"$ev/ss1.sas" 2>&1
	mix-exec ls1 ping -c3 -W2 -I vti4 169.254.40.2 >"$ev/ls1.ping" 2>&1
	lab-exec ss1 ping -c3 -W2 -I vti4 169.254.40.1 >"$ev/ss1.ping" 2>&1
	for r in ls1 ss1; do
		ip -n "$r" route show >"$ev/$r.routes" 2>&1
		ip -n "$r" -d link show vti4 >"$ev/$r.vti4" 2>&1
	done
	mix-exec ls1 birdc show protocols all >"$ev/ls1.bird" 2>&1
	mix-exec ls1 birdc show route >"$ev/ls1.bird-routes" 2>&1
	lab-exec ss1 vtysh -c "show bgp summary" >"$ev/ss1.bgp" 2>&1
	lab-exec ss1 vtysh -c "show ip route bgp" >"$ev/ss1.bgp-routes" 2>&1
	mark "$1-evidence"
}

# --- fresh -----------------------------------------------------------------
vapply fresh ss1 site-v1
vapply fresh ls1 site-v1
poll 240 converged 10.11.0.0/16 10.12.0.0/16
echo $? >"$out/fresh/converged.rc"
mark fresh-converged
evidence fresh

# --- change ----------------------------------------------------------------
vapply change ss1 site-v2
vapply change ls1 site-v2
poll 240 converged 10.11.0.0/16 10.12.0.0/16 10.13.0.0/16 10.14.0.0/16
echo $? >"$out/change/converged.rc"
mark change-converged
evidence change

# --- noop ------------------------------------------------------------------
mkdir -p "$out/noop"
daemons noop before
vapply noop ss1 site-v2
vapply noop ls1 site-v2
daemons noop after
evidence noop

# The daemons' logs, for people reading a failed run.
mkdir -p "$out/logs"
cp /tmp/syslog "$out/logs/syslog" 2>/dev/null
cp /lab/ls1/run/pluto.out /lab/ls1/run/bird.out "$out/logs/" 2>/dev/null
cp /lab/ss1/run/charon.log "$out/logs/ss1.charon.log" 2>/dev/null
mark done
