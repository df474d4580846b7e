package lab

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"time"
)

// startMarker is what the initramfs's init prints to the console just
// before it runs the guest script; the time it appears is the boot time.
const startMarker = "lab-init: guest script starting"

// consoleWriter receives qemu's output (the guest's serial console and
// qemu's own errors), copies it to the console log and notes when the
// start marker goes by.
type consoleWriter struct {
	mu      sync.Mutex
	w       io.Writer
	carry   []byte // end of the previous write, for a marker split across writes
	started time.Time
}

func (c *consoleWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.started.IsZero() {
		window := append(append([]byte(nil), c.carry...), p...)
		if bytes.Contains(window, []byte(startMarker)) {
			c.started = time.Now()
		}
		if keep := len(startMarker); len(window) > keep {
			window = window[len(window)-keep:]
		}
		c.carry = window
	}
	return c.w.Write(p)
}

// startedAt returns when the marker was seen, or the zero time.
func (c *consoleWriter) startedAt() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.started
}

// tail returns the last n lines of text, for error messages that must make
// a CI log diagnosable without the files that produced them.
func tail(text string, n int) string {
	text = strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	lines := strings.Split(text, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
