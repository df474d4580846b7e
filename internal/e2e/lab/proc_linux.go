package lab

import "syscall"

// qemuProcAttr makes the kernel kill qemu when the process that started it
// dies, so that a test binary killed by go test's own timeout does not
// leave a VM running.
func qemuProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
