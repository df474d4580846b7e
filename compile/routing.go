package compile

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"

	"github.com/vtic/vtic/lang"
)

// StaticRoute is a route into a tunnel's interface. Metric is FRR's
// administrative distance (1-255, lower wins against static and learnt
// routes alike); 0 leaves FRR's default of 1.
type StaticRoute struct {
	Dst    netip.Prefix
	Metric int
}

// PrefixMatch is one prefix list entry: Prefix alone, or with a range of
// lengths (GE, LE; 0 when not given), as FRR's prefix lists read it.
type PrefixMatch struct {
	Prefix netip.Prefix
	GE, LE int
}

// Local preference and AS-path prepends of the two preferences: primary
// beats a session without preference (local preference 100) and backup
// loses to both, in this router's choice; the far end sees a backup's
// routes with a longer AS path (and a worse MED where it compares MEDs).
const (
	LocalPrefPrimary = 200
	LocalPrefBackup  = 50
	BackupPrepends   = 2
	BackupMED        = 200
)

// compileRouting copies a router end's routes and, when the tunnel carries
// a BGP session, its policy into the plan.
func compileRouting(ct *Tunnel, local *lang.End, remotePeer *lang.Peer) {
	for _, r := range local.Routes {
		ct.Routes = append(ct.Routes, StaticRoute{Dst: r.Prefix.Prefix, Metric: int(r.Metric.Value)})
	}
	sort.Slice(ct.Routes, func(i, j int) bool {
		a, b := ct.Routes[i], ct.Routes[j]
		if a.Dst != b.Dst {
			return prefixLess(a.Dst, b.Dst)
		}
		return a.Metric < b.Metric
	})
	if ct.BGP == nil {
		return
	}
	b := ct.BGP
	b.Accept = prefixMatches(local.Accept)
	b.Announce = prefixMatches(local.Announce)
	b.MaxPrefixes = uint32(local.MaxPrefixes.Value)
	b.Preference = local.Preference.Value
	b.MED = b.Preference == lang.PreferenceBackup && (remotePeer == nil || remotePeer.ProviderName() == lang.ProviderAWS)
}

// prefixMatches keeps the user's order (a prefix list is read top down)
// and tells an empty list (written, matching nothing) from none at all.
func prefixMatches(ms []lang.PrefixMatch) []PrefixMatch {
	if ms == nil {
		return nil
	}
	out := make([]PrefixMatch, 0, len(ms))
	for _, m := range ms {
		out = append(out, PrefixMatch{Prefix: m.Prefix, GE: m.GE, LE: m.LE})
	}
	return out
}

// checkRouting is check's part for a tunnel's routes and BGP policy: what
// the FRR renderer writes into a line must be a valid prefix and number.
func checkRouting(t *Tunnel) []error {
	var errs []error
	for _, r := range t.Routes {
		if !r.Dst.IsValid() || r.Dst.Masked() != r.Dst || r.Metric < 0 || r.Metric > 255 {
			errs = append(errs, fmt.Errorf("tunnel %s: route %s metric %d: not a network with a metric of 0-255", t.Name, r.Dst, r.Metric))
		}
	}
	if t.BGP == nil {
		return errs
	}
	for _, m := range append(slices.Clone(t.BGP.Accept), t.BGP.Announce...) {
		bits := m.Prefix.Addr().BitLen()
		if !m.Prefix.IsValid() || m.Prefix.Masked() != m.Prefix || m.GE < 0 || m.LE < 0 || m.GE > bits || m.LE > bits {
			errs = append(errs, fmt.Errorf("tunnel %s: prefix list entry %s ge %d le %d is not valid", t.Name, m.Prefix, m.GE, m.LE))
		}
	}
	switch t.BGP.Preference {
	case "", lang.PreferencePrimary, lang.PreferenceBackup:
	default:
		errs = append(errs, fmt.Errorf("tunnel %s: preference %q", t.Name, t.BGP.Preference))
	}
	return errs
}
