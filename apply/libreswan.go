package apply

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/vtic/vtic/apply/pluto"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/libreswan"
	"github.com/vtic/vtic/targets/plan"
)

// libreswanPlan is what apply does to pluto, libreswan's IKE daemon. It
// compares each conn, with its pre-shared key, against the hash the state
// recorded when it was last loaded, so only conns that changed are
// replaced, and those no longer declared are deleted.
type libreswanPlan struct {
	// want maps each desired conn to its hash; auto to its auto= value.
	want map[string]string
	auto map[string]string
	// oldAuto is the auto= value of each conn of the installed plan,
	// which a rollback brings back up the way it was.
	oldAuto map[string]string
	reread  bool
	replace []string
	remove  []string
}

// libreswanConns returns a plan's conns by name with their hashes and
// auto= values.
func libreswanConns(h *compile.Host) (hashes, auto map[string]string, err error) {
	hashes, auto = map[string]string{}, map[string]string{}
	if !h.UsesLibreswan() {
		return hashes, auto, nil
	}
	conns, err := libreswan.Conns(h)
	if err != nil {
		return nil, nil, err
	}
	psk := map[string][]byte{}
	for _, t := range h.Tunnels {
		psk[t.Name] = t.PSK.Value
	}
	for _, c := range conns {
		hashes[c.Name] = sum([]byte(c.Text() + "\x00" + hex.EncodeToString(psk[c.Name])))
		auto[c.Name], _ = c.Value("auto")
	}
	return hashes, auto, nil
}

func (r *run) planLibreswan() error {
	p := &r.ls
	var err error
	if p.want, p.auto, err = libreswanConns(r.in.Host); err != nil {
		return err
	}
	if len(p.want) == 0 && len(r.old.Pluto) == 0 {
		return nil
	}
	if f, ok := r.want[libreswan.ConnsPath]; ok && r.changed(libreswan.ConnsPath) {
		if err := r.sys.Pluto.Check(r.ctx, f.Data); err != nil {
			return fmt.Errorf("%s: %w", libreswan.ConnsPath, err)
		}
	}
	p.oldAuto = map[string]string{}
	if old := r.disk[plan.Path]; old.Existed {
		if h, err := planOf([]targets.File{{Path: plan.Path, Data: old.Data}}, r.in.Host.Name); err == nil {
			_, p.oldAuto, _ = libreswanConns(h)
		}
	}
	if err := r.sys.Pluto.Running(r.ctx); err != nil {
		if !errors.Is(err, pluto.ErrNotRunning) {
			return err
		}
		r.notes = append(r.notes, "libreswan: pluto is not running; it loads the installed conns when it starts")
		return nil
	}
	p.reread = r.changed(libreswan.SecretsPath)
	if p.reread {
		r.actions = append(r.actions, "libreswan: reread secrets ("+libreswan.SecretsPath+" changed)")
	}
	for _, name := range slices.Sorted(maps.Keys(p.want)) {
		if r.old.Pluto[name] == p.want[name] {
			continue
		}
		p.replace = append(p.replace, name)
		verb := "load"
		if _, had := r.old.Pluto[name]; had {
			verb = "replace"
		}
		line := fmt.Sprintf("libreswan: %s conn %s", verb, name)
		if p.auto[name] == "start" {
			line += " and initiate it"
		}
		r.actions = append(r.actions, line)
	}
	for _, name := range slices.Sorted(maps.Keys(r.old.Pluto)) {
		if _, ok := p.want[name]; !ok {
			p.remove = append(p.remove, name)
			r.actions = append(r.actions, "libreswan: delete conn "+name)
		}
	}
	return nil
}

// libreswanStep rereads the secrets, deletes the conns no longer declared
// and replaces (and initiates) those that changed. Its undo runs after
// the files are back: it rereads them and puts each conn it touched back
// as the installed plan had it.
func (r *run) libreswanStep(ctx context.Context) error {
	p := &r.ls
	if !p.reread && len(p.replace) == 0 && len(p.remove) == 0 {
		return nil
	}
	pl := r.sys.Pluto
	var touched []string
	r.pushUndo("libreswan", func(ctx context.Context) error {
		var errs []error
		if p.reread {
			errs = append(errs, pl.RereadSecrets(ctx))
		}
		for _, name := range touched {
			if _, had := r.old.Pluto[name]; !had {
				errs = append(errs, pl.Delete(ctx, name))
				continue
			}
			errs = append(errs, pl.Replace(ctx, name))
			if r.ls.oldAuto[name] == "start" {
				errs = append(errs, pl.Up(ctx, name))
			}
		}
		return errors.Join(errs...)
	})
	if p.reread {
		if err := pl.RereadSecrets(ctx); err != nil {
			return err
		}
	}
	for _, name := range p.remove {
		touched = append(touched, name)
		if err := pl.Delete(ctx, name); err != nil {
			return err
		}
	}
	for _, name := range p.replace {
		touched = append(touched, name)
		if err := pl.Replace(ctx, name); err != nil {
			return err
		}
		if p.auto[name] == "start" {
			if err := pl.Up(ctx, name); err != nil {
				return err
			}
		}
	}
	return nil
}
