package compile

import (
	"net/netip"

	"github.com/vtic/vtic/lang"
)

// Plan is the compiled site: one Host per router, sorted by name.
type Plan struct {
	Hosts []*Host
}

// Host returns the plan of the named router, or nil.
func (p *Plan) Host(name string) *Host {
	for _, h := range p.Hosts {
		if h.Name == name {
			return h
		}
	}
	return nil
}

// Host is everything one router gets.
type Host struct {
	Name     string
	ASN      uint32 // 0: the router does not run BGP
	RouterID netip.Addr
	Outside  netip.Addr
	Gateway  netip.Addr // invalid when the site gives none
	Announce []netip.Prefix
	Tunnels  []*Tunnel // sorted by name
	Routes   []Route   // host routes to the peers' outer addresses, sorted

	// The daemons the router runs when they are not the defaults:
	// lang.IKELibreswan instead of strongSwan, lang.RoutingBIRD instead of
	// FRR; empty for the default. The renderers write the files of the
	// router's daemons only, and apply drives only these.
	IKE     string
	Routing string

	// Certificate authentication: the router's certificate (PEM) and
	// private key, and the authorities it trusts, sorted by name. Empty
	// when the site gives none.
	Cert []byte
	Key  Secret
	CAs  []CA
}

// CA is a certificate authority the router trusts.
type CA struct {
	Name string
	PEM  []byte
}

// UsesLibreswan reports whether the router's IKE daemon is libreswan
// (else strongSwan).
func (h *Host) UsesLibreswan() bool { return h.IKE == lang.IKELibreswan }

// UsesBIRD reports whether the router's BGP daemon is BIRD (else FRR).
func (h *Host) UsesBIRD() bool { return h.Routing == lang.RoutingBIRD }

// Tunnel is one tunnel as seen from one router.
type Tunnel struct {
	Name        string
	Description string
	Enabled     bool
	Interface   string
	Mark        uint32
	MTU         int
	MSS         int // TCP MSS clamp for traffic leaving through the VTI

	Local  netip.Addr // outer addresses
	Remote netip.Addr

	Inside       netip.Prefix // this end's inside address with its prefix length
	RemoteInside netip.Addr

	RemoteName     string // the peer or router at the other end
	RemoteIsRouter bool
	// Responder is set on the end of a router-to-router tunnel that waits
	// for the other router to initiate. Exactly one end of such a tunnel
	// initiates: the router whose name sorts first (byte order), so the
	// two never build duplicate SAs. A tunnel to a peer is always
	// initiated by the router.
	Responder bool

	Preset Preset
	PSK    Secret // unset when Pubkey
	// Pubkey: the tunnel authenticates with certificates (the host's
	// Cert and Key, checked against its CAs), not a pre-shared key.
	// LocalID and RemoteID are the IKE identities the site gives; empty
	// means the outer address.
	Pubkey   bool
	LocalID  string
	RemoteID string
	BGP      *BGP // nil when one end has no AS number
	Options  []Option

	// Routes are static routes into the tunnel's interface (routing.go).
	Routes []StaticRoute
}

// Secret is a resolved pre-shared key. Ref describes where it came from
// without its value.
type Secret struct {
	Ref      string
	Value    []byte
	Resolved bool
}

// BGP is the session a tunnel carries.
type BGP struct {
	LocalASN  uint32
	RemoteASN uint32
	Neighbor  netip.Addr
	Keepalive int
	Hold      int

	// The session's policy (routing.go). Without Accept the session
	// accepts everything the far end sends; without Announce it sends the
	// router's own announce prefixes.
	Accept      []PrefixMatch
	Announce    []PrefixMatch
	MaxPrefixes uint32 // 0: no limit
	Preference  string // "", lang.PreferencePrimary or lang.PreferenceBackup
	// MED is set on a backup session whose far end compares the
	// multi-exit discriminator between the sessions it has with this
	// router, so the backup's routes also carry a worse MED: an AWS
	// gateway, or one of the site's routers (FRR compares MED between
	// paths from the same AS).
	MED bool
}

// Option is one checked strongSwan option from the site's options = { … }.
// Section is lang.SectionConn or lang.SectionChild; Key is the swanctl key.
type Option struct {
	Section string
	Key     string
	Value   string
}

// Route is a host route to a peer's outer address through the gateway, so
// IKE and ESP never follow a route learned through a tunnel.
type Route struct {
	Dst     netip.Prefix
	Gateway netip.Addr
}
