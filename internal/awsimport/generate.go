package awsimport

import (
	"net/netip"
	"path"
	"path/filepath"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/vtic/vtic/lang"
)

// Options says how the imported VPN fits into the site.
type Options struct {
	// Router is the name of the router block the tunnels end on. Required.
	Router string
	// Interfaces names the VTI device of each tunnel, in tunnel-number
	// order. Default: the first free ones on the router in Site (see
	// freeInterfaces), or vti1, vti2, ... without a Site.
	Interfaces []string
	// Site is the site the tunnels join, for picking free interfaces.
	Site *lang.Site
	// NamePrefix names peers and tunnels NAMEPREFIX-t1, NAMEPREFIX-t2, ...
	// (tunnel numbers as AWS gives them). It must be a valid name. Default:
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
	// FileName is the name the HCL file is given in the site directory:
	// aws-NAMEPREFIX.hcl, after the peers and tunnels it holds.
	FileName string
}

// Generate renders cfg as vtic site HCL. cfg should come from a Parse that
// reported no errors; Generate still refuses values it cannot render rather
// than writing a file the decoder would reject. The result is nil when
// there are errors; warnings (such as a redacted outside address that could
// not be checked) come with a result.
func Generate(cfg *Config, opts Options) (*Result, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	add := func(d *hcl.Diagnostic) { diags = append(diags, d) }

	if opts.Router == "" {
		add(errorNoSubject("Missing router name", "Name the router block the tunnels end on."))
	}
	if len(cfg.Tunnels) == 0 {
		add(errorNoSubject("No IPsec tunnels", "%s holds no tunnels to import.", cfg.Name))
	}
	prefix := opts.NamePrefix
	switch {
	case prefix != "":
		if !lang.ValidName(prefix) {
			add(errorNoSubject("Invalid name prefix",
				"The name prefix %q cannot start a peer or tunnel name. Use 1 to %d letters, digits, '-', '_' or '.', starting with a letter or digit, without \"..\".",
				prefix, lang.MaxNameLen-5))
		}
	case cfg.VPNConnectionID.Set():
		prefix = prefixFromID(cfg.VPNConnectionID.Value)
		if prefix == "" {
			add(errorAt(cfg.VPNConnectionID.Range, "Unusable VPN connection ID",
				"The VPN Connection ID %q gives no usable peer and tunnel names. Choose a name prefix.", cfg.VPNConnectionID.Value))
		}
	default:
		add(errorNoSubject("Missing VPN connection ID",
			"%s has no VPN Connection ID to name the peers and tunnels after. Choose a name prefix.", cfg.Name))
	}
	secretsDir, ok := cleanSecretsDir(opts.SecretsDir)
	if !ok {
		add(errorNoSubject("Secrets directory outside the site",
			"The secrets directory %q must be relative to the site directory and stay inside it, since the site refers to keys by such paths.", opts.SecretsDir))
	}
	ifaces := opts.Interfaces
	if ifaces == nil && opts.Site != nil && prefix != "" {
		var names []string
		for _, t := range cfg.Tunnels {
			names = append(names, prefix+"-t"+strconv.Itoa(t.Number))
		}
		ifaces = freeInterfaces(opts.Site, opts.Router, names)
	}
	if ifaces == nil {
		for i := range cfg.Tunnels {
			ifaces = append(ifaces, "vti"+strconv.Itoa(i+1))
		}
	}
	if len(ifaces) != len(cfg.Tunnels) {
		add(errorNoSubject("Wrong number of interfaces",
			"%d interface names are given for %d tunnels. Give one VTI name per tunnel, in tunnel order.", len(ifaces), len(cfg.Tunnels)))
	}
	diags = append(diags, checkInterfaces(ifaces)...)
	if diags.HasErrors() {
		return nil, diags
	}

	res := &Result{Secrets: map[string][]byte{}, FileName: "aws-" + prefix + ".hcl"}
	var tunnels []renderTunnel
	for i, t := range cfg.Tunnels {
		name := prefix + "-t" + strconv.Itoa(t.Number)
		if !lang.ValidName(name) {
			add(errorAt(t.Range, "Invalid tunnel name",
				"The peer and tunnel name %q for IPSec Tunnel #%d cannot be a file name. Choose a shorter name prefix; names are at most %d bytes.",
				name, t.Number, lang.MaxNameLen))
		}
		if lang.NameKey(name) == lang.NameKey(opts.Router) {
			add(errorAt(t.Range, "Peer name taken by the router",
				"The peer for IPSec Tunnel #%d would be named %q, which is the router's name (names are compared ignoring case). Choose another name prefix.",
				t.Number, name))
		}
		diags = append(diags, checkRenderable(t)...)
		diags = append(diags, checkRouter(t, opts)...)
		keyPath := path.Join(secretsDir, name+".psk")
		if !lang.LocalSecretPath(filepath.FromSlash(keyPath)) {
			add(errorNoSubject("Secrets directory outside the site",
				"The key file %q must stay inside the site directory. Choose another secrets directory.", keyPath))
		}
		res.Secrets[keyPath] = []byte(t.PSK.Value + "\n")
		res.Names = append(res.Names, name)
		tunnels = append(tunnels, renderTunnel{t: t, name: name, iface: ifaces[i], keyPath: keyPath})
	}
	sortDiags(diags)
	if diags.HasErrors() {
		return nil, diags
	}
	res.HCL = renderHCL(cfg, opts.Router, tunnels)
	return res, diags
}

// checkInterfaces holds the VTI names to the site language's rules: a
// valid interface name, and one a mark can be derived from, since the
// generated tunnels leave the mark out.
func checkInterfaces(ifaces []string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]bool{}
	for _, name := range ifaces {
		switch _, derivable := lang.DerivedMark(name); {
		case !lang.ValidInterfaceName(name):
			diags = append(diags, errorNoSubject("Invalid interface name",
				"%q cannot be a Linux interface name: use 1 to %d bytes of letters, digits, '-', '_' or '.', not starting with '-', and not \"all\" or \"default\".",
				name, lang.MaxInterfaceNameLen))
		case !derivable:
			diags = append(diags, errorNoSubject("Cannot derive mark",
				"The imported tunnels take their mark from the interface, which must then be named vtiN (N from 1); %q is not.", name))
		case seen[name]:
			diags = append(diags, errorNoSubject("Duplicate interface",
				"The interface %q is given twice. Give each tunnel its own VTI.", name))
		}
		seen[name] = true
	}
	return diags
}

// missingValue is the error for a value a tunnel lacks.
func missingValue(t *Tunnel, summary, what string) *hcl.Diagnostic {
	return errorAt(t.Range, summary, "IPSec Tunnel #%d has no %s. %s", t.Number, what, downloadAgain)
}

// checkRenderable guards against a Config that did not come from a clean
// Parse: without these values the output would not decode.
func checkRenderable(t *Tunnel) hcl.Diagnostics {
	var diags hcl.Diagnostics
	missing := func(d *hcl.Diagnostic) { diags = append(diags, d) }
	if t.PSK.Value == "" {
		missing(missingValue(t, "Missing pre-shared key", "Pre-Shared Key"))
	}
	if !t.VGWOutside.Value.IsValid() {
		missing(missingValue(t, "Missing outside address", "Virtual Private Gateway outside address"))
	}
	if !t.CGWInside.Value.IsValid() || !t.VGWInside.Value.IsValid() {
		missing(missingValue(t, "Missing inside address", "inside address on one of its ends"))
	}
	if t.BGP != nil && t.BGP.VGWASN.Value <= 0 {
		missing(missingValue(t, "Missing AS number", "Virtual Private Gateway ASN, though it has BGP settings"))
	}
	return diags
}

// checkRouter compares what AWS knows about the customer gateway with what
// the caller knows about the router.
func checkRouter(t *Tunnel, opts Options) hcl.Diagnostics {
	var diags hcl.Diagnostics
	cgw := t.CGWOutside
	switch {
	case opts.ExpectOutside.IsValid() && !cgw.Set():
	case opts.ExpectOutside.IsValid() && !cgw.Value.IsValid():
		diags = append(diags, warningAt(cgw.Range, "Customer gateway address not checked",
			"The Customer Gateway outside address %q is not an IP address (redacted?), so it could not be checked against the router's outside address %s. Make sure this configuration is the router's.",
			cgw.Raw, opts.ExpectOutside))
	case opts.ExpectOutside.IsValid():
		if cgw.Value != opts.ExpectOutside.Unmap() {
			diags = append(diags, errorAt(cgw.Range, "Customer gateway is another router",
				"The Customer Gateway outside address %s is not the router's outside address %s. Import the configuration of this router's VPN connection, or name the router it belongs to.",
				cgw.Value, opts.ExpectOutside))
		}
	case !cgw.Set():
		diags = append(diags, errorAt(t.Range, "Missing customer gateway address",
			"IPSec Tunnel #%d has no Customer Gateway outside address. Give the router an outside address so the import can do without it.", t.Number))
	case !cgw.Value.IsValid():
		diags = append(diags, errorAt(cgw.Range, "Redacted customer gateway address",
			"The Customer Gateway outside address %q is not an IP address (redacted?). Give the router an outside address so the import can do without it.", cgw.Raw))
	}
	if opts.ExpectASN != 0 && t.BGP != nil && t.BGP.CGWASN.Set() && t.BGP.CGWASN.Value != int64(opts.ExpectASN) {
		diags = append(diags, errorAt(t.BGP.CGWASN.Range, "AS number is not the router's",
			"The Customer Gateway ASN %d is not the router's ASN %d. Import the configuration of this router's VPN connection, or fix the router's asn.",
			t.BGP.CGWASN.Value, opts.ExpectASN))
	}
	return diags
}
