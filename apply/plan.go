package apply

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/vtic/vtic/apply/charon"
	"github.com/vtic/vtic/apply/firewall"
	"github.com/vtic/vtic/apply/install"
	"github.com/vtic/vtic/apply/netdev"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/iptables"
	"github.com/vtic/vtic/targets/swanctl"
)

// fileRoot is the part of install.Root apply uses; tests wrap it to make
// a write fail.
type fileRoot interface {
	Read(rel string) (install.Backup, error)
	Differs(f install.File) (bool, error)
	Install(f install.File) (install.Backup, error)
	Remove(rel, stopAt string) (install.Backup, error)
	Restore(b install.Backup) error
}

// run is one apply: its inputs, its plan, and while it executes, what to
// put back if a step fails.
type run struct {
	ctx  context.Context
	sys  System
	opts Options
	in   Input
	root fileRoot

	want     map[string]targets.File // desired files by path
	old      *State
	oldBytes []byte                    // the state file as found; nil if none
	disk     map[string]install.Backup // what desired and owned paths hold now

	// The plan.
	writes  []install.File
	removes []string
	desired netdev.Desired
	devOps  []netdev.Op
	fwFile  []byte
	fwRules firewall.Ruleset
	fwState firewall.State
	fw      firewall.Changes
	ch      charonPlan
	ls      libreswanPlan
	frr     frrPlan
	bird    birdPlan
	next    *State
	actions []string
	notes   []string

	// Execution.
	backups []install.Backup
	undo    []undoStep
}

func newRun(ctx context.Context, sys System, in Input, opts Options) (*run, error) {
	r := &run{ctx: ctx, sys: sys, opts: opts, in: in, root: install.New(sys.Root),
		want: map[string]targets.File{}, disk: map[string]install.Backup{}}
	if opts.wrapRoot != nil {
		r.root = opts.wrapRoot(r.root)
	}
	if in.Host == nil {
		return nil, fmt.Errorf("apply: the input has no plan")
	}
	for _, f := range in.Files {
		if err := checkPath(f.Path); err != nil {
			return nil, err
		}
		if _, dup := r.want[f.Path]; dup {
			return nil, fmt.Errorf("file %s is declared twice", f.Path)
		}
		r.want[f.Path] = f
	}
	cur, err := r.root.Read(StatePath)
	if err != nil {
		return nil, err
	}
	if cur.Existed {
		r.oldBytes = cur.Data
	}
	if r.old, err = decodeState(r.oldBytes, in.Host.Name); err != nil {
		return nil, err
	}
	if r.old.Pending {
		r.notes = append(r.notes, "the previous apply did not finish; converging from where it stopped")
	}
	return r, nil
}

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// plan reads the router and decides every change; it writes nothing.
func (r *run) plan() error {
	if err := r.planFRRMode(); err != nil {
		return fmt.Errorf("plan frr: %w", err)
	}
	if err := r.planFiles(); err != nil {
		return fmt.Errorf("plan files: %w", err)
	}
	if err := r.planDevices(); err != nil {
		return fmt.Errorf("plan devices: %w", err)
	}
	if err := r.planFirewall(); err != nil {
		return fmt.Errorf("plan firewall: %w", err)
	}
	if !r.in.Host.UsesLibreswan() || len(r.old.Conns)+len(r.old.Secrets) > 0 {
		// A router that runs libreswan has no charon to drive, unless
		// vtic loaded connections into charon before the router changed
		// daemons: those are unloaded.
		if err := r.planCharon(); err != nil {
			return fmt.Errorf("plan charon: %w", err)
		}
	}
	if err := r.planLibreswan(); err != nil {
		return fmt.Errorf("plan libreswan: %w", err)
	}
	if err := r.planFRR(); err != nil {
		return fmt.Errorf("plan frr: %w", err)
	}
	if err := r.planBird(); err != nil {
		return fmt.Errorf("plan bird: %w", err)
	}
	r.planState()
	return nil
}

func (r *run) planFiles() error {
	paths := slices.Sorted(maps.Keys(r.want))
	for _, p := range paths {
		f := r.want[p]
		cur, err := r.root.Read(p)
		if err != nil {
			return err
		}
		r.disk[p] = cur
		inst := install.File{Path: p, Data: f.Data, Mode: f.Mode, Secret: f.Secret}
		differs, err := r.root.Differs(inst)
		if err != nil {
			return err
		}
		if !differs {
			continue
		}
		r.writes = append(r.writes, inst)
		switch {
		case !cur.Existed:
			r.actions = append(r.actions, fmt.Sprintf("files: create %s (%04o)", p, f.Mode.Perm()))
		case !bytes.Equal(cur.Data, f.Data):
			r.actions = append(r.actions, "files: update "+p)
		default:
			r.actions = append(r.actions, fmt.Sprintf("files: set mode or owner of %s (%04o)", p, f.Mode.Perm()))
		}
	}
	for _, p := range slices.Sorted(maps.Keys(r.old.Files)) {
		if _, ok := r.want[p]; ok {
			continue
		}
		if err := checkRemovable(p); err != nil {
			return fmt.Errorf("state file %s: %w", StatePath, err)
		}
		cur, err := r.root.Read(p)
		if err != nil {
			return err
		}
		r.disk[p] = cur
		if cur.Existed {
			r.removes = append(r.removes, p)
			r.actions = append(r.actions, "files: remove "+p)
		}
	}
	return nil
}

// changed reports whether a file's content differs from what the daemons
// were last given: it is being written, or the state recorded other bytes.
func (r *run) changed(p string) bool {
	f, want := r.want[p]
	rec, had := r.old.Files[p]
	if !want {
		return had
	}
	if !had || rec.SHA256 != sum(f.Data) {
		return true
	}
	for _, w := range r.writes {
		if w.Path == p && !bytes.Equal(r.disk[p].Data, f.Data) {
			return true
		}
	}
	return false
}

func (r *run) planDevices() error {
	d, err := desiredDevices(r.in.Host)
	if err != nil {
		return err
	}
	d.Owned = slices.Clone(r.old.Devices)
	d.OwnedRoutes = r.old.routes()
	r.desired = d
	cur, err := netdev.Read(r.sys.Kernel, d)
	if err != nil {
		return err
	}
	if r.devOps, err = netdev.Plan(cur, d); err != nil {
		return err
	}
	for _, o := range r.devOps {
		r.actions = append(r.actions, "devices: "+o.String())
	}
	return nil
}

func (r *run) planFirewall() error {
	f, ok := r.want[iptables.Path]
	if !ok {
		return nil
	}
	rs, err := firewall.ParseRestore(iptables.Path, f.Data)
	if err != nil {
		return err
	}
	st, err := firewall.Read(r.ctx, r.sys.Firewall, rs, iptables.Chains)
	if err != nil {
		return err
	}
	r.fwFile, r.fwRules, r.fwState = f.Data, rs, st
	r.fw = firewall.Plan(st, rs, iptables.Chains)
	for _, l := range r.fw.Lines() {
		r.actions = append(r.actions, "firewall: "+l)
	}
	return nil
}

// planState builds the state this apply leaves and adds its write to the
// plan if it differs from the file's.
func (r *run) planState() {
	s := newState(r.in.Host.Name)
	for p, f := range r.want {
		s.Files[p] = FileRecord{Mode: f.Mode.Perm(), SHA256: sum(f.Data)}
	}
	for _, v := range r.desired.VTIs {
		s.Devices = append(s.Devices, v.Name)
	}
	for _, rt := range r.desired.Routes {
		s.Routes = append(s.Routes, RouteRecord{Dst: rt.Dst, Gateway: rt.Gateway})
	}
	for _, c := range r.ch.conns {
		s.Conns[c.Name] = c.Hash
	}
	for _, sec := range r.ch.secrets {
		s.Secrets[sec.ID] = sec.Hash
	}
	for name, h := range r.ls.want {
		s.Pluto[name] = h
	}
	r.next = s
	if !bytes.Equal(s.encode(), r.oldBytes) {
		r.actions = append(r.actions, "state: write "+StatePath)
	}
}

// pendingState is the state written before anything changes: everything
// owned before or after, with the hash of whatever this apply touches
// cleared, so that an apply after a crash redoes it.
func (r *run) pendingState() *State {
	s := newState(r.in.Host.Name)
	s.Pending = true
	for p, rec := range r.old.Files {
		s.Files[p] = rec
	}
	for p, rec := range r.next.Files {
		if old, ok := r.old.Files[p]; ok && old == rec && !r.touched(p) {
			continue
		}
		s.Files[p] = FileRecord{Mode: rec.Mode}
	}
	for _, p := range r.removes {
		s.Files[p] = FileRecord{Mode: r.old.Files[p].Mode}
	}
	s.Devices = append(slices.Clone(r.old.Devices), r.next.Devices...)
	s.Routes = append(slices.Clone(r.old.Routes), r.next.Routes...)
	for _, m := range []struct{ old, next, out map[string]string }{
		{r.old.Conns, r.next.Conns, s.Conns}, {r.old.Secrets, r.next.Secrets, s.Secrets},
		{r.old.Pluto, r.next.Pluto, s.Pluto},
	} {
		for k, v := range m.old {
			m.out[k] = v
		}
		for k, v := range m.next {
			if m.old[k] != v {
				m.out[k] = ""
			}
		}
	}
	for _, name := range r.ch.touchedNames() {
		if _, ok := s.Conns[name]; ok {
			s.Conns[name] = ""
		}
		if _, ok := s.Secrets[name]; ok {
			s.Secrets[name] = ""
		}
	}
	return s
}

func (r *run) touched(p string) bool {
	for _, w := range r.writes {
		if w.Path == p {
			return true
		}
	}
	return false
}

// checkSecrets refuses connections without a pre-shared key: a build made
// without secrets (vtic diff renders unresolved keys as comments) would
// otherwise load tunnels that can never authenticate.
func checkSecrets(conns []charon.Conn, secrets []charon.Secret) error {
	ids := map[string]bool{}
	for _, s := range secrets {
		ids[s.ID] = true
	}
	var missing []string
	for _, c := range conns {
		local := c.Def.Sub("local")
		if local == nil {
			continue
		}
		if auth, _ := local.Value("auth"); auth == "psk" && !ids["ike-"+c.Name] {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s has no pre-shared key for connection %s (was it rendered without secrets?)",
			swanctl.SecretsPath, strings.Join(missing, ", "))
	}
	return nil
}
