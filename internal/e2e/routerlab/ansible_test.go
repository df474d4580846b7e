package routerlab

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/e2e/lab"
)

// The Ansible scenario runs examples/ansible on this machine while the VM
// runs: in the emulated guest every Python process of Ansible costs tens of
// seconds, here a fraction of one. The routers' sshd are reached through
// qemu's user-mode network: 127.0.0.1:<free port> here, port 220N of the
// guest, which testdata/routerlab.sh forwards to gwN's port 22.

// forwards picks a free port of this machine per router.
func forwards(t *testing.T) []lab.Forward {
	t.Helper()
	var fwd []lab.Forward
	for i := range routers {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		fwd = append(fwd, lab.Forward{HostPort: port, GuestPort: 2201 + i})
	}
	return fwd
}

// rollout is the ansible-playbook run of the scenario, in the background.
type rollout struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// stop ends the run if it is still going and waits for it.
func (r rollout) stop() {
	r.cancel()
	<-r.done
}

// startRollout waits in the background for the guest's out/ansible/ready,
// then runs the shipped playbook, inventory and ansible.cfg (from a copy of
// examples/ansible) with an inventory of the lab's routers in the same
// order, rolling out site-v3; it leaves the output and exit status in
// out/ansible/ansible.txt and .rc and writes out/ansible/done, which the
// guest waits for.
func startRollout(ctx context.Context, t *testing.T, share, vtic string, fwd []lab.Forward) rollout {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ansible")
	copyDir(t, repoFile("examples", "ansible"), dir, 0o644)
	keys := filepath.Join(share, "ssh")
	inv := "# The lab's routers, in the order of inventory.ini.\n[vtic_routers]\n"
	for i, r := range routers {
		inv += fmt.Sprintf("%s ansible_host=127.0.0.1 ansible_port=%d\n", r, fwd[i].HostPort)
	}
	inv += "\n[vtic_routers:vars]\nansible_user=root\n" +
		"ansible_ssh_private_key_file=" + filepath.Join(keys, "id_ed25519") + "\n" +
		"ansible_ssh_common_args=-o UserKnownHostsFile=" + filepath.Join(keys, "known_hosts") + "\n" +
		"ansible_python_interpreter=/usr/bin/python3\n"
	if err := os.WriteFile(filepath.Join(dir, "lab-inventory.ini"), []byte(inv), 0o644); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(share, "out", "ansible")
	os.RemoveAll(outDir)
	work := filepath.Join(t.TempDir(), "rollout")
	ctx, cancel := context.WithCancel(ctx)
	r := rollout{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			if _, err := os.Stat(filepath.Join(outDir, "ready")); err == nil {
				break
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
		runCtx, cancel := context.WithTimeout(ctx, 15*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(runCtx, "ansible-playbook", "vtic-rollout.yml", "-i", "lab-inventory.ini",
			"-e", "vtic_site="+filepath.Join(share, "site-v3"), "-e", "vtic_bin="+vtic, "-e", "vtic_work="+work)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "ANSIBLE_NOCOLOR=1", "ANSIBLE_FORCE_COLOR=0")
		start := time.Now()
		out, err := cmd.CombinedOutput()
		rc := 0
		if err != nil {
			rc = -1
			if ee, ok := err.(*exec.ExitError); ok {
				rc = ee.ExitCode()
			}
			out = append(out, []byte("\n"+err.Error()+"\n")...)
		}
		out = append(out, []byte(fmt.Sprintf("ansible-playbook took %s\n", time.Since(start).Round(100*time.Millisecond)))...)
		os.WriteFile(filepath.Join(outDir, "ansible.txt"), out, 0o644)
		os.WriteFile(filepath.Join(outDir, "ansible.rc"), []byte(fmt.Sprintln(rc)), 0o644)
		os.WriteFile(filepath.Join(outDir, "done"), nil, 0o644)
	}()
	return r
}

// ansibleTime returns the "ansible-playbook took" line startRollout adds.
func ansibleTime(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "ansible-playbook took ") {
			return strings.TrimPrefix(l, "ansible-playbook took ")
		}
	}
	return ""
}
