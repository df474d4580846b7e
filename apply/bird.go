package apply

import (
	"context"
	"errors"
	"fmt"

	"github.com/vtic/vtic/apply/birdc"
	"github.com/vtic/vtic/targets/bird"
)

// birdPlan is what apply does to BIRD: reconfigure it when bird.conf
// changed, after BIRD's parser accepted the new file while planning.
type birdPlan struct{ configure bool }

func (r *run) planBird() error {
	f, ok := r.want[bird.Path]
	if !ok || !r.changed(bird.Path) {
		return nil
	}
	if err := r.sys.Bird.Check(r.ctx, f.Data); err != nil {
		return fmt.Errorf("%s: %w", bird.Path, err)
	}
	if err := r.sys.Bird.Running(r.ctx); err != nil {
		if !errors.Is(err, birdc.ErrNotRunning) {
			return err
		}
		r.notes = append(r.notes, "bird: BIRD is not running; it reads the installed "+bird.Path+" when it starts")
		return nil
	}
	r.bird.configure = true
	r.actions = append(r.actions, "bird: configure ("+bird.Path+" changed)")
	return nil
}

// birdStep has BIRD read the installed file; its undo, after the files
// are back, has it read the previous one.
func (r *run) birdStep(ctx context.Context) error {
	if !r.bird.configure {
		return nil
	}
	r.pushUndo("bird", r.sys.Bird.Configure)
	return r.sys.Bird.Configure(ctx)
}
