// Package testdaemon starts real strongSwan and FRR daemons, and network
// namespaces for iptables, for tests on a machine without a lab VM. Each
// daemon runs in its own network and mount namespaces (with a private /run)
// so nothing touches the host's state, and dies with the test.
//
// StartCharon is the one way vtic's tests start charon: apply's tests talk
// to it over VICI and restart it, and internal/testkit/realcheck loads
// generated swanctl files into it. A missing program or a non-root user
// skips the test, unless CI=true, which makes it fail (internal/testkit/require).
package testdaemon
