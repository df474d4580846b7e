package bundle_test

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/bundle"
)

// TestManifest checks that the manifest lists every file with its real
// sum (none for a secret file) and mode, round-trips through JSON, and
// matches its golden file.
func TestManifest(t *testing.T) {
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			files, m, err := bundle.Render(h)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Files) != len(files) {
				t.Fatalf("%d manifest entries for %d files", len(m.Files), len(files))
			}
			for i, f := range files {
				sum := sha256.Sum256(f.Data)
				want := hex.EncodeToString(sum[:])
				if f.Secret {
					want = "" // no digest of a key in a world-readable file
				}
				e := m.Files[i]
				if e.Path != f.Path || e.Mode != f.Mode || e.SHA256 != want || e.Secret != f.Secret || e.Internal != f.Internal {
					t.Errorf("entry %+v does not describe %s", e, f.Path)
				}
			}
			back, err := bundle.DecodeManifest(m.Encode())
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(m, back); d != "" {
				t.Errorf("manifest JSON round trip (-want +got):\n%s", d)
			}
			targettest.CompareGolden(t, filepath.Join("testdata", ex.Name, h.Name, bundle.ManifestName), m.Encode())
		}
	}
}

func TestDecodeManifestRejectsBadMode(t *testing.T) {
	_, err := bundle.DecodeManifest([]byte(`{"host":"x","files":[{"path":"a","mode":"9999","sha256":""}]}`))
	if err == nil {
		t.Fatal("a mode that is not octal was accepted")
	}
}
