// Package mixlab proves that one site drives routers that run different
// daemons: a router that runs libreswan and BIRD (ls1) and one that runs
// strongSwan and FRR (ss1), joined by one VTI tunnel declared once. It
// boots the lab of internal/e2e/lab once for every scenario.
//
// # The scenarios, in one boot
//
//   - fresh: site-v1 applied to ss1, then ls1, each with plain `vtic apply
//     --host NAME SITE`. The IKE SA and the CHILD SA are up on both ends, a
//     ping crosses the VTI both ways, BIRD and FRR have their BGP session
//     established and each router routes the other's LAN through the VTI
//     (proto bird on ls1, proto bgp on ss1). The pre-shared key holds
//     quotes, a backslash and spaces, so the SA proves the secrets files'
//     quoting on both daemons.
//   - change: site-v2 changes the tunnel's dpd_delay and announces one more
//     LAN from each router. ls1's apply replaces and initiates the conn and
//     reconfigures BIRD; ss1's reloads the connection and FRR. The tunnel
//     carries traffic again and the new LANs are learnt.
//   - noop: site-v2 applied again to both: each apply reports no changes,
//     and no daemon was told anything: the same SAs (pluto's serial
//     numbers, charon's unique ids), BIRD's protocols unchanged since the
//     same moment, FRR's session never re-established.
//
// # Libreswan from its .deb, in the lab
//
// Debian's libreswan conflicts with strongSwan's packages, so the machine
// never installs it: `just setup` unpacks its .deb into .cache/libreswan
// (realcheck.LibreswanDir) and installs its shared libraries, which are
// ordinary packages (libldns3, libevent-pthreads-2.1-7, libunbound8,
// libnss3-tools for certutil…). The guest sees that directory through the
// host's root, the lower layer of its overlay, and copies its usr/ over
// /usr as dpkg would; the guest's root is a writable overlay, so nothing
// on the host changes. The router's ipsec.conf, ipsec.secrets and ipsec.d
// are the package's, in the router's config root, bound over /etc by
// testdata/mix-exec (lab-exec plus libreswan's and BIRD's paths and
// /var/lib/ipsec). pluto then starts the way libreswan's ipsec.service
// starts it, with nothing special:
//
//   - /run/pluto must exist (the package's tmpfiles.d makes it); the
//     router's /run is its own, so each router has its own control socket;
//   - `ipsec --checknss` creates the NSS database in /var/lib/ipsec/nss
//     (certutil, from libnss3-tools) when it is missing, as the service's
//     ExecStartPre does, so no separate `ipsec initnss` is needed; but it
//     does not create that directory, which the package ships: without
//     it, --checknss fails ("destination directory … is missing") and
//     pluto stops at start with SEC_ERROR_BAD_DATABASE;
//   - pluto runs with --nofork under setsid, logging to syslog (the
//     guest's busybox syslogd) as the stock ipsec.conf leaves it;
//   - `ipsec auto --replace` of a conn pluto does not hold, and `ipsec
//     auto --delete` of one, both exit 0, so apply needs no special case
//     for a conn pluto lost (a pluto restarted since the last apply);
//     every `ipsec auto` command exits non-zero when pluto does not run.
//
// These were measured with the same unpacked tree in a private mount and
// network namespace on the host (an overlay over /usr and /etc), before the
// lab ran them.
//
// BIRD is Debian's bird2, installed normally; it starts as bird.service
// runs it (prepare-environment, bird -p, bird -u bird -g bird) with the
// router's /etc/bird, which lab.StockEtc copies from the package's files.
// On a machine with systemd, `just setup` disables the bird.service that
// bird2's postinst starts: the tests only need its programs.
//
// Measured on 2026-12-07 with a second lab VM and several test runs
// sharing the machine's two cores (load average about 30): 11 m 18 s for
// the whole test, the guest script 632 s (routers booted at 198 s, fresh
// converged at 336 s, change at 477 s). An earlier run on the same machine
// at its busiest took 7.5 min to boot the routers alone; an idle machine is
// several times faster.
//
// Run it as root:
//
//	go test -count=1 -p 1 -run TestMixLab -v -timeout 40m ./internal/e2e/mixlab/
//
// It skips when the lab or libreswan's unpacked package is unavailable
// (fails with CI=true). VTIC_LAB_SHARE=DIR keeps the share, with the
// evidence and the daemons' logs in DIR/out.
package mixlab
