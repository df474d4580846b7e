package lang

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// maxNameLen keeps names usable as file names, swanctl section names and FRR
// descriptions.
const maxNameLen = 63

// safeName reports whether a router, peer or tunnel name can be used as a
// file name and as a swanctl section name without quoting.
func safeName(s string) bool {
	if s == "" || len(s) > maxNameLen || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case (c == '-' || c == '_' || c == '.') && i > 0:
		default:
			return false
		}
	}
	return true
}

type named struct {
	kind      string
	name      string
	nameRange hcl.Range
}

// checkNames rejects unsafe names and duplicates. Names are compared ignoring
// case because they become file and directory names, and a checkout on a
// case-insensitive file system would merge "GW1" and "gw1". Routers and
// peers share one namespace, since a tunnel end names either.
func checkNames(s *Site) hcl.Diagnostics {
	var diags hcl.Diagnostics
	endpoints := map[string]named{}
	tunnels := map[string]named{}
	add := func(d *hcl.Diagnostic) {
		if d != nil {
			diags = append(diags, d)
		}
	}
	for _, r := range s.Routers {
		add(checkName(endpoints, named{"router", r.Name, r.NameRange}, "Duplicate router name"))
	}
	for _, p := range s.Peers {
		add(checkName(endpoints, named{"peer", p.Name, p.NameRange}, "Duplicate peer name"))
	}
	cas := map[string]named{}
	for _, ca := range s.CAs {
		add(checkName(cas, named{"certificate authority", ca.Name, ca.NameRange}, "Duplicate certificate authority"))
	}
	for _, t := range s.Tunnels {
		add(checkName(tunnels, named{"tunnel", t.Name, t.NameRange}, "Duplicate tunnel name"))
	}
	return diags
}

// checkName checks one name and records it in seen. summary is the
// diagnostic of a duplicate, written out by the caller for each kind.
func checkName(seen map[string]named, n named, summary string) *hcl.Diagnostic {
	if !safeName(n.name) {
		return errorAt(n.nameRange, "Invalid name",
			"The %s name %q cannot be used as a file name. Use 1 to %d letters, digits, '-', '_' or '.', starting with a letter or digit, without \"..\".",
			n.kind, n.name, maxNameLen)
	}
	key := NameKey(n.name)
	if first, dup := seen[key]; dup {
		return errorAt(n.nameRange, summary,
			"A %s named %q was already declared at %s. Names must be unique, ignoring case.",
			first.kind, first.name, where(first.nameRange))
	}
	seen[key] = n
	return nil
}
