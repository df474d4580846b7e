package lab

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// cpioEntry is one entry read back by readNewc.
type cpioEntry struct {
	name       string
	mode       uint32
	rmaj, rmin uint32
	nlink, ino uint32
	data       []byte
}

// readNewc parses a newc archive strictly: magic, hex fields, NUL after the
// name, 4-byte alignment of header+name and of the data.
func readNewc(b []byte) ([]cpioEntry, error) {
	var out []cpioEntry
	off := 0
	for {
		if off+110 > len(b) {
			return nil, fmt.Errorf("truncated header at %d", off)
		}
		h := b[off : off+110]
		if string(h[:6]) != "070701" {
			return nil, fmt.Errorf("bad magic %q at %d", h[:6], off)
		}
		field := func(i int) uint32 {
			v, err := strconv.ParseUint(string(h[6+8*i:14+8*i]), 16, 32)
			if err != nil {
				panic(err)
			}
			return uint32(v)
		}
		e := cpioEntry{ino: field(0), mode: field(1), nlink: field(4), rmaj: field(9), rmin: field(10)}
		size, namesize := int(field(6)), int(field(11))
		nameEnd := off + 110 + namesize
		if b[nameEnd-1] != 0 {
			return nil, fmt.Errorf("name at %d not NUL-terminated", off)
		}
		e.name = string(b[off+110 : nameEnd-1])
		dataStart := align4(nameEnd)
		e.data = b[dataStart : dataStart+size]
		off = align4(dataStart + size)
		if e.name == "TRAILER!!!" {
			if off != len(b) {
				return nil, fmt.Errorf("%d bytes after the trailer", len(b)-off)
			}
			return out, nil
		}
		out = append(out, e)
	}
}

func align4(n int) int { return (n + 3) &^ 3 }

func TestCPIOWriterNewc(t *testing.T) {
	var buf bytes.Buffer
	w := newCPIOWriter(&buf)
	w.Dir("bin", 0o755)
	w.File("bin/hello", 0o755, []byte("#!/bin/sh\necho hi\n")) // 19 bytes: needs padding
	w.Symlink("bin/sh", "busybox")
	w.CharDev("console", 0o600, 5, 1)
	w.File("empty", 0o644, nil)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	entries, err := readNewc(buf.Bytes())
	if err != nil {
		t.Fatalf("archive does not parse: %v", err)
	}
	want := []cpioEntry{
		{name: "bin", mode: 0o040755, nlink: 2, ino: 1},
		{name: "bin/hello", mode: 0o100755, nlink: 1, ino: 2, data: []byte("#!/bin/sh\necho hi\n")},
		{name: "bin/sh", mode: 0o120777, nlink: 1, ino: 3, data: []byte("busybox")},
		{name: "console", mode: 0o020600, nlink: 1, ino: 4, rmaj: 5, rmin: 1},
		{name: "empty", mode: 0o100644, nlink: 1, ino: 5},
	}
	if len(entries) != len(want) {
		t.Fatalf("got %d entries, want %d: %+v", len(entries), len(want), entries)
	}
	for i, e := range entries {
		w := want[i]
		if e.name != w.name || e.mode != w.mode || e.nlink != w.nlink || e.ino != w.ino ||
			e.rmaj != w.rmaj || e.rmin != w.rmin || !bytes.Equal(e.data, w.data) {
			t.Errorf("entry %d = %+v, want %+v", i, e, w)
		}
	}
}

// TestCPIOWriterBusybox cross-checks the archive with another reader:
// busybox cpio must extract the files and the symlink.
func TestCPIOWriterBusybox(t *testing.T) {
	if _, err := os.Stat(busyboxPath); err != nil {
		t.Skipf("no %s to cross-check with", busyboxPath)
	}
	var buf bytes.Buffer
	w := newCPIOWriter(&buf)
	w.Dir("d", 0o755)
	w.File("d/f", 0o640, []byte("abc"))
	w.Symlink("d/l", "f")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command(busyboxPath, "cpio", "-i", "-d")
	cmd.Dir = dir
	cmd.Stdin = &buf
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("busybox cpio -i: %v: %s", err, out)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "d", "f")); err != nil || string(b) != "abc" {
		t.Errorf("d/f = %q, %v", b, err)
	}
	if target, err := os.Readlink(filepath.Join(dir, "d", "l")); err != nil || target != "f" {
		t.Errorf("d/l -> %q, %v", target, err)
	}
}
