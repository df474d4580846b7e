package bundle_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/bundle"
)

// TestRenderEach hands every router's render, the same as Render's, to the
// callback once, and returns the error of the first failing router in host
// order, not the first to fail in time.
func TestRenderEach(t *testing.T) {
	var hosts []*compile.Host
	for _, ex := range targettest.Examples(t) {
		hosts = append(hosts, ex.Plan.Hosts...)
	}
	if len(hosts) < 3 {
		t.Fatalf("the examples have %d routers; the test needs 3", len(hosts))
	}
	var mu sync.Mutex
	seen := map[int]int{}
	err := bundle.RenderEach(hosts, func(i int, files []targets.File, m *bundle.Manifest) error {
		want, wantM, err := bundle.Render(hosts[i])
		if err != nil {
			return err
		}
		if d := cmp.Diff(want, files); d != "" || !cmp.Equal(wantM, m) {
			return fmt.Errorf("router %s: output differs from Render's:\n%s", hosts[i].Name, d)
		}
		mu.Lock()
		seen[i]++
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range hosts {
		if seen[i] != 1 {
			t.Errorf("router %d handed over %d times, want once", i, seen[i])
		}
	}

	last := len(hosts) - 1
	err = bundle.RenderEach(hosts, func(i int, _ []targets.File, _ *bundle.Manifest) error {
		if i == 1 || i == last {
			return fmt.Errorf("router %d failed", i)
		}
		return nil
	})
	if err == nil || err.Error() != "router 1 failed" {
		t.Errorf("err = %v, want router 1's", err)
	}
	if err := bundle.RenderEach(nil, func(int, []targets.File, *bundle.Manifest) error { return errors.New("called") }); err != nil {
		t.Errorf("no hosts: %v", err)
	}
}
