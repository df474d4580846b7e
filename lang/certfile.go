package lang

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// CertFile is an X.509 certificate read with file("path"): its PEM text
// and, when it parsed, the certificate.
type CertFile struct {
	Ref   string // the path as written
	PEM   []byte // one CERTIFICATE block, as read
	Cert  *x509.Certificate
	Range hcl.Range
	// Resolved is false when the file could not be read and the load
	// allowed it (diff mode).
	Resolved bool
}

// KeyFile is a private key read with file("path"). Its bytes are a
// secret: they never appear in diagnostics, diffs or logs.
type KeyFile struct {
	Secret *Secret
	Key    crypto.Signer // nil when unresolved or unparsable
}

var certKind = fileKind{create: "Create it with the PEM certificate (vtic pki makes a lab authority and router certificates).",
	holds: "a certificate file holds one PEM certificate"}

var keyKind = fileKind{create: "Create it (mode 0600) with the router's PEM private key (vtic pki makes one).",
	holds: "a key file holds one PEM private key", secret: true}

// siteFile decodes an attribute that must be file("path") and reads it.
func (d *decoder) siteFile(attr *hcl.Attribute, k fileKind) (ref string, data []byte, resolved bool, diags hcl.Diagnostics) {
	rng := attr.Expr.Range()
	call, cd := hcl.ExprCall(attr.Expr)
	if cd.HasErrors() || call.Name != "file" || len(call.Arguments) != 1 {
		return "", nil, false, hcl.Diagnostics{errorAt(rng, "Invalid file reference",
			"The argument %q must be file(\"path\"), a path relative to the site directory.", attr.Name)}
	}
	arg, ds := evalConstant(call.Arguments[0])
	if ds.HasErrors() || arg.IsNull() || arg.Type() != cty.String {
		return "", nil, false, hcl.Diagnostics{errorAt(call.Arguments[0].Range(), "Invalid function argument",
			"file() takes a literal string.")}
	}
	ref = arg.AsString()
	b, problem, warn := d.readSiteFile(ref, call.Arguments[0].Range(), k)
	diags = append(diags, warn...)
	if problem != nil {
		if d.opts.AllowUnresolvedSecrets && problem.Summary != "Secret file outside the site" {
			return ref, nil, false, diags
		}
		return ref, nil, false, append(diags, problem)
	}
	return ref, b, true, diags
}

// certFile decodes cert = file("path") and parses the certificate.
func (d *decoder) certFile(attr *hcl.Attribute) (*CertFile, hcl.Diagnostics) {
	ref, b, ok, diags := d.siteFile(attr, certKind)
	c := &CertFile{Ref: ref, Range: attr.Expr.Range(), Resolved: ok}
	if !ok {
		if diags.HasErrors() {
			return nil, diags
		}
		return c, diags
	}
	block, rest := pem.Decode(b)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, append(diags, errorAt(c.Range, "Invalid certificate",
			"%q holds no PEM certificate (a block \"-----BEGIN CERTIFICATE-----\").", ref))
	}
	if next, _ := pem.Decode(rest); next != nil {
		return nil, append(diags, errorAt(c.Range, "Invalid certificate",
			"%q holds more than one PEM block; give one certificate per file.", ref))
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, append(diags, errorAt(c.Range, "Invalid certificate", "%q cannot be parsed: %s.", ref, err))
	}
	c.PEM, c.Cert = pem.EncodeToMemory(block), cert
	return c, diags
}

// keyFile decodes key = file("path") and parses the private key. Nothing
// of the key's content is ever quoted.
func (d *decoder) keyFile(attr *hcl.Attribute) (*KeyFile, hcl.Diagnostics) {
	ref, b, ok, diags := d.siteFile(attr, keyKind)
	rng := attr.Expr.Range()
	k := &KeyFile{Secret: &Secret{Source: SecretFile, Ref: ref, Range: rng}}
	if !ok {
		if diags.HasErrors() {
			return nil, diags
		}
		return k, diags
	}
	block, _ := pem.Decode(b)
	var key any
	var err error = errNoPEM
	if block != nil {
		switch block.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(block.Bytes)
		}
	}
	signer, isSigner := key.(crypto.Signer)
	switch key.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey:
	default:
		isSigner = false
	}
	if err != nil || !isSigner {
		return nil, append(diags, errorAt(rng, "Invalid private key",
			"%q holds no unencrypted PEM private key (PKCS#8, PKCS#1 RSA or SEC 1 EC). vtic cannot use encrypted keys.", ref))
	}
	k.Key = signer
	k.Secret.Value, k.Secret.Resolved = pem.EncodeToMemory(block), true
	return k, diags
}

type pemError string

func (e pemError) Error() string { return string(e) }

const errNoPEM = pemError("no PEM block")
