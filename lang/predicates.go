package lang

import (
	"net/netip"
	"path/filepath"
	"strings"
)

// The predicates behind the validation rules, exported so that code which
// writes site files (vtic import aws) holds its own input to the very same
// rules, and can report a problem where it is in that input instead of in
// the generated HCL. The rules in this package call these functions too, so
// each rule exists once. They return a bool, or the reason a value is
// refused; the diagnostics stay with each caller.

// MaxNameLen is the longest router, peer or tunnel name, in bytes.
const MaxNameLen = maxNameLen

// ValidName reports whether s can name a router, peer or tunnel: it becomes
// a file name and a swanctl section name, so it is 1 to MaxNameLen letters,
// digits, '-', '_' or '.', starting with a letter or digit, without "..".
func ValidName(s string) bool { return safeName(s) }

// NameKey is what names are compared by: two names with the same key clash.
// Case is ignored because names become file names, and a case-insensitive
// file system would merge "GW1" and "gw1".
func NameKey(s string) string { return strings.ToLower(s) }

// MaxInterfaceNameLen is the longest Linux interface name (IFNAMSIZ-1).
const MaxInterfaceNameLen = maxIfName

// ValidInterfaceName reports whether s can name the VTI device of a router
// end. Besides the kernel's limits it refuses "all" and "default", which name
// the sysctl directories for every interface, and a leading '-', which the
// shell tooling would read as an option.
func ValidInterfaceName(s string) bool { return validIfName(s) }

// ASNRange describes the AS numbers that can be configured, for messages.
const ASNRange = asnRange

// ReservedASN reports whether n is an AS number that must never be
// configured, and why.
func ReservedASN(n uint64) (why string, reserved bool) {
	why, reserved = reservedASN[n]
	return why, reserved
}

// ValidASN reports whether n fits in 32 bits and is not reserved.
func ValidASN(n uint64) bool {
	_, reserved := reservedASN[n]
	return n <= maxUint32 && !reserved
}

// MTURange is the MTU a tunnel may set: IPv6 needs at least 1280 bytes,
// a tunnel with IPv4 inside addresses only 576.
func MTURange(ipv4Inside bool) (lo, hi uint64) {
	if ipv4Inside {
		return 576, 9000
	}
	return 1280, 9000
}

// ValidMTU reports whether mtu is within MTURange.
func ValidMTU(mtu uint64, ipv4Inside bool) bool {
	lo, hi := MTURange(ipv4Inside)
	return mtu >= lo && mtu <= hi
}

// ValidInsidePrefixLen reports whether an inside address has a
// point-to-point prefix length: /30 or /31 for IPv4, /126 or /127 for IPv6.
func ValidInsidePrefixLen(p netip.Prefix) bool { return insideBitsOK(p) }

// UnusableInsideAddr returns "network" or "broadcast" when the address of p
// is that address of its /30 (IPv6: the network address of its /126), which
// a tunnel end cannot use, and "" otherwise.
func UnusableInsideAddr(p netip.Prefix) string {
	if p.Bits() != 30 && p.Bits() != 126 {
		return ""
	}
	switch {
	case p.Addr() == p.Masked().Addr():
		return "network"
	case p.Addr().Is4() && p.Addr() == lastAddr(p):
		return "broadcast"
	}
	return ""
}

// SameInsideNetwork reports whether two inside addresses pair up: the same
// prefix length and the same network.
func SameInsideNetwork(a, b netip.Prefix) bool {
	return a.Bits() == b.Bits() && a.Masked() == b.Masked()
}

// InAWSInsideRange reports whether a is where AWS puts tunnel inside
// addresses: 169.254.0.0/16 for IPv4. IPv6 addresses are not restricted.
func InAWSInsideRange(a netip.Addr) bool {
	return !a.Is4() || linkLocal4.Contains(a)
}

// AWSReservedInside returns the network AWS reserves that a lies in, if any.
func AWSReservedInside(a netip.Addr) (netip.Prefix, bool) {
	for _, r := range awsReserved {
		if r.Contains(a) {
			return r, true
		}
	}
	return netip.Prefix{}, false
}

// AWSInsideBits is the prefix length AWS gives every tunnel's inside
// network: /30 for IPv4, /126 for IPv6.
func AWSInsideBits(a netip.Addr) int {
	if a.Is4() {
		return 30
	}
	return 126
}

// Pre-shared key lengths: every IKE implementation copes with MinPSKLen
// bytes or more; AWS accepts at most MaxAWSPSKLen.
const (
	MinPSKLen    = 8
	MaxAWSPSKLen = 64
)

// PSKByteOK reports whether a pre-shared key may hold c: printable ASCII.
func PSKByteOK(c byte) bool { return c >= 0x20 && c <= 0x7e }

// AWSPSKByteOK reports whether an AWS pre-shared key may hold c: letters,
// digits, '.' and '_'.
func AWSPSKByteOK(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
}

// AWSPSKFirstByteOK reports whether an AWS pre-shared key may start with c:
// AWS refuses keys that start with 0.
func AWSPSKFirstByteOK(c byte) bool { return c != '0' }

// LocalSecretPath reports whether ref, a file() key path, is relative to
// the site directory and stays inside it (before symbolic links, which are
// checked when the key is read).
func LocalSecretPath(ref string) bool {
	return ref != "" && !filepath.IsAbs(ref) && filepath.IsLocal(ref)
}
