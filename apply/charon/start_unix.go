//go:build unix

package charon

import (
	"os/exec"
	"syscall"
)

// detach puts a daemon in a session of its own, so that neither the end of
// vtic nor a hangup of its terminal reaches it.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}
