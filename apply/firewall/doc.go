// Package firewall converges vtic's iptables chains (targets/iptables) and
// the jumps into them, and never touches another rule.
//
// Every write is one iptables-restore --noflush run, which commits each
// table atomically: the rules file itself (declaring a chain empties it, so
// its rules are replaced whole), then the jumps from the built-in chains,
// inserted first in their chain and kept to exactly one each. Before
// writing, Plan compares what the kernel holds (iptables -S) with the file,
// so an apply with nothing changed writes nothing, while one after a reboot,
// which empties the kernel's tables, restores everything.
//
// iptables -S prints a rule's basic matches in its own order (-s, -d, -i,
// -o, -p) whatever order they were given in; Normalize puts a rule into
// that form so the two can be compared.
//
// Undo returns vtic's chains and jumps to a State read before a change.
package firewall
