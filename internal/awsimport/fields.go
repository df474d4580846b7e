package awsimport

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/vtic/vtic/lang"
)

// field stores one labelled value into a tunnel. set returns a diagnostic
// when the value is malformed, and then leaves the tunnel untouched.
type field struct {
	name string // as the user reads it in messages and the source
	set  func(t *Tunnel, p pair) *hcl.Diagnostic
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
		return numberField("Tunnel interface MTU", "bytes", 1, 65535, func(t *Tunnel) *Number { return &t.MTU }), true
	case "customer gateway":
		switch group {
		case "outside":
			// Kept even when it is not an address: AWS redacts it in
			// shared samples, and vtic needs it only as a cross-check.
			const name = "Customer Gateway outside address"
			return field{name: name, set: func(t *Tunnel, p pair) *hcl.Diagnostic {
				if p.value == "" {
					return emptyValue(name, p)
				}
				a, err := netip.ParseAddr(p.value)
				if err != nil {
					a = netip.Addr{}
				}
				t.CGWOutside = Addr{Value: a, Raw: p.value, Range: p.valueRange}
				return nil
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

func emptyValue(name string, p pair) *hcl.Diagnostic {
	return errorAt(p.labelRange, "Empty value",
		"%s has no value after the colon. Download the configuration again, or restore the value from the AWS console.", name)
}

func textField(name string, get func(*Tunnel) *Text) field {
	return field{name: name, set: func(t *Tunnel, p pair) *hcl.Diagnostic {
		if p.value == "" {
			return emptyValue(name, p)
		}
		*get(t) = Text{Value: p.value, Range: p.valueRange}
		return nil
	}}
}

// setPSK holds the key to the site language's rules for keys of AWS peers,
// which is what the generated peers are: the same predicates lang applies,
// checked here so the problem is shown at the key's line of the AWS text.
// No diagnostic names the key itself.
func setPSK(t *Tunnel, p pair) *hcl.Diagnostic {
	const name = "Pre-Shared Key"
	v := p.value
	if v == "" {
		return emptyValue(name, p)
	}
	again := "Copy the whole key from the AWS console, or give the tunnel a new key there and download the configuration again."
	if len(v) < lang.MinPSKLen {
		return errorAt(p.labelRange, "Pre-shared key too short",
			"The pre-shared key of IPSec Tunnel #%d is %d bytes; AWS keys are %d to %d. %s", t.Number, len(v), lang.MinPSKLen, lang.MaxAWSPSKLen, again)
	}
	for i := 0; i < len(v); i++ {
		if !lang.PSKByteOK(v[i]) {
			return errorAt(p.labelRange, "Invalid pre-shared key",
				"The pre-shared key of IPSec Tunnel #%d has a non-printable byte at offset %d. %s", t.Number, i, again)
		}
	}
	if len(v) > lang.MaxAWSPSKLen {
		return errorAt(p.labelRange, "Pre-shared key too long for AWS",
			"The pre-shared key of IPSec Tunnel #%d is %d bytes; AWS keys are %d to %d. %s", t.Number, len(v), lang.MinPSKLen, lang.MaxAWSPSKLen, again)
	}
	if !lang.AWSPSKFirstByteOK(v[0]) {
		return errorAt(p.labelRange, "Invalid pre-shared key for AWS",
			"The pre-shared key of IPSec Tunnel #%d starts with 0, which AWS does not allow. %s", t.Number, again)
	}
	for i := 0; i < len(v); i++ {
		if !lang.AWSPSKByteOK(v[i]) {
			return errorAt(p.labelRange, "Invalid pre-shared key for AWS",
				"The pre-shared key of IPSec Tunnel #%d has a character other than a letter, digit, '.' or '_' at offset %d. %s", t.Number, i, again)
		}
	}
	t.PSK = Text{Value: v, Range: p.valueRange}
	return nil
}

// numberField reads "1436 bytes" or "1436"; unit is the word AWS writes
// after the number, if any.
func numberField(name, unit string, lo, hi int64, get func(*Tunnel) *Number) field {
	return field{name: name, set: func(t *Tunnel, p pair) *hcl.Diagnostic {
		v := p.value
		words := strings.Fields(v)
		if len(words) == 0 {
			return emptyValue(name, p)
		}
		n, err := strconv.ParseInt(words[0], 10, 64)
		if err != nil || len(words) > 2 || (len(words) == 2 && !unitMatches(words[1], unit)) {
			if unit == "" {
				return errorAt(p.valueRange, "Invalid number", "%s %q is not a number. Write it as plain digits.", name, v)
			}
			return errorAt(p.valueRange, "Invalid number", "%s %q is not a number of %s. Write it as digits, optionally followed by %q.", name, v, unit, unit)
		}
		if n < lo || n > hi {
			return errorAt(p.valueRange, "Value out of range", "%s must be from %d to %d; %d is not.", name, lo, hi, n)
		}
		*get(t) = Number{Value: n, Range: p.valueRange}
		return nil
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
	return field{name: name, set: func(t *Tunnel, p pair) *hcl.Diagnostic {
		m := dhGroupRE.FindStringSubmatch(strings.Join(strings.Fields(p.value), " "))
		if m == nil {
			return errorAt(p.valueRange, "Invalid Diffie-Hellman group",
				"%s %q is not a Diffie-Hellman group. Write it as AWS does, such as \"Diffie-Hellman Group 2\".", name, p.value)
		}
		n, _ := strconv.ParseInt(m[1], 10, 64) // at most three digits
		*get(t) = Number{Value: n, Range: p.valueRange}
		return nil
	}}
}

// asnField holds AS numbers to the site language's rule, since they become
// the peer's asn and are compared with the router's.
func asnField(name string, get func(*Tunnel) *Number) field {
	return field{name: name, set: func(t *Tunnel, p pair) *hcl.Diagnostic {
		n, err := strconv.ParseUint(p.value, 10, 64)
		if err != nil {
			return errorAt(p.valueRange, "Invalid AS number", "%s %q is not an AS number; use one %s.", name, p.value, lang.ASNRange)
		}
		if why, reserved := lang.ReservedASN(n); reserved {
			return errorAt(p.valueRange, "Reserved AS number", "%s: %s. Use an AS number %s that is not reserved.", name, why, lang.ASNRange)
		}
		if !lang.ValidASN(n) {
			return errorAt(p.valueRange, "Invalid AS number", "%s %d is not an AS number; use one %s.", name, n, lang.ASNRange)
		}
		*get(t) = Number{Value: int64(n), Range: p.valueRange}
		return nil
	}}
}

func addrField(name string, get func(*Tunnel) *Addr) field {
	return field{name: name, set: func(t *Tunnel, p pair) *hcl.Diagnostic {
		a, err := netip.ParseAddr(p.value)
		if err != nil || a.Zone() != "" {
			return errorAt(p.valueRange, "Invalid IP address", "%s %q is not an IP address. Write it as AWS does, such as 52.25.31.90.", name, p.value)
		}
		*get(t) = Addr{Value: a.Unmap(), Raw: p.value, Range: p.valueRange}
		return nil
	}}
}

func prefixField(name string, get func(*Tunnel) *Prefix) field {
	return field{name: name, set: func(t *Tunnel, p pair) *hcl.Diagnostic {
		v, err := netip.ParsePrefix(p.value)
		if err != nil {
			return errorAt(p.valueRange, "Invalid inside address",
				"%s %q is not an address with a prefix length. Write it as AWS does, such as 169.254.13.22/30.", name, p.value)
		}
		*get(t) = Prefix{Value: v, Range: p.valueRange}
		return nil
	}}
}
