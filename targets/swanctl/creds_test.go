package swanctl_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/swanctl"
)

// checkCredsLoaded reads swanctl --load-all's output: a host with a
// certificate must have had it, its key and every authority loaded.
func checkCredsLoaded(t *testing.T, h *compile.Host, output string) {
	t.Helper()
	if len(h.Cert) == 0 {
		return
	}
	want := []string{"x509/" + swanctl.CertName + "'", "private/vtic.key'"}
	for _, ca := range h.CAs {
		want = append(want, "x509ca/vtic-"+ca.Name+".crt'")
	}
	for _, w := range want {
		if !strings.Contains(output, w) {
			t.Errorf("swanctl --load-all did not report %q:\n%s", w, output)
		}
	}
}

// The private key is a secret file of mode 0600; certificates are public;
// a pubkey tunnel has no shared secret and names the files it uses.
func TestCredsFiles(t *testing.T) {
	seen := false
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			files, err := swanctl.Renderer{}.Render(h)
			if err != nil {
				t.Fatal(err)
			}
			byPath := map[string]int{}
			for i, f := range files {
				byPath[f.Path] = i
			}
			i, hasKey := byPath[swanctl.KeyPath]
			if hasKey != (len(h.Cert) > 0) {
				t.Errorf("%s/%s: key file present = %v with a certificate = %v", ex.Name, h.Name, hasKey, len(h.Cert) > 0)
			}
			if !hasKey {
				continue
			}
			seen = true
			if k := files[i]; k.Mode != 0o600 || !k.Secret || !bytes.Equal(k.Data, h.Key.Value) {
				t.Errorf("%s/%s: key file mode %o secret %v, want 0600, secret and the key", ex.Name, h.Name, k.Mode, k.Secret)
			}
			if c := files[byPath[swanctl.CertPath]]; c.Mode != 0o644 || c.Secret {
				t.Errorf("%s/%s: certificate mode %o secret %v, want 0644 and public", ex.Name, h.Name, c.Mode, c.Secret)
			}
			for _, f := range files {
				if f.Path != swanctl.KeyPath && bytes.Contains(f.Data, []byte("PRIVATE KEY")) {
					t.Errorf("%s/%s: %s holds a private key", ex.Name, h.Name, f.Path)
				}
			}
			secrets, err := swanctl.Secrets(h)
			if err != nil {
				t.Fatal(err)
			}
			for _, tn := range h.Tunnels {
				if !tn.Pubkey {
					continue
				}
				if secrets.Sub("ike-"+tn.Name) != nil {
					t.Errorf("%s/%s: pubkey tunnel %s has a shared secret", ex.Name, h.Name, tn.Name)
				}
				local := swanctl.Connections(h).Sub(tn.Name).Sub("local")
				if v, _ := local.Value("certs"); v != swanctl.CertName {
					t.Errorf("%s/%s: %s local certs = %q", ex.Name, h.Name, tn.Name, v)
				}
			}
		}
	}
	if !seen {
		t.Error("no example has certificates")
	}
}
