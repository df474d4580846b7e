package apply

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/vtic/vtic/apply/charon"
	"github.com/vtic/vtic/targets/plan"
)

// The undo of the charon step: what a rollback loads and unloads to give
// charon back the connections and secrets of the installed plan.

func (r *run) undoLoadShared(id string) func(context.Context) error {
	if !r.ch.shared[id] {
		return func(ctx context.Context) error { return r.sys.Charon.UnloadShared(ctx, id) }
	}
	return r.reloadOldSecret(id)
}

func (r *run) undoLoadConn(name string) func(context.Context) error {
	if !r.ch.loaded[name] {
		return func(ctx context.Context) error { return r.sys.Charon.UnloadConn(ctx, name) }
	}
	return r.reloadOldConn(name)
}

func (r *run) reloadOldConn(name string) func(context.Context) error {
	return func(ctx context.Context) error {
		old, ok := r.ch.oldConns[name]
		if !ok {
			return fmt.Errorf("cannot load connection %s back: the installed plan (%s) did not have it", name, plan.Path)
		}
		return r.sys.Charon.LoadConn(ctx, old)
	}
}

func (r *run) reloadOldSecret(id string) func(context.Context) error {
	return func(ctx context.Context) error {
		old, ok := r.ch.oldSecrets[id]
		if !ok {
			return fmt.Errorf("cannot load secret %s back: the installed plan (%s) did not have it", id, plan.Path)
		}
		return r.sys.Charon.LoadShared(ctx, old)
	}
}

// charonRestart undoes a step that restarted charon: the old settings
// file is back on disk by now, so restart again and load what the old
// files held and the new daemon lacks.
func (r *run) charonRestart(ctx context.Context) error {
	c := r.sys.Charon
	if err := c.Restart(ctx); err != nil {
		return err
	}
	loaded, shared, err := readCharon(ctx, c)
	if err != nil {
		return err
	}
	return r.loadOld(ctx, loaded, shared)
}

// charonRevert undoes a step that started charon: the daemon may hold
// what the new files (through swanctl --load-all) and the step loaded, so
// every connection and secret of the new plan that the installed plan did
// not have is unloaded, and those of the installed plan are loaded again.
func (r *run) charonRevert(ctx context.Context) error {
	c := r.sys.Charon
	loaded, shared, err := readCharon(ctx, c)
	if errors.Is(err, charon.ErrNotRunning) {
		return nil // the start failed: not running, as before
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, conn := range r.ch.conns {
		if _, old := r.ch.oldConns[conn.Name]; !old && loaded[conn.Name] {
			errs = append(errs, c.UnloadConn(ctx, conn.Name))
		}
	}
	for _, s := range r.ch.secrets {
		if _, old := r.ch.oldSecrets[s.ID]; !old && shared[s.ID] {
			errs = append(errs, c.UnloadShared(ctx, s.ID))
		}
	}
	// Every one again, not only the missing ones: a loaded one may be the
	// new version.
	return errors.Join(append(errs, r.loadOld(ctx, nil, nil))...)
}

// loadOld loads the connections and secrets of the installed plan that
// are not in loaded and shared (nil: all of them).
func (r *run) loadOld(ctx context.Context, loaded, shared map[string]bool) error {
	c := r.sys.Charon
	var errs []error
	for _, id := range slices.Sorted(maps.Keys(r.ch.oldSecrets)) {
		if !shared[id] {
			errs = append(errs, c.LoadShared(ctx, r.ch.oldSecrets[id]))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(r.ch.oldConns)) {
		if !loaded[name] {
			errs = append(errs, c.LoadConn(ctx, r.ch.oldConns[name]))
		}
	}
	return errors.Join(errs...)
}
