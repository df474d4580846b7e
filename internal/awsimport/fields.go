package awsimport

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// field stores one labelled value into a tunnel. set returns a message when
// the value is malformed, and then leaves the tunnel untouched.
type field struct {
	name string // as the user reads it in messages and the source
	set  func(t *Tunnel, value string, line int) string
}

// tunnelField finds the field a label names inside a tunnel section. Some
// labels ("Lifetime", "Customer Gateway") mean different things depending
// on the subsection or address group they appear in; outside those they
// are ambiguous and ignored.
func tunnelField(label string, section int, group string) (field, bool) {
	phaseName, phase := "", (func(*Tunnel) *Phase)(nil)
	switch section {
	case 1:
		phaseName, phase = "IKE", func(t *Tunnel) *Phase { return &t.IKE }
	case 2:
		phaseName, phase = "IPSec", func(t *Tunnel) *Phase { return &t.ESP }
	}
	inPhase := func(name string, f func(name string, get func(*Tunnel) *Phase) field) (field, bool) {
		if phase == nil {
			return field{}, false
		}
		return f(phaseName+" "+name, phase), true
	}

	switch label {
	case "authentication method":
		return textField("Authentication Method", func(t *Tunnel) *Text { return &t.AuthMethod }), true
	case "pre-shared key":
		return field{name: "Pre-Shared Key", set: setPSK}, true
	case "authentication algorithm":
		return inPhase("Authentication Algorithm", func(n string, p func(*Tunnel) *Phase) field {
			return textField(n, func(t *Tunnel) *Text { return &p(t).Auth })
		})
	case "encryption algorithm":
		return inPhase("Encryption Algorithm", func(n string, p func(*Tunnel) *Phase) field {
			return textField(n, func(t *Tunnel) *Text { return &p(t).Encryption })
		})
	case "lifetime":
		return inPhase("Lifetime", func(n string, p func(*Tunnel) *Phase) field {
			return numberField(n, "seconds", 1, 1<<31, func(t *Tunnel) *Number { return &p(t).Lifetime })
		})
	case "mode":
		return inPhase("Mode", func(n string, p func(*Tunnel) *Phase) field {
			return textField(n, func(t *Tunnel) *Text { return &p(t).Mode })
		})
	case "phase 1 negotiation mode":
		return textField("Phase 1 Negotiation Mode", func(t *Tunnel) *Text { return &t.IKE.Mode }), true
	case "perfect forward secrecy":
		return inPhase("Perfect Forward Secrecy", func(n string, p func(*Tunnel) *Phase) field {
			return dhGroupField(n, func(t *Tunnel) *Number { return &p(t).DHGroup })
		})
	case "dpd interval":
		return numberField("DPD Interval", "seconds", 1, 86400, func(t *Tunnel) *Number { return &t.DPDInterval }), true
	case "dpd retries":
		return numberField("DPD Retries", "", 1, 1000, func(t *Tunnel) *Number { return &t.DPDRetries }), true
	case "tcp mss adjustment":
		return numberField("TCP MSS Adjustment", "bytes", 1, 65535, func(t *Tunnel) *Number { return &t.TCPMSS }), true
	case "tunnel interface mtu":
		return numberField("Tunnel interface MTU", "bytes", 68, 65535, func(t *Tunnel) *Number { return &t.MTU }), true
	case "customer gateway":
		switch group {
		case "outside":
			// Kept even when it is not an address: AWS redacts it in
			// shared samples, and vtic needs it only as a cross-check.
			return field{name: "Customer Gateway outside address", set: func(t *Tunnel, v string, line int) string {
				if v == "" {
					return "Customer Gateway outside address is empty"
				}
				a, err := netip.ParseAddr(v)
				if err != nil {
					a = netip.Addr{}
				}
				t.CGWOutside = Addr{Value: a, Raw: v, Line: line}
				return ""
			}}, true
		case "inside":
			return prefixField("Customer Gateway inside address", func(t *Tunnel) *Prefix { return &t.CGWInside }), true
		}
	case "virtual private gateway":
		switch group {
		case "outside":
			return addrField("Virtual Private Gateway outside address", func(t *Tunnel) *Addr { return &t.VGWOutside }), true
		case "inside":
			return prefixField("Virtual Private Gateway inside address", func(t *Tunnel) *Prefix { return &t.VGWInside }), true
		}
	case "customer gateway asn":
		return asnField("Customer Gateway ASN", func(t *Tunnel) *Number { return &bgpOf(t).CGWASN }), true
	case "virtual private gateway asn":
		return asnField("Virtual Private Gateway ASN", func(t *Tunnel) *Number { return &bgpOf(t).VGWASN }), true
	case "neighbor ip address":
		return addrField("Neighbor IP Address", func(t *Tunnel) *Addr { return &bgpOf(t).NeighborIP }), true
	case "neighbor hold time":
		return numberField("Neighbor Hold Time", "seconds", 0, 65535, func(t *Tunnel) *Number { return &bgpOf(t).HoldTime }), true
	case "next hop":
		return addrField("Next hop", func(t *Tunnel) *Addr { return &t.StaticNextHop }), true
	}
	return field{}, false
}

// bgpOf creates the BGP settings on first use: their presence is what makes
// a VPN dynamic, since static-routing texts have no BGP labels at all.
func bgpOf(t *Tunnel) *BGP {
	if t.BGP == nil {
		t.BGP = &BGP{}
	}
	return t.BGP
}

func textField(name string, get func(*Tunnel) *Text) field {
	return field{name: name, set: func(t *Tunnel, v string, line int) string {
		if v == "" {
			return name + " is empty"
		}
		*get(t) = Text{Value: v, Line: line}
		return ""
	}}
}

// setPSK accepts what swanctl and a one-line key file can carry. AWS keys
// are letters, digits, '.' and '_', but vtic need not be stricter than that
// to stay safe, only refuse what would be mangled on the way.
func setPSK(t *Tunnel, v string, line int) string {
	if v == "" {
		return "Pre-Shared Key is empty"
	}
	for _, r := range v {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '"' {
			return "Pre-Shared Key contains white space, a quote or a control character"
		}
	}
	t.PSK = Text{Value: v, Line: line}
	return ""
}

// numberField reads "1436 bytes" or "1436"; unit is the word AWS writes
// after the number, if any.
func numberField(name, unit string, lo, hi int64, get func(*Tunnel) *Number) field {
	return field{name: name, set: func(t *Tunnel, v string, line int) string {
		words := strings.Fields(v)
		if len(words) == 0 {
			return name + " is empty"
		}
		n, err := strconv.ParseInt(words[0], 10, 64)
		if err != nil || len(words) > 2 || (len(words) == 2 && !unitMatches(words[1], unit)) {
			if unit == "" {
				return fmt.Sprintf("%s %q is not a number", name, v)
			}
			return fmt.Sprintf("%s %q is not a number of %s", name, v, unit)
		}
		if n < lo || n > hi {
			return fmt.Sprintf("%s %d is out of range %d..%d", name, n, lo, hi)
		}
		*get(t) = Number{Value: n, Line: line}
		return ""
	}}
}

func unitMatches(word, unit string) bool {
	if unit == "" {
		return false
	}
	word = strings.ToLower(word)
	return word == unit || word == strings.TrimSuffix(unit, "s")
}

var dhGroupRE = regexp.MustCompile(`(?i)^(?:diffie-hellman\s+)?(?:group\s*)?(\d{1,3})$`)

// dhGroupField reads "Diffie-Hellman Group 2" as 2.
func dhGroupField(name string, get func(*Tunnel) *Number) field {
	return field{name: name, set: func(t *Tunnel, v string, line int) string {
		m := dhGroupRE.FindStringSubmatch(strings.Join(strings.Fields(v), " "))
		if m == nil {
			return fmt.Sprintf("%s %q is not a Diffie-Hellman group", name, v)
		}
		n, _ := strconv.ParseInt(m[1], 10, 64) // at most three digits
		*get(t) = Number{Value: n, Line: line}
		return ""
	}}
}

func asnField(name string, get func(*Tunnel) *Number) field {
	return field{name: name, set: func(t *Tunnel, v string, line int) string {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n == 0 {
			return fmt.Sprintf("%s %q is not an AS number (1..4294967295)", name, v)
		}
		*get(t) = Number{Value: int64(n), Line: line}
		return ""
	}}
}

func addrField(name string, get func(*Tunnel) *Addr) field {
	return field{name: name, set: func(t *Tunnel, v string, line int) string {
		a, err := netip.ParseAddr(v)
		if err != nil || a.Zone() != "" {
			return fmt.Sprintf("%s %q is not an IP address", name, v)
		}
		*get(t) = Addr{Value: a.Unmap(), Raw: v, Line: line}
		return ""
	}}
}

func prefixField(name string, get func(*Tunnel) *Prefix) field {
	return field{name: name, set: func(t *Tunnel, v string, line int) string {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return fmt.Sprintf("%s %q is not an address with prefix length, such as 169.254.13.22/30", name, v)
		}
		*get(t) = Prefix{Value: p, Line: line}
		return ""
	}}
}
