// Package frrreload drives FRR for apply: it reads FRR's mode and
// daemons file, restarts FRR through its own init, has FRR check a
// configuration, and makes a new configuration take effect without
// restarting the daemons, so BGP sessions whose configuration did not
// change stay up.
//
// DetectMode tells from vtysh.conf (and whether frr.conf exists) whether
// the router's FRR reads one integrated frr.conf or one file per daemon.
// DaemonEnabled and EnableDaemon read and edit the one key of FRR's
// daemons file that starts a daemon.
//
// Script runs FRR's own programs. Reload runs frr-reload.py (Debian
// package frr-pythontools, at /usr/lib/frr/frr-reload.py), with --daemon
// for one daemon's file or in integrated fashion for FRR's whole
// configuration; the script diffs the file against the running
// configuration and sends only the difference through vtysh. FRR 8.4's
// script treats the file as the whole configuration: global lines missing
// from it, such as "hostname", "log syslog" or zebra's "no ipv6
// forwarding", would be removed (the last by turning IPv6 forwarding on),
// so Reload first adds those FRR is running with (see KeepGlobals). Check
// runs vtysh -C, TestReload frr-reload.py --test; neither changes
// anything. Restart runs frr.service or frrinit.sh and waits until
// watchfrr has started every daemon and loaded its configuration.
//
// Fake is an in-memory FRR for tests that records every reload and
// restart.
package frrreload
