// Package netdev converges the Linux network devices of one router to the
// state vtic wants: VTI devices (one per IPsec tunnel), their inside
// addresses, the per-device sysctls a route-based VPN needs, and the /32
// routes that pin each peer's outer address to the underlay gateway.
//
// The work is split so that every decision can be tested without a kernel:
//
//   - [Kernel] is a small interface over netlink and /proc/sys. [Netlink] is
//     the real implementation (Linux only, optionally bound to a network
//     namespace); [Fake] is an in-memory model that enforces the same rules
//     and records every write as a line of text.
//   - [Read] observes the current [State]; [Plan] is a pure function from
//     (State, [Desired]) to the minimal list of [Op]s; [Apply] runs them.
//     [Converge] is the three in a row. Running it twice with nothing changed
//     yields no operations the second time.
//   - [Capture] records what a convergence is about to touch and [Restore]
//     converges back to it, so a failed apply can be rolled back.
//
// vtic only ever touches devices it created (Desired.Owned, from its state
// file) or devices it is asked to create. A device of another kind, or a VTI
// with other parameters, that already carries a wanted name is reported as
// a clash before anything is written. See [Plan] for the exact rules.
//
// Only IPv4 is handled: the devices are "vti" (never "vti6"), and only IPv4
// addresses and main-table IPv4 routes are observed and managed.
package netdev
