// Package testdaemon starts real strongSwan and FRR daemons, and network
// namespaces for iptables, for tests on a machine without a lab VM. Each
// daemon runs in its own network and mount namespaces (with a private /run)
// so nothing touches the host's state, and dies with the test.
//
// StartCharon is the one way vtic's tests start charon: apply's tests talk
// to it over VICI and restart it, and internal/testkit/realcheck loads
// generated swanctl files into it.
//
// FRR starts two ways. StartFRR starts zebra, bgpd and staticd by hand.
// StartFRRInit starts FRR as a fresh Debian install runs it: FRR's init
// script (frrinit.sh, which frr.service runs) with the frr package's own
// /etc/frr, checked against the package's checksums (integrated mode,
// bgpd=no), or set up per daemon; its namespaces have their own PID
// namespace, so every daemon the init starts dies with the test.
//
// A missing program or a non-root user
// skips the test, unless CI=true, which makes it fail (internal/testkit/require).
package testdaemon
