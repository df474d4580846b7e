package lang

import (
	"context"

	"github.com/hashicorp/hcl/v2"
)

// Validate checks the rules that span attributes and blocks. Each rule lives
// in its own file; every rule runs even when an earlier one failed, so a user
// sees all problems at once. Every rule is linear (or n log n) in the size
// of the site: sites with thousands of tunnels are normal.
func Validate(s *Site) hcl.Diagnostics {
	return validate(context.Background(), s)
}

// validate is Validate stopping early, with a "Loading interrupted" error,
// once ctx is done.
func validate(ctx context.Context, s *Site) hcl.Diagnostics {
	ix := indexSite(s)
	var diags hcl.Diagnostics
	for _, rule := range []func(*Site) hcl.Diagnostics{checkNames, checkRouters, checkPeers, checkPKI} {
		if d := interrupted(ctx); d != nil {
			return append(diags, d)
		}
		diags = append(diags, rule(s)...)
	}
	for i, t := range s.Tunnels {
		if i%checkEvery == 0 {
			if d := interrupted(ctx); d != nil {
				return append(diags, d)
			}
		}
		diags = append(diags, checkTunnel(ix, t)...)
	}
	if d := interrupted(ctx); d != nil {
		return append(diags, d)
	}
	diags = append(diags, checkPerRouter(ix)...)
	if d := interrupted(ctx); d != nil {
		return append(diags, d)
	}
	diags = append(diags, checkSiteRouting(ix)...)
	s.verdict.validated, s.verdict.ruleErrs = true, diags.HasErrors()
	if len(s.Meshes) > 0 {
		// The tunnels of a mesh share its ranges: a mistake in the block
		// is said once, not once per tunnel.
		diags = dedupe(diags)
	}
	return diags
}

// index resolves names once so the rules can look ends up in O(1).
type index struct {
	site    *Site
	routers map[string]*Router
	peers   map[string]*Peer
}

func indexSite(s *Site) *index {
	ix := &index{site: s, routers: map[string]*Router{}, peers: map[string]*Peer{}}
	for _, r := range s.Routers {
		if _, dup := ix.routers[r.Name]; !dup {
			ix.routers[r.Name] = r
		}
	}
	for _, p := range s.Peers {
		if _, dup := ix.peers[p.Name]; !dup {
			ix.peers[p.Name] = p
		}
	}
	return ix
}
