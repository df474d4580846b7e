package frrreload

import (
	"fmt"
	"strings"

	"github.com/vtic/vtic/targets/frr"
)

// Paths of FRR's own files that apply reads, relative to the root. They
// are FRR's, not rendered by vtic: apply reads vtysh.conf and edits one
// key of the daemons file.
const (
	VtyshConfPath = "etc/frr/vtysh.conf"
	DaemonsPath   = "etc/frr/daemons"
)

// DetectMode returns how the router's FRR reads its configuration, and
// why, from what its files say: vtysh (the content of VtyshConfPath, nil
// when there is none) and whether frr.IntegratedPath exists.
//
// vtysh.conf's last "service integrated-vtysh-config" or "no service
// integrated-vtysh-config" line decides, as it decides where vtysh's
// `write memory` writes. Without either line vtysh writes frr.conf if it
// exists and the per-daemon files if not, and FRR's daemons skip their own
// files whenever frr.conf exists (its init then loads frr.conf with `vtysh
// -b`), so the file's existence decides.
func DetectMode(vtysh []byte, integratedExists bool) (frr.Mode, string) {
	said := ""
	for _, l := range strings.Split(string(vtysh), "\n") {
		switch l = strings.Join(strings.Fields(l), " "); l {
		case "service integrated-vtysh-config", "no service integrated-vtysh-config":
			said = l
		}
	}
	switch {
	case said == "service integrated-vtysh-config":
		return frr.Integrated, fmt.Sprintf("%s says %s", VtyshConfPath, said)
	case said != "":
		return frr.PerDaemon, fmt.Sprintf("%s says %s", VtyshConfPath, said)
	case integratedExists:
		return frr.Integrated, fmt.Sprintf("%s does not choose, and %s exists", VtyshConfPath, frr.IntegratedPath)
	default:
		return frr.PerDaemon, fmt.Sprintf("%s does not choose, and there is no %s", VtyshConfPath, frr.IntegratedPath)
	}
}
