package awsimport

import (
	"cmp"
	"fmt"
	"net/netip"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Options says how the imported VPN fits into the site.
type Options struct {
	// Router is the name of the router block the tunnels end on. Required.
	Router string
	// Interfaces names the VTI device of each tunnel, in tunnel-number
	// order. Default: vti1, vti2, ...
	Interfaces []string
	// NamePrefix names peers and tunnels NAMEPREFIX-t1, NAMEPREFIX-t2, ...
	// (tunnel numbers as AWS gives them). It must be a safe name. Default:
	// the VPN connection ID, lowercased, such as "vpn-05e0fe17".
	NamePrefix string
	// SecretsDir is where key files go, relative to the site directory,
	// with '/' separators. Default: "secrets".
	SecretsDir string
	// ExpectOutside is the router's outside address. When set, each
	// tunnel's Customer Gateway outside address that is a valid address
	// must equal it, and a redacted one is only a warning. When unset,
	// every tunnel needs a valid Customer Gateway outside address.
	ExpectOutside netip.Addr
	// ExpectASN, when not 0, is the router's ASN; a BGP VPN must name it
	// as the Customer Gateway ASN.
	ExpectASN uint32
}

// Result is the generated site content, ready for WriteSite.
type Result struct {
	HCL []byte
	// Secrets maps key file paths, relative to the site directory with
	// '/' separators, to their content: the key and a newline.
	Secrets map[string][]byte
	// Names are the peer and tunnel names, one per tunnel, in order.
	Names []string
	// Warnings are problems that did not stop the import, such as a
	// redacted outside address that could not be checked.
	Warnings []*Error
}

// Generate renders cfg as vtic site HCL. cfg should come from a Parse that
// returned no error; Generate still refuses values it cannot render rather
// than writing a file the decoder would reject.
func Generate(cfg *Config, opts Options) (*Result, error) {
	errs := errorList{name: cfg.Name}
	res := &Result{Secrets: map[string][]byte{}}

	if opts.Router == "" {
		errs.add(0, "no router name given")
	}
	if len(cfg.Tunnels) == 0 {
		errs.add(0, "no tunnels to import")
	}
	prefix := opts.NamePrefix
	switch {
	case prefix != "":
		if err := checkSafeName("name prefix", prefix); err != nil {
			errs.add(0, "%v", err)
		}
	case cfg.VPNConnectionID.Set():
		prefix = prefixFromID(cfg.VPNConnectionID.Value)
		if prefix == "" {
			errs.add(cfg.VPNConnectionID.Line, "VPN Connection ID %q gives no usable name; choose a name prefix", cfg.VPNConnectionID.Value)
		}
	default:
		errs.add(0, "no VPN Connection ID to name the tunnels after; choose a name prefix")
	}
	secretsDir, err := cleanSecretsDir(opts.SecretsDir)
	if err != nil {
		errs.add(0, "%v", err)
	}
	ifaces := opts.Interfaces
	if ifaces == nil {
		for i := range cfg.Tunnels {
			ifaces = append(ifaces, "vti"+strconv.Itoa(i+1))
		}
	}
	if len(ifaces) != len(cfg.Tunnels) {
		errs.add(0, "%d interface names given for %d tunnels", len(ifaces), len(cfg.Tunnels))
	}
	seenIface := map[string]bool{}
	for _, name := range ifaces {
		if err := checkInterface(name); err != nil {
			errs.add(0, "%v", err)
		}
		if seenIface[name] {
			errs.add(0, "interface %q is given twice", name)
		}
		seenIface[name] = true
	}
	if err := errs.err(); err != nil {
		return nil, err
	}

	var tunnels []renderTunnel
	for i, t := range cfg.Tunnels {
		name := prefix + "-t" + strconv.Itoa(t.Number)
		if err := checkSafeName("tunnel name", name); err != nil {
			errs.add(t.Line, "%v", err)
		}
		if strings.EqualFold(name, opts.Router) { // the site compares names ignoring case
			errs.add(t.Line, "tunnel name %q is the router's name; choose another name prefix", name)
		}
		checkRenderable(t, &errs)
		checkRouter(t, opts, &errs, res)
		keyPath := path.Join(secretsDir, name+".psk")
		res.Secrets[keyPath] = []byte(t.PSK.Value + "\n")
		res.Names = append(res.Names, name)
		tunnels = append(tunnels, renderTunnel{t: t, name: name, iface: ifaces[i], keyPath: keyPath})
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(res.Warnings, func(a, b *Error) int { return cmp.Compare(a.Line, b.Line) })
	res.HCL = renderHCL(cfg, opts.Router, tunnels)
	return res, nil
}

// checkRenderable guards against a Config that did not come from a clean
// Parse: without these values the output would not decode.
func checkRenderable(t *Tunnel, errs *errorList) {
	if t.PSK.Value == "" {
		errs.add(t.Line, "IPSec Tunnel #%d has no Pre-Shared Key", t.Number)
	}
	if !t.VGWOutside.Value.IsValid() {
		errs.add(t.Line, "IPSec Tunnel #%d has no Virtual Private Gateway outside address", t.Number)
	}
	if !t.CGWInside.Value.IsValid() || !t.VGWInside.Value.IsValid() {
		errs.add(t.Line, "IPSec Tunnel #%d lacks an inside address", t.Number)
	}
	if t.BGP != nil && t.BGP.VGWASN.Value <= 0 {
		errs.add(t.Line, "IPSec Tunnel #%d has BGP settings but no Virtual Private Gateway ASN", t.Number)
	}
}

// checkRouter compares what AWS knows about the customer gateway with what
// the caller knows about the router.
func checkRouter(t *Tunnel, opts Options, errs *errorList, res *Result) {
	cgw := t.CGWOutside
	switch {
	case opts.ExpectOutside.IsValid() && !cgw.Set():
	case opts.ExpectOutside.IsValid() && !cgw.Value.IsValid():
		res.Warnings = append(res.Warnings, &Error{Name: errs.name, Line: cgw.Line,
			Msg: fmt.Sprintf("Customer Gateway outside address %q is not an IP address (redacted?); not checked against the router's %s", cgw.Raw, opts.ExpectOutside)})
	case opts.ExpectOutside.IsValid():
		if cgw.Value != opts.ExpectOutside.Unmap() {
			errs.add(cgw.Line, "Customer Gateway outside address %s is not the router's outside address %s; is this the configuration for another router?",
				cgw.Value, opts.ExpectOutside)
		}
	case !cgw.Set():
		errs.add(t.Line, "IPSec Tunnel #%d has no Customer Gateway outside address; give the router's outside address to import it", t.Number)
	case !cgw.Value.IsValid():
		errs.add(cgw.Line, "Customer Gateway outside address %q is not an IP address (redacted?); give the router's outside address to import it", cgw.Raw)
	}
	if opts.ExpectASN != 0 && t.BGP != nil && t.BGP.CGWASN.Set() && t.BGP.CGWASN.Value != int64(opts.ExpectASN) {
		errs.add(t.BGP.CGWASN.Line, "Customer Gateway ASN %d is not the router's ASN %d", t.BGP.CGWASN.Value, opts.ExpectASN)
	}
}
