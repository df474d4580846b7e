package frrreload

import (
	"strings"
)

// globalPrefixes start the one-line top-level commands that belong to the
// router as a whole rather than to what vtic configures.
var globalPrefixes = []string{
	"hostname ", "domainname ", "log ", "service ", "password ", "enable password ",
	"banner ", "debug ", "agentx",
}

// KeepGlobals returns config preceded by the global lines of running that
// config lacks, so that frr-reload.py, which treats its input as the
// daemon's whole configuration, leaves them alone.
func KeepGlobals(running, config []byte) []byte {
	have := map[string]bool{}
	for _, l := range strings.Split(string(config), "\n") {
		have[strings.TrimRight(l, " \r")] = true
	}
	var b strings.Builder
	for _, l := range strings.Split(string(running), "\n") {
		l = strings.TrimRight(l, " \r")
		if have[l] || !isGlobal(l) {
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

func isGlobal(line string) bool {
	for _, p := range globalPrefixes {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}
