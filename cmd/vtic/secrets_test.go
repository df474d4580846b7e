package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSecretsNeverShown runs every command on a site whose keys come from
// a file, the environment and the site text, in valid states and in states
// where the diagnostics are about those very keys (too short, a control
// character, a character AWS refuses), and requires that no key appears in
// any command's stdout or stderr, raw, in hex or in base64. The only place
// a key may be written is a build's or an apply's secrets file; every other
// file a command writes is searched too.
func TestSecretsNeverShown(t *testing.T) {
	vtic, err := exec.LookPath("vtic")
	if err != nil {
		t.Fatalf("the vtic command set up by TestMain is not on PATH: %v", err)
	}
	for _, st := range secretStates {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			site := filepath.Join(root, "site")
			writeSecretSite(t, site, st)
			keys := []string{st.fileKey, st.envKey, st.inlineKey}
			env := []string{"VTIC_SECRET_TEST_PSK=" + st.envKey}
			r := &secretRunner{t: t, vtic: vtic, dir: root, env: env, keys: keys}

			r.run("validate", "site")
			r.run("validate", "--format", "json", "site")
			r.run("validate", "--format", "github", "site")
			r.run("validate", "-json", "--no-secrets", "site")
			r.run("build", "site", "-o", "out")
			r.run("build", "--host", "gw1", "site", "-o", "out1")
			r.run("fmt", "-check", "site")
			r.run("fmt", "site")
			r.run("apply", "--dry-run", "--host", "gw1", "--root", filepath.Join(root, "router"), "site")
			// status and check read an applied router; a build's tree is the
			// closest this test can offer without changing the machine.
			vici := "unix://" + filepath.Join(root, "no.vici")
			for _, json := range []string{"--json=false", "--json"} {
				r.run("status", json, "--host", "gw1", "--root", filepath.Join(root, "out", "gw1"), "--vici", vici)
				r.run("check", json, "--host", "gw1", "--root", filepath.Join(root, "out", "gw1"), "--vici", vici)
			}

			// diff between two builds, and between two git revisions, when
			// every key changed.
			if st.valid {
				other := filepath.Join(root, "other")
				changed := st
				changed.fileKey, changed.envKey, changed.inlineKey = "Ch4ngedFiLe.5150", "Ch4ngedEnVkEy5151", "Ch4ngedInLiNe.5152"
				writeSecretSite(t, other, changed)
				r2 := &secretRunner{t: t, vtic: vtic, dir: root, env: []string{"VTIC_SECRET_TEST_PSK=" + changed.envKey},
					keys: append(keys, changed.fileKey, changed.envKey, changed.inlineKey)}
				r2.run("build", "other", "-o", "out2")
				for _, format := range []string{"text", "markdown", "json"} {
					r2.run("diff", "--dirs", "out", "out2", "--format", format)
				}
				if git, err := exec.LookPath("git"); err == nil {
					r2.diffGit(git, site, other)
				}
			}
			r.importAWS(site)
			r.checkFiles(root)
		})
	}
}

// secretState is one site: its keys and whether it is valid.
type secretState struct {
	name                       string
	fileKey, envKey, inlineKey string
	valid                      bool
	extra                      string // more site text, such as an error unrelated to keys
}

var secretStates = []secretState{
	{name: "valid", fileKey: "FiLeKeY.8821.sec", envKey: "EnVkEy7733Sec", inlineKey: "InLiNeKeY.6612.sec", valid: true},
	{name: "too-short", fileKey: "Q7#zK2%", envKey: "x9Qv2Lm", inlineKey: "Wv3$kP1"},
	{name: "control-character", fileKey: "FiLeKeY\x01Zq.8821", envKey: "EnVkEy-7733-Sec", inlineKey: "InLiNeKeY\tWq.6612"},
	{name: "not-utf8", fileKey: "FiLeKeY\xffZq.8821", envKey: "EnVkEy\xfe7733Sec", inlineKey: "InLiNeKeY.6612.sec"},
	{name: "other-error", fileKey: "FiLeKeY.8821.sec", envKey: "EnVkEy7733Sec", inlineKey: "InLiNeKeY.6612.sec",
		extra: "router \"gw9\" {\n  outside = \"192.0.2.300\"\n}\n"},
}

func writeSecretSite(t *testing.T, dir string, st secretState) {
	t.Helper()
	site := `router "gw1" {
  asn     = 65001
  outside = "192.0.2.1"
}

router "gw2" {
  asn     = 65002
  outside = "192.0.2.2"
}

router "gw3" {
  asn     = 65003
  outside = "192.0.2.3"
}

peer "aws1" {
  provider = "aws"
  asn      = 64512
  outside  = "52.1.2.3"
}

tunnel "t-file" {
  psk = file("secrets/t.psk")

  end "gw1" {
    interface = "vti1"
    inside    = "169.254.20.1/30"
  }
  end "gw2" {
    interface = "vti1"
    inside    = "169.254.20.2/30"
  }
}

tunnel "t-env" {
  psk = env("VTIC_SECRET_TEST_PSK")

  end "gw1" {
    interface = "vti2"
    inside    = "169.254.21.2/30"
  }
  end "aws1" {
    inside = "169.254.21.1/30"
  }
}

tunnel "t-inline" {
  psk  = ` + fmt.Sprintf("%q", st.inlineKey) + `
  mark = 77

  end "gw3" {
    interface = "vti1"
    inside    = "169.254.22.1/30"
  }
  end "gw1" {
    interface = "vti3"
    inside    = "169.254.22.2/30"
  }
}
` + st.extra
	if err := os.MkdirAll(filepath.Join(dir, "secrets"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.hcl"), []byte(site), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secrets", "t.psk"), []byte(st.fileKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

type secretRunner struct {
	t    *testing.T
	vtic string
	dir  string
	env  []string
	keys []string
}

// run runs vtic and checks its output. The exit status does not matter
// here: other tests own it.
func (r *secretRunner) run(args ...string) {
	r.t.Helper()
	r.runIn(r.dir, args...)
}

func (r *secretRunner) runIn(dir string, args ...string) {
	r.t.Helper()
	cmd := exec.Command(r.vtic, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), r.env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		r.t.Fatalf("vtic %s: %v", strings.Join(args, " "), err)
	}
	name := "vtic " + strings.Join(args, " ")
	r.check(name+": stdout", stdout.Bytes())
	r.check(name+": stderr", stderr.Bytes())
	if out := stdout.String() + stderr.String(); strings.Contains(out, "panic:") || strings.Contains(out, "goroutine ") {
		r.t.Errorf("%s panicked:\n%s", name, out)
	}
}

// check fails the test if data shows any key in any encoding.
func (r *secretRunner) check(where string, data []byte) {
	r.t.Helper()
	for _, key := range r.keys {
		for _, form := range keyForms(key) {
			if bytes.Contains(data, []byte(form)) {
				r.t.Errorf("%s shows the key %q (as %q):\n%s", where, key, form, data)
			}
		}
	}
}

// keyForms is how a key might show: raw, with Go's %q escaping of the
// bytes around a control character, in hex and in base64.
func keyForms(key string) []string {
	forms := []string{key, hex.EncodeToString([]byte(key)), strings.ToUpper(hex.EncodeToString([]byte(key))),
		base64.StdEncoding.EncodeToString([]byte(key))}
	q := fmt.Sprintf("%q", key)
	forms = append(forms, q[1:len(q)-1])
	// Each printable run of 6 or more bytes is a giveaway too.
	for _, part := range strings.FieldsFunc(key, func(c rune) bool { return c < 0x21 || c > 0x7e }) {
		if len(part) >= 6 {
			forms = append(forms, part)
		}
	}
	return forms
}

// diffGit commits the site, replaces it with the changed one and runs vtic
// diff between the revisions and against the work tree.
func (r *secretRunner) diffGit(git, site, changed string) {
	r.t.Helper()
	repo := filepath.Join(r.dir, "repo")
	gitRun := func(args ...string) {
		cmd := exec.Command(git, args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.net",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.net", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if err := os.MkdirAll(repo, 0o755); err != nil {
		r.t.Fatal(err)
	}
	gitRun("init", "-q", "-b", "main")
	copyDir(r.t, site, filepath.Join(repo, "site"))
	gitRun("add", "-A")
	gitRun("commit", "-q", "-m", "one")
	copyDir(r.t, changed, filepath.Join(repo, "site"))
	gitRun("add", "-A")
	gitRun("commit", "-q", "-m", "two")
	for _, format := range []string{"text", "markdown", "json"} {
		r.runIn(repo, "diff", "site", "--base", "HEAD~1", "--head", "HEAD", "--format", format)
		r.runIn(repo, "diff", "site", "--base", "HEAD~1", "--format", format)
	}
}

// importAWS imports an AWS configuration whose keys are the runner's file
// and environment keys into a copy of the site.
func (r *secretRunner) importAWS(site string) {
	r.t.Helper()
	sample, err := os.ReadFile(filepath.Join("..", "..", "internal", "awsimport", "testdata", "aws23_dev2lab23gw02.txt"))
	if err != nil {
		r.t.Fatal(err)
	}
	keys := []string{"ImPoRtOnEkEy.4411", "ImPoRtTwOkEy.4412"}
	text := strings.Replace(string(sample), "xxxx1DEJB2wtXzc4jYRGvADIhVLxxxxx", keys[0], 1)
	text = strings.Replace(text, "xxxxNG0kFNtuW0QdRD_ksToB1byJxxxx", keys[1], 1)
	if text == string(sample) {
		r.t.Fatal("the AWS sample's keys were not found")
	}
	cfg := filepath.Join(r.dir, "aws.txt")
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		r.t.Fatal(err)
	}
	dest := filepath.Join(r.dir, "imported")
	copyDir(r.t, site, dest)
	r2 := *r
	r2.keys = append(append([]string{}, r.keys...), keys...)
	r2.run("import", "aws", cfg, "--router", "gw1", "--site", "imported")
	r2.run("import", "aws", cfg, "--router", "gw1", "--site", "imported")
	r2.run("import", "aws", cfg, "--router", "nope", "--site", "imported")
	r2.run("validate", "imported")
	*r = r2
}

// checkFiles searches every file the commands wrote under root. Keys may
// only be in the site's own key files and site.hcl (the inline key), the
// AWS configuration, the import's key files, the rendered secrets files and
// the plan files (0600, like the secrets files).
func (r *secretRunner) checkFiles(root string) {
	r.t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			if d != nil && d.Name() == ".git" {
				return filepath.SkipDir
			}
			return err
		}
		rel, _ := filepath.Rel(root, path)
		switch {
		case strings.HasSuffix(path, ".psk"), filepath.Base(path) == "site.hcl", rel == "aws.txt",
			strings.HasSuffix(path, filepath.FromSlash("etc/swanctl/conf.d/vtic-secrets.conf")),
			strings.HasSuffix(path, filepath.FromSlash("etc/vtic/plan.json")):
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		r.check(rel, data)
		return nil
	})
	if err != nil {
		r.t.Fatal(err)
	}
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestUnreadableSiteFile gives every command that reads a site a site
// file and a key file it may not read. Root reads any file, so as root the
// commands run as user nobody (a copy of this binary in a directory nobody
// can reach). Expected: exit status 1, "permission denied" on stderr,
// nothing on stdout, nothing written.
func TestUnreadableSiteFile(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "vtic-unreadable-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "bin", "vtic")
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{dir, filepath.Dir(bin)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
	}
	site := `router "gw1" {
  asn     = 65001
  outside = "192.0.2.1"
}
router "gw2" {
  asn     = 65002
  outside = "192.0.2.2"
}
tunnel "t" {
  psk = file("secrets/t.psk")
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.20.1/30"
  }
  end "gw2" {
    interface = "vti1"
    inside    = "169.254.20.2/30"
  }
}
`
	for _, tc := range []struct {
		name, unreadable string
		cmds             [][]string
		want             string
	}{
		{name: "site-file", unreadable: "x.hcl", want: "permission denied",
			cmds: [][]string{{"validate", "site"}, {"build", "site", "-o", "out"}, {"fmt", "-check", "site"}, {"fmt", "site"},
				{"apply", "--dry-run", "--host", "gw1", "--root", "root", "site"}}},
		{name: "key-file", unreadable: "secrets/t.psk", want: "Cannot read secret file",
			cmds: [][]string{{"validate", "site"}, {"build", "site", "-o", "out"}, {"apply", "--dry-run", "--host", "gw1", "--root", "root", "site"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			work := filepath.Join(dir, tc.name)
			files := map[string]string{"site/site.hcl": site, "site/x.hcl": "# more routers later\n", "site/secrets/t.psk": "a.key.for.t.123\n"}
			for name, text := range files {
				p := filepath.Join(work, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				mode := os.FileMode(0o644)
				if name == "site/"+tc.unreadable {
					mode = 0
				}
				if err := os.WriteFile(p, []byte(text), mode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(p, mode); err != nil {
					t.Fatal(err)
				}
			}
			// The work directory is writable by the user the commands run
			// as, so that a command that should write nothing could.
			if err := os.Chmod(work, 0o777); err != nil {
				t.Fatal(err)
			}
			if cred == nil {
				if f, err := os.Open(filepath.Join(work, "site", tc.unreadable)); err == nil {
					f.Close()
					t.Skip("this user can read a file of mode 0000 and is not root, so cannot become nobody")
				}
			}
			for _, args := range tc.cmds {
				cmd := exec.Command(bin, args...)
				cmd.Dir = work
				cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/"}
				cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				err := cmd.Run()
				name := "vtic " + strings.Join(args, " ")
				var exitErr *exec.ExitError
				switch {
				case errors.As(err, &exitErr) && exitErr.ExitCode() == 1:
				case err != nil:
					t.Errorf("%s: %v, want exit status 1\n%s", name, err, stderr.Bytes())
				default:
					t.Errorf("%s succeeded, want exit status 1", name)
				}
				if !strings.Contains(stderr.String(), tc.want) {
					t.Errorf("%s: stderr lacks %q:\n%s", name, tc.want, stderr.Bytes())
				}
				if stdout.Len() > 0 {
					t.Errorf("%s wrote to stdout:\n%s", name, stdout.Bytes())
				}
				for _, p := range []string{"out", "root"} {
					if _, err := os.Stat(filepath.Join(work, p)); err == nil {
						t.Errorf("%s created %s", name, p)
					}
				}
			}
			// fmt rewrote nothing.
			if b, _ := os.ReadFile(filepath.Join(work, "site", "site.hcl")); string(b) != site {
				t.Errorf("site.hcl changed")
			}
		})
	}
}
