// Package realcheck feeds files vtic generates to the real programs that
// will read them on a router, for use in other packages' tests:
//
//   - Swanctl / SwanctlLoad: swanctl --load-all into a private charon.
//   - Vtysh: vtysh -C -f, FRR's whole-file syntax check.
//   - IptablesRestore / IptablesApply: iptables-restore in a throwaway
//     network namespace.
//   - ShellSource: /bin/sh sourcing a file in an empty environment.
//
// Every checker takes a testing.TB and fails the test with the program's own
// output. A missing tool or a non-root user skips the test, unless CI=true,
// which makes it fail (internal/testkit/require). vtysh -C and /bin/sh need
// no root and only check for the tool.
//
// Nothing touches the host's state. charon is started by
// internal/testkit/testdaemon.StartCharon: under unshare(1) in new network
// and mount namespaces (private propagation, fresh tmpfs on /run for its pid
// file), with its own strongswan.conf via STRONGSWAN_CONF, its VICI socket
// in a private temp dir, install_routes = no and the bypass-lan, stroke,
// resolve and updown plugins off. iptables runs under unshare --net.
// The namespaces die with their process, so there are no names to clash and
// nothing to delete; calls are safe in parallel. Measured on the 2-core
// build machine: about 50 ms per Swanctl call including daemon start and
// stop, 4 concurrent calls in about 110 ms, 10-50 ms per iptables check,
// about 50 ms per vtysh -C run, a few ms per ShellSource.
//
// # What the programs accept (strongSwan 5.9.8, FRR 8.4, iptables 1.8.9)
//
// swanctl --load-all:
//   - charon rejects a whole connection over an unknown key anywhere in it:
//     stderr "loading connection 'x' failed: unknown option: mark_inn, config
//     discarded", exit status 22 (EINVAL). Bad values of keys it parses
//     (start_action, proposals, mark_in) give "invalid value for: KEY" and 22.
//     Other connections in the same file still load.
//   - A syntax error (a missing brace) prints "syntax error, ..." and
//     "invalid config file" on stderr but exits 0, after unloading every
//     connection charon held. Hence the rule that any stderr line beyond
//     plugin-load and missing-credential-directory noise is a failure.
//   - A value runs to the end of its line: `secrets { ike-x { id-1 = 1.2.3.4
//     secret = 0x61 } }` on one line makes id-1 swallow the rest and gives
//     "missing secret in 'ike-x', ignored" with exit status 0. vtic must
//     write one key per line.
//   - "ignoring unsupported secret 'psk-x'" (exit 0) for a secret section
//     whose name does not start with a known type; any name starting with
//     "ike" is an IKE secret, so "ikex" loads.
//   - Silently ignored: unknown top-level sections, unknown keys inside a
//     secret section, and duplicate sections (they merge, later keys win).
//   - Not validated at load: version = 7, local_ts = 0.0.0.0/33, remote_addrs
//     = 1.2.3.4.5 (taken as a DNS name), secret = 0xzz all load.
//   - SWANCTL_DIR overrides /etc/swanctl, so credentials are read from the
//     checked directory's copy only.
//
// vtysh -C -f FILE: the exit status is the CMD_* code of FRR's
// lib/command.h for the last bad line (2 unknown command, 3 ambiguous, 4
// incomplete, 11 unreadable file); every bad line is printed as
// "line N: % Unknown command[..]: ...". It needs no root and no daemons; a
// missing or unreadable /etc/frr/vtysh.conf only prints a warning. It
// checks grammar only: abbreviations ("ro bgp 65001") pass, and "neighbor
// 10.0.0.300 remote-as 65002" passes because a neighbor may be an interface
// or peer-group name; "network 10.1.0.0/33" and AS 4294967296 fail.
//
// iptables-restore: Debian 12's iptables-restore is the nf_tables backend,
// whose --test does not notice a jump to, or an append on, a chain that does
// not exist (the legacy backend's --test does catch the jump). So
// IptablesRestore also restores the file for real in its empty namespace.
// Exit status 1 for "COMMIT expected at line N" and "line N failed: No
// chain/target/match by that name"; 2 for parameter errors (unknown option
// or match, bad address, bad table name, "Chain 'X' does not exist").
//
// /bin/sh (dash): an unquoted value with a space (VAR=a b) runs "b",
// prints "b: not found" on stderr and carries on, which is why ShellSource
// fails on any stderr output; an unterminated quote aborts the shell with
// status 2. With an empty environment dash still sets a default PATH.
package realcheck
