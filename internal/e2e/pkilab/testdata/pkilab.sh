# Guest script of TestPKILab (internal/e2e/pkilab). Three stock routers
# (lab-router add --stock, services started by lab-boot as their boot
# does), each with one outside address on "inet" and a LAN on lan0.
#
#   pubkey     site-pki (gw1-gw2, auth = "pubkey", certificates made by
#              vtic pki) applied on gw1 and gw2 by plain vtic apply: the
#              SA comes up with certificates, a ping crosses the VTI
#   wrongid    gw2 gets site-imposter, where its certificate (same
#              authority) names imposter.example.net; gw1 still expects
#              gw2.example.net and must refuse it: no SA. Then site-pki
#              again on gw2 and the SA is back
#   nhrpd      DMVPN as the source material builds it: gw1 a hub, gw2 and
#              gw3 spokes, an mGRE gre1 (key 42) on each, FRR's nhrpd with
#              "tunnel protection vici profile dmvpn" and a transport-mode
#              GRE profile in Debian's charon. Whatever happens is kept:
#              nhrpd's and charon's logs, the NHRP cache, the SAs
#   fallback   the same overlay with nhrpd's protection off and charon
#              protecting GRE by itself: a transport-mode connection for
#              GRE to any router of the overlay, started by trap policies,
#              so that a spoke-to-spoke shortcut gets its own SA
#
# The script judges nothing (the Go test does); it prints
# "LAB-TIME <milestone> <seconds>".
set -u

out=/share/out
mkdir -p "$out"
. /share/bin/lab-lib.sh # mark, poll

routers="gw1 gw2 gw3"
cp /share/bin/vtic /usr/local/bin/vtic
/bin/busybox syslogd -O /tmp/syslog

cp -a /share/stock /tmp/stock
lab-router add --stock /tmp/stock $routers
# nhrpd is one of FRR's daemons; the stock daemons file has it off.
for r in $routers; do sed -i 's/^nhrpd=no/nhrpd=yes/' "/lab/$r/etc/frr/daemons"; done
mark routers

ip netns add inet
ip -n inet link set lo up
ip netns exec inet sysctl -qw net.ipv4.ip_forward=1
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
lab-boot $routers || exit 1
mark booted

vapply() { # PHASE ROUTER SITE
	mkdir -p "$out/$1"
	lab-exec "$2" vtic apply --host "$2" "/share/$3" >"$out/$1/$2.apply.out" 2>"$out/$1/$2.apply.err"
	echo $? >"$out/$1/$2.apply.rc"
}
sas() { lab-exec "$1" swanctl --list-sas 2>&1; }
established() { sas "$1" | grep -q "$2: #.*ESTABLISHED" && sas "$1" | grep -q "INSTALLED"; }
logmark() { echo "=== $1" >>/tmp/syslog; }

# --- pubkey ---------------------------------------------------------------
logmark pubkey
vapply pubkey gw1 site-pki
vapply pubkey gw2 site-pki
mark pubkey-applied
poll 40 established gw1 gw1-gw2
echo $? >"$out/pubkey/established.rc"
mark pubkey-sa
# Charon logs to the journal, which the lab has not: a new initiation
# prints its log, with each end's authentication, to swanctl.
lab-exec gw1 swanctl --terminate --ike gw1-gw2 --timeout 5 >/dev/null 2>&1
lab-exec gw1 swanctl --initiate --child gw1-gw2 --timeout 20 >"$out/pubkey/gw1.initiate.txt" 2>&1
poll 20 established gw1 gw1-gw2
sas gw1 >"$out/pubkey/gw1.sas.txt"
sas gw2 >"$out/pubkey/gw2.sas.txt"
lab-exec gw1 swanctl --list-certs >"$out/pubkey/gw1.certs.txt" 2>&1
ip netns exec gw1 ping -c 3 -i 0.3 -W 2 169.254.30.2 >"$out/pubkey/gw1.ping.txt" 2>&1
ls -l /lab/gw1/etc/swanctl/private /lab/gw1/etc/swanctl/x509 /lab/gw1/etc/swanctl/x509ca >"$out/pubkey/gw1.files.txt" 2>&1
lab-exec gw1 vtic status --host gw1 >"$out/pubkey/gw1.status.txt" 2>&1
cp /tmp/syslog "$out/pubkey/syslog.txt"

# --- wrongid --------------------------------------------------------------
logmark wrongid
vapply wrongid gw2 site-imposter
lab-exec gw1 swanctl --terminate --ike gw1-gw2 --timeout 5 >/dev/null 2>&1
lab-exec gw2 swanctl --terminate --ike gw1-gw2 --timeout 5 >/dev/null 2>&1
lab-exec gw1 swanctl --initiate --child gw1-gw2 --timeout 15 >"$out/wrongid/gw1.initiate.txt" 2>&1
echo $? >"$out/wrongid/gw1.initiate.rc"
sleep 3
sas gw1 >"$out/wrongid/gw1.sas.txt"
sas gw2 >"$out/wrongid/gw2.sas.txt"
mark wrongid-refused
logmark restored
vapply restored gw2 site-pki
poll 40 established gw1 gw1-gw2
echo $? >"$out/restored/established.rc"
sas gw1 >"$out/restored/gw1.sas.txt"
mark wrongid-restored

# --- nhrpd ----------------------------------------------------------------
# The overlay: gre1 on each router, 172.16.0.N/32, key 42, bound to eth0.
mkdir -p "$out/nhrpd" "$out/fallback"
for n in 1 2 3; do
	ip -n gw$n tunnel add gre1 mode gre key 42 ttl 64 dev eth0
	ip -n gw$n addr add 172.16.0.$n/32 dev gre1
	ip -n gw$n link set gre1 up
	ip netns exec gw$n sysctl -qw net.ipv4.ip_forward=1
done
# The spokes reach the overlay through the hub (BGP's job in a site).
for n in 2 3; do ip -n gw$n route add 172.16.0.0/24 via 172.16.0.1 dev gre1 onlink; done
# The hub hears redirects through NFLOG: traffic that enters and leaves
# gre1 (spoke to spoke through the hub).
ip netns exec gw1 iptables -A FORWARD -i gre1 -o gre1 -m hashlimit --hashlimit-upto 4/minute --hashlimit-burst 1 --hashlimit-mode srcip,dstip --hashlimit-srcmask 24 --hashlimit-dstmask 24 --hashlimit-name loglimit-0 -j NFLOG --nflog-group 1 --nflog-range 128
# The GRE profile nhrpd asks charon for, with a shared key for any peer.
for n in 1 2 3; do
	cat >/lab/gw$n/etc/swanctl/conf.d/dmvpn.conf <<EOF
connections {
    dmvpn {
        version = 2
        remote_addrs = %any
        proposals = aes256-sha256-modp2048
        local {
            auth = psk
        }
        remote {
            auth = psk
        }
        children {
            dmvpn {
                mode = transport
                local_ts = dynamic[gre]
                remote_ts = dynamic[gre]
                esp_proposals = aes256-sha256-modp2048
            }
        }
    }
}
secrets {
    ike-dmvpn {
        secret = dmvpn-lab-key-0123456789
    }
}
EOF
	lab-exec gw$n swanctl --load-all --noprompt >"$out/nhrpd/gw$n.load.txt" 2>&1
done
hub='interface gre1
 ip nhrp network-id 1
 ip nhrp redirect
 ip nhrp registration no-unique
 ip nhrp map multicast dynamic
 tunnel source eth0
 tunnel protection vici profile dmvpn
exit
nhrp nflog-group 1'
spoke='interface gre1
 ip nhrp network-id 1
 ip nhrp nhs dynamic nbma 192.0.2.1
 ip nhrp registration no-unique
 ip nhrp shortcut
 ip nhrp map multicast 192.0.2.1
 tunnel source eth0
 tunnel protection vici profile dmvpn
exit'
logmark nhrpd
vconf() { # ROUTER CONFIG...: configure FRR, one line per -c
	vc_r=$1
	shift
	printf '%s\n' "$@" | sed 's/^ *//' | { set -- -c "configure terminal"; while IFS= read -r l; do set -- "$@" -c "$l"; done; lab-exec "$vc_r" vtysh "$@"; }
}
# nhrpd's side of the conversation goes to syslog, charon's to swanctl --log.
for n in 1 2 3; do
	lab-exec gw$n vtysh -c "debug nhrp all" -c "configure terminal" -c "log syslog debugging" >/dev/null 2>&1
	lab-exec gw$n swanctl --log >"$out/nhrpd/gw$n.charon.log" 2>&1 &
done
vconf gw1 "$hub" >"$out/nhrpd/gw1.vtysh.txt" 2>&1
vconf gw2 "$spoke" >"$out/nhrpd/gw2.vtysh.txt" 2>&1
vconf gw3 "$spoke" >"$out/nhrpd/gw3.vtysh.txt" 2>&1
registered() { lab-exec gw1 vtysh -c "show ip nhrp cache" 2>&1 | grep -q "172.16.0.$1"; }
poll 30 registered 2
echo $? >"$out/nhrpd/registered.rc"
ip netns exec gw2 ping -c 3 -i 0.3 -W 2 172.16.0.3 >"$out/nhrpd/gw2.ping.txt" 2>&1
for n in 1 2 3; do
	lab-exec gw$n sh -c 'vtysh -c "show ip nhrp cache" -c "show ip nhrp nhs" -c "show dmvpn" -c "show ip nhrp vici" 2>&1; swanctl --list-sas 2>&1' >"$out/nhrpd/gw$n.state.txt" 2>&1
done
mark nhrpd
sed -n '/=== nhrpd/,$p' /tmp/syslog >"$out/nhrpd/syslog.txt"

# --- fallback -------------------------------------------------------------
logmark fallback
for n in 1 2 3; do
	lab-exec gw$n swanctl --log >"$out/fallback/gw$n.charon.log" 2>&1 &
done
for n in 1 2 3; do
	vconf gw$n 'interface gre1' 'no tunnel protection' >>"$out/fallback/gw$n.vtysh.txt" 2>&1
	# charon protects GRE by itself: a trap policy for GRE to any
	# address, transport mode; the first packet to a router initiates,
	# to the packet's destination.
	sed -i -e 's/esp_proposals = aes256-sha256-modp2048/esp_proposals = aes256-sha256-modp2048\n                start_action = trap/' \
		/lab/gw$n/etc/swanctl/conf.d/dmvpn.conf
	lab-exec gw$n swanctl --load-all --noprompt >"$out/fallback/gw$n.load.txt" 2>&1
done
lab-exec gw2 vtysh -c "clear ip nhrp cache" >/dev/null 2>&1
lab-exec gw3 vtysh -c "clear ip nhrp cache" >/dev/null 2>&1
poll 40 registered 2
echo $? >"$out/fallback/registered2.rc"
poll 20 registered 3
echo $? >"$out/fallback/registered3.rc"
mark fallback-registered
# Spoke to spoke: first through the hub, then (redirect, shortcut) direct.
ip netns exec gw2 ping -c 20 -i 0.5 -W 2 172.16.0.3 >"$out/fallback/gw2.ping.txt" 2>&1
direct() { sas gw2 | grep -q "198.51.100.1"; }
poll 20 direct
echo $? >"$out/fallback/direct.rc"
ip netns exec gw2 ping -c 3 -i 0.3 -W 2 172.16.0.3 >"$out/fallback/gw2.ping2.txt" 2>&1
for n in 1 2 3; do
	lab-exec gw$n sh -c 'vtysh -c "show ip nhrp cache" -c "show ip nhrp shortcut" -c "show dmvpn" 2>&1; swanctl --list-sas 2>&1; ip route' >"$out/fallback/gw$n.state.txt" 2>&1
	ip netns exec gw$n ip xfrm policy >"$out/fallback/gw$n.xfrm.txt" 2>&1
done
mark fallback
sed -n '/=== fallback/,$p' /tmp/syslog >"$out/fallback/syslog.txt"

# --- static ---------------------------------------------------------------
# Only when the trap policy did not carry the spokes: the fallback of
# static spoke-to-hub connections (one per spoke on the hub), shortcuts
# off, spoke-to-spoke traffic through the hub.
mkdir -p "$out/static"
if [ "$(cat "$out/fallback/registered2.rc")" != 0 ] || [ "$(cat "$out/fallback/direct.rc")" != 0 ]; then
	logmark static
	static_conn() { # NAME REMOTE START
		cat <<EOF
    $1 {
        version = 2
        remote_addrs = $2
        proposals = aes256-sha256-modp2048
        local {
            auth = psk
        }
        remote {
            auth = psk
        }
        children {
            $1 {
                mode = transport
                local_ts = dynamic[gre]
                remote_ts = dynamic[gre]
                esp_proposals = aes256-sha256-modp2048
                start_action = $3
            }
        }
    }
EOF
	}
	secret='secrets {
    ike-static {
        secret = dmvpn-lab-key-0123456789
    }
}'
	{ echo "connections {"; static_conn sp2 203.0.113.1 none; static_conn sp3 198.51.100.1 none; echo "}"; echo "$secret"; } >/lab/gw1/etc/swanctl/conf.d/dmvpn.conf
	for n in 2 3; do
		{ echo "connections {"; static_conn hub 192.0.2.1 start; echo "}"; echo "$secret"; } >/lab/gw$n/etc/swanctl/conf.d/dmvpn.conf
		vconf gw$n 'interface gre1' 'no ip nhrp shortcut' >>"$out/static/gw$n.vtysh.txt" 2>&1
	done
	for n in 1 2 3; do
		lab-exec gw$n swanctl --terminate --ike dmvpn --timeout 3 >/dev/null 2>&1
		lab-exec gw$n swanctl --load-all --noprompt >"$out/static/gw$n.load.txt" 2>&1
		lab-exec gw$n vtysh -c "clear ip nhrp cache" >/dev/null 2>&1
	done
	poll 40 registered 2
	echo $? >"$out/static/registered2.rc"
	poll 20 registered 3
	echo $? >"$out/static/registered3.rc"
	ip netns exec gw2 ping -c 5 -i 0.5 -W 2 172.16.0.3 >"$out/static/gw2.ping.txt" 2>&1
	for n in 1 2 3; do
		lab-exec gw$n sh -c 'vtysh -c "show ip nhrp cache" -c "show dmvpn" 2>&1; swanctl --list-sas 2>&1; ip route' >"$out/static/gw$n.state.txt" 2>&1
	done
	mark static
fi
