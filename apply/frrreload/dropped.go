package frrreload

import "strings"

// Dropped returns the configuration lines of old that new lacks: what
// replacing a configuration file that holds old (a frr.conf written by
// vtysh's `write memory`, say) with new drops. It leaves out comments,
// the lines that close a block, FRR's "frr version" and "frr defaults"
// lines, which FRR writes into every file, and the global lines
// KeepGlobals keeps running. Lines are compared without the blocks they
// are in, which is enough to tell a person what goes.
func Dropped(old, new []byte) []string {
	have := map[string]bool{}
	for _, l := range strings.Split(string(new), "\n") {
		have[strings.TrimSpace(l)] = true
	}
	var out []string
	for _, l := range strings.Split(string(old), "\n") {
		l = strings.TrimSpace(l)
		if have[l] || skipped(l) {
			continue
		}
		out = append(out, l)
		have[l] = true
	}
	return out
}

func skipped(l string) bool {
	switch {
	case l == "" || strings.HasPrefix(l, "!") || strings.HasPrefix(l, "#"):
		return true
	case l == "end" || l == "exit" || l == "exit-address-family" || l == "exit-vrf":
		return true
	case strings.HasPrefix(l, "frr version ") || strings.HasPrefix(l, "frr defaults "):
		return true
	}
	return IsGlobal(l)
}
