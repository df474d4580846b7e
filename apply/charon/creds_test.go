package charon

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/swanctl"
)

// load-conn carries the certificates themselves where the file names
// them, as swanctl sends them, and the connection's hash follows them.
func TestConnCarriesCertificates(t *testing.T) {
	plan := targettest.Compile(t, filepath.Join(targettest.ExamplesDir(), "certificates"))
	h := plan.Host("gw1")
	files := swanctl.CertFiles(h)
	conns := WithFiles(Conns(swanctl.Connections(h)), files)
	m := message(conns[0].Def, conns[0].Files)
	local, ok := m.Get("local").(interface{ Get(string) any })
	if !ok {
		t.Fatalf("no local section in %v", m)
	}
	if got := local.Get("certs"); !slices.Equal(got.([]string), []string{string(h.Cert)}) {
		t.Errorf("local certs = %v, want the certificate", got)
	}
	remote := m.Get("remote").(interface{ Get(string) any })
	if got := remote.Get("cacerts"); !slices.Equal(got.([]string), []string{string(h.CAs[0].PEM)}) {
		t.Errorf("remote cacerts = %v, want the authority", got)
	}
	other := map[string][]byte{}
	for k, v := range files {
		other[k] = append([]byte("x"), v...)
	}
	if WithFiles(Conns(swanctl.Connections(h)), other)[0].Hash == conns[0].Hash {
		t.Error("another certificate, same hash")
	}
	creds := Creds(h)
	if len(creds) != 2 || !creds[0].CA || creds[1].CA || string(creds[1].Data) != string(h.Key.Value) {
		t.Errorf("creds = %+v, want the authority then the key", creds)
	}
}
