package apply

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"text/template"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/vtic/vtic/apply/birdc"
	"github.com/vtic/vtic/apply/charon"
	"github.com/vtic/vtic/apply/firewall"
	"github.com/vtic/vtic/apply/frrreload"
	"github.com/vtic/vtic/apply/install"
	"github.com/vtic/vtic/apply/netdev"
	"github.com/vtic/vtic/apply/pluto"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/lang"
)

// site is one version of the test site (testdata/site.hcl.tmpl).
type site struct {
	MTU2, MTU3 int
	Third      bool // declare tunnel gw1-gw3
	Enabled3   bool
	Routes3    bool // gw1 routes prefixes into gw1-gw3
}

var base = site{MTU2: 1400, MTU3: 1400, Third: true, Enabled3: true}

func (s site) with(f func(*site)) site { f(&s); return s }

// input loads, validates and compiles the site and renders gw1's files.
func (s site) input(t *testing.T) Input {
	t.Helper()
	dir := t.TempDir()
	tmpl := template.Must(template.ParseFiles("testdata/site.hcl.tmpl"))
	var b bytes.Buffer
	if err := tmpl.Execute(&b, s); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.hcl"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "secrets"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"gw1-gw2", "gw1-gw3"} {
		if err := os.WriteFile(filepath.Join(dir, "secrets", name+".psk"), []byte("key-of-"+name+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	st, diags := lang.LoadDir(dir, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("test site: %v", diags)
	}
	plan, err := compile.Compile(st)
	if err != nil {
		t.Fatal(err)
	}
	in, err := FromHost(plan.Host("gw1"))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// world is a router made of a temp root and fakes.
type world struct {
	t      *testing.T
	root   string
	kernel *netdev.Fake
	charon *charon.Fake
	frr    *frrreload.Fake
	// realFRR, when set, replaces the fake FRR: the real daemons.
	realFRR frrreload.FRR
	fw      *firewall.Fake
	pluto   *pluto.Fake
	bird    *birdc.Fake
	// failInstall makes the n-th Install of a path fail (1-based).
	failInstall map[string]int
	installs    map[string]int
	// onFail, if set, runs when failInstall fires, before the rollback.
	onFail func()
}

func newWorld(t *testing.T) *world {
	k := netdev.NewFake()
	// The underlay: gw1's outside address, on the gateway's subnet.
	k.PutLink(netdev.Link{Name: "eth0", Kind: "device", Up: true, MTU: 1500,
		Addrs: []netip.Prefix{netip.MustParsePrefix("192.0.2.1/24")}})
	return &world{t: t, root: t.TempDir(), kernel: k, charon: charon.NewFake(), frr: frrreload.NewFake(),
		fw: firewall.NewFake(), pluto: pluto.NewFake(), bird: &birdc.Fake{},
		failInstall: map[string]int{}, installs: map[string]int{}}
}

func (w *world) system() System {
	var f frrreload.FRR = w.frr
	if w.realFRR != nil {
		f = w.realFRR
	}
	return System{Root: w.root, Kernel: w.kernel, Charon: w.charon, FRR: f, Firewall: w.fw, Pluto: w.pluto, Bird: w.bird}
}

// apply runs Apply and returns its report.
func (w *world) apply(in Input, opts Options) (*Result, string, error) {
	w.t.Helper()
	var out bytes.Buffer
	opts.Out = &out
	opts.wrapRoot = func(r fileRoot) fileRoot { return &faultyRoot{fileRoot: r, w: w} }
	res, err := Apply(context.Background(), w.system(), in, opts)
	return res, out.String(), err
}

// mustApply applies and fails the test on an error.
func (w *world) mustApply(in Input) (*Result, string) {
	w.t.Helper()
	res, out, err := w.apply(in, Options{})
	if err != nil {
		w.t.Fatalf("apply: %v\n%s", err, out)
	}
	return res, out
}

type faultyRoot struct {
	fileRoot
	w *world
}

var errInjected = errors.New("injected failure")

func (f *faultyRoot) Install(file install.File) (install.Backup, error) {
	f.w.installs[file.Path]++
	if n := f.w.failInstall[file.Path]; n > 0 && f.w.installs[file.Path] == n {
		if f.w.onFail != nil {
			f.w.onFail()
		}
		return install.Backup{Path: file.Path}, fmt.Errorf("write %s: %w", file.Path, errInjected)
	}
	return f.fileRoot.Install(file)
}

// writes counts every write the fakes saw.
func (w *world) writes() string {
	return fmt.Sprintf("kernel %d, charon %d, frr %d, iptables %d",
		len(w.kernel.Transcript()), len(w.charon.Transcript()), len(w.frr.Transcript()), len(w.fw.Restores()))
}

func (w *world) resetTranscripts() {
	w.kernel.ResetTranscript()
	w.charon.ResetTranscript()
	w.frr.ResetTranscript()
	w.fw.ResetRestores()
}

// snapshot is everything an apply may change.
type snapshot struct {
	Files   map[string]string // path -> mode and content (or "dir")
	Links   []netdev.Link
	Routes  []netdev.Route
	Sysctls map[string]string
	Conns   map[string]string
	Secrets map[string]string
	FRR     map[string]string
	// FRRDaemons are the FRR daemons that answer, sorted.
	FRRDaemons []string
	Tables     string
}

func (w *world) snapshot() snapshot {
	w.t.Helper()
	s := snapshot{Files: map[string]string{}, Sysctls: map[string]string{}}
	err := filepath.WalkDir(w.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(w.root, p)
		if rel == "." || rel == filepath.FromSlash(LockPath) || rel == "run" {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			s.Files[rel] = fmt.Sprintf("dir %v", fi.Mode())
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		s.Files[rel] = fmt.Sprintf("%v\n%s", fi.Mode(), data)
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	s.Links, _ = w.kernel.Links()
	s.Routes, _ = w.kernel.Routes()
	keys := []string{netdev.SysctlForward}
	for _, l := range s.Links {
		keys = append(keys, netdev.DevSysctl(l.Name, netdev.SysctlRPFilter), netdev.DevSysctl(l.Name, netdev.SysctlDisablePolicy))
	}
	for _, k := range keys {
		if v, err := w.kernel.Sysctl(k); err == nil {
			s.Sysctls[k] = v
		}
	}
	s.Conns, s.Secrets = w.charon.Loaded()
	s.FRR = w.frr.State()
	s.FRRDaemons, _ = w.frr.Daemons(context.Background())
	if w.realFRR != nil {
		run, err := w.realFRR.Running(context.Background(), frrreload.Integrated)
		if err != nil {
			w.t.Fatal(err)
		}
		s.FRR = map[string]string{"running": string(run)}
		if s.FRRDaemons, err = w.realFRR.Daemons(context.Background()); err != nil {
			w.t.Fatal(err)
		}
	}
	slices.Sort(s.FRRDaemons)
	s.Tables = w.fw.Dump()
	return s
}

// inodes records every file's identity and times, to prove nothing was
// rewritten (a rename gives a new inode; a write changes the mtime).
func (w *world) inodes() map[string]string {
	w.t.Helper()
	out := map[string]string{}
	filepath.WalkDir(w.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, _ := d.Info()
		st := fi.Sys().(*syscall.Stat_t)
		out[p] = fmt.Sprintf("ino %d mtime %v ctime %d.%d", st.Ino, fi.ModTime(), st.Ctim.Sec, st.Ctim.Nsec)
		return nil
	})
	return out
}

func (w *world) same(before, after snapshot, what string) {
	w.t.Helper()
	if d := cmp.Diff(before, after, cmpNetip...); d != "" {
		w.t.Errorf("%s: state changed (-before +after):\n%s", what, d)
	}
}

var cmpNetip = []cmp.Option{
	cmpopts.EquateEmpty(),
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
}

func (w *world) file(p string) string {
	w.t.Helper()
	data, err := os.ReadFile(filepath.Join(w.root, filepath.FromSlash(p)))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(data)
}

func (w *world) state() *State {
	w.t.Helper()
	s, err := decodeState([]byte(w.file(StatePath)), "gw1")
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

func (w *world) link(name string) (netdev.Link, bool) {
	links, _ := w.kernel.Links()
	i := slices.IndexFunc(links, func(l netdev.Link) bool { return l.Name == name })
	if i < 0 {
		return netdev.Link{}, false
	}
	return links[i], true
}

// actionsWith returns the actions that start with prefix.
func actionsWith(res *Result, prefix string) []string {
	var out []string
	for _, a := range res.Actions {
		if strings.HasPrefix(a, prefix) {
			out = append(out, a)
		}
	}
	return out
}
