package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config describes one lab run: which script the guest runs and how the VM
// is built. Only one of Script and ScriptPath may be set.
type Config struct {
	// Script is shell text, written to /share/guest.sh and run by /bin/sh.
	Script string
	// ScriptPath is a script already in ShareDir, relative to it; it is run
	// by /bin/sh, so it needs no execute bit or shebang.
	ScriptPath string
	// ShareDir is the host directory the guest sees read-write at /share.
	// Empty means a temporary directory that is removed when Run returns;
	// set it to pass files in (a vtic binary, configs) or to read files the
	// script leaves behind.
	ShareDir string
	// ConsoleLog is a file to write the serial console to. Empty means a
	// temporary file; Result.Console holds the text either way.
	ConsoleLog string
	// Kernel is the image to boot; empty means FindKernel. Its name must be
	// vmlinuz-<version> with /lib/modules/<version> on this machine.
	Kernel string
	// Initramfs is an archive from BuildInitramfs; empty means build one
	// for Kernel in a temporary directory (well under a second).
	Initramfs string
	// Timeout bounds the whole run; qemu is killed when it expires.
	// Zero means DefaultTimeout.
	Timeout time.Duration
	// MemoryMB and CPUs size the VM; zero means 1536 and 2.
	MemoryMB int
	CPUs     int
	// Forwards are TCP ports of this machine's loopback address forwarded
	// into the guest. With any, the VM gets a virtio network card on
	// qemu's user-mode network, restricted (the guest reaches nothing
	// outside); its address is GuestAddr once the script runs
	// `modprobe virtio_net` and gives it that address. Without, the VM has
	// no network card.
	Forwards []Forward
}

// Forward forwards 127.0.0.1:HostPort on this machine to GuestPort of the
// guest's network card.
type Forward struct {
	HostPort, GuestPort int
}

// GuestAddr is the address the guest gives its network card when
// Config.Forwards is set: qemu's user-mode network forwards to it.
const GuestAddr = "10.0.2.15/24"

// DefaultTimeout is the run timeout when Config.Timeout is zero.
const DefaultTimeout = 5 * time.Minute

// Result is what a run produced. Run fills it in as far as it got, also
// when it returns an error.
type Result struct {
	// ExitCode is the guest script's exit status, or -1 if it did not
	// finish (timeout, boot failure).
	ExitCode int
	// Output is the guest script's stdout and stderr, interleaved.
	Output string
	// Console is the serial console: kernel messages, init's "lab-init:"
	// lines, and qemu's own errors.
	Console string
	// BootTime runs from starting qemu to the guest script starting.
	BootTime time.Duration
	// Duration runs from starting qemu to qemu exiting.
	Duration time.Duration
}

// ExitError reports a guest script that ran to its end with a non-zero
// status. Its message carries the tails of the output and the console.
type ExitError struct {
	Code   int
	Detail string
}

func (e *ExitError) Error() string {
	return fmt.Sprintf("lab guest script exited %d\n%s", e.Code, e.Detail)
}

// Files in the share that belong to the harness.
const (
	harnessDir = "harness"  // entry.sh, output, exit-code
	guestName  = "guest.sh" // where Config.Script is written
)

// tailLines is how many lines of output and of the console errors quote.
const tailLines = 40

const qemuBinary = "qemu-system-x86_64"

// Run boots the lab VM, runs the guest script in it and waits for the VM
// to power off. It returns an error if the VM could not be started, the
// run timed out or was canceled (qemu is killed), the script did not
// finish, or it exited non-zero (*ExitError). Errors quote the tail of the
// script's output and of the console.
func Run(ctx context.Context, cfg Config) (Result, error) {
	res := Result{ExitCode: -1}
	if (cfg.Script == "") == (cfg.ScriptPath == "") {
		return res, errors.New("lab config: set exactly one of Script and ScriptPath")
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}

	work, err := os.MkdirTemp("", "vtic-lab-*")
	if err != nil {
		return res, fmt.Errorf("create lab work directory: %w", err)
	}
	defer os.RemoveAll(work)

	k, err := kernelFor(cfg.Kernel)
	if err != nil {
		return res, err
	}
	initrd := cfg.Initramfs
	if initrd == "" {
		if initrd, err = BuildInitramfsFor(work, k); err != nil {
			return res, err
		}
	}
	share, script, err := prepareShare(work, cfg)
	if err != nil {
		return res, err
	}
	logPath := cfg.ConsoleLog
	if logPath == "" {
		logPath = filepath.Join(work, "console.log")
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return res, fmt.Errorf("create console log: %w", err)
	}
	defer logFile.Close()

	qemu, err := findTool(qemuBinary, "/usr/bin/"+qemuBinary)
	if err != nil {
		return res, fmt.Errorf("%w (install qemu-system-x86)", err)
	}
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, qemu, qemuArgs(cfg, k.Image, initrd, share)...)
	console := &consoleWriter{w: logFile}
	cmd.Stdout = console
	cmd.Stderr = console
	cmd.SysProcAttr = qemuProcAttr()
	// After a kill, stop waiting for output pipes after a few seconds.
	cmd.WaitDelay = 5 * time.Second

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("start %s: %w", qemu, err)
	}
	waitErr := cmd.Wait()
	res.Duration = time.Since(start)
	if t := console.startedAt(); !t.IsZero() {
		res.BootTime = t.Sub(start)
	}

	if b, err := os.ReadFile(logPath); err == nil {
		res.Console = string(b)
	}
	if b, err := os.ReadFile(filepath.Join(share, harnessDir, "output")); err == nil {
		res.Output = string(b)
	}
	codeText, codeErr := os.ReadFile(filepath.Join(share, harnessDir, "exit-code"))
	if codeErr == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(codeText))); err == nil {
			res.ExitCode = n
		}
	}

	switch {
	case ctx.Err() != nil:
		return res, fmt.Errorf("lab run of %s canceled after %s: %w\n%s", script, res.Duration.Round(time.Millisecond), ctx.Err(), res.detail())
	case runCtx.Err() != nil:
		return res, fmt.Errorf("lab run of %s timed out after %s (qemu killed)\n%s", script, timeout, res.detail())
	case waitErr != nil:
		return res, fmt.Errorf("qemu for %s: %w\n%s", script, waitErr, res.detail())
	case res.ExitCode < 0:
		return res, fmt.Errorf("lab guest script %s did not finish (no exit code in the share)\n%s", script, res.detail())
	case res.ExitCode != 0:
		return res, &ExitError{Code: res.ExitCode, Detail: res.detail()}
	}
	return res, nil
}

// detail renders the tails quoted by Run's errors.
func (r Result) detail() string {
	return fmt.Sprintf("--- guest output (last %d lines) ---\n%s\n--- console (last %d lines) ---\n%s",
		tailLines, tail(r.Output, tailLines), tailLines, tail(r.Console, tailLines))
}

func kernelFor(image string) (Kernel, error) {
	if image == "" {
		return FindKernel()
	}
	return KernelFromImage(image)
}

// prepareShare fills the share directory: the guest helpers in bin/, the
// script, and harness/entry.sh, which init runs. It returns the share
// directory and the script's path as the guest sees it.
func prepareShare(work string, cfg Config) (share, script string, err error) {
	share = cfg.ShareDir
	if share == "" {
		share = filepath.Join(work, "share")
	}
	if share, err = filepath.Abs(share); err != nil {
		return "", "", fmt.Errorf("lab share directory: %w", err)
	}
	h := filepath.Join(share, harnessDir)
	if err := os.MkdirAll(h, 0o755); err != nil {
		return "", "", fmt.Errorf("create lab share: %w", err)
	}
	// Leftovers of an earlier run in the same share must not pass for
	// this run's result.
	for _, f := range []string{"output", "exit-code"} {
		if err := os.Remove(filepath.Join(h, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", "", fmt.Errorf("clean lab share: %w", err)
		}
	}
	if err := WriteHelpers(share); err != nil {
		return "", "", err
	}

	rel := cfg.ScriptPath
	if cfg.Script != "" {
		rel = guestName
		if err := os.WriteFile(filepath.Join(share, rel), []byte(cfg.Script), 0o644); err != nil {
			return "", "", fmt.Errorf("write guest script: %w", err)
		}
	}
	rel = filepath.ToSlash(filepath.Clean(rel))
	if filepath.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", "", fmt.Errorf("guest script %s: must be a path inside the share directory", cfg.ScriptPath)
	}
	if _, err := os.Stat(filepath.Join(share, rel)); err != nil {
		return "", "", fmt.Errorf("guest script: %w", err)
	}
	script = path.Join(GuestShare, rel)
	if err := os.WriteFile(filepath.Join(h, "entry.sh"), []byte(entryScript(script)), 0o644); err != nil {
		return "", "", fmt.Errorf("write guest entry script: %w", err)
	}
	return share, script, nil
}

// GuestShare is where the share directory is mounted inside the guest.
const GuestShare = "/share"

// entryScript sets up the guest script's environment: the helpers first on
// PATH, and the share as working directory.
func entryScript(script string) string {
	return "# Written by lab.Run; run by the VM's init.\n" +
		"export PATH=" + GuestShare + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n" +
		"export HOME=/root LANG=C.UTF-8 LAB_SHARE=" + GuestShare + "\n" +
		"cd " + GuestShare + " || exit 125\n" +
		"exec /bin/sh " + shellQuote(script) + "\n"
}

// shellQuote quotes s for /bin/sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// qemuArgs is the VM: TCG (this machine's CPU offers no virtualization to
// KVM), no network devices (routers are namespaces inside the guest), the
// host's root read-only and the share read-write over 9p.
func qemuArgs(cfg Config, kernel, initrd, share string) []string {
	mem, cpus := cfg.MemoryMB, cfg.CPUs
	if mem == 0 {
		mem = 1536
	}
	if cpus == 0 {
		cpus = 2
	}
	nic := "none"
	if len(cfg.Forwards) > 0 {
		nic = "user,model=virtio-net-pci,restrict=on"
		for _, f := range cfg.Forwards {
			nic += fmt.Sprintf(",hostfwd=tcp:127.0.0.1:%d-:%d", f.HostPort, f.GuestPort)
		}
	}
	return []string{
		"-accel", "tcg", "-cpu", "max",
		"-m", strconv.Itoa(mem), "-smp", strconv.Itoa(cpus),
		"-nographic", "-no-reboot", "-nic", nic,
		"-kernel", kernel, "-initrd", initrd,
		"-append", "console=ttyS0 quiet panic=-1",
		"-virtfs", "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap",
		"-virtfs", "local,path=" + qemuEscape(share) + ",mount_tag=share,security_model=none,multidevs=remap",
	}
}

// qemuEscape doubles commas, which qemu's option syntax would otherwise
// read as separators.
func qemuEscape(s string) string { return strings.ReplaceAll(s, ",", ",,") }
