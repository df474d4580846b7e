// Package frrreload makes a new FRR daemon configuration take effect
// without restarting the daemon, so BGP sessions whose configuration did
// not change stay up.
//
// Script runs FRR's own frr-reload.py (Debian package frr-pythontools, at
// /usr/lib/frr/frr-reload.py) with --daemon, which diffs the file against
// the daemon's running configuration and sends only the difference through
// vtysh. FRR 8.4's script treats the file as the daemon's whole
// configuration: global lines missing from it, such as "hostname" or "log
// syslog", would be removed. vtic's files carry none, so Reload first adds
// those the daemon is running with (see KeepGlobals).
//
// Fake is an in-memory FRR for tests that records every reload.
package frrreload
