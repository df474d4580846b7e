package main

import (
	"fmt"
	"runtime"
)

// goos is the system vtic runs on; tests set it to see another's refusal.
var goos = runtime.GOOS

// Why the commands that work on the router itself need Linux. The others
// (validate, build, fmt, diff, import) only read and write files, and run
// anywhere, so a reviewer can use them on their own machine.
const (
	whyApply  = "it manages the kernel's VTI devices and the router's daemons"
	whyStatus = "it reads the kernel's VTI devices and asks the router's daemons"
	whyCheck  = "it reads and repairs the kernel's VTI devices and the router's daemons"
)

// unsupported is the error of a command that cannot run on the system os:
// nil when it can.
func (c command) unsupported(os string) error {
	if c.needsLinux == "" || os == "linux" {
		return nil
	}
	return fmt.Errorf("needs Linux (this is %s): %s", os, c.needsLinux)
}
