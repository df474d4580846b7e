package health

import (
	"context"
	"errors"
	"slices"
	"time"
)

// repairLoop is one `vtic check --repair` run: repair what is down and due,
// wait for it to come back, and remember the outcome in the backoff file.
// Its clock and its view of the router are fields, so tests drive it with
// fakes.
type repairLoop struct {
	root     string // the backoff file lives under it
	observe  func(ctx context.Context) ([]TunnelStatus, map[string]SAPair, error)
	repairer Repairer
	settle   time.Duration
	now      func() time.Time
	sleep    func(ctx context.Context, d time.Duration) error
}

// settlePoll is how often a repaired router is observed while settling.
const settlePoll = time.Second

// run repairs the tunnels that are down and whose backoff allows it, waits
// for them to come back, and records the backoff: a tunnel that is still
// down after its repair waits longer before the next one, and a tunnel
// that is not down starts afresh.
func (l repairLoop) run(ctx context.Context, rows []TunnelStatus, sas map[string]SAPair) ([]TunnelStatus, error) {
	backoff := readBackoff(l.root)
	var acted []string
	var repairErr error
	if AnyDown(rows) {
		obs := make([]Observation, len(rows))
		for i, r := range rows {
			obs[i] = r.Observation
		}
		acted, repairErr = l.repairer.Repair(ctx, obs, sas, backoff, l.now())
	}
	if len(acted) > 0 {
		settled, err := l.settleRepairs(ctx, acted)
		if err != nil {
			// Judge by what was seen before the repair.
			return rows, errors.Join(repairErr, err)
		}
		rows = settled
	}
	if !updateBackoff(backoff, rows, acted, l.now()) {
		return rows, repairErr
	}
	return rows, errors.Join(repairErr, writeBackoff(l.root, backoff))
}

// settleRepairs gives repaired tunnels time to come back: it observes the
// router every settlePoll until every tunnel it acted on is healthy (its
// SAs up and its BGP session, if any, established again) or l.settle has
// passed, and returns the last observation.
func (l repairLoop) settleRepairs(ctx context.Context, acted []string) ([]TunnelStatus, error) {
	deadline := l.now().Add(l.settle)
	for {
		rows, _, err := l.observe(ctx)
		if err != nil {
			return nil, err
		}
		healthy := true
		for _, r := range rows {
			if slices.Contains(acted, r.Tunnel) && r.Verdict != Healthy.String() {
				healthy = false
			}
		}
		if healthy || l.now().After(deadline) {
			return rows, nil
		}
		if err := l.sleep(ctx, settlePoll); err != nil {
			return rows, err
		}
	}
}
