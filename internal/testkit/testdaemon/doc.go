// Package testdaemon starts real strongSwan and FRR daemons, and network
// namespaces for iptables, for tests on a machine without a lab VM. Each
// daemon runs in its own network and mount namespaces (with a private /run)
// so nothing touches the host's state, and dies with the test.
//
// Require implements the skip rule shared with internal/testkit/realcheck: a missing
// program or a non-root user skips the test, unless CI=true, which makes it
// fail.
package testdaemon
