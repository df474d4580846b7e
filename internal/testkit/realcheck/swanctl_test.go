package realcheck

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/vtic/vtic/internal/testkit/require"
)

// TestSwanctl loads every testdata/swanctl archive into a real charon. An
// archive whose comment has "want:" must be rejected with that text in the
// message; one with "want-conns:" must load exactly those connections.
func TestSwanctl(t *testing.T) {
	for _, file := range testFiles(t, "swanctl", ".txtar") {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.Root(t, "swanctl", "unshare")
			dir, comment := extractTxtar(t, file)
			if want := wantLine(t, comment); want != "" {
				msg := mustFail(t, func(tb testing.TB) { Swanctl(tb, dir) })
				if !strings.Contains(msg, want) {
					t.Errorf("failure message lacks %q:\n%s", want, msg)
				}
				return
			}
			wantConns, ok := commentField(comment, "want-conns")
			if !ok {
				t.Fatalf("%s has neither want: nor want-conns:", file)
			}
			wantSecrets, _ := commentField(comment, "want-secrets")
			got := SwanctlLoad(t, dir)
			if diff := cmp.Diff(wantConns, got.Conns); diff != "" {
				t.Errorf("connections (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantSecrets, got.Secrets, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("secrets (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSwanctlSecretsMode proves the 0600 rule for vtic's secrets file.
func TestSwanctlSecretsMode(t *testing.T) {
	require.Root(t, "swanctl", "unshare")
	dir, _ := extractTxtar(t, filepath.Join("testdata", "swanctl", "valid.txtar"))
	if err := os.Chmod(filepath.Join(dir, secretsFile), 0o644); err != nil {
		t.Fatal(err)
	}
	msg := mustFail(t, func(tb testing.TB) { Swanctl(tb, dir) })
	if !strings.Contains(msg, "has mode 0644") {
		t.Errorf("failure message lacks the mode:\n%s", msg)
	}
}

// TestSwanctlConcurrent runs several daemons at once: each must get its own
// namespaces, socket and pid file, and leave nothing behind.
func TestSwanctlConcurrent(t *testing.T) {
	require.Root(t, "swanctl", "unshare")
	dir, _ := extractTxtar(t, filepath.Join("testdata", "swanctl", "valid.txtar"))
	const n = 4
	var wg sync.WaitGroup
	results := make([][]string, n)
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A subtest per call so each daemon's cleanup runs as its
			// subtest ends; t.Run from goroutines is allowed with Parallel.
			t.Run("", func(t *testing.T) { results[i] = Swanctl(t, dir) })
		}()
	}
	wg.Wait()
	t.Logf("%d concurrent swanctl checks took %v", n, time.Since(start).Round(time.Millisecond))
	for i, got := range results {
		if diff := cmp.Diff([]string{"aws-1-t1", "aws-1-t2"}, got); diff != "" {
			t.Errorf("call %d: connections (-want +got):\n%s", i, diff)
		}
	}
}
