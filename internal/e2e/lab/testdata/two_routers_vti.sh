# Two routers, rA and rB, joined by an IKEv2/ESP tunnel carried by a VTI in
# each, with eBGP over the tunnel's inside addresses. Every configuration
# file is written by hand here, as a person configures a router without
# vtic. Run by TestLabTwoRoutersVTI in the lab VM.
#
# The routers are stock Debian installs (lab-router add --stock: /etc/frr,
# strongswan.conf, strongswan.d and swanctl as their packages ship them),
# and their daemons start as boot starts them (lab-boot: frr.service runs
# frrinit.sh, strongswan.service runs charon-systemd and then swanctl
# --load-all). What the person writes is all a route-based tunnel needs of
# such a router: bgpd=yes in /etc/frr/daemons, frr.conf, a swanctl file,
# and a strongswan.d snippet with charon's settings for a VTI.
#
# The script waits for each milestone, prints "LAB-TIME <milestone> <s>"
# when it is reached (seconds since the script started), then leaves the
# final state in /share/out for the Go test to judge. It does not judge
# anything itself, so that a failure is reported from the evidence.
set -eu

out=/share/out
mkdir -p "$out"
. /share/bin/lab-lib.sh # mark, poll

# router NAME OUTSIDE PEER_OUTSIDE INSIDE PEER_INSIDE LOOPBACK PREFIX ASN PEER_ASN
router() {
	r=$1 local=$2 remote=$3 inside=$4 peer=$5 loop=$6 prefix=$7 asn=$8 peer_asn=$9

	# The VTI: ESP packets whose SA carries mark 12 come out of it, and
	# packets routed into it leave through SAs with mark 12.
	ip -n "$r" link add vti1 type vti local "$local" remote "$remote" ikey 12 okey 12
	ip -n "$r" addr add "$inside/30" dev vti1
	ip -n "$r" link set vti1 mtu 1400 up
	ip netns exec "$r" sysctl -qw net.ipv4.conf.vti1.disable_policy=1
	ip -n "$r" addr add "$loop" dev lo

	# Routes into the tunnel come from BGP over the VTI, not from charon
	# (table 220); and bypass-lan, which Debian loads, would exempt the
	# VTI's own inside subnet from IPsec.
	cat >"/lab/$r/etc/strongswan.d/route-based.conf" <<CONF
charon {
	install_routes = no
	plugins {
		bypass-lan {
			load = no
		}
	}
}
CONF

	cat >"/lab/$r/etc/swanctl/conf.d/lab.conf" <<CONF
connections {
	peer {
		version = 2
		local_addrs = $local
		remote_addrs = $remote
		proposals = aes128-sha256-modp2048
		local {
			auth = psk
			id = $local
		}
		remote {
			auth = psk
			id = $remote
		}
		children {
			vti {
				local_ts = 0.0.0.0/0
				remote_ts = 0.0.0.0/0
				mark_in = 12
				mark_out = 12
				esp_proposals = aes128-sha256
				start_action = start
			}
		}
	}
}
secrets {
	ike-peer {
		id-local = $local
		id-remote = $remote
		secret = "two routers, one hand-written secret"
	}
}
CONF

	# FRR as installed runs no bgpd.
	sed -i 's/^bgpd=no$/bgpd=yes/' "/lab/$r/etc/frr/daemons"
	cat >"/lab/$r/etc/frr/frr.conf" <<CONF
frr defaults traditional
hostname $r
log syslog informational
service integrated-vtysh-config
!
router bgp $asn
 bgp router-id $inside
 no bgp ebgp-requires-policy
 neighbor $peer remote-as $peer_asn
 neighbor $peer timers 3 9
 neighbor $peer timers connect 2
 address-family ipv4 unicast
  network $prefix
 exit-address-family
!
CONF
	chown frr:frr "/lab/$r/etc/frr/frr.conf"
}

# FRR logs to syslog as Debian configures it.
/bin/busybox syslogd -O /tmp/syslog
# One read of the stock files from the 9p share.
cp -a /share/stock /tmp/stock
lab-router add --stock /tmp/stock rA rB
lab-link rA eth0 198.51.100.1/24 rB eth0 198.51.100.2/24
router rA 198.51.100.1 198.51.100.2 169.254.20.1 169.254.20.2 10.1.0.1/16 10.1.0.0/16 65001 65002
router rB 198.51.100.2 198.51.100.1 169.254.20.2 169.254.20.1 10.2.0.1/16 10.2.0.0/16 65002 65001
mark setup

# The boot: FRR loads frr.conf, and strongswan.service's swanctl
# --load-all loads the connection, which start_action = start initiates
# (from both sides; the test needs only one CHILD SA).
lab-boot rA rB
mark booted

# The waits use cheap kernel views (one dynamically linked exec each);
# the dump below records what swanctl and vtysh say.
sa_installed() { ip -n "$1" xfrm state | grep -q 'proto esp'; }
pings() { ip netns exec "$1" ping -c 1 -W 1 "$2"; }
route_via_vti() { ip -n "$1" route show "$2" | grep -q 'dev vti1'; }

missed=
if poll 90 sa_installed rA && poll 30 sa_installed rB; then mark child-sa; else missed="$missed child-sa"; fi
if poll 30 pings rA 169.254.20.2; then mark ping; else missed="$missed ping"; fi
# BGP carries the far prefix, so its route in the kernel marks the session.
if poll 90 route_via_vti rA 10.2.0.0/16 && poll 30 route_via_vti rB 10.1.0.0/16; then
	mark bgp-route
else
	missed="$missed bgp-route"
fi

# The evidence, per router, both at once.
dump() {
	r=$1 peer=$2
	lab-exec "$r" swanctl --list-sas >"$out/$r.sas.txt" 2>&1 || true
	ip netns exec "$r" ping -c 3 -W 2 "$peer" >"$out/$r.ping.txt" 2>&1 || true
	lab-exec "$r" vtysh -c "show bgp neighbors $peer json" >"$out/$r.bgp.json" 2>&1 || true
	ip -n "$r" -j route show table main >"$out/$r.routes.json" 2>&1 || true
	mkdir -p "$out/$r.logs"
	cp "/lab/$r/run/charon.log" "$out/$r.logs/" || true
}
dump rA 169.254.20.2 &
dump rB 169.254.20.1
wait
cp /tmp/syslog "$out/syslog" || true
mark done
[ -n "$missed" ] || exit 0

# Diagnostics for a human reading a failed run.
echo "missed:$missed"
for r in rA rB; do
	echo "=== $r"
	ip -n "$r" -d -s link show vti1 || true
	ip -n "$r" xfrm policy || true
	ip -n "$r" xfrm state | grep -v -e auth -e enc || true
	ip -n "$r" route || true
	tail -n 20 "/lab/$r/run/charon.log" || true
done
tail -n 30 /tmp/syslog || true
