package frrreload

import (
	"slices"
	"strings"
)

// globalPrefixes start the one-line top-level commands that belong to the
// router as a whole rather than to what vtic configures.
var globalPrefixes = []string{
	"hostname ", "domainname ", "log ", "service ", "password ", "enable password ",
	"banner ", "debug ", "agentx",
}

// globalLines are whole lines of the same kind. zebra shows the kernel's
// forwarding switches as configuration ("no ipv6 forwarding" on a machine
// that does not forward IPv6): a reload of a file without them would
// "delete" such a line by running "ipv6 forwarding", turning forwarding on.
var globalLines = []string{
	"ip forwarding", "no ip forwarding", "ipv6 forwarding", "no ipv6 forwarding",
}

// KeepGlobals returns config preceded by the global lines of running that
// config lacks, so that frr-reload.py, which treats its input as the
// daemon's (or FRR's) whole configuration, leaves them alone.
func KeepGlobals(running, config []byte) []byte {
	have := map[string]bool{}
	for _, l := range strings.Split(string(config), "\n") {
		have[strings.TrimRight(l, " \r")] = true
	}
	var b strings.Builder
	for _, l := range strings.Split(string(running), "\n") {
		l = strings.TrimRight(l, " \r")
		if have[l] || !IsGlobal(l) {
			continue
		}
		b.WriteString(l)
		b.WriteByte('\n')
		have[l] = true
	}
	if b.Len() == 0 {
		return config
	}
	b.WriteString("!\n")
	b.Write(config)
	return []byte(b.String())
}

// IsGlobal reports whether line (without its line ending) is a top-level
// command that belongs to the router as a whole, which KeepGlobals keeps.
func IsGlobal(line string) bool {
	if slices.Contains(globalLines, line) {
		return true
	}
	for _, p := range globalPrefixes {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}
