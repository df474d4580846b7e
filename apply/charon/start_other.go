//go:build !unix

package charon

import "os/exec"

// detach does nothing where there are no sessions; apply runs on Linux.
func detach(*exec.Cmd) {}
