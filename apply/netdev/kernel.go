package netdev

import (
	"net/netip"
	"strings"
)

// Kernel is the part of the kernel a converger needs. Write methods are
// idempotent where the kernel allows it: creating a VTI that already exists
// with the same parameters, deleting a device or a route that is already
// gone, succeed without doing anything.
//
// Errors name the object and wrap the underlying error (an errno from
// netlink, fs.ErrNotExist from /proc/sys, ErrClash).
type Kernel interface {
	// Links lists every device with its IPv4 addresses.
	Links() ([]Link, error)
	// Routes lists the main-table IPv4 unicast routes of metric 0, the
	// ones RouteReplace without a metric would replace.
	Routes() ([]Route, error)
	// Sysctl reads a key under /proc/sys, given as a path
	// ("net/ipv4/conf/vti1/rp_filter").
	Sysctl(key string) (string, error)

	// AddVTI creates v down, with its MTU if set. Addresses, sysctls and
	// the up flag are separate steps.
	AddVTI(v VTI) error
	// ModifyVTI changes the local, remote and key of an existing VTI in
	// place (see Plan for why the device is not recreated).
	ModifyVTI(v VTI) error
	// DeleteLink deletes a VTI. It refuses any other kind of device.
	DeleteLink(name string) error
	SetMTU(name string, mtu int) error
	SetUp(name string, up bool) error
	ReplaceAddr(name string, p netip.Prefix) error
	DelAddr(name string, p netip.Prefix) error
	ReplaceRoute(r Route) error
	// DelRoute deletes the route to r.Dst via r.Gateway.
	DelRoute(r Route) error
	SetSysctl(key, value string) error
}

// Link is an observed device.
type Link struct {
	Name string
	// Kind is the kernel's link kind: "vti", "vti6", "veth", "dummy"...;
	// "device" for physical devices and loopback.
	Kind string
	Up   bool // administratively up
	MTU  int
	// Local, Remote, IKey and OKey are set for VTIs only.
	Local, Remote netip.Addr
	IKey, OKey    uint32
	// Addrs are the device's IPv4 addresses.
	Addrs []netip.Prefix
}

// KindVTI is Link.Kind of an IPv4 VTI.
const KindVTI = "vti"

// matches reports whether l is a VTI with exactly the tunnel parameters of v.
func (l Link) matches(v VTI) bool {
	return l.Kind == KindVTI && l.Local == v.Local && l.Remote == v.Remote && l.IKey == v.Key && l.OKey == v.Key
}

// Sysctl keys are paths under /proc/sys. Device names may contain dots, so
// the dotted sysctl(8) form would be ambiguous.
const (
	SysctlForward = "net/ipv4/ip_forward"
	// SysctlDisablePolicy, per device: the VTI driver checks its decrypted
	// packets against the tunnel's marked policies itself, then restores
	// the packet's own mark and hands it to the stack as received on the
	// device. Any later inbound or forward policy check would see no mark
	// and so no matching policy; disable_policy=1 skips those checks on
	// the device, as strongSwan's route-based VPN guide advises.
	SysctlDisablePolicy = "disable_policy"
	// SysctlRPFilter, per device: strict reverse-path filtering (1) drops
	// traffic arriving on one tunnel whose source the routing table
	// reaches through another, which is normal with BGP over several
	// tunnels. The kernel applies max(conf/all, conf/<dev>), so 0 would
	// silently mean strict again whenever conf/all/rp_filter is 1; loose
	// (2) is effective whatever "all" says and still drops sources that
	// are not routable at all.
	SysctlRPFilter = "rp_filter"
)

// vtiSysctls are the per-device values every VTI gets.
var vtiSysctls = []struct{ leaf, value string }{
	{SysctlDisablePolicy, "1"},
	{SysctlRPFilter, "2"},
}

// DevSysctl is the key of a per-device IPv4 setting.
func DevSysctl(dev, leaf string) string {
	return "net/ipv4/conf/" + dev + "/" + leaf
}

// sysctlDev returns the device a per-device key belongs to, or "".
func sysctlDev(key string) string {
	rest, ok := strings.CutPrefix(key, "net/ipv4/conf/")
	if !ok {
		return ""
	}
	dev, _, ok := strings.Cut(rest, "/")
	if !ok || dev == "all" || dev == "default" {
		return ""
	}
	return dev
}

// sysctlName prints a key the way sysctl(8) does: slashes become dots and
// dots inside a component become slashes.
func sysctlName(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(p, ".", "/")
	}
	return strings.Join(parts, ".")
}
