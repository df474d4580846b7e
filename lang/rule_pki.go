package lang

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// ExpiryWarning is how long before a certificate expires vtic validate
// starts warning about it.
const ExpiryWarning = 30 * 24 * time.Hour

// checkPKI checks the site's authorities, the routers' certificates and
// keys, and every identity written, whatever the tunnels use.
func checkPKI(s *Site) hcl.Diagnostics {
	now := time.Now()
	if s.now != nil {
		now = s.now()
	}
	var diags hcl.Diagnostics
	for _, ca := range s.CAs {
		if ca == nil || ca.Cert == nil || ca.Cert.Cert == nil {
			continue
		}
		c := ca.Cert.Cert
		if !c.IsCA || !c.BasicConstraintsValid {
			diags = append(diags, errorAt(ca.Cert.Range, "Not a certificate authority",
				"The certificate in %q of the authority %q is not a CA certificate (its basic constraints do not say CA:TRUE). Give the authority's own certificate.", ca.Cert.Ref, ca.Name))
		}
		diags = append(diags, checkExpiry(ca.Cert, "authority "+ca.Name, now)...)
	}
	for _, r := range s.Routers {
		if r == nil {
			continue
		}
		diags = append(diags, checkRouterCert(s, r, now)...)
	}
	for _, p := range s.Peers {
		if p != nil && p.ID.Set {
			diags = append(diags, checkIdentitySyntax(p.ID)...)
		}
	}
	return diags
}

func checkRouterCert(s *Site, r *Router, now time.Time) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if r.ID.Set {
		diags = append(diags, checkIdentitySyntax(r.ID)...)
	}
	switch {
	case r.hasCert != r.hasKey && (r.Cert != nil || r.Key != nil):
		if r.Cert != nil {
			return append(diags, errorAt(r.Cert.Range, "Incomplete certificate",
				"The router %q has a cert but no key. Give its private key too: key = file(\"pki/%s.key\").", r.Name, r.Name))
		}
		return append(diags, errorAt(r.Key.Secret.Range, "Incomplete certificate",
			"The router %q has a key but no cert. Give its certificate too: cert = file(\"pki/%s.crt\").", r.Name, r.Name))
	case r.Cert == nil || r.Cert.Cert == nil || r.Key == nil:
		return diags
	}
	c := r.Cert.Cert
	if r.Key.Key != nil && !publicKeyMatches(c, r.Key) {
		diags = append(diags, errorAt(r.Key.Secret.Range, "Key does not match certificate",
			"The private key %s of the router %q is not the key of its certificate %q. Give the key the certificate was issued for.", r.Key.Secret, r.Name, r.Cert.Ref))
	}
	if len(s.CAs) > 0 && !issuedBySite(s, c) {
		diags = append(diags, errorAt(r.Cert.Range, "Certificate not issued by the site's authority",
			"The certificate %q of the router %q is not signed by any ca block of the site (%s), so the other routers would refuse it. Issue it from the site's authority (vtic pki) or declare its issuer with ca \"NAME\" { cert = file(\"…\") }.", r.Cert.Ref, r.Name, caNames(s)))
	}
	diags = append(diags, checkExpiry(r.Cert, "router "+r.Name, now)...)
	if id := r.Identity(); id != "" && !(r.ID.Set && invalidIdentity(id)) && !CertHasIdentity(c, id) {
		rng, how := r.Cert.Range, fmt.Sprintf("its outside address %s, the identity it presents without an id,", id)
		if r.ID.Set {
			rng, how = r.ID.Range, fmt.Sprintf("its id %q", id)
		}
		diags = append(diags, errorAt(rng, "Identity not in certificate",
			"The certificate %q of the router %q does not bind %s, so the other end would refuse it. It binds: %s. Set id to one of them, or issue a certificate for the identity.", r.Cert.Ref, r.Name, how, identityList(c)))
	}
	return diags
}

// checkAuth checks a tunnel's authentication: a pre-shared key for psk,
// certificates on both router ends and an authority for pubkey, and the
// identities its ends expect.
func checkAuth(ix *index, t *Tunnel, eps []endpoint) hcl.Diagnostics {
	if t.badAuth {
		return nil // which rules apply is unknown
	}
	var diags hcl.Diagnostics
	method := ix.site.AuthOf(t)
	// A mesh's tunnels get its psk; the mesh block says when it has none.
	hasPSK := t.hasPSK || t.PSK != nil || t.Mesh != ""
	switch {
	case method == AuthPSK && !hasPSK:
		diags = append(diags, errorAt(t.DeclRange, "Missing pre-shared key",
			"The tunnel %q has no psk. Give one with psk = file(\"secrets/%s.psk\") or psk = env(\"NAME\"), or use certificates with auth = \"pubkey\".", t.Name, t.Name))
	case method == AuthPubkey && hasPSK:
		rng := t.DeclRange
		if t.PSK != nil {
			rng = t.PSK.Range
		}
		diags = append(diags, errorAt(rng, "Pre-shared key not used",
			"The tunnel %q authenticates with certificates (auth = \"pubkey\"), so its psk would never be used. Remove the psk, or set auth = \"psk\".", t.Name))
	}
	if method == AuthPubkey {
		if len(ix.site.CAs) == 0 {
			rng := t.NameRange
			if t.Auth.Set {
				rng = t.Auth.Range
			}
			diags = append(diags, errorAt(rng, "Missing certificate authority",
				"The tunnel %q authenticates with certificates, but the site declares no authority to check them against. Add ca \"NAME\" { cert = file(\"pki/ca.crt\") } (vtic pki makes one).", t.Name))
		}
		for _, ep := range eps {
			if ep.router != nil && !ep.router.hasCert {
				diags = append(diags, errorAt(ep.end.NameRange, "Missing certificate",
					"The tunnel %q authenticates with certificates, but the router %q has none. Give it cert = file(\"pki/%s.crt\") and key = file(\"pki/%s.key\").", t.Name, ep.router.Name, ep.router.Name, ep.router.Name))
			}
		}
		for _, kv := range t.Options {
			if kv.Key == "local_id" || kv.Key == "remote_id" {
				diags = append(diags, errorAt(kv.KeyRange, "Identity option with certificates",
					"The tunnel %q authenticates with certificates, whose identities vtic checks: give the router's identity with id on the router and the other end's with remote_id on this router's end, not the option %s.", t.Name, kv.Key))
			}
		}
	}
	for i, ep := range eps {
		if !ep.end.RemoteID.Set {
			continue
		}
		id := ep.end.RemoteID
		if ep.router == nil {
			diags = append(diags, errorAt(id.Range, "Remote identity on a peer end",
				"remote_id says what a router's end of the tunnel %q accepts from the other end; the peer %q gets no files. Move it to the router's end, or give the peer its identity with id on the peer block.", t.Name, ep.peer.Name))
			continue
		}
		if d := checkIdentitySyntax(id); d != nil {
			diags = append(diags, d...)
			continue
		}
		if len(eps) != 2 || method != AuthPubkey {
			continue
		}
		far := eps[1-i].router
		if far != nil && far.Cert != nil && far.Cert.Cert != nil && !CertHasIdentity(far.Cert.Cert, id.Value) {
			diags = append(diags, errorAt(id.Range, "Identity not in certificate",
				"The router %q presents the certificate %q, which does not bind %q, so this end would refuse it. It binds: %s.", far.Name, far.Cert.Ref, id.Value, identityList(far.Cert.Cert)))
		}
	}
	return diags
}

func checkIdentitySyntax(id Str) hcl.Diagnostics {
	if kind, why := ParseIdentity(id.Value); kind == IdentityInvalid {
		return hcl.Diagnostics{errorAt(id.Range, "Invalid identity",
			"%q is not an identity vtic accepts: %s. Use an IP address, a host name such as \"gw1.example.net\", or a distinguished name such as \"C=CH, O=Example, CN=gw1\".", id.Value, why)}
	}
	return nil
}

func invalidIdentity(id string) bool {
	kind, _ := ParseIdentity(id)
	return kind == IdentityInvalid
}

// checkExpiry warns about a certificate that expires within
// ExpiryWarning and refuses one that has expired.
func checkExpiry(c *CertFile, owner string, now time.Time) hcl.Diagnostics {
	left := c.Cert.NotAfter.Sub(now)
	switch {
	case left <= 0:
		return hcl.Diagnostics{errorAt(c.Range, "Certificate expired",
			"The certificate %q of the %s expired on %s. Issue a new one.", c.Ref, owner, c.Cert.NotAfter.UTC().Format(time.RFC3339))}
	case left < ExpiryWarning:
		return hcl.Diagnostics{warningAt(c.Range, "Certificate expires soon",
			"The certificate %q of the %s expires on %s, in %d days. Issue a new one before then.", c.Ref, owner, c.Cert.NotAfter.UTC().Format(time.RFC3339), int(left.Hours()/24))}
	}
	return nil
}

func publicKeyMatches(c *x509.Certificate, k *KeyFile) bool {
	want, err := x509.MarshalPKIXPublicKey(c.PublicKey)
	if err != nil {
		return false
	}
	have, err := x509.MarshalPKIXPublicKey(k.Key.Public())
	return err == nil && bytes.Equal(want, have)
}

func issuedBySite(s *Site, c *x509.Certificate) bool {
	for _, ca := range s.CAs {
		if ca != nil && ca.Cert != nil && ca.Cert.Cert != nil && c.CheckSignatureFrom(ca.Cert.Cert) == nil {
			return true
		}
	}
	return false
}

func caNames(s *Site) string {
	var names []string
	for _, ca := range s.CAs {
		if ca != nil {
			names = append(names, fmt.Sprintf("%q", ca.Name))
		}
	}
	return strings.Join(names, ", ")
}

func identityList(c *x509.Certificate) string {
	ids := CertIdentities(c)
	if len(ids) == 0 {
		return "nothing vtic can name"
	}
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = fmt.Sprintf("%q", id)
	}
	return strings.Join(q, ", ")
}
