package lang

import (
	"github.com/hashicorp/hcl/v2"
)

// checkBFD refuses bfd = true where no BFD session could ever come up.
// vtic runs BFD for the tunnel's BGP session (bgpd registers the neighbor
// with bfdd), so a tunnel without BGP has nothing to run it for; and the
// cloud providers' VPN gateways answer no BFD over their tunnels, so a
// session to them would stay down and, with BGP tied to it, keep BGP down
// too.
func checkBFD(t *Tunnel, eps []endpoint, provider string) hcl.Diagnostics {
	if !t.BFD.Set || !t.BFD.Value {
		return nil
	}
	var diags hcl.Diagnostics
	if provider != ProviderGeneric {
		diags = append(diags, errorAt(t.BFD.Range, "BFD not offered by the provider",
			"The %s VPN gateway at the other end of the tunnel %q does not answer BFD, so the session would never come up. Remove bfd; failures are then found by DPD and the BGP hold timer.",
			provider, t.Name))
	}
	for _, ep := range eps {
		if ep.router != nil && ep.router.RoutingDaemon() == RoutingBIRD {
			diags = append(diags, errorAt(t.BFD.Range, "BFD not available with BIRD",
				"The router %q runs BIRD, for which vtic renders no BFD yet. Remove bfd, or run FRR on %q (routing = \"frr\").",
				ep.router.Name, ep.router.Name))
		}
	}
	if len(eps) == 2 {
		for _, ep := range eps {
			if !ep.asn().Set {
				diags = append(diags, errorAt(t.BFD.Range, "BFD without BGP",
					"BFD watches the BGP session of the tunnel %q, but %q has no asn, so the tunnel carries no BGP. Give both ends an asn, or remove bfd.",
					t.Name, ep.end.Name))
				break
			}
		}
	}
	return diags
}
