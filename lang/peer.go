package lang

import (
	"github.com/hashicorp/hcl/v2"
)

// Provider names select a preset of IKE/ESP proposals, lifetimes, DPD and BGP
// timers for a peer.
const (
	ProviderAWS     = "aws"
	ProviderAzure   = "azure"
	ProviderGeneric = "generic"
)

// Peer is a far end that vtic does not manage, such as a cloud VPN gateway.
type Peer struct {
	Name      string
	NameRange hcl.Range
	DeclRange hcl.Range

	Provider Str // "aws", "azure" or "generic"; defaults to "generic"
	Outside  Addr
	ASN      Num
	Auth     Str // "psk" or "pubkey" for the peer's tunnels that set none
	ID       Str // the identity the peer presents; its outside address when unset
}

// ProviderName returns the peer's provider, defaulting to generic.
func (p *Peer) ProviderName() string {
	if p.Provider.Set {
		return p.Provider.Value
	}
	return ProviderGeneric
}

var peerSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "provider"},
		{Name: "outside", Required: true},
		{Name: "asn"},
		{Name: "auth"},
		{Name: "id"},
	},
}

func (d *decoder) decodePeer(b *hcl.Block) (*Peer, hcl.Diagnostics) {
	p := &Peer{Name: b.Labels[0], NameRange: b.LabelRanges[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(peerSchema)
	var ds hcl.Diagnostics
	if a, ok := content.Attributes["provider"]; ok {
		p.Provider, ds = d.str(a)
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			switch p.Provider.Value {
			case ProviderAWS, ProviderAzure, ProviderGeneric:
			default:
				diags = append(diags, errorAt(p.Provider.Range, "Unknown provider",
					"The provider %q is not known. Use \"aws\", \"azure\" or \"generic\".", p.Provider.Value))
				p.Provider = Str{}
			}
		}
	}
	if a, ok := content.Attributes["outside"]; ok {
		p.Outside, ds = d.addr(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["asn"]; ok {
		p.ASN, ds = d.num(a, maxUint32, asnRange)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["auth"]; ok {
		p.Auth, ds = d.auth(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["id"]; ok {
		p.ID, ds = d.str(a)
		diags = append(diags, ds...)
	}
	return p, diags
}
