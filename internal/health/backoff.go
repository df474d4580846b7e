package health

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/vtic/vtic/internal/atomicfile"
)

// Backoff spaces out repairs of a tunnel that keeps failing: 1, 2, 4 … up
// to 30 minutes between attempts, reset once the tunnel is healthy.
type Backoff struct {
	Attempts int       `json:"attempts"`
	Next     time.Time `json:"next"`
}

const maxBackoff = 30 * time.Minute

// Due reports whether a repair may run now.
func (b Backoff) Due(now time.Time) bool { return b.Next.IsZero() || !now.Before(b.Next) }

// Failed records an attempt that did not make the tunnel healthy.
func (b Backoff) Failed(now time.Time) Backoff {
	d := time.Minute << min(b.Attempts, 5)
	if d > maxBackoff {
		d = maxBackoff
	}
	return Backoff{Attempts: b.Attempts + 1, Next: now.Add(d)}
}

// BackoffPath is the file, relative to the router's root, that keeps each
// tunnel's backoff from one `vtic check --repair` run to the next.
const BackoffPath = "var/lib/vtic/check.json"

// readBackoff reads the backoff file under root. A missing or damaged file
// is an empty backoff: the worst it costs is one repair too early.
func readBackoff(root string) map[string]Backoff {
	m := map[string]Backoff{}
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(BackoffPath)))
	if err == nil {
		if json.Unmarshal(b, &m) != nil {
			return map[string]Backoff{}
		}
	}
	return m
}

// writeBackoff replaces the backoff file under root; an empty backoff
// removes it.
func writeBackoff(root string, m map[string]Backoff) error {
	p := filepath.Join(root, filepath.FromSlash(BackoffPath))
	if len(m) == 0 {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove backoff file: %w", err)
		}
		return nil
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode backoff: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("backoff file: %w", err)
	}
	if err := atomicfile.WriteFile(p, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("backoff file: %w", err)
	}
	return nil
}

// updateBackoff records the outcome of a repair run and reports whether it
// changed anything: a tunnel acted on that is still down waits longer
// before its next repair, and a tunnel that is not down starts afresh. A
// down tunnel that was not acted on (its backoff held it) keeps its
// backoff as it was.
func updateBackoff(backoff map[string]Backoff, rows []TunnelStatus, acted []string, now time.Time) bool {
	changed := false
	for _, r := range rows {
		switch {
		case r.Verdict == Down.String() && slices.Contains(acted, r.Tunnel):
			backoff[r.Tunnel] = backoff[r.Tunnel].Failed(now)
			changed = true
		case r.Verdict != Down.String():
			if _, ok := backoff[r.Tunnel]; ok {
				delete(backoff, r.Tunnel)
				changed = true
			}
		}
	}
	return changed
}
