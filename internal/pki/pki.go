package pki

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/netip"
	"time"
)

// Authority is a certificate authority that can issue certificates.
type Authority struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// Request says what a certificate is for.
type Request struct {
	CommonName string
	// Identities are the subjectAltNames: IP addresses and host names.
	Identities []string
	NotBefore  time.Time
	NotAfter   time.Time
}

// KeyBits is the size of the RSA keys NewKey makes.
const KeyBits = 3072

// NewKey makes an RSA key. RSA, not ECDSA: Debian's charon verifies RSA
// signatures with its gmp plugin, which every install has, while ECDSA
// needs the openssl plugin of libstrongswan-standard-plugins, which is
// only recommended.
func NewKey() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, KeyBits)
}

// NewAuthority makes a self-signed authority named name.
func NewAuthority(name string, notBefore, notAfter time.Time) (*Authority, error) {
	key, err := NewKey()
	if err != nil {
		return nil, fmt.Errorf("authority %s: key: %w", name, err)
	}
	tmpl, err := template(Request{CommonName: name, NotBefore: notBefore, NotAfter: notAfter}, key.Public())
	if err != nil {
		return nil, fmt.Errorf("authority %s: %w", name, err)
	}
	tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
	tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("authority %s: %w", name, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("authority %s: %w", name, err)
	}
	return &Authority{Cert: cert, Key: key}, nil
}

// Issue signs a certificate for key's public half.
func (a *Authority) Issue(req Request, pub crypto.PublicKey) (*x509.Certificate, error) {
	tmpl, err := template(req, pub)
	if err != nil {
		return nil, fmt.Errorf("certificate %s: %w", req.CommonName, err)
	}
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	for _, id := range req.Identities {
		if ip, err := netip.ParseAddr(id); err == nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, net.IP(ip.AsSlice()))
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, id)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.Cert, pub, a.Key)
	if err != nil {
		return nil, fmt.Errorf("certificate %s: %w", req.CommonName, err)
	}
	return x509.ParseCertificate(der)
}

func template(req Request, pub crypto.PublicKey) (*x509.Certificate, error) {
	if !req.NotAfter.After(req.NotBefore) {
		return nil, errors.New("validity ends before it starts")
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	spki, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	skid := sha1.Sum(spki)
	return &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{Organization: []string{"vtic"}, CommonName: req.CommonName},
		NotBefore:    req.NotBefore,
		NotAfter:     req.NotAfter,
		SubjectKeyId: skid[:],
	}, nil
}

// CertPEM encodes a certificate.
func CertPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// KeyPEM encodes a private key as PKCS#8.
func KeyPEM(k crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, fmt.Errorf("private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ParseAuthority reads an authority's certificate and key as written by
// CertPEM and KeyPEM.
func ParseAuthority(certPEM, keyPEM []byte) (*Authority, error) {
	cb, _ := pem.Decode(certPEM)
	if cb == nil || cb.Type != "CERTIFICATE" {
		return nil, errors.New("authority certificate: no PEM certificate")
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("authority certificate: %w", err)
	}
	kb, _ := pem.Decode(keyPEM)
	if kb == nil || kb.Type != "PRIVATE KEY" {
		return nil, errors.New("authority key: no PEM PKCS#8 private key")
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("authority key: %w", err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, errors.New("authority key: not a signing key")
	}
	return &Authority{Cert: cert, Key: signer}, nil
}
