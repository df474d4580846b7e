package charon

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/testkit/testdaemon"
	"golang.org/x/sys/unix"
)

// fakeHost is a machine with the given files and a systemctl that
// reports unitState for strongswan.service.
func fakeHost(unitState string, files ...string) *host {
	return &host{
		exists: func(p string) bool { return slices.Contains(files, p) },
		output: func(_ context.Context, name string, args ...string) ([]byte, error) {
			if name != "systemctl" || !slices.Equal(args, []string{"show", "--property=LoadState", "--value", Unit}) {
				return nil, errors.New("unexpected command " + name + " " + strings.Join(args, " "))
			}
			return []byte(unitState + "\n"), nil
		},
		programs: Programs,
	}
}

// How charon is started follows how the machine runs it; when it cannot
// be, the error names what to start.
func TestHowToStart(t *testing.T) {
	for _, tc := range []struct {
		name, start string
		host        *host
		how         string   // want, when there is no error
		err         []string // the error contains each
	}{
		{"systemd", StartAuto, fakeHost("loaded", systemdDir, Programs[0]), "systemctl start strongswan", nil},
		{"systemd without the unit", StartAuto, fakeHost("not-found", systemdDir, Programs[1]), "",
			[]string{"strongswan.service is not installed", "apt-get install charon-systemd"}},
		{"systemd with the unit masked", StartAuto, fakeHost("masked", systemdDir), "",
			[]string{"strongswan.service is masked", "start charon"}},
		{"charon-systemd without systemd", StartAuto, fakeHost("", Programs...),
			"/usr/sbin/charon-systemd in the background, then swanctl --load-all", nil},
		{"plain charon without systemd", StartAuto, fakeHost("", Programs[1]),
			"/usr/lib/ipsec/charon in the background, then swanctl --load-all", nil},
		{"no charon", StartAuto, fakeHost(""), "", []string{"no charon is installed", Programs[0], Programs[1]}},
		{"never", StartNever, fakeHost("loaded", systemdDir), "",
			[]string{"vtic does not start it", "run systemctl start strongswan, then apply again"}},
		{"command", "/usr/local/sbin/start-ike gw1", fakeHost(""), "/usr/local/sbin/start-ike gw1", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &VICI{Socket: "unix:///run/charon.vici", StartCommand: tc.start, host: tc.host}
			how, err := v.HowToStart(context.Background())
			if tc.err == nil {
				if err != nil || how != tc.how {
					t.Fatalf("HowToStart = %q, %v; want %q", how, err, tc.how)
				}
				return
			}
			if err == nil {
				t.Fatalf("HowToStart = %q; want an error", how)
			}
			for _, want := range tc.err {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q is not one line", err)
			}
			if err := v.Start(context.Background()); err == nil || !strings.Contains(err.Error(), tc.err[0]) {
				t.Errorf("Start: %v; want the same error", err)
			}
		})
	}
}

// A daemon started in the background gets a session of its own, and one
// that exits at once is reported rather than waited for.
func TestBackground(t *testing.T) {
	fail, err := exec.LookPath("false")
	if err != nil {
		t.Skip("no false(1)")
	}
	exited, err := background(fail)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err == nil {
			t.Error("exit without an error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no exit reported")
	}
	v := &VICI{Socket: "unix://" + filepath.Join(t.TempDir(), "none.vici"), StartTimeout: 20 * time.Second}
	ex := make(chan error, 1)
	ex <- errors.New("exit status 1")
	if err := v.waitAnswer(context.Background(), ex); err == nil || !strings.Contains(err.Error(), "exited before answering") {
		t.Errorf("waitAnswer with an exited daemon: %v", err)
	}

	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	cmd := exec.Command(sh, "-c", "sleep 30")
	detach(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	sid, err := unix.Getsid(cmd.Process.Pid)
	if err != nil || sid != cmd.Process.Pid {
		t.Errorf("session of the detached daemon = %d, %v; want its own (%d)", sid, err, cmd.Process.Pid)
	}
}

// Against a real charon that was stopped: reads fail with ErrNotRunning,
// and Start (here with the start command a service manager would run)
// returns once the new daemon answers.
func TestVICIStartAgainstCharon(t *testing.T) {
	c := testdaemon.StartCharon(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	v := &VICI{Socket: c.URI, StartCommand: c.Start, StartTimeout: 20 * time.Second}
	if out, err := exec.Command("/bin/sh", "-c", c.Stop).CombinedOutput(); err != nil {
		t.Fatalf("stop charon: %v\n%s", err, out)
	}
	if _, err := v.Conns(ctx); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("get-conns of a stopped charon: %v; want ErrNotRunning", err)
	}
	if how, err := v.HowToStart(ctx); err != nil || how != c.Start {
		t.Fatalf("HowToStart = %q, %v", how, err)
	}
	if err := v.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Conns(ctx); err != nil {
		t.Fatalf("get-conns after start: %v", err)
	}
}

// Without systemd, the daemon program runs in the background, and Start
// returns once it answers and swanctl --load-all has run, as the service
// runs it.
func TestStartProgramAgainstCharon(t *testing.T) {
	c, program := testdaemon.CharonProgram(t)
	t.Setenv("STRONGSWAN_CONF", c.Conf) // for charon and swanctl
	h := &host{exists: func(p string) bool { return p == program }, programs: []string{program}}
	v := &VICI{Socket: c.URI, host: h, StartTimeout: 20 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if how, err := v.HowToStart(ctx); err != nil || how != program+" in the background, then swanctl --load-all" {
		t.Fatalf("HowToStart = %q, %v", how, err)
	}
	if err := v.Start(ctx); err != nil {
		t.Fatalf("%v\n%s", err, c.LogTail())
	}
	if _, err := v.Conns(ctx); err != nil {
		t.Fatalf("get-conns after start: %v", err)
	}
}
