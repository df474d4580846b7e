// Package apply converges one router to its plan and rendered files:
// `vtic apply`.
//
// Apply takes an Input (a router's compiled plan and the files rendered
// from it, compiled from a site or read from a `vtic build` output and
// checked against its manifest) and a System (the
// root its files go under, the kernel and the daemons), plans every change
// by reading the router, and then runs the plan in steps (see Steps):
//
//   - files are installed atomically (package install) and those vtic
//     installed before that the site no longer declares are removed;
//   - VTIs, addresses, sysctls and the /32 peer routes converge through
//     package netdev, from the plan's tunnels and routes;
//   - vtic's iptables chains and the jumps into them converge through
//     package firewall;
//   - charon is started if it is not running (the way the router runs it,
//     see charon.StartAuto; when it cannot be, apply fails while planning)
//     or restarted when its settings snippet changed (plugins are
//     loaded at start), then only the secrets and connections whose VICI
//     message (built from the plan by the swanctl target) changed are
//     loaded, and those no longer declared (removed or
//     disabled tunnels) unloaded, through package charon;
//   - FRR gets the form of configuration it reads, found from vtysh.conf
//     (frrreload.DetectMode): the integrated frr.conf, which vtic then
//     owns, or bgpd.conf and staticd.conf (frr.Mode.Paths); the daemons
//     the configuration needs are enabled in FRR's daemons file, FRR is
//     restarted through its init when one of them does not run, and what
//     changed is reloaded with frr-reload.py, which only sends the
//     difference, through package frrreload. FRR checks every new
//     configuration (vtysh -C, frr-reload.py --test) while planning, so
//     one it rejects changes nothing;
//   - the state file (StatePath, 0600) records what was installed, created
//     and loaded, with hashes, so the next apply knows what it owns and
//     what changed.
//
// An apply with nothing to change writes nothing at all: no file, no
// netlink message, no daemon command, not even the state file.
//
// If a step fails, everything is put back: the files from the copies kept
// in memory, then the other steps undone in reverse order (netdev.Restore
// to a snapshot, the firewall chains as read before, charon's connections
// and secrets of the plan installed before, FRR restarted with its earlier
// daemons file and its running configuration as read before),
// and the error names the step. Before the first change, the state file
// records the union of what is owned before and after (State.Pending), so
// even a crash cannot make vtic forget a file or device it created; the
// next apply converges from wherever the crash left the router.
//
// The plan is installed with the files (targets/plan), so that status,
// check and the next apply's rollback read it rather than rendered text,
// and so that FromInstalled can converge the router to it again without
// the site: at boot (`vtic apply --installed`) and in `vtic check
// --repair`.
//
// One apply runs at a time (LockPath, flock). Options.CrashAfter stops an
// apply right after a step, for crash-safety tests.
package apply
