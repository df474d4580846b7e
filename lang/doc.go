// Package lang reads a vtic site: every *.hcl file of a directory, decoded
// into plain structs that remember where each value was written, and checked
// against the rules a router configuration must satisfy.
//
// LoadDir is the entry point. It returns the decoded Site together with every
// diagnostic it found; it keeps going after an error so that one run reports
// all of them. Nothing here prints or writes files: cmd/vtic renders the
// diagnostics and compile turns a valid Site into per-host plans.
package lang
