// Package keepalived renders keepalived's configuration for a router that
// is a member of a pair: one VRRP instance that holds the pair's LAN
// gateway address on the member with the higher priority (the primary),
// and a track script that lowers a member's priority below its partner's
// while `vtic check` finds one of its tunnels down. A router in no pair
// gets no file.
package keepalived

import (
	"fmt"
	"strings"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
)

// Path is keepalived's configuration file on Debian.
const Path = "etc/keepalived/keepalived.conf"

// VticPath is where the track script finds vtic on the router: where the
// README installs it and examples/systemd runs it from. keepalived's
// script security wants it, and every directory above it, writable by
// root alone.
const VticPath = "/usr/local/bin/vtic"

// Timers of the VRRP instance and the track script. With one advertisement
// a second, a backup takes over about 3.6 s after the primary's last one.
// The track script runs vtic check every 5 s; two failures in a row (a
// check that has not answered in 10 s counts as one) lower the priority by
// TrackWeight: the primary's then falls below the backup's, the backup's
// below a failed primary's.
const (
	AdvertInterval = 1
	TrackInterval  = 5
	TrackTimeout   = 10
	TrackFall      = 2
	TrackRise      = 2
	TrackWeight    = 60
)

// Renderer renders keepalived.conf.
type Renderer struct{}

var _ targets.Renderer = Renderer{}

func (Renderer) Name() string { return "keepalived" }

func (Renderer) Paths() []string { return []string{Path} }

// Render renders keepalived.conf for a member of a pair, 0644 as Debian's
// keepalived package would leave it.
func (Renderer) Render(h *compile.Host) ([]targets.File, error) {
	p := h.Pair
	if p == nil {
		return nil, nil
	}
	var b strings.Builder
	f := func(format string, args ...any) {
		fmt.Fprintf(&b, format, args...)
		b.WriteByte('\n')
	}
	role := "primary"
	if p.Backup {
		role = "backup"
	}
	f("# %s", targets.Header(h))
	f("# The %s of the pair %s (with %s): VRRP holds the LAN gateway address", role, p.Name, p.Partner)
	f("# %s on %s of whichever member has the higher priority.", p.Address, p.Interface)
	f("")
	f("global_defs {")
	f("\trouter_id %s", h.Name)
	f("\tenable_script_security")
	f("\tscript_user root")
	f("}")
	f("")
	f("# Exits 1 while a tunnel of this router is down.")
	f("vrrp_script vtic_check {")
	f("\tscript \"%s check --host %s\"", VticPath, h.Name)
	f("\tinterval %d", TrackInterval)
	f("\ttimeout %d", TrackTimeout)
	f("\tfall %d", TrackFall)
	f("\trise %d", TrackRise)
	f("\tweight -%d", TrackWeight)
	f("}")
	f("")
	f("vrrp_instance %s {", p.Name)
	f("\tstate BACKUP")
	f("\tinterface %s", p.Interface)
	f("\tvirtual_router_id %d", p.VRID)
	f("\tpriority %d", p.Priority)
	f("\tadvert_int %d", AdvertInterval)
	f("\tvirtual_ipaddress {")
	f("\t\t%s dev %s", p.Address, p.Interface)
	f("\t}")
	f("\ttrack_script {")
	f("\t\tvtic_check")
	f("\t}")
	f("}")
	return []targets.File{{Path: Path, Mode: 0o644, Data: []byte(b.String())}}, nil
}
