package realcheck

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// recorder stands in for the test when a checker is expected to fail: it
// records Error/Fatal calls instead of failing, and delegates everything
// else (Cleanup, Logf, TempDir) to the real test.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	failed bool
	msgs   []string
}

func (r *recorder) note(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
	r.msgs = append(r.msgs, msg)
}

func (r *recorder) Error(args ...any)                 { r.note(fmt.Sprint(args...)) }
func (r *recorder) Errorf(format string, args ...any) { r.note(fmt.Sprintf(format, args...)) }
func (r *recorder) Fail()                             { r.note("Fail called") }
func (r *recorder) FailNow()                          { r.note("FailNow called"); runtime.Goexit() }
func (r *recorder) Fatal(args ...any)                 { r.note(fmt.Sprint(args...)); runtime.Goexit() }
func (r *recorder) Fatalf(format string, args ...any) {
	r.note(fmt.Sprintf(format, args...))
	runtime.Goexit()
}

// A skip inside the checker would mean the tools vanished after the test
// checked for them; record it as a failure so the outer test does not pass
// vacuously.
func (r *recorder) Skip(args ...any)                 { r.note("skipped: " + fmt.Sprint(args...)); runtime.Goexit() }
func (r *recorder) Skipf(format string, args ...any) { r.Skip(fmt.Sprintf(format, args...)) }
func (r *recorder) SkipNow()                         { r.Skip("SkipNow called") }

// mustFail runs check against a recorder in its own goroutine (Fatal ends
// that goroutine, not the test), fails t if the checker accepted, and
// returns the checker's messages.
func mustFail(t *testing.T, check func(tb testing.TB)) string {
	t.Helper()
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(r)
	}()
	<-done
	if !r.failed {
		t.Fatal("the checker accepted input it should reject")
	}
	return strings.Join(r.msgs, "\n")
}

// wantLine returns the text after "want:" in a comment line of the file
// ("# want: ...", "! want: ..."), or "" for a file expected to pass.
func wantLine(t *testing.T, data []byte) string {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		line := strings.TrimLeft(sc.Text(), "#! \t")
		if rest, ok := strings.CutPrefix(line, "want:"); ok {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

// extractTxtar writes an archive's files under a new temp dir, making any
// *secrets* file 0600 as vtic writes it. It returns the dir and the
// archive's comment.
func extractTxtar(t *testing.T, file string) (dir string, comment []byte) {
	t.Helper()
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	for _, f := range a.Files {
		path := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if strings.Contains(f.Name, "secrets") {
			mode = 0o600
		}
		if err := os.WriteFile(path, f.Data, mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir, a.Comment
}

// commentField returns the words after "key:" in an archive comment and
// whether the key was there at all.
func commentField(comment []byte, key string) ([]string, bool) {
	for _, line := range strings.Split(string(comment), "\n") {
		if rest, ok := strings.CutPrefix(line, key+":"); ok {
			return strings.Fields(rest), true
		}
	}
	return nil, false
}

// testFiles lists testdata/<kind>/*<ext>, failing if there are none so a
// renamed directory cannot make a table test pass empty.
func testFiles(t *testing.T, kind, ext string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", kind, "*"+ext))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/%s/*%s files (err %v)", kind, ext, err)
	}
	return files
}
