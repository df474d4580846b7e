package lang

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// maxIfName is IFNAMSIZ-1: Linux interface names are at most 15 bytes.
const maxIfName = 15

func validIfName(s string) bool {
	// A leading '-' would make the name an option to ip(8) in the shell
	// tooling that reads vti.init.
	// "all" and "default" name the sysctl directories that apply to every
	// interface (net.ipv4.conf.all), so a device cannot use them.
	if s == "" || len(s) > maxIfName || s == "." || s == ".." || s[0] == '-' || s == "all" || s == "default" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func checkEndInterface(t *Tunnel, ep endpoint) hcl.Diagnostics {
	e := ep.end
	if ep.peer != nil {
		if e.Interface.Set {
			return hcl.Diagnostics{errorAt(e.Interface.Range, "Interface on a peer end",
				"%q is a peer, which vtic does not manage; only a router end has an interface. Remove this argument.", e.Name)}
		}
		return nil
	}
	if !e.Interface.Set {
		return hcl.Diagnostics{errorAt(e.DeclRange, "Missing interface",
			"The end %q of the tunnel %q is a router, so it needs interface = \"vtiN\", the VTI device to create.", e.Name, t.Name)}
	}
	if !validIfName(e.Interface.Value) {
		return hcl.Diagnostics{errorAt(e.Interface.Range, "Invalid interface name",
			"%q cannot be a Linux interface name: use 1 to %d bytes of letters, digits, '-', '_' or '.', not starting with '-'.", e.Interface.Value, maxIfName)}
	}
	return nil
}

// DerivedMark computes the mark the shell appliance used for a vtiN
// interface: N*10 written in base 8 and read back as decimal, so vti1 → 12,
// vti2 → 24, vti10 → 144. Routers migrated from it keep their XFRM marks.
func DerivedMark(iface string) (uint32, bool) {
	digits, ok := strings.CutPrefix(iface, "vti")
	if !ok || digits == "" || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 32)
	if err != nil || n == 0 {
		return 0, false
	}
	m, err := strconv.ParseUint(strconv.FormatUint(n*10, 8), 10, 32)
	if err != nil {
		return 0, false
	}
	return uint32(m), true
}
