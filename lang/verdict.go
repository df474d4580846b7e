package lang

import "errors"

// verdict records what Parse and Validate found in a site, so that a later
// stage can ask the site itself whether it may be used instead of trusting
// its caller to pass the diagnostics along.
type verdict struct {
	decoded    bool // Parse built the site
	decodeErrs bool // and reported an error
	validated  bool // Validate ran on it
	ruleErrs   bool // and reported an error
}

// The errors of Site.Err.
var (
	ErrNotValidated = errors.New("the site has not been validated; load it with lang.LoadDir")
	ErrSiteInvalid  = errors.New("the site has errors; run vtic validate")
)

// Err reports whether the site may be compiled: nil when Parse decoded it
// and Validate checked it (LoadDir does both) and neither found an error,
// ErrNotValidated when a step is missing, ErrSiteInvalid when one found an
// error. Warnings do not count. The record is taken when Parse and Validate
// return; changing the site afterwards is not noticed.
func (s *Site) Err() error {
	v := s.verdict
	switch {
	case v.decodeErrs || v.ruleErrs:
		return ErrSiteInvalid
	case !v.decoded || !v.validated:
		return ErrNotValidated
	}
	return nil
}
