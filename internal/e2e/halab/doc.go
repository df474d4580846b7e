//go:build wip

// Package halab proves vtic's fast failover in the lab of internal/e2e/lab
// (a Debian kernel under qemu, routers as network namespaces), in one boot.
//
// # bfd
//
// A stock router, branch (lab-router add --stock: its packages' files,
// FRR with bgpd=no, services started by lab-boot as its boot would), gets
// testdata/site by plain `vtic apply --host branch SITE`: two tunnels with
// bfd = true to a stand-in peer that, as a cloud VPN gateway does, ends
// them on two outside addresses. The peer is configured by hand from
// testdata/peer (charon, two VTIs, FRR with bgpd and bfdd). The test
// proves that apply enabled bfdd in FRR's daemons file and FRR runs it,
// that `vtic status` shows both BGP sessions Established with BFD Up, and
// then measures a failover: a ping every 50 ms from branch's LAN address
// to the peer's while the ESP of the tunnel carrying it is dropped on
// branch, both ways, with iptables. The longest silence between two
// replies is the failover time; it must be at most 3 s
// (docs/performance.md records the measurement). Afterwards the route
// goes through the other tunnel and `vtic status` shows the dead tunnel's
// BFD session down.
//
// # pair
//
// Stock routers gwa and gwb get testdata/pair by plain vtic apply: a pair
// whose LAN gateway address 10.5.0.1 keepalived holds by VRRP, each
// member with a BFD-watched tunnel to the stock router far. A host on the
// LAN (a bridge) uses 10.5.0.1 as its gateway. The test proves that apply
// started keepalived on both, that gwa (the primary) holds the address
// while far's sessions to both are up, and measures a failover: the host
// pings far's LAN every 50 ms while every process in gwa's namespace is
// killed with SIGKILL and the namespace deleted with all its links. The
// longest silence must be at most 10 s; afterwards gwb holds the address.
//
// Both scenarios' routers boot and are applied at once; the measurements
// run one after the other. The script, testdata/halab.sh, judges nothing.
//
// Run it as root:
//
//	go test -count=1 -p 1 -run TestHALab -v -timeout 40m ./internal/e2e/halab/
//
// It skips when the lab is unavailable (fails with CI=true) and with
// -short. VTIC_LAB_SHARE=DIR keeps the share and its evidence (DIR/out).
package halab
