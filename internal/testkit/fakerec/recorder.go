package fakerec

import (
	"errors"
	"slices"
	"strings"
	"sync"
)

// ErrNoChange, returned by the function given to Do, says the write found
// things already as asked: Do returns nil and records nothing.
var ErrNoChange = errors.New("no change")

// Recorder holds a fake's transcript and its injected failures. The zero
// value is ready to use and it is safe for concurrent use. A fake that
// guards its own state with a mutex calls Do with that mutex held, so that
// the transcript's order is the order of the changes.
type Recorder struct {
	mu    sync.Mutex
	lines []string
	rules []rule
}

// rule is one injected failure.
type rule struct {
	match    string
	err      error
	contains bool // match anywhere in the line, not as its leading words
	once     bool // forget the rule after it fired
}

func (r rule) matches(line string) bool {
	if r.contains {
		return strings.Contains(line, r.match)
	}
	return matchWords(line, r.match)
}

// matchWords reports whether line is match or starts with match followed
// by a space: "create vti1" matches "create vti1 local ..." but not
// "create vti10 ...".
func matchWords(line, match string) bool {
	return line == match || strings.HasPrefix(line, match+" ")
}

// FailOn makes every write whose line is line, or starts with line and a
// space, fail with err without changing anything, until ClearFailures.
func (r *Recorder) FailOn(line string, err error) {
	r.add(rule{match: line, err: err})
}

// FailOnce is FailOn for the next matching write only, for a fake whose
// failed write is retried (a rollback) and must then succeed.
func (r *Recorder) FailOnce(line string, err error) {
	r.add(rule{match: line, err: err, once: true})
}

// FailContaining makes every write whose line contains s fail with err,
// until ClearFailures; an empty s fails them all.
func (r *Recorder) FailContaining(s string, err error) {
	r.add(rule{match: s, err: err, contains: true})
}

func (r *Recorder) add(ru rule) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rules = append(r.rules, ru)
}

// ClearFailures forgets every injected failure.
func (r *Recorder) ClearFailures() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rules = nil
}

// Transcript returns the writes recorded so far, one line each.
func (r *Recorder) Transcript() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.lines)
}

// ResetTranscript forgets the writes recorded so far.
func (r *Recorder) ResetTranscript() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = nil
}

// Injected returns the error of the first failure rule matching line, or
// nil, without recording anything: for a fake's reads, and for writes that
// cannot go through Do. A FailOnce rule is used up.
func (r *Recorder) Injected(line string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, ru := range r.rules {
		if ru.matches(line) {
			if ru.once {
				r.rules = slices.Delete(r.rules, i, i+1)
			}
			return ru.err
		}
	}
	return nil
}

// Do performs the write line: it returns the injected error when a rule
// matches line, without calling write; otherwise it calls write and, when
// write returns nil, records line. ErrNoChange from write makes Do return
// nil without recording. The injected error and write's are returned as
// they are, for the fake to wrap with the name of what failed.
func (r *Recorder) Do(line string, write func() error) error {
	if err := r.Injected(line); err != nil {
		return err
	}
	switch err := write(); {
	case errors.Is(err, ErrNoChange):
		return nil
	case err != nil:
		return err
	}
	r.Record(line)
	return nil
}

// Record adds line to the transcript.
func (r *Recorder) Record(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, line)
}
