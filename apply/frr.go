package apply

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vtic/vtic/apply/frrreload"
	"github.com/vtic/vtic/apply/install"
	"github.com/vtic/vtic/targets/frr"
)

// frrPlan is what apply does to FRR.
type frrPlan struct {
	// mode is how the router's FRR reads its configuration; "" when the
	// input has no FRR files.
	mode frr.Mode
	why  string
	// need are the daemons the plan's configuration needs running;
	// running are those that answered when planning.
	need, running []string
	// daemons is the daemons file, and enable the daemons it gets
	// enabled in it; daemons.Data is nil when the file is left alone.
	daemons install.File
	enable  []string
	// restart: FRR is restarted through its init, as a daemon it needs
	// does not run.
	restart bool
	// reload are the daemons reloaded, or frrreload.Integrated.
	reload []string
	// rendered are the FRR files rendered for the router, of both modes
	// (bfdd.conf only exists for a router with BFD).
	rendered map[string]bool
}

// frrRecovery says how to recover when a rollback could not put FRR's
// running configuration back.
const frrRecovery = "FRR's files under etc/frr are as they were before the apply: restart FRR through its init " +
	"(systemctl restart frr, or /usr/lib/frr/frrinit.sh restart where systemd does not run) to run them again"

// planFRRMode finds how the router's FRR reads its configuration and
// keeps, of the FRR files rendered, those of that mode (frr.Mode.Paths);
// the others are not installed, and removed where vtic installed them
// before. It runs before the files are planned.
func (r *run) planFRRMode() error {
	rendered := map[string]bool{}
	for _, p := range (frr.Renderer{}).Paths() {
		if _, ok := r.want[p]; ok {
			rendered[p] = true
		}
	}
	if len(rendered) == 0 {
		return nil
	}
	r.frr.rendered = rendered
	vtysh, err := r.root.Read(frrreload.VtyshConfPath)
	if err != nil {
		return err
	}
	integrated, err := r.root.Read(frr.IntegratedPath)
	if err != nil {
		return err
	}
	p := &r.frr
	p.mode, p.why = frrreload.DetectMode(vtysh.Data, integrated.Existed)
	if _, owned := r.old.Files[frr.IntegratedPath]; p.mode == frr.PerDaemon && integrated.Existed && !owned {
		return fmt.Errorf("FRR reads one file per daemon here (%s), but %s exists, and FRR's daemons do not read "+
			"their own files while it does: vtic's %s would be ignored at the next start of FRR. Move what %s "+
			"holds into the daemons' files and remove it, or set FRR up in integrated mode "+
			"(service integrated-vtysh-config in %s)",
			p.why, frr.IntegratedPath, frr.BGPPath, frr.IntegratedPath, frrreload.VtyshConfPath)
	}
	other := frr.Integrated
	if p.mode == frr.Integrated {
		other = frr.PerDaemon
	}
	for _, path := range other.Paths() {
		delete(r.want, path)
	}
	return nil
}

// planFRR decides what the frr step does: enable the daemons the
// configuration needs in FRR's daemons file, restart FRR when one of them
// does not run, and reload the configurations that changed. Every
// configuration reloaded is first checked by FRR itself (vtysh -C, and
// frr-reload.py --test when FRR runs), so one FRR rejects stops the apply
// before anything changed.
func (r *run) planFRR() error {
	p := &r.frr
	if p.mode == "" {
		return nil
	}
	p.need = frr.Daemons(r.in.Host)
	if err := r.planFRRDaemons(); err != nil {
		return err
	}
	if p.mode == frr.Integrated {
		if r.changed(frr.IntegratedPath) {
			p.reload = append(p.reload, frrreload.Integrated)
		}
	} else {
		for _, d := range r.opts.FRRDaemons {
			if path := frr.DaemonPath(d); r.want[path].Path != "" && r.changed(path) {
				p.reload = append(p.reload, d)
			}
		}
	}
	for _, d := range p.reload {
		data := r.want[frrPath(d)].Data
		if err := r.sys.FRR.Check(r.ctx, data); err != nil {
			return fmt.Errorf("%s: %w", frrPath(d), err)
		}
		if len(p.running) > 0 {
			if err := r.sys.FRR.TestReload(r.ctx, d, data); err != nil {
				return fmt.Errorf("%s: %w", frrPath(d), err)
			}
		}
	}
	if len(p.running) == 0 && !p.restart && len(p.reload) > 0 {
		// FRR does not run and the configuration needs no daemon (else a
		// restart would be planned): the files are checked above, and
		// there is nothing to reload into; FRR reads them when it starts.
		r.notes = append(r.notes, "frr: FRR is not running and this configuration needs none of its daemons; it reads the installed files when it starts")
		p.reload = nil
	}
	switch {
	case len(p.enable) > 0 && p.restart:
		r.actions = append(r.actions, fmt.Sprintf("frr: enable %s in %s and restart FRR", strings.Join(p.enable, " and "), frrreload.DaemonsPath))
	case len(p.enable) > 0:
		it := "it runs already; FRR's init starts it"
		if len(p.enable) > 1 {
			it = "they run already; FRR's init starts them"
		}
		r.actions = append(r.actions, fmt.Sprintf("frr: enable %s in %s (%s from now on)",
			strings.Join(p.enable, " and "), frrreload.DaemonsPath, it))
	case p.restart:
		missing := r.missingDaemons()
		verb := "does"
		if len(missing) > 1 {
			verb = "do"
		}
		r.actions = append(r.actions, fmt.Sprintf("frr: restart FRR (%s %s not run)", strings.Join(missing, " and "), verb))
	}
	for _, d := range p.reload {
		if d == frrreload.Integrated {
			r.actions = append(r.actions, "frr: reload the integrated configuration "+frr.IntegratedPath)
		} else {
			r.actions = append(r.actions, "frr: reload "+d)
		}
	}
	r.noteFRR()
	return nil
}

// planFRRDaemons finds which daemons run, enables in the daemons file the
// needed ones it does not enable, and plans a restart when a needed one
// does not run.
func (r *run) planFRRDaemons() error {
	p := &r.frr
	running, err := r.sys.FRR.Daemons(r.ctx)
	if err != nil {
		return err
	}
	p.running = running
	cur, err := r.root.Read(frrreload.DaemonsPath)
	if err != nil {
		return err
	}
	missing := r.missingDaemons()
	if !cur.Existed {
		if len(missing) > 0 {
			return fmt.Errorf("FRR's %s does not run, and there is no %s in which vtic could enable it: start it the way this router runs FRR",
				strings.Join(missing, " and "), frrreload.DaemonsPath)
		}
		return nil
	}
	data := cur.Data
	for _, d := range p.need {
		if !frrreload.DaemonEnabled(data, d) {
			data = frrreload.EnableDaemon(data, d)
			p.enable = append(p.enable, d)
		}
	}
	if len(p.enable) > 0 {
		p.daemons = install.File{Path: frrreload.DaemonsPath, Data: data, Mode: cur.Mode}
	}
	p.restart = len(missing) > 0
	return nil
}

// missingDaemons are the needed daemons that did not answer.
func (r *run) missingDaemons() []string {
	var out []string
	for _, d := range r.frr.need {
		if !slices.Contains(r.frr.running, d) {
			out = append(out, d)
		}
	}
	return out
}

// renderedOf are the files of mode m that were rendered for the router.
func (p *frrPlan) renderedOf(m frr.Mode) []string {
	var out []string
	for _, path := range m.Paths() {
		if p.rendered[path] {
			out = append(out, path)
		}
	}
	return out
}

// frrPath is the file reloaded into a daemon, or into FRR as a whole.
func frrPath(daemon string) string {
	if daemon == frrreload.Integrated {
		return frr.IntegratedPath
	}
	return frr.DaemonPath(daemon)
}

// noteFRR explains, when the apply writes FRR's files or drives FRR, which
// form of the configuration the router gets and why, and what replacing
// a file someone else wrote drops from it.
func (r *run) noteFRR() {
	p := &r.frr
	writes := false
	for _, path := range p.mode.Paths() {
		writes = writes || r.touched(path)
	}
	if !writes && len(p.reload) == 0 && !p.restart && len(p.enable) == 0 {
		return
	}
	other := frr.Integrated
	if p.mode == frr.Integrated {
		other = frr.PerDaemon
	}
	r.notes = append(r.notes, fmt.Sprintf("frr: %s mode (%s): vtic installs %s, not %s",
		p.mode, p.why, strings.Join(p.renderedOf(p.mode), ", "), strings.Join(p.renderedOf(other), ", ")))
	for _, path := range p.mode.Paths() {
		cur := r.disk[path]
		want := r.want[path].Data
		if !cur.Existed || bytes.Equal(cur.Data, want) {
			continue
		}
		rec, had := r.old.Files[path]
		if had && rec.SHA256 == sum(cur.Data) {
			continue // vtic's own earlier file
		}
		what := path + " was not written by vtic"
		if had {
			what = path + " was changed since vtic wrote it (by vtysh's write memory, or by hand)"
		}
		dropped := frrreload.Dropped(cur.Data, want)
		if len(dropped) == 0 {
			r.notes = append(r.notes, fmt.Sprintf("frr: %s; it holds no configuration that vtic's does not, and vtic writes its own", what))
			continue
		}
		r.notes = append(r.notes, fmt.Sprintf("frr: %s; vtic owns it and writes its own, which drops from it and from FRR: %s",
			what, strings.Join(dropped, "; ")))
	}
}

// frrStep makes FRR run what the plan says: the needed daemons enabled
// and running, and the changed configurations reloaded. It records, before
// each change, how to undo it: the running configuration of what it
// reloads, and FRR restarted with its earlier daemons.
func (r *run) frrStep(ctx context.Context) error {
	if err := r.reannounceAddrs(); err != nil {
		return err
	}
	p := &r.frr
	if p.daemons.Data == nil && !p.restart && len(p.reload) == 0 {
		return nil
	}
	prev := map[string][]byte{}
	for _, d := range p.reload {
		b, err := r.sys.FRR.Running(ctx, d)
		if err != nil {
			return err
		}
		prev[d] = b
	}
	if p.daemons.Data != nil {
		b, err := r.root.Install(p.daemons)
		if err != nil {
			return err
		}
		r.backups = append(r.backups, b)
	}
	if p.restart {
		r.pushUndo("frr", func(ctx context.Context) error { return r.restartFRRBack(ctx, prev) })
		if err := r.sys.FRR.Restart(ctx, p.need); err != nil {
			return err
		}
	}
	for _, d := range p.reload {
		r.pushUndo("frr", func(ctx context.Context) error {
			if err := r.sys.FRR.Reload(ctx, d, prev[d]); err != nil {
				return fmt.Errorf("put back what FRR ran before: %w; %s", err, frrRecovery)
			}
			return nil
		})
		if err := r.sys.FRR.Reload(ctx, d, r.want[frrPath(d)].Data); err != nil {
			return err
		}
	}
	return nil
}

// restartFRRBack undoes a restart: with the files put back (the daemons
// file among them), FRR restarted through its init runs the daemons it ran
// before with the configuration of its files, and the running
// configuration of what was reloaded goes back to what it was.
func (r *run) restartFRRBack(ctx context.Context, prev map[string][]byte) error {
	var before []string
	for _, d := range r.frr.running {
		if d != "watchfrr" {
			before = append(before, d)
		}
	}
	if err := r.sys.FRR.Restart(ctx, before); err != nil {
		return fmt.Errorf("restart FRR with the daemons it ran before (%s): %w; %s",
			strings.Join(before, " "), err, frrRecovery)
	}
	for _, d := range r.frr.reload {
		if d != frrreload.Integrated && !slices.Contains(before, d) {
			continue // it does not run again
		}
		if err := r.sys.FRR.Reload(ctx, d, prev[d]); err != nil {
			return fmt.Errorf("put back what FRR ran before: %w; FRR runs the configuration of its files, which are as they were, but not changes made in vtysh and never saved", err)
		}
	}
	return nil
}
