# Guest script for the lab VM (internal/e2e/lab): two routers of
# examples/two-routers joined through an "inet" namespace, converged with
# `vtic apply`, charon and FRR already running before the first apply.
# Expects in /share: vtic (CGO_ENABLED=0 build), site1 and site2 (the
# example with options = { proposals = "aes128-sha256-modp2048",
# esp_proposals = "aes128-sha256" }, since this machine's charon has no
# openssl plugin and cannot do the generic preset's ECP/GCM proposals;
# site2 with mtu = 1380). Run once by hand on 2026-11-23 with lab.Run:
# SA up, ping, BGP up, second apply "no changes", the MTU change left the
# SAs and the BGP session alone, and a second apply was refused while the
# lock was held. Not run by go test; the lab scenarios are the lab's.
#
# Lab specifics: --root /lab/NAME, because lab-exec binds etc/swanctl,
# etc/strongswan.d, etc/frr, var/lib/vtic and run but not etc/vtic; the
# restart command leaves lab-exec's mount namespace (where /run is the
# router's) for the script's, where lab-charon finds /run/netns.
set -u
. /share/bin/lab-lib.sh # mark, poll
lab-router add gw1
lab-router add gw2
ip netns add inet
ip -n inet link set lo up
ip netns exec inet sysctl -qw net.ipv4.ip_forward=1
lab-link gw1 eth0 192.0.2.1/24 inet eth1 192.0.2.254/24
lab-link gw2 eth0 203.0.113.1/24 inet eth2 203.0.113.254/24
lab-charon start gw1
lab-charon start gw2
LAB_FRR_DAEMONS="zebra bgpd staticd" lab-frr start gw1 gw2
mark daemons
lc=$(command -v lab-charon)
apply() {
	r=$1; shift
	lab-exec "$r" /share/vtic apply --host "$r" --root "/lab/$r" --vici unix:///run/charon.vici \
		--charon-restart "nsenter -t $$ -m -n -r -w -- sh -c '$lc stop $r && $lc start $r'" "$@"
}
apply gw1 /share/site1 >/dev/null || { echo "apply gw1 failed"; exit 1; }
apply gw2 /share/site1 >/dev/null || { echo "apply gw2 failed"; exit 1; }
mark applied
sa_installed() { lab-exec "$1" swanctl --list-sas | grep -q ', INSTALLED,'; }
bgp_established() { lab-exec "$1" vtysh -c "show bgp neighbors $2 json" | grep -q '"bgpState":"Established"'; }
if poll 90 sa_installed gw1; then mark child-sa; else echo "no CHILD SA"; fi
if poll 30 ip netns exec gw1 ping -c 1 -W 1 169.254.20.2; then mark ping; else echo "no ping"; fi
if poll 200 bgp_established gw1 169.254.20.2; then mark bgp; else echo "no BGP"; fi
if poll 60 sh -c "ip -n gw1 route show 10.2.0.0/16 | grep -q vti3"; then mark route; else echo "no route"; fi
lab-exec gw1 swanctl --list-sas 2>/dev/null | grep -E "ESTABLISHED|INSTALLED" | sed 's/[0-9]* seconds ago//; s/ in [0-9]*s//g' > /tmp/sas.before
upd() { lab-exec gw1 vtysh -c "show bgp neighbors 169.254.20.2 json" | grep -o '"bgpTimerUpEstablishedEpoch":[0-9]*'; }
upd > /tmp/bgp.before
echo "--- second apply"
apply gw1 /share/site1; echo "rc=$?"
mark noop
echo "--- mtu change"
apply gw1 /share/site2; echo "rc=$?"
mark mtu
ip -n gw1 link show vti3 | head -1
lab-exec gw1 swanctl --list-sas 2>/dev/null | grep -E "ESTABLISHED|INSTALLED" | sed 's/[0-9]* seconds ago//; s/ in [0-9]*s//g' > /tmp/sas.after
if cmp -s /tmp/sas.before /tmp/sas.after; then echo "SAs unchanged"; else echo "SAs changed:"; cat /tmp/sas.before /tmp/sas.after; fi
upd > /tmp/bgp.after
if cmp -s /tmp/bgp.before /tmp/bgp.after && bgp_established gw1 169.254.20.2; then echo "BGP session kept"; else echo "BGP session changed"; cat /tmp/bgp.before /tmp/bgp.after; fi
echo "--- lock held"
lab-exec gw1 sh -c 'exec flock /lab/gw1/run/vtic.lock sleep 5' & sleep 1
apply gw1 /share/site1 2>&1 | tail -2
wait
mark done
echo "=== diag"
lab-exec gw1 swanctl --list-sas 2>/dev/null | head -8
grep -v plugin /lab/gw1/run/charon.log | tail -8
