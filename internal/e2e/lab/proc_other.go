//go:build !linux

package lab

import "syscall"

func qemuProcAttr() *syscall.SysProcAttr { return nil }
