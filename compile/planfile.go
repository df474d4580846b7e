package compile

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
)

// The plan file is a Host written as JSON: what `vtic build` puts in every
// router's output and `vtic apply` installs on the router, so that apply,
// status and check learn what to converge from the plan itself and never
// from rendered text. It holds the pre-shared keys (hex-encoded), so it is
// a secret file.
//
// PlanVersion changes whenever a field is added, removed or changes
// meaning: a vtic refuses a plan of another version rather than act on
// fields it does not understand.
const (
	PlanFormat  = "vtic-plan"
	PlanVersion = 1
)

type planFile struct {
	Format  string          `json:"format"`
	Version int             `json:"version"`
	Host    json.RawMessage `json:"host,omitempty"`
}

type hostJSON struct {
	Name     string         `json:"name"`
	ASN      uint32         `json:"asn,omitempty"`
	RouterID netip.Addr     `json:"router_id,omitzero"`
	Outside  netip.Addr     `json:"outside"`
	Gateway  netip.Addr     `json:"gateway,omitzero"`
	Announce []netip.Prefix `json:"announce,omitempty"`
	Tunnels  []tunnelJSON   `json:"tunnels,omitempty"`
	Routes   []routeJSON    `json:"routes,omitempty"`
	// The daemons came after version 1 and are empty (omitted) for the
	// defaults, for the reason given at tunnelJSON.Responder: an older
	// plan reads as strongSwan and FRR, as it was meant.
	IKE     string `json:"ike,omitempty"`
	Routing string `json:"routing,omitempty"`

	// Certificates came after version 1 and are omitted when absent,
	// like tunnelJSON's Responder.
	Cert string      `json:"cert,omitempty"` // PEM
	Key  *secretJSON `json:"key,omitempty"`
	CAs  []caJSON    `json:"cas,omitempty"`
}

type caJSON struct {
	Name string `json:"name"`
	PEM  string `json:"pem"`
}

// tunnelJSON is a Tunnel. Responder came after version 1 and is omitted
// when false: a version 1 plan written before it (both ends initiated)
// reads as it was meant, a plan without a responder end is still readable
// by a vtic that predates the field, and one with a responder end is
// refused by that vtic (unknown field) rather than applied as if both ends
// initiated.
type tunnelJSON struct {
	Name           string       `json:"name"`
	Description    string       `json:"description,omitempty"`
	Enabled        bool         `json:"enabled"`
	Interface      string       `json:"interface"`
	Mark           uint32       `json:"mark"`
	MTU            int          `json:"mtu"`
	MSS            int          `json:"mss"`
	Local          netip.Addr   `json:"local"`
	Remote         netip.Addr   `json:"remote"`
	Inside         netip.Prefix `json:"inside"`
	RemoteInside   netip.Addr   `json:"remote_inside"`
	RemoteName     string       `json:"remote_name"`
	RemoteIsRouter bool         `json:"remote_is_router"`
	Responder      bool         `json:"responder,omitempty"` // see tunnelJSON
	Preset         presetJSON   `json:"preset"`
	PSK            secretJSON   `json:"psk"`
	Pubkey         bool         `json:"pubkey,omitempty"` // see tunnelJSON
	LocalID        string       `json:"local_id,omitempty"`
	RemoteID       string       `json:"remote_id,omitempty"`
	BGP            *bgpJSON     `json:"bgp,omitempty"`
	Options        []optionJSON `json:"options,omitempty"`
	// Routes came after version 1 like Responder, and for the same
	// reasons is omitted when empty; so are the policy fields of bgpJSON.
	Routes []staticRouteJSON `json:"routes,omitempty"`
}

type staticRouteJSON struct {
	Dst    netip.Prefix `json:"dst"`
	Metric int          `json:"metric,omitempty"`
}

type prefixMatchJSON struct {
	Prefix netip.Prefix `json:"prefix"`
	GE     int          `json:"ge,omitempty"`
	LE     int          `json:"le,omitempty"`
}

type presetJSON struct {
	Provider     string `json:"provider"`
	IKEVersion   int    `json:"ike_version"`
	IKEProposals string `json:"ike_proposals"`
	ESPProposals string `json:"esp_proposals"`
	IKELifetime  int    `json:"ike_lifetime"`
	ESPLifetime  int    `json:"esp_lifetime"`
	DPDDelay     int    `json:"dpd_delay"`
	DPDTimeout   int    `json:"dpd_timeout"`
	MTU          int    `json:"mtu"`
	MSS          int    `json:"mss"`
	BGPKeepalive int    `json:"bgp_keepalive"`
	BGPHold      int    `json:"bgp_hold"`
}

type secretJSON struct {
	Ref      string `json:"ref,omitempty"`
	Value    string `json:"value,omitempty"` // hex
	Resolved bool   `json:"resolved"`
}

type bgpJSON struct {
	LocalASN  uint32     `json:"local_asn"`
	RemoteASN uint32     `json:"remote_asn"`
	Neighbor  netip.Addr `json:"neighbor"`
	Keepalive int        `json:"keepalive"`
	Hold      int        `json:"hold"`
	// Accept and Announce keep null (none written) apart from [] (written
	// empty): a pointer to a slice is omitted only when nil.
	Accept      *[]prefixMatchJSON `json:"accept,omitempty"`
	Announce    *[]prefixMatchJSON `json:"announce,omitempty"`
	MaxPrefixes uint32             `json:"max_prefixes,omitempty"`
	Preference  string             `json:"preference,omitempty"`
	MED         bool               `json:"med,omitempty"`
}

func encodeBGP(b *BGP) *bgpJSON {
	return &bgpJSON{LocalASN: b.LocalASN, RemoteASN: b.RemoteASN, Neighbor: b.Neighbor, Keepalive: b.Keepalive,
		Hold: b.Hold, Accept: encodeMatches(b.Accept), Announce: encodeMatches(b.Announce),
		MaxPrefixes: b.MaxPrefixes, Preference: b.Preference, MED: b.MED}
}

func decodeBGP(j *bgpJSON) *BGP {
	return &BGP{LocalASN: j.LocalASN, RemoteASN: j.RemoteASN, Neighbor: j.Neighbor, Keepalive: j.Keepalive,
		Hold: j.Hold, Accept: decodeMatches(j.Accept), Announce: decodeMatches(j.Announce),
		MaxPrefixes: j.MaxPrefixes, Preference: j.Preference, MED: j.MED}
}

func encodeMatches(ms []PrefixMatch) *[]prefixMatchJSON {
	if ms == nil {
		return nil
	}
	out := make([]prefixMatchJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, prefixMatchJSON(m))
	}
	return &out
}

func decodeMatches(j *[]prefixMatchJSON) []PrefixMatch {
	if j == nil {
		return nil
	}
	out := make([]PrefixMatch, 0, len(*j))
	for _, m := range *j {
		out = append(out, PrefixMatch(m))
	}
	return out
}

type optionJSON struct {
	Section string `json:"section"`
	Key     string `json:"key"`
	Value   string `json:"value"`
}

type routeJSON struct {
	Dst     netip.Prefix `json:"dst"`
	Gateway netip.Addr   `json:"gateway"`
}

// EncodeHost writes a router's plan as indented JSON with a final newline.
// Equal hosts give equal bytes.
func EncodeHost(h *Host) []byte {
	j := hostJSON{Name: h.Name, ASN: h.ASN, RouterID: h.RouterID, Outside: h.Outside, Gateway: h.Gateway,
		Announce: h.Announce, IKE: h.IKE, Routing: h.Routing, Cert: string(h.Cert)}
	if h.Key.Resolved || h.Key.Ref != "" {
		j.Key = &secretJSON{Ref: h.Key.Ref, Value: hex.EncodeToString(h.Key.Value), Resolved: h.Key.Resolved}
	}
	for _, ca := range h.CAs {
		j.CAs = append(j.CAs, caJSON{Name: ca.Name, PEM: string(ca.PEM)})
	}
	for _, t := range h.Tunnels {
		tj := tunnelJSON{
			Name: t.Name, Description: t.Description, Enabled: t.Enabled, Interface: t.Interface,
			Mark: t.Mark, MTU: t.MTU, MSS: t.MSS, Local: t.Local, Remote: t.Remote,
			Inside: t.Inside, RemoteInside: t.RemoteInside, RemoteName: t.RemoteName, RemoteIsRouter: t.RemoteIsRouter,
			Responder: t.Responder,
			Preset:    presetJSON(t.Preset),
			PSK:       secretJSON{Ref: t.PSK.Ref, Value: hex.EncodeToString(t.PSK.Value), Resolved: t.PSK.Resolved},
			LocalID:   t.LocalID, RemoteID: t.RemoteID,
		}
		tj.Pubkey = t.Pubkey
		if t.BGP != nil {
			tj.BGP = encodeBGP(t.BGP)
		}
		for _, r := range t.Routes {
			tj.Routes = append(tj.Routes, staticRouteJSON(r))
		}
		for _, o := range t.Options {
			tj.Options = append(tj.Options, optionJSON(o))
		}
		j.Tunnels = append(j.Tunnels, tj)
	}
	for _, r := range h.Routes {
		j.Routes = append(j.Routes, routeJSON(r))
	}
	host, _ := json.Marshal(j) // plain structs and netip values: cannot fail
	var out bytes.Buffer
	b, _ := json.Marshal(planFile{Format: PlanFormat, Version: PlanVersion, Host: host})
	_ = json.Indent(&out, b, "", "  ")
	out.WriteByte('\n')
	return out.Bytes()
}

// DecodeHost reads a plan written by EncodeHost. It refuses another
// format or version, fields it does not know, and a host that breaks what
// the renderers and apply rely on (see check).
func DecodeHost(data []byte) (*Host, error) {
	var f planFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	switch {
	case f.Format != PlanFormat:
		return nil, fmt.Errorf("plan: format %q, want %q", f.Format, PlanFormat)
	case f.Version > PlanVersion:
		return nil, fmt.Errorf("plan format version %d is newer than this vtic understands (%d); upgrade vtic", f.Version, PlanVersion)
	case f.Version != PlanVersion:
		return nil, fmt.Errorf("plan format version %d is not one this vtic reads (%d); rebuild the plan with this vtic", f.Version, PlanVersion)
	case len(f.Host) == 0:
		return nil, fmt.Errorf("plan: no host")
	}
	var j hostJSON
	dec := json.NewDecoder(bytes.NewReader(f.Host))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("plan: host: %w", err)
	}
	h := &Host{Name: j.Name, ASN: j.ASN, RouterID: j.RouterID, Outside: j.Outside, Gateway: j.Gateway, Announce: j.Announce,
		IKE: j.IKE, Routing: j.Routing}
	if j.Cert != "" {
		h.Cert = []byte(j.Cert)
	}
	if j.Key != nil {
		h.Key = Secret{Ref: j.Key.Ref, Resolved: j.Key.Resolved}
		if j.Key.Value != "" {
			v, err := hex.DecodeString(j.Key.Value)
			if err != nil {
				return nil, fmt.Errorf("plan: private key: %w", err)
			}
			h.Key.Value = v
		}
	}
	for _, ca := range j.CAs {
		h.CAs = append(h.CAs, CA{Name: ca.Name, PEM: []byte(ca.PEM)})
	}
	for _, tj := range j.Tunnels {
		t := &Tunnel{
			Name: tj.Name, Description: tj.Description, Enabled: tj.Enabled, Interface: tj.Interface,
			Mark: tj.Mark, MTU: tj.MTU, MSS: tj.MSS, Local: tj.Local, Remote: tj.Remote,
			Inside: tj.Inside, RemoteInside: tj.RemoteInside, RemoteName: tj.RemoteName, RemoteIsRouter: tj.RemoteIsRouter,
			Responder: tj.Responder,
			Preset:    Preset(tj.Preset),
			PSK:       Secret{Ref: tj.PSK.Ref, Resolved: tj.PSK.Resolved},
			Pubkey:    tj.Pubkey, LocalID: tj.LocalID, RemoteID: tj.RemoteID,
		}
		if tj.PSK.Value != "" {
			v, err := hex.DecodeString(tj.PSK.Value)
			if err != nil {
				return nil, fmt.Errorf("plan: tunnel %s: pre-shared key: %w", tj.Name, err)
			}
			t.PSK.Value = v
		}
		if tj.BGP != nil {
			t.BGP = decodeBGP(tj.BGP)
		}
		for _, r := range tj.Routes {
			t.Routes = append(t.Routes, StaticRoute(r))
		}
		for _, o := range tj.Options {
			t.Options = append(t.Options, Option(o))
		}
		h.Tunnels = append(h.Tunnels, t)
	}
	for _, r := range j.Routes {
		h.Routes = append(h.Routes, Route(r))
	}
	if err := check(h); err != nil {
		return nil, fmt.Errorf("plan of %s: %w", h.Name, err)
	}
	return h, nil
}
