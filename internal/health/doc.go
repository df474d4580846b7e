// Package health decides whether each tunnel of a router works, and what to
// do when it does not. It replaces the shell appliance's restart cron job,
// which killed anything named like swanctl and restarted tunnels that were
// idle but healthy.
//
// The decision is a pure function of an Observation (SA states from charon,
// the VTI device from netlink, the BGP neighbor from FRR), so it is tested
// without daemons; collectors and the repair executor live beside it. A
// tunnel that carries only BGP keepalives is healthy: traffic volume is
// reported, never judged.
//
// Router ties it together for vtic status and vtic check: Observe reads the
// installed tunnels and their live state and judges each (TunnelStatus);
// Repair runs one repair loop: repair what is down and due, observe until
// the repaired tunnels are healthy or the settle time is up, and keep each
// tunnel's Backoff in BackoffPath under the router's root. Reading the
// kernel needs Linux; elsewhere the package builds, and Observe fails.
package health
