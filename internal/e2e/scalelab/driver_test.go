package scalelab

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vtic/vtic/apply"
	"github.com/vtic/vtic/apply/charon"
	"github.com/vtic/vtic/apply/firewall"
	"github.com/vtic/vtic/apply/frrreload"
	"github.com/vtic/vtic/apply/netdev"
)

// driverEnv makes this test binary the guest's driver instead of a test
// run: "VTIC_SCALELAB_DRIVER=1 scalelab.test LABEL --host ... --from ...".
const driverEnv = "VTIC_SCALELAB_DRIVER"

func TestMain(m *testing.M) {
	if os.Getenv(driverEnv) != "" {
		os.Exit(driverMain(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// driverMain is `vtic apply --from` (the same calls cmd/vtic makes) with
// the kernel and the daemons behind meters, and the router's files
// compared before and after. It prints one "SCALE-DRIVER LABEL k=v ..."
// line. With --expect-noop it fails when anything was written.
func driverMain(args []string, stdout, stderr io.Writer) int {
	if len(args) < 1 {
		fmt.Fprintln(stderr, "usage: LABEL --host NAME --from DIR --root R [--vici URI] [--charon-restart CMD] [--frr-daemons LIST] [--expect-noop]")
		return 2
	}
	label := args[0]
	fs := flag.NewFlagSet("driver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "", "router")
	from := fs.String("from", "", "build output OUT/NAME")
	root := fs.String("root", "/", "root")
	vici := fs.String("vici", "unix:///var/run/charon.vici", "VICI socket")
	restart := fs.String("charon-restart", "systemctl restart strongswan", "charon restart command (vtic apply's default)")
	daemons := fs.String("frr-daemons", "", "FRR daemons to reload")
	expectNoop := fs.Bool("expect-noop", false, "fail if anything is written")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the apply to this file")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	start := time.Now()
	before, err := snapshotRoot(*root)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	snapTime := time.Since(start)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	start = time.Now()
	in, err := apply.FromBuild(*from, *host)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	inputTime := time.Since(start)
	sys, closeSys, err := apply.NewSystem(apply.Config{
		Root:          *root,
		VICI:          *vici,
		CharonRestart: *restart,
	})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer closeSys()
	m := newMeter()
	sys.Kernel = &meteredKernel{k: sys.Kernel, m: m}
	sys.Charon = &meteredCharon{c: sys.Charon, m: m}
	sys.FRR = &meteredFRR{f: sys.FRR, m: m}
	sys.Firewall = &meteredFirewall{f: sys.Firewall, m: m}
	// Apply prints its plan before it executes it: the first write to Out
	// ends the planning.
	out := &firstWrite{w: stderr}
	applyStart := time.Now()
	res, err := apply.Apply(context.Background(), sys, in, apply.Options{FRRDaemons: splitList(*daemons), Out: out})
	total := time.Since(start)
	planTime := out.at.Sub(applyStart)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	after, err := snapshotRoot(*root)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	changed := diffSnapshots(before, after)
	fmt.Fprintf(stdout, "SCALE-DRIVER %s total_s=%.3f input_s=%.3f plan_s=%.3f snapshot_s=%.3f actions=%d files_changed=%d %s\n",
		label, total.Seconds(), inputTime.Seconds(), planTime.Seconds(), snapTime.Seconds(), len(res.Actions), len(changed), m.String())
	if *expectNoop {
		var bad []string
		if len(res.Actions) > 0 {
			bad = append(bad, fmt.Sprintf("%d actions", len(res.Actions)))
		}
		if n := m.writes(); n > 0 {
			bad = append(bad, fmt.Sprintf("%d writes to the kernel or daemons", n))
		}
		if len(changed) > 0 {
			bad = append(bad, fmt.Sprintf("files changed: %s", strings.Join(changed, ", ")))
		}
		if len(bad) > 0 {
			fmt.Fprintf(stderr, "%s: not a no-op: %s\n", label, strings.Join(bad, "; "))
			return 1
		}
	}
	return 0
}

// firstWrite passes writes through and records when the first came.
type firstWrite struct {
	w  io.Writer
	at time.Time
}

func (f *firstWrite) Write(p []byte) (int, error) {
	if f.at.IsZero() {
		f.at = time.Now()
	}
	return f.w.Write(p)
}

func splitList(s string) []string {
	out := []string{}
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// The meters' kinds. Writes are every call that can change the kernel or
// a daemon.
var (
	meterKinds = []string{
		"kernel_reads", "netlink_writes", "sysctl_writes",
		"charon_reads", "charon_writes",
		"firewall_reads", "firewall_restores",
		"frr_reads", "frr_reloads",
	}
	writeKinds = []string{"netlink_writes", "sysctl_writes", "charon_writes", "firewall_restores", "frr_reloads"}
)

// meter counts calls and adds up their time, per kind. Apply calls the
// System from one goroutine, so it needs no lock.
type meter struct {
	n map[string]int
	d map[string]time.Duration
}

func newMeter() *meter {
	return &meter{n: map[string]int{}, d: map[string]time.Duration{}}
}

// done records one call of kind that started at t0.
func (m *meter) done(kind string, t0 time.Time) {
	m.n[kind]++
	m.d[kind] += time.Since(t0)
}

func (m *meter) writes() int {
	n := 0
	for _, k := range writeKinds {
		n += m.n[k]
	}
	return n
}

// String prints "kind=count kind_s=seconds" for every kind.
func (m *meter) String() string {
	var b strings.Builder
	for i, k := range meterKinds {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%d %s_s=%.3f", k, m.n[k], k, m.d[k].Seconds())
	}
	return b.String()
}

// The metered System parts spell out every method, so that a method added
// to an interface fails to compile here instead of going uncounted.

type meteredKernel struct {
	k netdev.Kernel
	m *meter
}

var _ netdev.Kernel = (*meteredKernel)(nil)

func (k *meteredKernel) Links() ([]netdev.Link, error) {
	defer k.m.done("kernel_reads", time.Now())
	return k.k.Links()
}

func (k *meteredKernel) Routes() ([]netdev.Route, error) {
	defer k.m.done("kernel_reads", time.Now())
	return k.k.Routes()
}

func (k *meteredKernel) Sysctl(key string) (string, error) {
	defer k.m.done("kernel_reads", time.Now())
	return k.k.Sysctl(key)
}

func (k *meteredKernel) AddVTI(v netdev.VTI) error {
	defer k.m.done("netlink_writes", time.Now())
	return k.k.AddVTI(v)
}

func (k *meteredKernel) ModifyVTI(v netdev.VTI) error {
	defer k.m.done("netlink_writes", time.Now())
	return k.k.ModifyVTI(v)
}

func (k *meteredKernel) DeleteLink(name string) error {
	defer k.m.done("netlink_writes", time.Now())
	return k.k.DeleteLink(name)
}

func (k *meteredKernel) SetMTU(name string, mtu int) error {
	defer k.m.done("netlink_writes", time.Now())
	return k.k.SetMTU(name, mtu)
}

func (k *meteredKernel) SetUp(name string, up bool) error {
	defer k.m.done("netlink_writes", time.Now())
	return k.k.SetUp(name, up)
}

func (k *meteredKernel) ReplaceAddr(name string, p netip.Prefix) error {
	defer k.m.done("netlink_writes", time.Now())
	return k.k.ReplaceAddr(name, p)
}

func (k *meteredKernel) DelAddr(name string, p netip.Prefix) error {
	defer k.m.done("netlink_writes", time.Now())
	return k.k.DelAddr(name, p)
}

func (k *meteredKernel) ReplaceRoute(r netdev.Route) error {
	defer k.m.done("netlink_writes", time.Now())
	return k.k.ReplaceRoute(r)
}

func (k *meteredKernel) DelRoute(r netdev.Route) error {
	defer k.m.done("netlink_writes", time.Now())
	return k.k.DelRoute(r)
}

func (k *meteredKernel) SetSysctl(key, value string) error {
	defer k.m.done("sysctl_writes", time.Now())
	return k.k.SetSysctl(key, value)
}

type meteredCharon struct {
	c charon.Charon
	m *meter
}

var _ charon.Charon = (*meteredCharon)(nil)

func (c *meteredCharon) Conns(ctx context.Context) ([]string, error) {
	defer c.m.done("charon_reads", time.Now())
	return c.c.Conns(ctx)
}

func (c *meteredCharon) Shared(ctx context.Context) ([]string, error) {
	defer c.m.done("charon_reads", time.Now())
	return c.c.Shared(ctx)
}

func (c *meteredCharon) LoadConn(ctx context.Context, conn charon.Conn) error {
	defer c.m.done("charon_writes", time.Now())
	return c.c.LoadConn(ctx, conn)
}

func (c *meteredCharon) UnloadConn(ctx context.Context, name string) error {
	defer c.m.done("charon_writes", time.Now())
	return c.c.UnloadConn(ctx, name)
}

func (c *meteredCharon) LoadShared(ctx context.Context, s charon.Secret) error {
	defer c.m.done("charon_writes", time.Now())
	return c.c.LoadShared(ctx, s)
}

func (c *meteredCharon) LoadCred(ctx context.Context, cr charon.Cred) error {
	return c.c.LoadCred(ctx, cr)
}

func (c *meteredCharon) UnloadShared(ctx context.Context, id string) error {
	defer c.m.done("charon_writes", time.Now())
	return c.c.UnloadShared(ctx, id)
}

func (c *meteredCharon) Restart(ctx context.Context) error {
	defer c.m.done("charon_writes", time.Now())
	return c.c.Restart(ctx)
}

func (c *meteredCharon) Start(ctx context.Context) error {
	defer c.m.done("charon_writes", time.Now())
	return c.c.Start(ctx)
}

func (c *meteredCharon) HowToStart(ctx context.Context) (string, error) {
	return c.c.HowToStart(ctx)
}

type meteredFRR struct {
	f frrreload.FRR
	m *meter
}

var _ frrreload.FRR = (*meteredFRR)(nil)

func (f *meteredFRR) Running(ctx context.Context, daemon string) ([]byte, error) {
	defer f.m.done("frr_reads", time.Now())
	return f.f.Running(ctx, daemon)
}

func (f *meteredFRR) Reload(ctx context.Context, daemon string, config []byte) error {
	defer f.m.done("frr_reloads", time.Now())
	return f.f.Reload(ctx, daemon, config)
}

func (f *meteredFRR) Check(ctx context.Context, config []byte) error {
	defer f.m.done("frr_reads", time.Now())
	return f.f.Check(ctx, config)
}

func (f *meteredFRR) TestReload(ctx context.Context, daemon string, config []byte) error {
	defer f.m.done("frr_reads", time.Now())
	return f.f.TestReload(ctx, daemon, config)
}

func (f *meteredFRR) Daemons(ctx context.Context) ([]string, error) {
	defer f.m.done("frr_reads", time.Now())
	return f.f.Daemons(ctx)
}

func (f *meteredFRR) Restart(ctx context.Context, want []string) error {
	defer f.m.done("frr_reloads", time.Now())
	return f.f.Restart(ctx, want)
}

type meteredFirewall struct {
	f firewall.Firewall
	m *meter
}

var _ firewall.Firewall = (*meteredFirewall)(nil)

func (f *meteredFirewall) Rules(ctx context.Context, table string) ([]string, error) {
	defer f.m.done("firewall_reads", time.Now())
	return f.f.Rules(ctx, table)
}

func (f *meteredFirewall) Restore(ctx context.Context, input []byte) error {
	defer f.m.done("firewall_restores", time.Now())
	return f.f.Restore(ctx, input)
}

// fileStamp is what a write, a rename or a chmod of a file changes.
type fileStamp struct {
	ino, size      uint64
	mtime, ctime   int64
	mode, uid, gid uint32
}

// snapshotRoot stamps every file and directory apply may write under
// root: etc and var/lib/vtic (not the rest of run, where charon logs),
// plus the lock file.
func snapshotRoot(root string) (map[string]fileStamp, error) {
	out := map[string]fileStamp{}
	stamp := func(p string) error {
		var st syscall.Stat_t
		if err := syscall.Lstat(p, &st); err != nil {
			return err
		}
		out[p] = fileStamp{
			ino: st.Ino, size: uint64(st.Size),
			mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano(),
			mode: st.Mode, uid: st.Uid, gid: st.Gid,
		}
		return nil
	}
	for _, dir := range []string{"etc", "var/lib/vtic"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, _ fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			return stamp(p)
		})
		if err != nil {
			return nil, fmt.Errorf("snapshot %s: %w", root, err)
		}
	}
	if err := stamp(filepath.Join(root, apply.LockPath)); err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("snapshot %s: %w", root, err)
	}
	return out, nil
}

// diffSnapshots lists the paths created, removed or changed.
func diffSnapshots(before, after map[string]fileStamp) []string {
	var out []string
	for p, a := range after {
		if b, ok := before[p]; !ok || a != b {
			out = append(out, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}
