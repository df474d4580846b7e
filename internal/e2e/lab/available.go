package lab

import (
	"errors"
	"fmt"
	"os"
)

// Available reports what is missing on this machine to run the lab, or nil.
// Tests use it to decide between skipping and failing; the lab needs root
// (9p export of /, network namespaces in the guest are root's anyway, and
// Debian's kernel images are readable by root only).
func Available() error {
	var errs []error
	if os.Geteuid() != 0 {
		errs = append(errs, errors.New("the lab must run as root"))
	}
	if _, err := findTool(qemuBinary, "/usr/bin/"+qemuBinary); err != nil {
		errs = append(errs, fmt.Errorf("%w (install qemu-system-x86)", err))
	}
	if _, err := FindKernel(); err != nil {
		errs = append(errs, err)
	}
	if _, err := os.Stat(busyboxPath); err != nil {
		errs = append(errs, fmt.Errorf("busybox: %w (install busybox-static)", err))
	}
	return errors.Join(errs...)
}
