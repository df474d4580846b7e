package testdaemon

import "syscall"

// dieWithParent has the kernel kill a daemon's process when the test
// binary dies, so a killed test leaves no daemon running.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
