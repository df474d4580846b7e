package compile

import (
	"errors"
	"fmt"

	"github.com/vtic/vtic/lang"
)

// Compile relies on what lang's validation guarantees: every block present,
// router names unique, two ends per tunnel that name a router or a peer, a
// pre-shared key, a mark and known options. It checks each of them anyway,
// so that a site built or changed outside lang gives an error naming the
// problem instead of a panic or a plan with holes. Every problem found is
// reported.

// checkBlocks finds missing routers and peers. Site.Router and Site.Peer
// index every block by name, so this runs before either is called.
func checkBlocks(site *lang.Site) error {
	var errs []error
	for i, r := range site.Routers {
		if r == nil {
			errs = append(errs, fmt.Errorf("router %d of %d is missing", i+1, len(site.Routers)))
		}
	}
	for i, p := range site.Peers {
		if p == nil {
			errs = append(errs, fmt.Errorf("peer %d of %d is missing", i+1, len(site.Peers)))
		}
	}
	return errors.Join(errs...)
}

// checkTunnel checks the i-th tunnel of the site and returns its mark.
// hosts holds the site's routers by name.
func checkTunnel(site *lang.Site, hosts map[string]*Host, i int, t *lang.Tunnel) (uint32, []error) {
	if t == nil {
		return 0, []error{fmt.Errorf("tunnel %d of %d is missing", i+1, len(site.Tunnels))}
	}
	var errs []error
	if len(t.Ends) != 2 {
		errs = append(errs, tunnelError(t, "has %d ends, not 2", len(t.Ends)))
	}
	router := false
	for i, e := range t.Ends {
		switch {
		case e == nil:
			errs = append(errs, tunnelError(t, "end %d is missing", i+1))
		case hosts[e.Name] != nil:
			router = true
		case site.Peer(e.Name) == nil:
			errs = append(errs, tunnelError(t, "end %q names no router or peer", e.Name))
		}
	}
	if len(errs) > 0 {
		return 0, errs // the checks below follow the ends
	}
	if !router {
		errs = append(errs, tunnelError(t, "neither end is a router"))
	}
	mark, ok := site.MarkOf(t)
	if !ok {
		errs = append(errs, tunnelError(t, "has no usable mark"))
	}
	if t.PSK == nil && site.AuthOf(t) == lang.AuthPSK {
		errs = append(errs, tunnelError(t, "has no pre-shared key"))
	}
	if site.AuthOf(t) == lang.AuthPubkey {
		for _, e := range t.Ends {
			if r := site.Router(e.Name); r != nil && (r.Cert == nil || r.Key == nil) {
				errs = append(errs, tunnelError(t, "authenticates with certificates, but router %q has none", e.Name))
			}
		}
	}
	for _, kv := range t.Options {
		if _, ok := lang.LookupOption(kv.Key); !ok {
			errs = append(errs, tunnelError(t, "has the unknown option %q", kv.Key))
		}
	}
	return mark, errs
}

func tunnelError(t *lang.Tunnel, format string, args ...any) error {
	return fmt.Errorf("tunnel %q: %s", t.Name, fmt.Sprintf(format, args...))
}
