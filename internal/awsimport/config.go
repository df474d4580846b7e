package awsimport

import "net/netip"

// Config is what Parse found in one AWS VPN configuration text. Every value
// keeps the line it came from; a Line of 0 means the label was absent.
type Config struct {
	Name              string // source name, used in messages and the generated header
	VPNConnectionID   Text
	VPNGatewayID      Text
	CustomerGatewayID Text
	Tunnels           []*Tunnel // ordered by tunnel number, whatever the order in the text
}

// Tunnel is one "IPSec Tunnel #N" section.
type Tunnel struct {
	Number int
	Line   int // line of the "IPSec Tunnel #N" header

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
	Line       int    // line of the "#4:" header, or of the first BGP value
	CGWASN     Number // the router's ASN as AWS knows it
	VGWASN     Number // the peer's ASN
	NeighborIP Addr   // must be the VGW inside address
	HoldTime   Number // seconds
}

// Text is a string value and its source line.
type Text struct {
	Value string
	Line  int
}

// Number is an integer value (units such as "seconds" stripped) and its
// source line.
type Number struct {
	Value int64
	Line  int
}

// Addr is an IP address and its source line. Raw is the text as written;
// Value is invalid when Raw is not an address (a redacted one, say).
type Addr struct {
	Value netip.Addr
	Raw   string
	Line  int
}

// Prefix is an address with its prefix length, such as "169.254.13.22/30",
// and its source line. The address bits are kept, not masked.
type Prefix struct {
	Value netip.Prefix
	Line  int
}

// Set reports whether the label was present in the text.
func (t Text) Set() bool { return t.Line > 0 }

// Set reports whether the label was present in the text.
func (n Number) Set() bool { return n.Line > 0 }

// Set reports whether the label was present in the text.
func (a Addr) Set() bool { return a.Line > 0 }

// Set reports whether the label was present in the text.
func (p Prefix) Set() bool { return p.Line > 0 }
