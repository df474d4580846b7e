// Package require holds vtic's one rule for tests that need something the
// machine may lack (root, an installed program, the lab VM): run by hand,
// such a test skips and says why; with CI=true it fails instead, so that a
// CI machine missing a package cannot turn real-program tests into silent
// skips. Every check ends in SkipOrFail.
package require
