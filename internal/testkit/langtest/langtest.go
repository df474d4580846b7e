// Package langtest holds what lang's FuzzLoad and the renderers' FuzzRender
// share: the fuzz input format, a txtar archive that becomes a site
// directory, and the per-input time limit. It lives here, not in a _test.go file, because test code
// cannot be imported across packages, and one copy keeps a crasher found by
// either fuzzer a valid input for the other.
//
// It imports lang, so only lang's external tests (package lang_test) and
// packages downstream of lang may use it.
package langtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/vtic/vtic/lang"
)

// HangLimit is how long one fuzz input may run in FuzzSites. Loading and
// rendering one of the fuzzer's small inputs takes milliseconds, so it only
// catches hangs.
const HangLimit = 10 * time.Second

// FuzzSites adds seeds to f's corpus and fuzzes check with every input
// written out by SiteDir. An input that runs longer than HangLimit panics
// from a timer: Go's fuzzer has no per-input timeout of its own, and the
// panic makes it save the input as a crasher.
func FuzzSites(f *testing.F, seeds [][]byte, check func(t *testing.T, dir string, opts lang.Options, data []byte)) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir, opts := SiteDir(t, data)
		tm := time.AfterFunc(HangLimit, func() {
			panic(fmt.Sprintf("one input (%d bytes) ran longer than %v", len(data), HangLimit))
		})
		defer tm.Stop()
		check(t, dir, opts, data)
	})
}

// Keys the fuzzer never sees: FileKey is in secrets/fixed.psk and EnvKey
// in $FUZZ_PSK of every site SiteDir writes. Neither may appear in a
// diagnostic or in a rendered file other than the secrets file.
//
// OutsideKey is in the file outside the site that symbolic links made by
// a "symlink:" line point to (OutsideFile): a site file that is a link is
// refused unread, so it may appear nowhere either.
const (
	FileKey    = "Fz9.file.key.never.shown.7Qx"
	EnvKey     = "Ev7.env.key.never.shown.2Kd"
	OutsideKey = "Ot3.outside.never.shown.8Wm"
)

// OutsideFile is what the file outside the site holds: a router whose
// name and whose error would both quote OutsideKey, were it ever read.
const OutsideFile = "router \"" + OutsideKey + "\" {\n  " + OutsideKey + " = \"" + OutsideKey + "\"\n}\n"

// env is the environment every fuzzed site sees besides its own "env"
// member; PSK is the one lang/testdata/base uses.
var env = map[string]string{"PSK": "env.key.value.1", "FUZZ_PSK": EnvKey}

var memberName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)

// SiteDir turns a fuzz input into a site directory under t.TempDir and the
// options to load it with. The input is a txtar archive; bytes that hold no
// archive member are one file, site.hcl. Of the first 32 members:
//
//   - NAME.hcl members are site files, written at the top of the directory
//     (a name that is not a plain file name becomes fN.hcl);
//   - secrets/NAME members are written with mode 0600;
//   - an "env" member holds NAME=VALUE lines for env();
//
// and these lines of the comment (the first 8 setup lines count) change
// the site or the options:
//
//	allow-unresolved          set Options.AllowUnresolvedSecrets
//	cancel                    load with an Options.Context already done
//	size: <name> <bytes>      create or truncate a file to a size (sparse),
//	                          at most twice lang.MaxSourceSize
//	symlink: <name> -> <to>   make <name> a symbolic link to <to> when it is
//	                          a plain name or secrets/NAME, else to a file
//	                          outside the site holding OutsideFile
//	fifo: <name>              make <name> a named pipe
//	dir: <name>               make <name> a directory
//
// as the rule fixtures of lang do (lang/fixture_test.go). <name> is a
// plain file name or secrets/NAME (but not secrets or secrets/fixed.psk);
// a file of that name is replaced. A link's target is relative to the
// link's directory, as the fixtures' are.
// Setup lines run in their order, after the members are written.
// secrets/fixed.psk (FileKey) and $FUZZ_PSK (EnvKey) always exist; the
// input cannot replace them.
func SiteDir(t testing.TB, data []byte) (string, lang.Options) {
	t.Helper()
	dir := t.TempDir()
	ar := parseArchive(data)
	if len(ar.Files) == 0 {
		ar.Files = []txtar.File{{Name: "site.hcl", Data: data}}
	}
	vars := map[string]string{}
	for k, v := range env {
		vars[k] = v
	}
	if len(ar.Files) > 32 {
		ar.Files = ar.Files[:32]
	}
	write := func(name string, b []byte) {
		if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for i, f := range ar.Files {
		switch rest, isSecret := strings.CutPrefix(f.Name, "secrets/"); {
		case f.Name == "env":
			for _, line := range strings.Split(string(f.Data), "\n") {
				if k, v, ok := strings.Cut(line, "="); ok && k != "FUZZ_PSK" {
					vars[k] = v
				}
			}
		case isSecret && memberName.MatchString(rest) && rest != "fixed.psk":
			write(filepath.Join(dir, "secrets", rest), f.Data)
		case strings.HasSuffix(f.Name, ".hcl"):
			name := f.Name
			if !memberName.MatchString(name) {
				name = fmt.Sprintf("f%d.hcl", i)
			}
			write(filepath.Join(dir, name), f.Data)
		}
	}
	write(filepath.Join(dir, "secrets", "fixed.psk"), []byte(FileKey+"\n"))
	opts := lang.Options{
		AllowUnresolvedSecrets: bytes.Contains(ar.Comment, []byte("allow-unresolved")),
		LookupEnv: func(name string) (string, bool) {
			v, ok := vars[name]
			return v, ok
		},
	}
	if setup(t, dir, ar.Comment) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		opts.Context = ctx
	}
	return dir, opts
}

var setupLine = regexp.MustCompile(`^(size|symlink|fifo|dir): (.*)$`)

// setup runs the setup lines of comment in dir (see SiteDir) and reports
// whether it holds a "cancel" line.
func setup(t testing.TB, dir string, comment []byte) (cancel bool) {
	t.Helper()
	steps := 0
	for _, line := range strings.Split(string(comment), "\n") {
		line = strings.TrimSpace(line)
		if line == "cancel" {
			cancel = true
		}
		m := setupLine.FindStringSubmatch(line)
		if m == nil || steps == 8 {
			continue
		}
		steps++
		arg := m[2]
		if m[1] == "symlink" {
			arg, _, _ = strings.Cut(arg, " -> ")
		} else if m[1] == "size" {
			arg, _, _ = strings.Cut(arg, " ")
		}
		if !setupName(arg) {
			continue
		}
		name := filepath.Join(dir, arg)
		var err error
		switch m[1] {
		case "size":
			n, perr := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(m[2], arg)), 10, 64)
			if perr != nil || n < 0 {
				continue
			}
			n = min(n, 2*lang.MaxSourceSize)
			if err = replaceable(name); err == nil {
				var f *os.File
				if f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE, 0o600); err == nil {
					err = errors.Join(f.Truncate(n), f.Close())
				}
			}
		case "symlink":
			_, to, _ := strings.Cut(m[2], " -> ")
			to = strings.TrimSpace(to)
			if rest, ok := strings.CutPrefix(to, "secrets/"); !(memberName.MatchString(to) || ok && memberName.MatchString(rest)) {
				to = outsideFile(t)
			}
			if err = remove(name); err == nil {
				err = os.Symlink(to, name)
			}
		case "fifo":
			if err = remove(name); err == nil {
				err = syscall.Mkfifo(name, 0o600)
			}
		case "dir":
			if err = remove(name); err == nil {
				err = os.Mkdir(name, 0o700)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return cancel
}

// setupName reports whether a setup line may change name: a plain name or
// secrets/NAME, but neither secrets/ nor secrets/fixed.psk, which holds
// FileKey and must stay.
func setupName(name string) bool {
	if rest, ok := strings.CutPrefix(name, "secrets/"); ok {
		return memberName.MatchString(rest) && rest != "fixed.psk"
	}
	return memberName.MatchString(name) && name != "secrets"
}

// outsideFile writes OutsideFile into a directory of its own and returns
// its path.
func outsideFile(t testing.TB) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "outside.hcl")
	if err := os.WriteFile(name, []byte(OutsideFile), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// remove removes name, a file or a directory tree, if it exists.
func remove(name string) error {
	if err := os.RemoveAll(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// replaceable makes sure name is a regular file or nothing, so that size
// never opens a FIFO (which would block) or writes through a link.
func replaceable(name string) error {
	if st, err := os.Lstat(name); err == nil && !st.Mode().IsRegular() {
		return remove(name)
	}
	return nil
}

// DirArchive packs a site directory's *.hcl and secrets/* files, named
// relative to dir: the reverse of SiteDir, for seeding from example sites.
func DirArchive(t testing.TB, dir string) *txtar.Archive {
	t.Helper()
	ar := &txtar.Archive{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.hcl"))
	secrets, _ := filepath.Glob(filepath.Join(dir, "secrets", "*"))
	for _, name := range append(files, secrets...) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, name)
		ar.Files = append(ar.Files, txtar.File{Name: filepath.ToSlash(rel), Data: b})
	}
	return ar
}

// Overlay returns the members of fixture followed by every member of base
// whose name fixture lacks: a rule fixture, which holds only the files it
// is about, laid over a complete site. The fixture's comment is kept, so
// that its allow-unresolved line still counts; its env member is one.
func Overlay(fixture, base *txtar.Archive) *txtar.Archive {
	ar := &txtar.Archive{Comment: fixture.Comment, Files: append([]txtar.File{}, fixture.Files...)}
	for _, f := range base.Files {
		if !hasMember(fixture, f.Name) {
			ar.Files = append(ar.Files, f)
		}
	}
	return ar
}

func hasMember(ar *txtar.Archive, name string) bool {
	for _, f := range ar.Files {
		if f.Name == name {
			return true
		}
	}
	return false
}

// parseArchive is txtar.Parse without its panic on a marker line "-- --"
// (go-internal v1.16.0 slices past the marker); such input is one file.
func parseArchive(data []byte) (ar *txtar.Archive) {
	defer func() {
		if recover() != nil {
			ar = &txtar.Archive{}
		}
	}()
	return txtar.Parse(data)
}
