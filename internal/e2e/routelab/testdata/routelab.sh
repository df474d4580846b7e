# Guest script of TestRouteLab (internal/e2e/routelab): routing per tunnel
# on stock routers. gw1 and br are managed by vtic (lab-router add --stock,
# services started by lab-boot as a fresh install starts them, then plain
# `vtic apply --host NAME SITE`). aws stands in for an AWS VPN: a stock
# router configured by hand, as AWS's side is not vtic's, with two outside
# addresses, one IKEv1 tunnel from each to gw1 and a BGP session over each,
# announcing its LAN 172.31.1.0/24.
#
# The phases, each leaving its evidence in /share/out/PHASE:
#
#   steady    both sessions Established: gw1 routes the stand-in's LAN
#             through the primary (vti1), and a ping from gw1's LAN there
#             leaves through vti1 only
#   static    the gw1-br tunnel carries no BGP; its routes = [...] on both
#             ends steer each LAN through it: pings both ways
#   failover  the stand-in's primary tunnel dies: its address is dropped in
#             "inet" and its CHILD SA terminated (swanctl --terminate
#             --child on the stand-in); gw1 must route the LAN through the
#             backup (vti2), and the same ping leaves through vti2 only
#
# The script judges nothing (the Go test does); it waits for milestones
# and prints "LAB-TIME <milestone> <seconds>".
set -u

out=/share/out
mkdir -p "$out"
. /share/bin/lab-lib.sh # mark, poll

cp /share/bin/vtic /usr/local/bin/vtic
/bin/busybox syslogd -O /tmp/syslog

cp -a /share/stock /tmp/stock
lab-router add --stock /tmp/stock gw1 br aws
mark routers

ip netns add inet
ip -n inet link set lo up
ip netns exec inet sysctl -qw net.ipv4.ip_forward=1

lab-link gw1 eth0 192.0.2.1/24 inet eth1 192.0.2.254/24
lab-link br eth0 203.0.113.50/24 inet eth2 203.0.113.254/24
lab-link aws eth0 198.18.0.1/24 inet eth3 198.18.0.254/24
ip -n gw1 -batch - <<EOF
route add default via 192.0.2.254
link add lan0 type dummy
addr add 10.1.0.1/16 dev lan0
link set lan0 up
EOF
ip -n br -batch - <<EOF
route add default via 203.0.113.254
link add lan0 type dummy
addr add 10.30.0.1/16 dev lan0
link set lan0 up
EOF

# --- The stand-in: what AWS's side of the two tunnels does ----------------
psk1=$(cat /share/site/secrets/aws-t1.psk)
psk2=$(cat /share/site/secrets/aws-t2.psk)
ip -n aws -batch - <<EOF
addr add 198.18.0.2/24 dev eth0
route add default via 198.18.0.254
link add lan0 type dummy
addr add 172.31.1.1/24 dev lan0
link set lan0 up
link add vti1 type vti local 198.18.0.1 remote 192.0.2.1 key 12
addr add 169.254.10.1/30 dev vti1
link set vti1 mtu 1436 up
link add vti2 type vti local 198.18.0.2 remote 192.0.2.1 key 24
addr add 169.254.11.1/30 dev vti2
link set vti2 mtu 1436 up
EOF
ip netns exec aws sh -c 'for d in vti1 vti2; do sysctl -qw net.ipv4.conf.$d.disable_policy=1 net.ipv4.conf.$d.rp_filter=0; done'
cat >/lab/aws/etc/strongswan.d/zz-standin.conf <<EOF
charon {
	install_routes = no
	plugins {
		bypass-lan {
			load = no
		}
	}
}
EOF
cat >/lab/aws/etc/swanctl/conf.d/standin.conf <<EOF
connections {
	t1 {
		version = 1
		local_addrs = 198.18.0.1
		remote_addrs = 192.0.2.1
		proposals = aes256-sha256-modp2048
		local {
			auth = psk
			id = 198.18.0.1
		}
		remote {
			auth = psk
			id = 192.0.2.1
		}
		children {
			t1 {
				local_ts = 0.0.0.0/0
				remote_ts = 0.0.0.0/0
				esp_proposals = aes256-sha256-modp2048
				mark_in = 12
				mark_out = 12
			}
		}
	}
	t2 {
		version = 1
		local_addrs = 198.18.0.2
		remote_addrs = 192.0.2.1
		proposals = aes256-sha256-modp2048
		local {
			auth = psk
			id = 198.18.0.2
		}
		remote {
			auth = psk
			id = 192.0.2.1
		}
		children {
			t2 {
				local_ts = 0.0.0.0/0
				remote_ts = 0.0.0.0/0
				esp_proposals = aes256-sha256-modp2048
				mark_in = 24
				mark_out = 24
			}
		}
	}
}
secrets {
	ike-t1 {
		id-a = 198.18.0.1
		id-b = 192.0.2.1
		secret = "$psk1"
	}
	ike-t2 {
		id-a = 198.18.0.2
		id-b = 192.0.2.1
		secret = "$psk2"
	}
}
EOF
# AWS's side: short timers so the session over a dead tunnel ends within
# seconds (the hold time is the smaller of the two ends').
sed -i 's/^bgpd=no/bgpd=yes/' /lab/aws/etc/frr/daemons
cat >/lab/aws/etc/frr/frr.conf <<EOF
log syslog informational
service integrated-vtysh-config
router bgp 64512
 bgp router-id 172.31.1.1
 no bgp ebgp-requires-policy
 neighbor 169.254.10.2 remote-as 65001
 neighbor 169.254.10.2 timers 3 9
 neighbor 169.254.10.2 timers connect 2
 neighbor 169.254.11.2 remote-as 65001
 neighbor 169.254.11.2 timers 3 9
 neighbor 169.254.11.2 timers connect 2
 address-family ipv4 unicast
  network 172.31.1.0/24
  neighbor 169.254.10.2 activate
  neighbor 169.254.11.2 activate
 exit-address-family
exit
EOF
mark network

lab-boot gw1 br aws || exit 1
mark booted

# --- vtic on gw1 and br -----------------------------------------------------
vapply() {
	mkdir -p "$out/apply"
	lab-exec "$1" vtic apply --host "$1" /share/site >"$out/apply/$1.out" 2>"$out/apply/$1.err"
	echo $? >"$out/apply/$1.rc"
	mark "apply-$1"
}
vapply gw1 &
vapply br &
wait

# logs: the daemons' logs so far, for people reading a failed run.
logs() {
	mkdir -p "$out/logs"
	for r in gw1 br aws; do
		mkdir -p "$out/logs/$r"
		cp "/lab/$r/run/charon.log" "/lab/$r/run/"*.out "$out/logs/$r/" 2>/dev/null
	done
	cp /tmp/syslog "$out/logs/syslog" 2>/dev/null
}

# In two runs under load the stand-in's FRR came up from lab-boot with a
# bgpd that had none of its configuration ("BGP instance not found"; the
# `vtysh -b` of FRR's start did not reach it), and answered BGP with
# resets. What the stand-in ran is kept, and its FRR restarted as its
# service would be, then checked below.
mkdir -p "$out/standin"
lab-exec aws sh -c 'vtysh -c "show bgp summary"; vtysh -c "show running-config"; ps -eo pid,args | grep -E "[b]gpd|[w]atchfrr|[z]ebra"' >"$out/standin/before-restart.txt" 2>&1
lab-exec aws systemctl restart frr >"$out/standin/restart.txt" 2>&1
# Under load `vtysh -b` at FRR's start has been seen to leave bgpd empty;
# load the stand-in's file into the running daemons if so.
configured() { lab-exec aws vtysh -c "show running-config" | grep -q "^router bgp 64512"; }
if ! poll 20 configured; then
	echo "stand-in: bgpd runs without its configuration after the restart; loading frr.conf" >>"$out/standin/restart.txt"
	lab-exec aws vtysh -f /etc/frr/frr.conf >>"$out/standin/restart.txt" 2>&1
fi
mark standin-frr

# tx ROUTER DEV: ICMP packets the router has sent out of DEV, counted by a
# rule of the test's own (BGP keepalives cross the same devices).
for d in vti1 vti2; do
	ip netns exec gw1 iptables -t mangle -A POSTROUTING -o "$d" -p icmp -m comment --comment "routelab-$d"
done
tx() { ip netns exec "$1" iptables -t mangle -nvxL POSTROUTING | awk -v c="routelab-$2" 'index($0, c) { print $1 }'; }

# routed ROUTER PREFIX DEV PROTO
routed() { ip -n "$1" route show "$2" proto "$4" | grep -Eq "dev $3( |\$)"; }

# traffic PHASE: ping the stand-in's LAN from gw1's, counting the pings
# gw1's two AWS tunnels carry meanwhile.
traffic() {
	ev=$out/$1
	mkdir -p "$ev"
	echo "vti1 $(tx gw1 vti1) vti2 $(tx gw1 vti2)" >"$ev/gw1.tx-before.txt"
	ip netns exec gw1 ping -c 5 -i 0.3 -W 2 -I 10.1.0.1 172.31.1.1 >"$ev/gw1.ping-aws.txt" 2>&1
	echo "vti1 $(tx gw1 vti1) vti2 $(tx gw1 vti2)" >"$ev/gw1.tx-after.txt"
	ip -n gw1 -j route show table main >"$ev/gw1.routes.json" 2>&1
	ip -n aws -j route show table main >"$ev/aws.routes.json" 2>&1
	lab-exec gw1 vtysh -c "show bgp neighbors json" >"$ev/gw1.bgp.json" 2>&1
	lab-exec aws swanctl --list-sas >"$ev/aws.sas.txt" 2>&1
}

# --- steady: both AWS tunnels up, the primary carries the traffic -----------
if poll 150 routed gw1 172.31.1.0/24 vti1 bgp && poll 60 routed aws 10.1.0.0/16 vti1 bgp; then
	mark steady-routed
else
	echo "steady: 172.31.1.0/24 not routed through vti1 after 150 s"
fi
# Both sessions must be up, so that the primary wins a real choice.
poll 60 sh -c 'lab-exec gw1 vtysh -c "show bgp ipv4 unicast 172.31.1.0/24 json" | grep -c "\"peerId\"" | grep -qx 2' || echo "steady: gw1 did not learn 172.31.1.0/24 from both sessions"
lab-exec gw1 vtysh -c "show bgp ipv4 unicast 172.31.1.0/24" >"$out/steady-paths.txt" 2>&1
traffic steady
lab-exec gw1 vtysh -c "show running-config" >"$out/steady/gw1.running.txt" 2>&1
lab-exec aws vtysh -c "show bgp summary" >"$out/standin/steady-bgp.txt" 2>&1
logs
mark steady-evidence

# --- static: gw1-br, no BGP, routes on both ends -----------------------------
mkdir -p "$out/static"
poll 120 ip netns exec gw1 ping -c 1 -W 1 -I 10.1.0.1 10.30.0.1 || echo "static: no reply from br's LAN after 120 s"
ip netns exec gw1 ping -c 3 -i 0.3 -W 2 -I 10.1.0.1 10.30.0.1 >"$out/static/gw1.ping-br.txt" 2>&1
ip netns exec br ping -c 3 -i 0.3 -W 2 -I 10.30.0.1 10.1.0.1 >"$out/static/br.ping-gw1.txt" 2>&1
ip -n gw1 -j route show table main >"$out/static/gw1.routes.json" 2>&1
ip -n br -j route show table main >"$out/static/br.routes.json" 2>&1
lab-exec br vtysh -c "show running-config" >"$out/static/br.running.txt" 2>&1
lab-exec gw1 vtysh -c "show bgp neighbors json" >"$out/static/gw1.bgp.json" 2>&1
mark static-evidence

# --- failover: the primary dies ---------------------------------------------
ip netns exec inet iptables -I FORWARD -s 198.18.0.1 -j DROP
ip netns exec inet iptables -I FORWARD -d 198.18.0.1 -j DROP
lab-exec aws swanctl --terminate --child t1 >"$out/terminate.txt" 2>&1
mark failover-killed
if poll 90 routed gw1 172.31.1.0/24 vti2 bgp; then
	mark failover-routed
else
	echo "failover: 172.31.1.0/24 not routed through vti2 after 90 s"
fi
poll 30 routed aws 10.1.0.0/16 vti2 bgp || echo "failover: the stand-in still routes gw1's LAN elsewhere"
traffic failover
mark failover-evidence

logs
mark done
exit 0
