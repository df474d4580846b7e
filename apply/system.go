package apply

import (
	"github.com/vtic/vtic/apply/birdc"
	"github.com/vtic/vtic/apply/charon"
	"github.com/vtic/vtic/apply/firewall"
	"github.com/vtic/vtic/apply/frrreload"
	"github.com/vtic/vtic/apply/pluto"
)

// Config says how to reach the daemons of the router apply runs on.
type Config struct {
	Root string
	// VICI is charon's VICI socket ("unix:///var/run/charon.vici").
	VICI string
	// CharonRestart is the shell command that restarts charon.
	CharonRestart string
	// CharonStart says how to start a charon that is not running: "auto"
	// (or "") the way this router runs it, "none" never, or a shell
	// command (see charon.StartAuto).
	CharonStart string
	// FRRReload and Vtysh are the frr-reload.py and vtysh commands, with
	// any leading arguments (such as "-N NAME").
	FRRReload, Vtysh []string
	// FRRRestart restarts FRR through its init; nil means
	// frrreload.DefaultRestart (systemctl restart frr under systemd, else
	// /usr/lib/frr/frrinit.sh restart).
	FRRRestart []string
	// Iptables and IptablesRestore are the iptables commands.
	Iptables, IptablesRestore []string
	// Ipsec is libreswan's ipsec command, with any leading arguments;
	// nil means "ipsec". Used on routers that run libreswan.
	Ipsec []string
	// Bird and Birdc are BIRD's commands; nil means "bird" and "birdc".
	// Used on routers that run BIRD.
	Bird, Birdc []string
}

// NewSystem returns the live router: netlink in the caller's network
// namespace and the real daemons. Close releases it.
func NewSystem(c Config) (sys System, closeFn func(), err error) {
	k, closeFn, err := newKernel()
	if err != nil {
		return System{}, nil, err
	}
	return System{
		Root:     c.Root,
		Kernel:   k,
		Charon:   &charon.VICI{Socket: c.VICI, RestartCommand: c.CharonRestart, StartCommand: charonStart(c.CharonStart)},
		FRR:      &frrreload.Script{Command: c.FRRReload, Vtysh: c.Vtysh, RestartCommand: c.FRRRestart},
		Firewall: &firewall.IPTables{Iptables: c.Iptables, IptablesRestore: c.IptablesRestore},
		Pluto:    &pluto.Command{Ipsec: c.Ipsec},
		Bird:     &birdc.Command{Bird: c.Bird, Birdc: c.Birdc},
	}, closeFn, nil
}

func charonStart(s string) string {
	if s == "auto" {
		return charon.StartAuto
	}
	return s
}
