package netdev

import "errors"

// Converge reads the kernel, plans and applies. It returns the ops that
// were applied, so the caller can report them even when some failed; run
// it again with nothing changed and it returns none.
//
// On success the caller's state file should own exactly desired.VTIs'
// names and desired.Routes (adopted devices included). On failure the
// caller either calls Restore with a snapshot taken by Capture before, or
// keeps owning the union of the old and the desired ownership, so that no
// device or route this call created is forgotten.
func Converge(k Kernel, desired Desired) ([]Op, error) {
	if err := desired.Validate(); err != nil {
		return nil, err
	}
	cur, err := Read(k, desired)
	if err != nil {
		return nil, err
	}
	ops, err := Plan(cur, desired)
	if err != nil {
		return nil, err
	}
	return Apply(k, ops)
}

// Apply runs ops in order and returns those that succeeded. A failed op
// does not stop the others: the failures are joined. Only the rest of the
// failed op's device (or route) is skipped, since those ops depend on it.
func Apply(k Kernel, ops []Op) ([]Op, error) {
	var done []Op
	var errs []error
	failed := map[string]bool{}
	for _, o := range ops {
		subject := o.subject()
		if failed[subject] {
			continue
		}
		if err := o.apply(k); err != nil {
			failed[subject] = true
			errs = append(errs, err)
			continue
		}
		done = append(done, o)
	}
	return done, errors.Join(errs...)
}
