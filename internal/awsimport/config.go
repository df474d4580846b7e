package awsimport

import (
	"net/netip"

	"github.com/hashicorp/hcl/v2"
)

// Config is what Parse found in one AWS VPN configuration text. Every value
// keeps the range of its text, so that later checks can point at it; a zero
// Range means the label was absent.
type Config struct {
	Name              string // file name given to Parse, used in ranges and the generated header
	VPNConnectionID   Text
	VPNGatewayID      Text
	CustomerGatewayID Text
	Tunnels           []*Tunnel // ordered by tunnel number, whatever the order in the text

	// File is the text for diagnostics that quote a line, with every
	// pre-shared key replaced by asterisks: a diagnostic must never print
	// a key. Its Body is nil; it is not HCL.
	File *hcl.File
}

// Tunnel is one "IPSec Tunnel #N" section.
type Tunnel struct {
	Number int
	Range  hcl.Range // the "IPSec Tunnel #N" header

	AuthMethod Text // "Pre-Shared Key"
	PSK        Text
	IKE        Phase // section #1
	ESP        Phase // section #2

	DPDInterval Number // seconds
	DPDRetries  Number
	TCPMSS      Number // bytes

	CGWOutside Addr // optional, often redacted; see the package documentation
	VGWOutside Addr
	CGWInside  Prefix // the router's address on the tunnel interface
	VGWInside  Prefix
	MTU        Number // bytes

	BGP           *BGP // nil for a static-routing VPN
	StaticNextHop Addr // "Next hop" of a static-routing VPN, when given
}

// Phase holds the proposal AWS asks for in one negotiation phase.
type Phase struct {
	Auth       Text   // "sha1", "hmac-sha1-96"
	Encryption Text   // "aes-128-cbc"
	Lifetime   Number // seconds
	Mode       Text   // "main" for IKE, "tunnel" for ESP
	DHGroup    Number // from "Diffie-Hellman Group 2"
}

// BGP is section #4 of a dynamic-routing VPN.
type BGP struct {
	Range      hcl.Range // the "#4:" header, or the first BGP value
	CGWASN     Number    // the router's ASN as AWS knows it
	VGWASN     Number    // the peer's ASN
	NeighborIP Addr      // must be the VGW inside address
	HoldTime   Number    // seconds
}

// Text is a string value and the range of its text.
type Text struct {
	Value string
	Range hcl.Range
}

// Number is an integer value (units such as "seconds" stripped) and the
// range of its text.
type Number struct {
	Value int64
	Range hcl.Range
}

// Addr is an IP address and the range of its text. Raw is the text as
// written; Value is invalid when Raw is not an address (a redacted one, say).
type Addr struct {
	Value netip.Addr
	Raw   string
	Range hcl.Range
}

// Prefix is an address with its prefix length, such as "169.254.13.22/30",
// and the range of its text. The address bits are kept, not masked.
type Prefix struct {
	Value netip.Prefix
	Range hcl.Range
}

// present reports whether a range was filled in, that is whether its label
// was in the text.
func present(r hcl.Range) bool { return r.Start.Line > 0 }

// Set reports whether the label was present in the text.
func (t Text) Set() bool { return present(t.Range) }

// Set reports whether the label was present in the text.
func (n Number) Set() bool { return present(n.Range) }

// Set reports whether the label was present in the text.
func (a Addr) Set() bool { return present(a.Range) }

// Set reports whether the label was present in the text.
func (p Prefix) Set() bool { return present(p.Range) }
