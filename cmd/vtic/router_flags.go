package main

import (
	"flag"
	"strings"

	"github.com/vtic/vtic/apply"
	"github.com/vtic/vtic/internal/health"
)

// routerFlags are the flags of commands that run on a router and talk to
// its daemons: where its files are and how to reach charon and FRR.
type routerFlags struct {
	host, root, vici, restart, start, frrReload, vtysh, daemons, ipt, iptRestore *string
}

func addRouterFlags(fs *flag.FlagSet) *routerFlags {
	return &routerFlags{
		host:       fs.String("host", "", "the router's name in the site (required)"),
		root:       fs.String("root", "/", "directory the router's files are installed under"),
		vici:       fs.String("vici", "unix:///var/run/charon.vici", "charon's VICI socket"),
		restart:    fs.String("charon-restart", "systemctl restart strongswan", "shell command that restarts charon"),
		start:      fs.String("charon-start", "auto", "how to start a charon that is not running: auto, none or a shell command"),
		frrReload:  fs.String("frr-reload", "/usr/lib/frr/frr-reload.py", "frr-reload.py command, with any leading arguments such as -N NAME"),
		vtysh:      fs.String("vtysh", "vtysh", "vtysh command, with any leading arguments such as -N NAME"),
		daemons:    fs.String("frr-daemons", strings.Join(apply.DefaultFRRDaemons, ","), "FRR daemons to reload when their files change"),
		ipt:        fs.String("iptables", "iptables", "iptables command"),
		iptRestore: fs.String("iptables-restore", "iptables-restore", "iptables-restore command"),
	}
}

func (f *routerFlags) config() apply.Config {
	return apply.Config{
		Root:            *f.root,
		VICI:            *f.vici,
		CharonRestart:   *f.restart,
		CharonStart:     *f.start,
		FRRReload:       strings.Fields(*f.frrReload),
		Vtysh:           strings.Fields(*f.vtysh),
		Iptables:        strings.Fields(*f.ipt),
		IptablesRestore: strings.Fields(*f.iptRestore),
	}
}

// router is the router these flags describe, for health.
func (f *routerFlags) router() health.Router {
	return health.Router{Host: *f.host, Config: f.config(), FRRDaemons: splitComma(*f.daemons)}
}
