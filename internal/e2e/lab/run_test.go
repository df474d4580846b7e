package lab

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRunRejectsScriptAmbiguity(t *testing.T) {
	for _, cfg := range []Config{{}, {Script: "true", ScriptPath: "x.sh"}} {
		if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "exactly one") {
			t.Errorf("Run(%+v) error = %v, want exactly-one error", cfg, err)
		}
	}
}

func TestPrepareShareScriptText(t *testing.T) {
	share := t.TempDir()
	// A previous run's verdict must not survive into this one.
	mustWrite(t, filepath.Join(share, harnessDir, "exit-code"), "0\n")
	got, script, err := prepareShare(t.TempDir(), Config{Script: "echo hi\n", ShareDir: share})
	if err != nil {
		t.Fatal(err)
	}
	if got != share || script != "/share/guest.sh" {
		t.Errorf("prepareShare = %q, %q", got, script)
	}
	if _, err := os.Stat(filepath.Join(share, harnessDir, "exit-code")); !os.IsNotExist(err) {
		t.Errorf("stale exit-code left in the share: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(share, "guest.sh")); string(b) != "echo hi\n" {
		t.Errorf("guest.sh = %q", b)
	}
	entry, _ := os.ReadFile(filepath.Join(share, harnessDir, "entry.sh"))
	for _, want := range []string{"export PATH=/share/bin:", "exec /bin/sh '/share/guest.sh'"} {
		if !strings.Contains(string(entry), want) {
			t.Errorf("entry.sh lacks %q:\n%s", want, entry)
		}
	}
	for _, h := range Helpers() {
		st, err := os.Stat(filepath.Join(share, "bin", h))
		if err != nil || st.Mode()&0o111 == 0 {
			t.Errorf("helper %s not installed executable: %v", h, err)
		}
	}
}

func TestPrepareSharePath(t *testing.T) {
	share := t.TempDir()
	mustWrite(t, filepath.Join(share, "tests", "it's.sh"), "true\n")
	_, script, err := prepareShare(t.TempDir(), Config{ScriptPath: "tests/it's.sh", ShareDir: share})
	if err != nil {
		t.Fatal(err)
	}
	if script != "/share/tests/it's.sh" {
		t.Errorf("script = %q", script)
	}
	entry, _ := os.ReadFile(filepath.Join(share, harnessDir, "entry.sh"))
	if !strings.Contains(string(entry), `exec /bin/sh '/share/tests/it'\''s.sh'`) {
		t.Errorf("entry.sh does not quote the path:\n%s", entry)
	}

	for _, bad := range []string{"../outside.sh", "/etc/passwd", "missing.sh"} {
		if _, _, err := prepareShare(t.TempDir(), Config{ScriptPath: bad, ShareDir: share}); err == nil {
			t.Errorf("prepareShare accepted ScriptPath %q", bad)
		}
	}
}

func TestHelpersPresent(t *testing.T) {
	want := []string{"lab-boot", "lab-common.sh", "lab-exec", "lab-lib.sh", "lab-link", "lab-router", "lab-sshd", "lab-systemctl"}
	if got := Helpers(); !slices.Equal(got, want) {
		t.Errorf("Helpers() = %v, want %v", got, want)
	}
}

func TestQemuArgs(t *testing.T) {
	args := strings.Join(qemuArgs(Config{}, "/boot/vmlinuz-x", "/tmp/i.cpio.gz", "/tmp/a,b"), " ")
	for _, want := range []string{
		"-accel tcg -cpu max", "-m 1536 -smp 2", "-nographic -no-reboot",
		"-kernel /boot/vmlinuz-x -initrd /tmp/i.cpio.gz",
		"-append console=ttyS0 quiet panic=-1",
		"local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap",
		"local,path=/tmp/a,,b,mount_tag=share,",
	} {
		if !strings.Contains(args, want) {
			t.Errorf("qemu args lack %q:\n%s", want, args)
		}
	}
	if args := strings.Join(qemuArgs(Config{MemoryMB: 2048, CPUs: 1}, "k", "i", "s"), " "); !strings.Contains(args, "-m 2048 -smp 1") {
		t.Errorf("MemoryMB/CPUs ignored: %s", args)
	}
	if !strings.Contains(args, "-nic none") {
		t.Errorf("without Forwards the VM must have no network card: %s", args)
	}
	fwd := strings.Join(qemuArgs(Config{Forwards: []Forward{{40022, 2201}, {40023, 2202}}}, "k", "i", "s"), " ")
	if want := "-nic user,model=virtio-net-pci,restrict=on,hostfwd=tcp:127.0.0.1:40022-:2201,hostfwd=tcp:127.0.0.1:40023-:2202 "; !strings.Contains(fwd, want) {
		t.Errorf("qemu args with Forwards lack %q:\n%s", want, fwd)
	}
}

func TestConsoleWriterMarkerAcrossWrites(t *testing.T) {
	var sink strings.Builder
	c := &consoleWriter{w: &sink}
	c.Write([]byte("boot noise\nlab-init: guest scr"))
	if !c.startedAt().IsZero() {
		t.Fatal("marker seen before it was complete")
	}
	before := time.Now()
	c.Write([]byte("ipt starting after 5.1s\n"))
	if got := c.startedAt(); got.Before(before) {
		t.Errorf("marker split across writes not seen (startedAt %v)", got)
	}
	if sink.String() != "boot noise\nlab-init: guest script starting after 5.1s\n" {
		t.Errorf("console copy = %q", sink.String())
	}
}

func TestTail(t *testing.T) {
	if got := tail("a\nb\r\nc\nd\n", 2); got != "c\nd" {
		t.Errorf("tail = %q", got)
	}
	if got := tail("one", 5); got != "one" {
		t.Errorf("tail = %q", got)
	}
}
