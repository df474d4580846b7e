package lang

import (
	"crypto"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/pki"
)

// The rule fixtures' certificates are made once per test run, with fixed
// dates, and written into every fixture's site under pki/ (next to the
// base files), so no key is committed and the fixtures never expire:
// every fixture is judged at fixtureNow unless its comment says
// "now: <RFC 3339 time>".
//
//	pki/ca.crt               the site's authority (2026-01-01 to 2046-01-01)
//	pki/gw1.crt, gw1.key     gw1.example.net, 192.0.2.1 (2026-01-01 to 2036-01-01)
//	pki/gw2.crt, gw2.key     gw2.example.net, 203.0.113.1
//	pki/gw1-dn.crt, .key     no subjectAltName; subject O=vtic, CN=gw1
//	pki/other-ca.crt         another authority
//	pki/gw1-other.crt, .key  gw1's names, issued by other-ca
var fixtureNow = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

var (
	testPKIOnce  sync.Once
	testPKIFiles map[string][]byte
	testPKIErr   error
)

func testPKI() (map[string][]byte, error) {
	testPKIOnce.Do(func() { testPKIFiles, testPKIErr = makeTestPKI() })
	return testPKIFiles, testPKIErr
}

func makeTestPKI() (map[string][]byte, error) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)
	caEnd := time.Date(2046, 1, 1, 0, 0, 0, 0, time.UTC)
	files := map[string][]byte{}
	ca, err := pki.NewAuthority("vtic test CA", start, caEnd)
	if err != nil {
		return nil, err
	}
	other, err := pki.NewAuthority("other CA", start, caEnd)
	if err != nil {
		return nil, err
	}
	files["ca.crt"], files["other-ca.crt"] = pki.CertPEM(ca.Cert), pki.CertPEM(other.Cert)
	issue := func(name string, by *pki.Authority, cn string, ids ...string) error {
		key, err := pki.NewKey()
		if err != nil {
			return err
		}
		cert, err := by.Issue(pki.Request{CommonName: cn, Identities: ids, NotBefore: start, NotAfter: end}, crypto.Signer(key).Public())
		if err != nil {
			return err
		}
		kp, err := pki.KeyPEM(key)
		if err != nil {
			return err
		}
		files[name+".crt"], files[name+".key"] = pki.CertPEM(cert), kp
		return nil
	}
	for _, c := range []struct {
		name string
		by   *pki.Authority
		cn   string
		ids  []string
	}{
		{"gw1", ca, "gw1", []string{"gw1.example.net", "192.0.2.1"}},
		{"gw2", ca, "gw2", []string{"gw2.example.net", "203.0.113.1"}},
		{"gw1-dn", ca, "gw1", nil},
		{"gw1-other", other, "gw1", []string{"gw1.example.net", "192.0.2.1"}},
	} {
		if err := issue(c.name, c.by, c.cn, c.ids...); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// writeTestPKI writes the fixtures' certificates into dir/pki.
func writeTestPKI(t *testing.T, dir string) {
	t.Helper()
	files, err := testPKI()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		writeFile(t, filepath.Join(dir, "pki", name), data)
	}
}
