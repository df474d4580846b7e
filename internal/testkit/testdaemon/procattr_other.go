//go:build !linux

package testdaemon

import "syscall"

// dieWithParent: only Linux kills a child with its parent. The daemons
// these helpers start need Linux anyway (namespaces); this lets the
// packages that import them build elsewhere.
func dieWithParent() *syscall.SysProcAttr { return nil }
