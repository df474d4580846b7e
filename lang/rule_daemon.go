package lang

import (
	"github.com/hashicorp/hcl/v2"
)

// checkDaemons checks a router's choice of IKE and BGP daemons.
func checkDaemons(r *Router) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if r.IKE.Set && r.IKE.Value != IKEStrongswan && r.IKE.Value != IKELibreswan {
		diags = append(diags, errorAt(r.IKE.Range, "Unknown IKE daemon",
			"vtic renders configuration for \"strongswan\" (the default) and \"libreswan\"; %q is neither.", r.IKE.Value))
	}
	if r.Routing.Set && r.Routing.Value != RoutingFRR && r.Routing.Value != RoutingBIRD {
		diags = append(diags, errorAt(r.Routing.Range, "Unknown routing daemon",
			"vtic renders configuration for \"frr\" (the default) and \"bird\"; %q is neither.", r.Routing.Value))
	}
	return diags
}

// checkLibreswanTunnel refuses what a libreswan router could not carry out
// of a tunnel: options written in strongSwan's terms that libreswan has no
// keyword or value for, proposals it cannot offer, and a preset none of
// whose proposals it can offer. The tunnel is checked once, for its first
// end that runs libreswan.
func checkLibreswanTunnel(t *Tunnel, eps []endpoint, provider string) hcl.Diagnostics {
	var r *Router
	for _, ep := range eps {
		if ep.router != nil && ep.router.IKEDaemon() == IKELibreswan {
			r = ep.router
			break
		}
	}
	if r == nil {
		return nil
	}
	var diags hcl.Diagnostics
	version, from := ikeVersion(t, provider)
	set := map[string]bool{}
	for _, kv := range t.Options {
		spec, known := LookupOption(kv.Key)
		if !known || set[kv.Key] || !spec.Pattern.MatchString(kv.Value.Value) {
			continue // reported by checkOptions
		}
		set[kv.Key] = true
		ls, _ := LookupLibreswanOption(kv.Key)
		switch {
		case ls.Keyword == "":
			diags = append(diags, errorAt(kv.KeyRange, "Option not supported by libreswan",
				"The router %q runs libreswan (ike at %s), and %s. Remove the option, or run strongSwan on the router.",
				r.Name, where(r.IKE.Range), ls.Why))
		case ls.Values != nil && ls.Values[kv.Value.Value] == "":
			diags = append(diags, errorAt(kv.Value.Range, "Option value not supported by libreswan",
				"The router %q runs libreswan (ike at %s), whose %s has no equivalent of %s = %q. Choose another value, or run strongSwan on the router.",
				r.Name, where(r.IKE.Range), ls.Keyword, kv.Key, kv.Value.Value))
		case kv.Key == "proposals" || kv.Key == "esp_proposals":
			if _, err := LibreswanProposals(kv.Value.Value, kv.Key == "proposals"); err != nil {
				diags = append(diags, errorAt(kv.Value.Range, "Proposal not supported by libreswan",
					"The router %q runs libreswan (ike at %s), which cannot offer %s. Write proposals libreswan 4 offers, or run strongSwan on the router.",
					r.Name, where(r.IKE.Range), err))
			} else if kv.Key == "proposals" && version == 1 && libreswanAEAD(kv.Value.Value) {
				diags = append(diags, errorAt(kv.Value.Range, "Proposal not supported by libreswan",
					"The router %q runs libreswan (ike at %s), which offers AES-GCM and ChaCha20-Poly1305 for the IKE SA in IKEv2 only, and this tunnel uses IKEv1 (%s). Write proposals without them, or use IKEv2.",
					r.Name, where(r.IKE.Range), from))
			} else if kv.Key == "esp_proposals" {
				if _, err := LibreswanPFS(kv.Value.Value); err != nil {
					diags = append(diags, errorAt(kv.Value.Range, "Proposal not supported by libreswan",
						"The router %q runs libreswan (ike at %s): %s. Give every proposal a key exchange, or none.",
						r.Name, where(r.IKE.Range), err))
				}
			}
		}
	}
	ike, esp := PresetProposals(provider)
	for _, p := range []struct {
		key, list string
		ike       bool
	}{{"proposals", ike, true}, {"esp_proposals", esp, false}} {
		if set[p.key] {
			continue
		}
		if kept, _ := LibreswanPreset(p.list, p.ike); kept == "" {
			diags = append(diags, errorAt(r.IKE.Range, "Preset not supported by libreswan",
				"The tunnel %q uses the %s preset, whose %s (%s) libreswan 4 cannot offer. Set %s in the tunnel's options to proposals both ends accept, or run strongSwan on the router.",
				t.Name, provider, p.key, p.list, p.key))
		}
	}
	return diags
}
