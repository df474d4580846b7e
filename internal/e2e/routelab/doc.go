// Package routelab proves routing per tunnel on routers as Debian installs
// them (internal/e2e/lab, one boot for every scenario).
//
// gw1 and br are stock routers that vtic manages (lab-router add --stock,
// services started by lab-boot as at boot, then plain `vtic apply --host
// NAME SITE` with testdata/site). aws stands in for an AWS VPN: a stock
// router configured by hand in testdata/routelab.sh, as AWS's side is not
// vtic's, with two outside addresses, an IKEv1 tunnel from each to gw1 and
// a BGP session over each, announcing its LAN 172.31.1.0/24. The site
// makes gw1's first AWS tunnel primary and the second backup, with accept
// lists and max_prefixes; gw1-br carries no BGP (br has no asn), and
// routes = [...] on both ends steer each LAN through it. The stand-in's
// FRR is restarted after the applies and its file loaded if its bgpd came
// up empty, as it did under load from lab-boot (out/standin keeps what it
// ran before).
//
// The scenarios:
//
//   - steady: with both sessions Established and both offering the
//     stand-in's LAN, gw1 routes it through the primary (vti1), and pings
//     from gw1's LAN leave through vti1 while vti2 sends nothing; the
//     stand-in routes gw1's LAN back through its first tunnel too (the
//     backup's announcements carry a longer AS path).
//   - static: pings between gw1's and br's LANs both ways, over the routes
//     staticd installed into vti3 and vti1 (proto static), no BGP session
//     on that tunnel.
//   - failover: the primary dies (its outside address dropped on the way,
//     its CHILD SA terminated on the stand-in with swanctl --terminate
//     --child); gw1 then routes the LAN through vti2, and the same pings
//     leave through vti2 while vti1 sends nothing.
//
// Run it as root:
//
//	go test -count=1 -p 1 -run TestRouteLab -v -timeout 40m ./internal/e2e/routelab/
//
// It skips when the lab is unavailable (fails with CI=true) and with
// -short. VTIC_LAB_SHARE=DIR keeps the share, with the evidence and the
// daemons' logs in DIR/out.
package routelab
