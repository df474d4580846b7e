// Package labtest proves `vtic apply` in the lab (package internal/e2e/lab): real
// routers, each a network namespace of a Debian kernel under qemu with its
// own charon and FRR, converged by vtic apply alone.
//
// TestLabApply boots the VM once and runs testdata/apply.sh, which builds
// three routers, gw1, gw2 and gw3, with one outside address each on an
// "inet" namespace (their gateway and default route) and a dummy LAN
// device holding the prefix each announces. The routers are stock Debian
// installs (`lab-router add --stock` with the files lab.WriteStockShare
// takes from the installed packages: FRR's daemons file with bgpd=no,
// integrated configuration), and their services start before the first
// apply as boot starts them (lab-boot: FRR by frrinit.sh, charon as
// charon-systemd followed by swanctl --load-all). Nothing is prepared for
// vtic. The script then runs plain `vtic apply --host NAME /share/SITE` in
// each router (through lab-exec) in phases, and after each leaves evidence
// in the share for the Go test to judge: swanctl --list-sas and
// --list-conns, ip -d -j link, ip -j addr, ip -j route, iptables-save,
// vtysh's BGP neighbors and running configuration, pings, the sha256 and
// modification time of every file in the directories vtic installs to,
// the state file, and apply's own output and exit status.
//
// The phases and what the test asserts of each:
//
//   - initial: testdata/site-v1, a triangle of tunnels (gw1-gw2, gw1-gw3,
//     gw2-gw3), applied to each router in turn, each tunnel's responder
//     before its initiator. Each first apply enables bgpd and restarts FRR
//     through its init and restarts charon for vtic's settings. On both ends of every
//     tunnel: an ESTABLISHED IKE SA with an INSTALLED CHILD SA, the
//     connection loaded, the VTI with the site's ikey/okey (the mark),
//     endpoints, MTU and inside address and up, a ping across the inside
//     addresses, the BGP session Established and the far router's prefix
//     in the kernel table through the VTI, proto bgp; and a ping from each
//     LAN address to the next router's, through the tunnel BGP chose.
//   - change: testdata/site-v2 lowers gw1-gw2's MTU, disables gw1-gw3 and
//     removes gw2-gw3. gw1-gw2 runs with the new MTU on both ends and keeps
//     its SAs (same unique ids and SPIs) and BGP session; gw1-gw3's devices
//     are down with their addresses, its connection unloaded and its SAs
//     gone, its BGP neighbor shut down and its prefixes withdrawn; gw2-gw3's
//     devices, vti.init files, connection, SAs, BGP neighbors and gw2's
//     route to gw3's outside address are gone.
//   - noop: site-v2 again prints exactly "NAME: no changes." and changes
//     nothing: links, addresses, routes, iptables, running FRR
//     configuration, files with their modification times and the state
//     file are byte for byte as before, no SA was replaced and no BGP
//     session reset.
//   - fail: testdata/site-bad lowers gw1-gw2's MTU again and gives gw1 a
//     gateway on none of its networks, which vtic validate cannot know
//     and the kernel refuses. apply exits 1 naming the devices step, after
//     having changed vti12's MTU; gw1's files, state file, devices, routes,
//     firewall and FRR configuration are as before, its SAs and session are
//     the same, and traffic flows.
//   - crash: site-v1 (back over site-v2) applied to every router with
//     VTIC_APPLY_CRASH_AFTER=devices, then to gw2 with =frr: each exits 137,
//     every file vtic installs is wholly its site-v2 or its site-v1 version
//     (its sha256 is one of the two, built on the host by the same vtic),
//     and the state file records the unfinished apply.
//   - converge: plain applies then note the unfinished apply, install
//     site-v1's files, and the routers pass the initial phase's checks again.
//
// No charon refuses a connection that vtic validate accepts, as far as the
// lab's charon shows (ESP proposals without integrity, odd identities,
// huge lifetimes and replay windows all load), so the failing step is the
// kernel's.
//
// Run it as root (go test needs qemu, a kernel and busybox; see internal/e2e/lab):
//
//	go test ./internal/e2e/labtest/ -run TestLabApply -v -timeout 60m
//
// It skips when the lab is unavailable (fails with CI=true) and with -short.
// VTIC_LAB_SHARE=DIR keeps the share, and so the evidence and the daemons'
// logs in DIR/out; VTIC_LAB_REJUDGE=1 with it judges that evidence again
// without booting.
package labtest
