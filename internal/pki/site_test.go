package pki

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func readCert(t *testing.T, name string) *x509.Certificate {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		t.Fatalf("%s: no PEM", name)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// WriteSite makes the authority and the routers' certificates once: the
// certificates chain to the authority and bind the routers' identities,
// keys are 0600, and a second run with a new router issues only its own
// certificate from the same authority.
func TestWriteSite(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	plan := Plan{SiteDir: dir, CAName: "test CA", Now: now, Days: 30,
		Routers: []Router{{Name: "gw1", Identities: []string{"gw1.example.net", "192.0.2.1"}}}}
	written, err := WriteSite(plan)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"pki/ca.key", "pki/ca.crt", "pki/gw1.key", "pki/gw1.crt"}
	if !slices.Equal(written, want) {
		t.Errorf("wrote %v, want %v", written, want)
	}
	ca, gw1 := readCert(t, filepath.Join(dir, "pki", "ca.crt")), readCert(t, filepath.Join(dir, "pki", "gw1.crt"))
	if !ca.IsCA || gw1.CheckSignatureFrom(ca) != nil {
		t.Errorf("gw1's certificate does not chain to a CA")
	}
	if !slices.Equal(gw1.DNSNames, []string{"gw1.example.net"}) || len(gw1.IPAddresses) != 1 || gw1.IPAddresses[0].String() != "192.0.2.1" {
		t.Errorf("subjectAltNames %v %v", gw1.DNSNames, gw1.IPAddresses)
	}
	if d := gw1.NotAfter.Sub(now); d < 29*24*time.Hour || d > 31*24*time.Hour {
		t.Errorf("gw1 valid for %v, want 30 days", d)
	}
	for _, k := range []string{"ca.key", "gw1.key"} {
		if fi, err := os.Stat(filepath.Join(dir, "pki", k)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want mode 0600", k, fi, err)
		}
	}

	plan.Routers = append(plan.Routers, Router{Name: "gw2", Identities: []string{"203.0.113.1"}})
	written, err = WriteSite(plan)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(written, []string{"pki/gw2.key", "pki/gw2.crt"}) {
		t.Errorf("second run wrote %v", written)
	}
	if gw2 := readCert(t, filepath.Join(dir, "pki", "gw2.crt")); gw2.CheckSignatureFrom(ca) != nil {
		t.Errorf("gw2 is not issued by the first authority")
	}

	// A certificate without its key stops the run instead of replacing it.
	if err := os.Remove(filepath.Join(dir, "pki", "gw2.key")); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteSite(plan); err == nil || !strings.Contains(err.Error(), "router gw2: only one of gw2.crt and gw2.key exists") {
		t.Errorf("err = %v", err)
	}
}
