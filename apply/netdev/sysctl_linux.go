package netdev

import (
	"errors"
	"fmt"
	"os"
	"path"
	"runtime"
	"strings"

	"github.com/vishvananda/netns"
)

const procSys = "/proc/sys"

func (n *Netlink) Sysctl(key string) (string, error) {
	p, err := sysctlPath(key)
	if err != nil {
		return "", fmt.Errorf("read sysctl %s: %w", key, err)
	}
	var b []byte
	err = n.inNamespace(func() error {
		var err error
		b, err = os.ReadFile(p)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("read sysctl %s: %w", sysctlName(key), err)
	}
	return strings.TrimSpace(string(b)), nil
}

func (n *Netlink) SetSysctl(key, value string) error {
	o := sysctlOp(key, value)
	p, err := sysctlPath(key)
	if err != nil {
		return opError(o, err)
	}
	err = n.inNamespace(func() error {
		// No O_CREATE: a missing key must fail, not be invented.
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_, err = f.WriteString(value)
		return errors.Join(err, f.Close())
	})
	if err != nil {
		return opError(o, err)
	}
	return nil
}

func sysctlPath(key string) (string, error) {
	p := path.Join(procSys, key)
	if path.IsAbs(key) || !strings.HasPrefix(p, procSys+"/") || path.Clean(key) != key {
		return "", fmt.Errorf("sysctl key %q is not a clean path under %s", key, procSys)
	}
	return p, nil
}

// inNamespace runs f on a thread that has joined n's namespace, because
// /proc/sys/net shows the network namespace of the thread that opens it.
func (n *Netlink) inNamespace(f func() error) error {
	if !n.ns.IsOpen() {
		return f()
	}
	runtime.LockOSThread()
	orig, err := netns.Get()
	if err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("get current namespace: %w", err)
	}
	defer orig.Close()
	if err := netns.Set(n.ns); err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("enter namespace %s: %w", n.ns, err)
	}
	ferr := f()
	if err := netns.Set(orig); err != nil {
		// Leave the thread locked: when this goroutine ends, the
		// runtime kills the thread instead of reusing it in the wrong
		// namespace.
		return errors.Join(ferr, fmt.Errorf("return to namespace %s: %w", orig, err))
	}
	runtime.UnlockOSThread()
	return ferr
}
