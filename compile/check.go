package compile

import (
	"errors"
	"fmt"

	"github.com/vtic/vtic/lang"
)

// checkRefs checks what Compile relies on and lang's validation already
// guarantees: every block present, two ends per tunnel that name a router or
// a peer, a pre-shared key, a mark and known options. It catches a site
// built or changed outside lang, which would otherwise make Compile panic or
// write a plan with holes. It returns every problem it finds, or each
// tunnel's mark in the order of site.Tunnels.
func checkRefs(site *lang.Site) ([]uint32, error) {
	var errs []error
	// Site.Router and Site.Peer index every block by name: a nil block
	// must be caught before either is called.
	routers := make(map[string]bool, len(site.Routers))
	for i, r := range site.Routers {
		switch {
		case r == nil:
			errs = append(errs, fmt.Errorf("router %d of %d is missing", i+1, len(site.Routers)))
		case routers[r.Name]:
			errs = append(errs, fmt.Errorf("router %q is declared twice", r.Name))
		default:
			routers[r.Name] = true
		}
	}
	for i, p := range site.Peers {
		if p == nil {
			errs = append(errs, fmt.Errorf("peer %d of %d is missing", i+1, len(site.Peers)))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	marks := make([]uint32, len(site.Tunnels))
	for i, t := range site.Tunnels {
		if t == nil {
			errs = append(errs, fmt.Errorf("tunnel %d of %d is missing", i+1, len(site.Tunnels)))
			continue
		}
		var ts []error
		marks[i], ts = checkTunnel(site, t)
		errs = append(errs, ts...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return marks, nil
}

func checkTunnel(site *lang.Site, t *lang.Tunnel) (uint32, []error) {
	var errs []error
	if len(t.Ends) != 2 {
		errs = append(errs, tunnelError(t, "has %d ends, not 2", len(t.Ends)))
	}
	router := false
	for i, e := range t.Ends {
		switch {
		case e == nil:
			errs = append(errs, tunnelError(t, "end %d is missing", i+1))
		case site.Router(e.Name) != nil:
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
	if t.PSK == nil {
		errs = append(errs, tunnelError(t, "has no pre-shared key"))
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
