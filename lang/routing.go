package lang

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Preference values of a router end's BGP session.
const (
	PreferencePrimary = "primary"
	PreferenceBackup  = "backup"
)

// StaticRoute is one entry of a router end's routes: a prefix the router
// sends into the tunnel's interface, with an optional metric (FRR's
// administrative distance, 1-255; lower wins).
type StaticRoute struct {
	Prefix Prefix
	Metric Num
	Range  hcl.Range // the whole entry
}

// PrefixMatch is one entry of an accept or announce list, written the way
// FRR's prefix lists read: "10.0.0.0/8", "10.0.0.0/8 le 24",
// "10.0.0.0/8 ge 16 le 24". GE and LE are 0 when not given.
type PrefixMatch struct {
	Prefix netip.Prefix
	GE, LE int
	Text   string
	Range  hcl.Range
}

// Matches reports whether the prefix list entry permits p, with FRR's
// semantics: without ge and le only the prefix itself; otherwise any
// prefix inside it whose length lies within [ge or the entry's length,
// le or the family's maximum].
func (m PrefixMatch) Matches(p netip.Prefix) bool {
	if !m.Prefix.IsValid() || !p.IsValid() || m.Prefix.Addr().Is4() != p.Addr().Is4() {
		return false
	}
	if p.Bits() < m.Prefix.Bits() || !m.Prefix.Contains(p.Addr()) {
		return false
	}
	if m.GE == 0 && m.LE == 0 {
		return p.Bits() == m.Prefix.Bits()
	}
	lo, hi := m.Prefix.Bits(), p.Addr().BitLen()
	if m.GE != 0 {
		lo = m.GE
	}
	if m.LE != 0 {
		hi = m.LE
	}
	return p.Bits() >= lo && p.Bits() <= hi
}

// String is the entry in FRR's order: prefix, ge, le.
func (m PrefixMatch) String() string {
	s := m.Prefix.String()
	if m.GE != 0 {
		s += " ge " + strconv.Itoa(m.GE)
	}
	if m.LE != 0 {
		s += " le " + strconv.Itoa(m.LE)
	}
	return s
}

// prefixMatchList decodes accept = [...] or announce = [...] on an end.
func (d *decoder) prefixMatchList(attr *hcl.Attribute) ([]PrefixMatch, hcl.Diagnostics) {
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{errorAt(attr.Expr.Range(), "Incorrect attribute value type",
			"The argument %q must be a list of prefix list entries, such as [\"10.0.0.0/8 le 24\"].", attr.Name)}
	}
	var out []PrefixMatch
	for _, e := range exprs {
		s, ds := d.str(&hcl.Attribute{Name: attr.Name, Expr: e, Range: e.Range()})
		diags = append(diags, ds...)
		if ds.HasErrors() {
			continue
		}
		m, ok := parsePrefixMatch(s.Value)
		if !ok {
			diags = append(diags, errorAt(s.Range, "Invalid prefix list entry",
				"%q is not a prefix list entry. Write a prefix, optionally followed by \"ge N\" and \"le N\", such as \"10.0.0.0/8 le 24\".", s.Value))
			continue
		}
		m.Text, m.Range = s.Value, s.Range
		out = append(out, m)
	}
	return out, diags
}

// parsePrefixMatch reads "PREFIX [ge N] [le N]". Lengths beyond the
// family's maximum parse; the rules say why they cannot match.
func parsePrefixMatch(s string) (PrefixMatch, bool) {
	f := strings.Fields(s)
	if len(f) == 0 || len(f)%2 == 0 {
		return PrefixMatch{}, false
	}
	p, err := netip.ParsePrefix(f[0])
	if err != nil || p.Addr().Zone() != "" {
		return PrefixMatch{}, false
	}
	m := PrefixMatch{Prefix: p}
	for i := 1; i < len(f); i += 2 {
		n, err := strconv.Atoi(f[i+1])
		if err != nil || n < 0 || n > 1000 || f[i+1] != strconv.Itoa(n) {
			return PrefixMatch{}, false
		}
		switch {
		case f[i] == "ge" && m.GE == 0 && m.LE == 0 && n > 0:
			m.GE = n
		case f[i] == "le" && m.LE == 0 && n > 0:
			m.LE = n
		default:
			return PrefixMatch{}, false
		}
	}
	return m, true
}

// routeList decodes routes = [...]: each entry is a prefix string or an
// object { prefix = "…", metric = N }.
func (d *decoder) routeList(attr *hcl.Attribute) ([]StaticRoute, hcl.Diagnostics) {
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{errorAt(attr.Expr.Range(), "Incorrect attribute value type",
			"The argument %q must be a list of routes, such as [\"10.0.0.0/8\", { prefix = \"10.9.0.0/16\", metric = 200 }].", attr.Name)}
	}
	var out []StaticRoute
	for _, e := range exprs {
		pairs, pd := hcl.ExprMap(e)
		if pd.HasErrors() {
			p, ds := d.prefix(&hcl.Attribute{Name: "prefix", Expr: e, Range: e.Range()})
			diags = append(diags, ds...)
			if !ds.HasErrors() {
				out = append(out, StaticRoute{Prefix: p, Range: e.Range()})
			}
			continue
		}
		r := StaticRoute{Range: e.Range()}
		ok, hasPrefix := true, false
		for _, kv := range pairs {
			key := hcl.ExprAsKeyword(kv.Key)
			a := &hcl.Attribute{Name: key, Expr: kv.Value, Range: kv.Value.Range()}
			var ds hcl.Diagnostics
			switch key {
			case "prefix":
				r.Prefix, ds = d.prefix(a)
				hasPrefix = true
			case "metric":
				r.Metric, ds = d.num(a, 1<<32, "from 1 to 255")
			default:
				ds = hcl.Diagnostics{errorAt(kv.Key.Range(), "Unknown route attribute",
					"A route is { prefix = \"10.9.0.0/16\" } with an optional metric = N; %q is not one of those.", key)}
			}
			diags = append(diags, ds...)
			ok = ok && !ds.HasErrors()
		}
		if !hasPrefix {
			diags = append(diags, errorAt(e.Range(), "Missing route prefix",
				"Every route needs prefix = \"ADDRESS/LENGTH\", the destination sent into the tunnel."))
			ok = false
		}
		if ok {
			out = append(out, r)
		}
	}
	return out, diags
}

// decodeEndRouting decodes the routing attributes of an end block.
func (d *decoder) decodeEndRouting(e *End, content *hcl.BodyContent) hcl.Diagnostics {
	var diags, ds hcl.Diagnostics
	if a, ok := content.Attributes["routes"]; ok {
		e.Routes, ds = d.routeList(a)
		e.RoutesRange = a.Expr.Range()
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["accept"]; ok {
		e.Accept, ds = d.prefixMatchList(a)
		e.Accept = append([]PrefixMatch{}, e.Accept...) // written: not nil, even when empty
		e.AcceptRange = a.Expr.Range()
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["announce"]; ok {
		e.Announce, ds = d.prefixMatchList(a)
		e.Announce = append([]PrefixMatch{}, e.Announce...)
		e.AnnounceRange = a.Expr.Range()
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["max_prefixes"]; ok {
		e.MaxPrefixes, ds = d.num(a, 1<<32, "from 1 to 4294967295")
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["preference"]; ok {
		e.Preference, ds = d.str(a)
		diags = append(diags, ds...)
		if !ds.HasErrors() && e.Preference.Value != PreferencePrimary && e.Preference.Value != PreferenceBackup {
			diags = append(diags, errorAt(e.Preference.Range, "Unknown preference",
				"The preference %q is not known. Use \"primary\" (preferred over the router's other sessions) or \"backup\" (used only when no other path exists).", e.Preference.Value))
			e.Preference = Str{}
		}
	}
	return diags
}
