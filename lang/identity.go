package lang

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"net"
	"net/netip"
	"slices"
	"strings"
)

// An IKE identity as vtic accepts it: an IP address, a host name (FQDN)
// or an X.500 distinguished name in strongSwan's spelling
// ("C=CH, O=Example, CN=gw1.example.net"). strongSwan takes more forms
// (email, key ids, wildcards); vtic takes the three a certificate binds
// and the site can check.
type IdentityKind int

const (
	IdentityInvalid IdentityKind = iota
	IdentityAddr
	IdentityFQDN
	IdentityDN
)

// rdn is one attribute of a distinguished name.
type rdn struct{ typ, value string }

// dnTypes are the attribute types an identity may name, with their OIDs.
var dnTypes = map[string]asn1.ObjectIdentifier{
	"C":  {2, 5, 4, 6},
	"ST": {2, 5, 4, 8},
	"L":  {2, 5, 4, 7},
	"O":  {2, 5, 4, 10},
	"OU": {2, 5, 4, 11},
	"CN": {2, 5, 4, 3},
	"DC": {0, 9, 2342, 19200300, 100, 1, 25},
	"E":  {1, 2, 840, 113549, 1, 9, 1},
}

// ParseIdentity classifies an identity, and says what is wrong with it.
func ParseIdentity(s string) (IdentityKind, string) {
	if s == "" {
		return IdentityInvalid, "an identity cannot be empty"
	}
	if a, err := netip.ParseAddr(s); err == nil {
		if a.Zone() != "" {
			return IdentityInvalid, "an address identity cannot have a zone"
		}
		return IdentityAddr, ""
	}
	if strings.Contains(s, "=") {
		if _, why := parseDN(s); why != "" {
			return IdentityInvalid, why
		}
		return IdentityDN, ""
	}
	if why := fqdnProblem(s); why != "" {
		return IdentityInvalid, why
	}
	return IdentityFQDN, ""
}

func fqdnProblem(s string) string {
	if len(s) > 253 {
		return "a host name is at most 253 characters"
	}
	for _, label := range strings.Split(strings.TrimSuffix(s, "."), ".") {
		if label == "" || len(label) > 63 {
			return "each label of a host name has 1 to 63 characters"
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return "a label of a host name cannot start or end with '-'"
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return "a host name holds only letters, digits, '-' and '.'; a distinguished name is written \"C=CH, O=Example, CN=gw1\""
			}
		}
	}
	return ""
}

// parseDN splits "C=CH, O=Example, CN=gw1" into its attributes, in order.
func parseDN(s string) ([]rdn, string) {
	if strings.ContainsAny(s, "\\\"+;#<>\x00") {
		return nil, "vtic takes distinguished names without escapes, quotes or multi-valued parts"
	}
	var out []rdn
	for _, part := range strings.Split(s, ",") {
		typ, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		typ, value = strings.TrimSpace(typ), strings.TrimSpace(value)
		if !ok || typ == "" || value == "" {
			return nil, "each part of a distinguished name is TYPE=VALUE, separated by commas"
		}
		t := strings.ToUpper(typ)
		if _, known := dnTypes[t]; !known {
			return nil, "the attribute type " + typ + " is not one of C, ST, L, O, OU, CN, DC, E"
		}
		out = append(out, rdn{t, value})
	}
	return out, ""
}

// certDN is a certificate's subject in the order it is encoded, as
// strongSwan writes it, for the attribute types dnTypes knows; ok is false
// when the subject holds other types (such a subject cannot be named).
func certDN(name pkix.Name) ([]rdn, bool) {
	var out []rdn
	for _, set := range name.ToRDNSequence() {
		for _, atv := range set {
			typ := ""
			for t, oid := range dnTypes {
				if oid.Equal(atv.Type) {
					typ = t
				}
			}
			v, isString := atv.Value.(string)
			if typ == "" || !isString {
				return nil, false
			}
			out = append(out, rdn{typ, v})
		}
	}
	return out, true
}

// CertHasIdentity reports whether cert binds id the way strongSwan checks
// it: an address or host name among its subjectAltNames, a distinguished
// name equal to its subject.
func CertHasIdentity(cert *x509.Certificate, id string) bool {
	kind, _ := ParseIdentity(id)
	switch kind {
	case IdentityAddr:
		a, _ := netip.ParseAddr(id)
		return slices.ContainsFunc(cert.IPAddresses, func(ip net.IP) bool {
			b, ok := netip.AddrFromSlice(ip)
			return ok && b.Unmap() == a.Unmap()
		})
	case IdentityFQDN:
		return slices.ContainsFunc(cert.DNSNames, func(n string) bool {
			return strings.EqualFold(n, strings.TrimSuffix(id, "."))
		})
	case IdentityDN:
		want, _ := parseDN(id)
		have, ok := certDN(cert.Subject)
		return ok && slices.Equal(want, have)
	}
	return false
}

// CertIdentities lists what a certificate can be named by, for a detail
// that says which identities would match.
func CertIdentities(cert *x509.Certificate) []string {
	var out []string
	out = append(out, cert.DNSNames...)
	for _, ip := range cert.IPAddresses {
		if a, ok := netip.AddrFromSlice(ip); ok {
			out = append(out, a.Unmap().String())
		}
	}
	if dn, ok := certDN(cert.Subject); ok && len(dn) > 0 {
		parts := make([]string, len(dn))
		for i, r := range dn {
			parts[i] = r.typ + "=" + r.value
		}
		out = append(out, strings.Join(parts, ", "))
	}
	return out
}
