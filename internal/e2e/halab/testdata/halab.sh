# Guest script of TestHALab (internal/e2e/halab). It judges nothing (the Go
# test does); it leaves evidence in /share/out and prints
# "LAB-TIME <milestone> <seconds>".
#
# bfd: the stock router "branch" gets /share/site by plain `vtic apply`:
# two tunnels with bfd = true to the stand-in peer "peer", which ends them
# on 203.0.113.1 and 203.0.113.2 (its charon, VTIs and FRR are configured
# from /share/peer, by hand, as a gateway vtic does not manage). Once both
# BGP sessions are Established with BFD Up, a ping every 50 ms runs from
# branch's LAN address to peer's; then the ESP of the tunnel carrying it is
# dropped on branch, both ways, with iptables (the path dies, nothing is
# shut down cleanly), and the ping goes on for 10 s.
#
# pair: the stock routers gwa and gwb get /share/pair, a pair holding the
# LAN gateway 10.5.0.1 by VRRP, each with a BFD-watched tunnel to the stock
# router far; the host "host" sits on the LAN (a bridge in namespace
# "lan") with 10.5.0.1 as its default gateway. Once gwa holds the address
# and far's sessions to both are up, the host pings far's LAN every 50 ms;
# then gwa dies: every process in its namespace is killed (SIGKILL) and
# the namespace deleted, with all its links. The ping goes on for 20 s.
#
# Both scenarios' routers boot and get their applies at once; the
# measurements run one after the other.
set -u

out=/share/out
mkdir -p "$out"
. /share/bin/lab-lib.sh # mark, poll

cp /share/bin/vtic /usr/local/bin/vtic
/bin/busybox syslogd -O /tmp/syslog

cp -a /share/stock /tmp/stock
lab-router add --stock /tmp/stock branch peer gwa gwb far
mark routers

ip netns add inet
ip -n inet link set lo up
ip netns exec inet sysctl -qw net.ipv4.ip_forward=1
lab-link branch eth0 192.0.2.1/24 inet eth1 192.0.2.254/24
lab-link peer eth0 203.0.113.1/24 inet eth2 203.0.113.254/24
ip -n peer addr add 203.0.113.2/24 dev eth0
for r in branch peer; do
	ip -n $r route add default via $(case $r in branch) echo 192.0.2.254 ;; peer) echo 203.0.113.254 ;; esac)
	ip -n $r link add lan0 type dummy
	ip -n $r link set lan0 up
done
ip -n branch addr add 10.1.0.1/16 dev lan0
ip -n peer addr add 10.99.0.1/16 dev lan0

# The pair's network: gwa and gwb on inet and on the LAN bridge, far on
# inet with a dummy LAN, the host on the LAN.
lab-link gwa eth0 192.0.2.11/24 inet eth3 -
lab-link gwb eth0 192.0.2.12/24 inet eth4 -
ip -n inet link add br-out type bridge
ip -n inet link set br-out up
for i in eth1 eth3 eth4; do
	ip -n inet addr flush dev $i
	ip -n inet link set $i master br-out
done
ip -n inet addr add 192.0.2.254/24 dev br-out
lab-link far eth0 198.51.100.1/24 inet eth5 198.51.100.254/24
ip -n gwa route add default via 192.0.2.254
ip -n gwb route add default via 192.0.2.254
ip -n far route add default via 198.51.100.254
ip -n far link add lan0 type dummy
ip -n far addr add 10.6.0.1/16 dev lan0
ip -n far link set lan0 up
ip netns add lan
ip -n lan link add br0 type bridge
ip -n lan link set br0 up
ip netns add host
lab-link gwa lan0 10.5.0.2/16 lan p-gwa -
lab-link gwb lan0 10.5.0.3/16 lan p-gwb -
lab-link host eth0 10.5.0.100/16 lan p-host -
for p in p-gwa p-gwb p-host; do ip -n lan link set $p master br0; done
ip -n host route add default via 10.5.0.1

# The stand-in peer, by hand: VTIs with the marks of vtic's side, its
# charon connections, FRR with bgpd and bfdd.
ip -n peer -batch - <<CMDS
link add vti1 type vti local 203.0.113.1 remote 192.0.2.1 ikey 12 okey 12
addr add 169.254.50.2/30 dev vti1
link set vti1 up
link add vti2 type vti local 203.0.113.2 remote 192.0.2.1 ikey 24 okey 24
addr add 169.254.50.6/30 dev vti2
link set vti2 up
CMDS
ip netns exec peer sh -c 'for i in vti1 vti2; do sysctl -qw net.ipv4.conf.$i.disable_policy=1 net.ipv4.conf.$i.rp_filter=0; done'
cp /share/peer/swanctl.conf /lab/peer/etc/swanctl/conf.d/peer.conf
cp /share/peer/strongswan.conf /lab/peer/etc/strongswan.d/peer.conf
install -o frr -g frr -m 0640 /share/peer/frr.conf /lab/peer/etc/frr/frr.conf
sed -i 's/^bgpd=no/bgpd=yes/; s/^bfdd=no/bfdd=yes/' /lab/peer/etc/frr/daemons
mark network
lab-boot branch peer gwa gwb far || exit 1
mark booted

# vapply DIR ROUTER SITE: plain vtic apply on ROUTER, its output in DIR.
vapply() {
	lab-exec "$2" vtic apply --host "$2" "$3" >"$1/$2.apply.out" 2>"$1/$2.apply.err"
	echo $? >"$1/$2.apply.rc"
}
ev=$out/bfd
pv=$out/pair
mkdir -p "$ev" "$pv"
vapply "$ev" branch /share/site &
for r in gwa gwb far; do vapply "$pv" $r /share/pair & done
wait
mark applied

# --- bfd ------------------------------------------------------------------

# status: vtic status --json on branch, into FILE.
status() { lab-exec branch vtic status --host branch --json >"$1" 2>&1; }
bfd_up() {
	status "$ev/status-wait.json"
	[ "$(grep -c '"bfd": "Up"' "$ev/status-wait.json")" -eq 2 ] &&
		[ "$(grep -c '"state": "Established"' "$ev/status-wait.json")" -eq 2 ]
}
poll 180 bfd_up
mark bfd-up
status "$ev/status-before.json"
cp /lab/branch/etc/frr/daemons "$ev/daemons.txt"
for pid in $(ip netns pids branch); do tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null && echo; done >"$ev/processes.txt"
ip -n branch -j route get 10.99.0.1 from 10.1.0.1 >"$ev/route-before.json" 2>&1
dev=$(ip -n branch route get 10.99.0.1 from 10.1.0.1 | sed -n 's/.* dev \([^ ]*\).*/\1/p')
case $dev in
vti1) remote=203.0.113.1 ;;
*) remote=203.0.113.2 ;;
esac
echo "$dev $remote" >"$ev/primary.txt"

ip netns exec branch ping -D -n -i 0.05 -W 1 -w 16 -I 10.1.0.1 10.99.0.1 >"$ev/ping.txt" 2>&1 &
ping_pid=$!
sleep 4
date +%s.%N >"$ev/drop.time"
ip netns exec branch iptables -I INPUT -p esp -s "$remote" -j DROP
ip netns exec branch iptables -I OUTPUT -p esp -d "$remote" -j DROP
mark bfd-dropped
wait "$ping_pid"
mark bfd-ping-done
status "$ev/status-after.json"
ip -n branch -j route get 10.99.0.1 from 10.1.0.1 >"$ev/route-after.json" 2>&1
lab-exec branch vtysh -c "show bfd peers json" >"$ev/bfd-peers.json" 2>&1
lab-exec peer vtysh -c "show bfd peers json" >"$ev/peer-bfd-peers.json" 2>&1
cp /lab/branch/run/charon.log "$ev/branch-charon.log" 2>/dev/null
cp /lab/peer/run/charon.log "$ev/peer-charon.log" 2>/dev/null
mark bfd-done

# --- pair -----------------------------------------------------------------
# vrrp_on ROUTER: the router holds the LAN gateway address.
vrrp_on() { ip -n "$1" -o addr show dev lan0 | grep -q ' 10\.5\.0\.1/16 '; }
far_up() {
	lab-exec far vtic status --host far --json >"$pv/far-status-wait.json" 2>&1
	[ "$(grep -c '"bfd": "Up"' "$pv/far-status-wait.json")" -eq 2 ]
}
poll 180 far_up
poll 60 vrrp_on gwa
poll 60 ip netns exec host ping -c 1 -W 1 10.6.0.1
mark pair-up
lab-exec far vtic status --host far --json >"$pv/far-status-before.json" 2>&1
for r in gwa gwb; do
	ip -n $r -o addr show dev lan0 >"$pv/$r.lan0-before.txt" 2>&1
	for pid in $(ip netns pids $r); do tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null && echo; done >"$pv/$r.processes.txt"
	cp /lab/$r/etc/keepalived/keepalived.conf "$pv/$r.keepalived.conf" 2>&1
done
ip netns exec host ping -D -n -i 0.05 -W 1 -w 24 10.6.0.1 >"$pv/ping.txt" 2>&1 &
ping_pid=$!
sleep 4
date +%s.%N >"$pv/kill.time"
for pid in $(ip netns pids gwa); do kill -9 "$pid" 2>/dev/null; done
ip netns del gwa
mark pair-killed
wait "$ping_pid"
mark pair-ping-done
ip -n gwb -o addr show dev lan0 >"$pv/gwb.lan0-after.txt" 2>&1
lab-exec far vtic status --host far --json >"$pv/far-status-after.json" 2>&1
cp /lab/gwb/run/keepalived.out "$pv/gwb.keepalived.out" 2>/dev/null
cp /tmp/syslog "$out/syslog" 2>/dev/null
mark done
