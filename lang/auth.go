package lang

import "github.com/hashicorp/hcl/v2"

// Authentication methods of a tunnel: auth = "psk" (the default) or
// auth = "pubkey" (X.509 certificates from the site's authority).
const (
	AuthPSK    = "psk"
	AuthPubkey = "pubkey"
)

// auth decodes an auth attribute.
func (d *decoder) auth(attr *hcl.Attribute) (Str, hcl.Diagnostics) {
	s, diags := d.str(attr)
	if diags.HasErrors() {
		return Str{}, diags
	}
	switch s.Value {
	case AuthPSK, AuthPubkey:
		return s, nil
	}
	return Str{}, hcl.Diagnostics{errorAt(s.Range, "Unknown authentication method",
		"The authentication method %q is not known. Use \"psk\" (a pre-shared key) or \"pubkey\" (certificates).", s.Value)}
}

// AuthOf returns how tunnel t authenticates: its own auth, else the auth
// of the peer at one of its ends, else a pre-shared key.
func (s *Site) AuthOf(t *Tunnel) string {
	if t.Auth.Set {
		return t.Auth.Value
	}
	for _, e := range t.Ends {
		if e == nil {
			continue
		}
		if p := s.Peer(e.Name); p != nil && p.Auth.Set {
			return p.Auth.Value
		}
	}
	return AuthPSK
}
