package apply

import (
	"context"
	"errors"

	kconf "github.com/vtic/vtic/targets/keepalived"
)

// keepalivedPlan is what apply does to keepalived: start it (its file is
// new or it does not run), reload it (its file changed), or stop it (the
// router left its pair, so vtic removes the file it installed).
type keepalivedPlan struct {
	verb string // "", "start", "reload" or "stop"
}

// planKeepalived decides from the rendered keepalived.conf (present only
// for a member of a pair) and the one vtic installed before.
func (r *run) planKeepalived() error {
	_, want := r.want[kconf.Path]
	_, had := r.old.Files[kconf.Path]
	if !want && !had {
		return nil
	}
	if r.sys.Keepalived == nil {
		return errors.New("keepalived: this router is a member of a pair, but apply has no way to drive keepalived")
	}
	active, err := r.sys.Keepalived.Active(r.ctx)
	if err != nil {
		return err
	}
	p := &r.keepalived
	switch {
	case want && !active:
		p.verb = "start"
	case want && r.changed(kconf.Path):
		p.verb = "reload"
	case !want && active:
		p.verb = "stop"
	}
	if p.verb != "" {
		r.actions = append(r.actions, "keepalived: "+p.verb)
	}
	return nil
}

// keepalivedStep runs the plan. Its undo runs after the files are back:
// a reload reads the earlier file, a start is stopped and a stop started.
func (r *run) keepalivedStep(ctx context.Context) error {
	k := r.sys.Keepalived
	switch r.keepalived.verb {
	case "start":
		r.pushUndo("keepalived", k.Stop)
		return k.Start(ctx)
	case "reload":
		r.pushUndo("keepalived", k.Reload)
		return k.Reload(ctx)
	case "stop":
		r.pushUndo("keepalived", k.Start)
		return k.Stop(ctx)
	}
	return nil
}
