package apply

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/vtic/vtic/apply/charon"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/plan"
	"github.com/vtic/vtic/targets/swanctl"
)

// charonPlan is what apply does to charon.
type charonPlan struct {
	// restart: the settings snippet changed, and plugins are only loaded
	// when charon starts.
	restart bool
	// start says how charon is started, when it is not running; "" when
	// it is.
	start   string
	conns   []charon.Conn   // desired, in file order
	secrets []charon.Secret // desired
	// creds are the authorities and private key of the plan; loadCreds
	// says whether to load them (before any connection).
	creds     []charon.Cred
	loadCreds bool
	// oldConns and oldSecrets are the definitions of the installed plan,
	// which are what a rollback loads back.
	oldConns   map[string]charon.Conn
	oldSecrets map[string]charon.Secret
	// loaded and shared are what charon held when planning.
	loaded, shared map[string]bool
	credsChanged   bool

	loadShared   []charon.Secret
	unloadConn   []string
	loadConn     []charon.Conn
	unloadShared []string
}

func (r *run) planCharon() error {
	p := &r.ch
	var err error
	if p.conns, p.secrets, err = charonOf(r.in.Host); err != nil {
		return err
	}
	if err := checkSecrets(p.conns, p.secrets); err != nil {
		return err
	}
	if h := r.in.Host; len(h.Cert) > 0 && !h.Key.Resolved {
		// Rendered without secrets: the key file is a comment.
		return fmt.Errorf("%s: the private key %s is unresolved (was it rendered without secrets?)", swanctl.KeyPath, h.Key.Ref)
	}
	p.creds = charon.Creds(r.in.Host)
	for _, c := range p.creds {
		// A new certificate or key must reach charon even when no
		// connection changed.
		p.credsChanged = p.credsChanged || r.changed(c.Name)
	}
	p.oldConns, p.oldSecrets = map[string]charon.Conn{}, map[string]charon.Secret{}
	conns, secrets, err := r.installedCharon()
	if err != nil {
		r.notes = append(r.notes, err.Error())
	}
	for _, c := range conns {
		p.oldConns[c.Name] = c
	}
	for _, s := range secrets {
		p.oldSecrets[s.ID] = s
	}
	p.restart = r.changed(swanctl.SettingsPath)
	loaded, shared, err := readCharon(r.ctx, r.sys.Charon)
	switch {
	case errors.Is(err, charon.ErrNotRunning):
		if p.start, err = r.planStart(err); err != nil {
			return err
		}
		// A started charon reads the settings as they are by then.
		p.restart = false
		loaded, shared = map[string]bool{}, map[string]bool{}
	case err != nil && (p.restart || r.opts.DryRun):
		// A charon that runs but does not answer: the restart may
		// mend it; a dry run only reports.
		r.notes = append(r.notes, fmt.Sprintf("charon does not answer (%v); planning as if it had nothing loaded", err))
		loaded, shared = map[string]bool{}, map[string]bool{}
	case err != nil:
		return err
	}
	p.loaded, p.shared = loaded, shared
	switch {
	case p.start != "":
		r.actions = append(r.actions, fmt.Sprintf("charon: start (not running; %s)", p.start))
	case p.restart:
		r.actions = append(r.actions, fmt.Sprintf("charon: restart (%s changed)", swanctl.SettingsPath))
		// Plan for the worst: a restart that leaves nothing loaded.
		loaded, shared = map[string]bool{}, map[string]bool{}
	}
	p.diff(r.old, loaded, shared, p.restart || p.start != "")
	r.actions = append(r.actions, p.lines()...)
	return nil
}

// planStart decides how to start a charon that is not running (err): the
// way the router runs it, in the charon step, after the files are
// installed, so that it reads vtic's settings snippet and (where the
// service runs swanctl --load-all) its connections. When it cannot be
// started, the apply fails here, before anything is changed, with a
// message that says what to start.
func (r *run) planStart(err error) (string, error) {
	how, herr := r.sys.Charon.HowToStart(r.ctx)
	if herr != nil {
		return "", fmt.Errorf("%w; %w", err, herr)
	}
	return how, nil
}

// charonOf is what a plan loads into charon: the sections the swanctl
// target writes, as VICI messages.
func charonOf(h *compile.Host) ([]charon.Conn, []charon.Secret, error) {
	sec, err := swanctl.Secrets(h)
	if err != nil {
		return nil, nil, err
	}
	secrets, err := charon.Secrets(sec)
	if err != nil {
		return nil, nil, err
	}
	return charon.WithFiles(charon.Conns(swanctl.Connections(h)), swanctl.CertFiles(h)), secrets, nil
}

// installedCharon is what the plan installed by the last apply loaded into
// charon, which is what a rollback loads back. Without one (nothing was
// installed yet, or an older vtic installed the files without a plan) there
// is nothing to restore; an error says why it is missing, as a note.
func (r *run) installedCharon() ([]charon.Conn, []charon.Secret, error) {
	old := r.disk[plan.Path]
	if !old.Existed {
		if r.disk[swanctl.ConnsPath].Existed || r.disk[swanctl.SecretsPath].Existed {
			return nil, nil, fmt.Errorf("no plan is installed (%s; an older vtic installed the files): the connections and secrets loaded now cannot be restored on failure", plan.Path)
		}
		return nil, nil, nil
	}
	if f, ok := r.want[plan.Path]; ok && bytes.Equal(old.Data, f.Data) {
		return r.ch.conns, r.ch.secrets, nil // usually the plan has not changed
	}
	h, err := planOf([]targets.File{{Path: plan.Path, Data: old.Data}}, r.in.Host.Name)
	if err == nil {
		var conns []charon.Conn
		var secrets []charon.Secret
		if conns, secrets, err = charonOf(h); err == nil {
			return conns, secrets, nil
		}
	}
	return nil, nil, fmt.Errorf("the installed plan cannot be read (%v); its connections and secrets cannot be restored on failure", err)
}

// readCharon returns the names of the loaded connections and secrets.
func readCharon(ctx context.Context, c charon.Charon) (conns, shared map[string]bool, err error) {
	cl, err := c.Conns(ctx)
	if err != nil {
		return nil, nil, err
	}
	sl, err := c.Shared(ctx)
	if err != nil {
		return nil, nil, err
	}
	conns, shared = map[string]bool{}, map[string]bool{}
	for _, n := range cl {
		conns[n] = true
	}
	for _, n := range sl {
		shared[n] = true
	}
	return conns, shared, nil
}

// diff decides the loads and unloads that take charon, holding loaded and
// shared, to the desired connections and secrets. One that is loaded is
// loaded again only if it changed since the last apply (its hash differs
// from the state's); after a restart, whatever the daemon loaded on start
// came from the files just installed, so only missing ones are loaded.
// Only connections and secrets vtic owns (in the state, or in the files
// as found) are unloaded.
func (p *charonPlan) diff(old *State, loaded, shared map[string]bool, fresh bool) {
	p.loadShared, p.unloadConn, p.loadConn, p.unloadShared = nil, nil, nil, nil
	want := map[string]bool{}
	for _, s := range p.secrets {
		want[s.ID] = true
		if !shared[s.ID] || !fresh && old.Secrets[s.ID] != s.Hash {
			p.loadShared = append(p.loadShared, s)
		}
	}
	for _, c := range p.conns {
		want[c.Name] = true
		if !loaded[c.Name] || !fresh && old.Conns[c.Name] != c.Hash {
			p.loadConn = append(p.loadConn, c)
		}
	}
	p.loadCreds = len(p.creds) > 0 && (len(p.loadConn) > 0 || p.credsChanged)
	for _, name := range owned(old.Conns, p.oldConns) {
		if !want[name] && loaded[name] {
			p.unloadConn = append(p.unloadConn, name)
		}
	}
	for _, id := range owned(old.Secrets, p.oldSecrets) {
		if !want[id] && shared[id] {
			p.unloadShared = append(p.unloadShared, id)
		}
	}
}

func owned[V any](state map[string]string, files map[string]V) []string {
	names := slices.Collect(maps.Keys(state))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

func (p *charonPlan) lines() []string {
	var out []string
	if p.loadCreds {
		for _, c := range p.creds {
			if c.CA {
				out = append(out, "charon: load-cert "+c.Name)
			} else {
				out = append(out, "charon: load-key "+c.Name)
			}
		}
	}
	for _, s := range p.loadShared {
		out = append(out, "charon: load-shared "+s.ID)
	}
	for _, n := range p.unloadConn {
		out = append(out, "charon: unload-conn "+n)
	}
	for _, c := range p.loadConn {
		out = append(out, "charon: load-conn "+c.Name)
	}
	for _, n := range p.unloadShared {
		out = append(out, "charon: unload-shared "+n)
	}
	return out
}

// touchedNames lists the connections and secrets the plan loads or
// unloads.
func (p *charonPlan) touchedNames() []string {
	var out []string
	for _, s := range p.loadShared {
		out = append(out, s.ID)
	}
	for _, c := range p.loadConn {
		out = append(out, c.Name)
	}
	return append(append(out, p.unloadConn...), p.unloadShared...)
}

// step loads and unloads as planned (restarting first if needed) and
// registers its undo before each write.
func (r *run) charonStep(ctx context.Context) error {
	p := &r.ch
	c := r.sys.Charon
	var inverse []func(context.Context) error
	restarted, started := false, false
	r.pushUndo("charon", func(ctx context.Context) error {
		switch {
		case restarted:
			return r.charonRestart(ctx)
		case started:
			// It stays running: a router needs its IKE daemon, and
			// the previous configuration is what it held before.
			return r.charonRevert(ctx)
		}
		var errs []error
		for i := len(inverse) - 1; i >= 0; i-- {
			if err := inverse[i](ctx); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	})
	switch {
	case p.start != "":
		started = true // a failed start may still have started it
		if err := c.Start(ctx); err != nil {
			return err
		}
		loaded, shared, err := readCharon(ctx, c)
		if err != nil {
			return fmt.Errorf("after start: %w", err)
		}
		p.diff(r.old, loaded, shared, true)
	case p.restart:
		restarted = true // a failed restart may still have stopped charon
		if err := c.Restart(ctx); err != nil {
			return err
		}
		loaded, shared, err := readCharon(ctx, c)
		if err != nil {
			return fmt.Errorf("after restart: %w", err)
		}
		p.diff(r.old, loaded, shared, true)
	}
	if p.loadCreds {
		// Not undone: a certificate or key grants nothing without a
		// connection that uses it (see charon.Charon.LoadCred).
		for _, cr := range p.creds {
			if err := c.LoadCred(ctx, cr); err != nil {
				return err
			}
		}
	}
	for _, s := range p.loadShared {
		inverse = append(inverse, r.undoLoadShared(s.ID))
		if err := c.LoadShared(ctx, s); err != nil {
			return err
		}
	}
	for _, n := range p.unloadConn {
		inverse = append(inverse, r.reloadOldConn(n))
		if err := c.UnloadConn(ctx, n); err != nil {
			return err
		}
	}
	for _, conn := range p.loadConn {
		inverse = append(inverse, r.undoLoadConn(conn.Name))
		if err := c.LoadConn(ctx, conn); err != nil {
			return err
		}
	}
	for _, id := range p.unloadShared {
		inverse = append(inverse, r.reloadOldSecret(id))
		if err := c.UnloadShared(ctx, id); err != nil {
			return err
		}
	}
	return nil
}
