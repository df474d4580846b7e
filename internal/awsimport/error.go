package awsimport

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Error is a problem found at one line of the imported text. Line is 0 when
// the problem concerns the text as a whole (for example, no tunnels at all).
type Error struct {
	Name string // source name given to Parse
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Name, e.Msg)
}

// errorList collects problems so that one run reports all of them, the way
// a compiler does, instead of making the user fix them one at a time.
type errorList struct {
	name string
	errs []*Error
}

func (l *errorList) add(line int, format string, args ...any) {
	l.errs = append(l.errs, &Error{Name: l.name, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// err returns the collected problems ordered by line, or nil.
func (l *errorList) err() error {
	if len(l.errs) == 0 {
		return nil
	}
	sorted := slices.Clone(l.errs)
	slices.SortStableFunc(sorted, func(a, b *Error) int { return cmp.Compare(a.Line, b.Line) })
	all := make([]error, len(sorted))
	for i, e := range sorted {
		all[i] = e
	}
	return errors.Join(all...)
}

// Errors returns the individual *Error values inside err (as returned by
// Parse or Generate), in order. Other errors are skipped.
func Errors(err error) []*Error {
	var out []*Error
	var walk func(error)
	walk = func(err error) {
		if e, ok := err.(*Error); ok {
			out = append(out, e)
			return
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				walk(inner)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}
