package lang

import (
	"github.com/hashicorp/hcl/v2"
)

// Validate checks the rules that span attributes and blocks. Each rule lives
// in its own file; every rule runs even when an earlier one failed, so a user
// sees all problems at once. Every rule is linear (or n log n) in the size
// of the site: sites with thousands of tunnels are normal.
func Validate(s *Site) hcl.Diagnostics {
	ix := indexSite(s)
	var diags hcl.Diagnostics
	diags = append(diags, checkNames(s)...)
	diags = append(diags, checkRouters(s)...)
	diags = append(diags, checkPeers(s)...)
	for _, t := range s.Tunnels {
		diags = append(diags, checkTunnel(ix, t)...)
	}
	diags = append(diags, checkPerRouter(ix)...)
	s.verdict.validated, s.verdict.ruleErrs = true, diags.HasErrors()
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
