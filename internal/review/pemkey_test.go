package review

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/swanctl"
)

// A router's private key is compared as changed or not, and no line of
// either key appears in any report.
func TestPrivateKeyRedacted(t *testing.T) {
	plan := targettest.Compile(t, filepath.Join(targettest.ExamplesDir(), "certificates"))
	before, err := FromPlan("before", plan)
	if err != nil {
		t.Fatal(err)
	}
	oldKey := append([]byte(nil), plan.Host("gw1").Key.Value...)
	// Another key: the example's, with its base64 lines reversed.
	lines := strings.Split(strings.TrimSpace(string(oldKey)), "\n")
	body := lines[1 : len(lines)-1]
	for i, j := 0, len(body)-1; i < j; i, j = i+1, j-1 {
		body[i], body[j] = body[j], body[i]
	}
	newKey := []byte(strings.Join(lines, "\n") + "\n")
	plan.Host("gw1").Key.Value = newKey
	after, err := FromPlan("after", plan)
	if err != nil {
		t.Fatal(err)
	}
	r := Compare(before, after)
	found := false
	for _, rc := range r.Routers {
		for _, f := range rc.Files {
			if f.Path == swanctl.KeyPath && rc.Name == "gw1" {
				found = true
				if f.Status != Changed || f.Note != "private key changed" || !f.Secret {
					t.Errorf("key file change = %+v", f)
				}
			}
		}
	}
	if !found {
		t.Errorf("the key change is not reported")
	}
	var keys []string
	for _, l := range append(pemKeyLines(oldKey), pemKeyLines(newKey)...) {
		keys = append(keys, string(l))
	}
	checkNoKeys(t, r, keys...)
	if !bytes.Contains(oldKey, []byte("PRIVATE KEY")) || len(keys) < 10 {
		t.Fatalf("the example key is not a PEM key")
	}
}
