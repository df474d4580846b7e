package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Site files of the throwaway repository. The site lives in sites/lab so
// that the repository-relative prefix matters.
const (
	routersV1 = `router "gw1" {
  asn      = 65001
  outside  = "192.0.2.1"
  gateway  = "192.0.2.254"
  announce = ["10.1.0.0/16"]
}

router "gw2" {
  asn      = 65002
  outside  = "198.51.100.1"
  gateway  = "198.51.100.254"
  announce = ["10.2.0.0/16"]
}

router "gw3" {
  asn      = 65003
  outside  = "203.0.113.1"
  gateway  = "203.0.113.254"
  announce = ["10.3.0.0/16"]
}
`
	tunnelGW1GW2 = `tunnel "gw1-gw2" {
  mark = %d
  mtu  = %d
  psk  = file("secrets/gw1-gw2.psk")%s

  end "gw1" {
    interface = "vti12"
    inside    = "169.254.12.1/30"
  }
  end "gw2" {
    interface = "vti12"
    inside    = "169.254.12.2/30"
  }
}
`
	tunnelGW1GW3 = `
tunnel "gw1-gw3" {
  mark = 13
  psk  = file("secrets/gw1-gw3.psk")

  end "gw1" {
    interface = "vti13"
    inside    = "169.254.13.1/30"
  }
  end "gw3" {
    interface = "vti13"
    inside    = "169.254.13.2/30"
  }
}
`
	// Its key comes from an environment variable the tests never set:
	// unresolved on both sides, as in CI.
	tunnelGW2GW3 = `
tunnel "gw2-gw3" {
  mark = 23
  psk  = env("VTIC_TEST_GW2_GW3_PSK")

  end "gw2" {
    interface = "vti23"
    inside    = "169.254.23.1/30"
  }
  end "gw3" {
    interface = "vti23"
    inside    = "169.254.23.2/30"
  }
}
`
)

// Keys the fixture ever holds; no output may show them.
var fixtureKeys = []string{"gw1-gw2-key-one", "gw1-gw3-key-one", "gw1-gw3-key-two"}

func tunnels(mark, mtu int, description string, extra ...string) string {
	if description != "" {
		description = fmt.Sprintf("\n  description = %q", description)
	}
	return fmt.Sprintf(tunnelGW1GW2, mark, mtu, description) + strings.Join(extra, "")
}

// repo is a throwaway git repository with fixed identities and dates, so
// that every run makes the same commits.
type repo struct {
	t   *testing.T
	dir string
	env []string
	n   int
}

func newRepo(t *testing.T, env []string) *repo {
	r := &repo{t: t, dir: t.TempDir(), env: env}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *repo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(r.env,
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com",
		fmt.Sprintf("GIT_AUTHOR_DATE=2024-01-%02d T12:00:00 +0000", r.n+1),
		fmt.Sprintf("GIT_COMMITTER_DATE=2024-01-%02d T12:00:00 +0000", r.n+1))
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (r *repo) write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

func (r *repo) remove(name string) {
	r.t.Helper()
	if err := os.Remove(filepath.Join(r.dir, filepath.FromSlash(name))); err != nil {
		r.t.Fatal(err)
	}
}

func (r *repo) commit(tag, msg string) {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
	if tag != "" {
		r.git("tag", tag)
	}
	r.n++
}

// buildHistory makes the commits the golden files describe:
//
//	c1 three routers, tunnels gw1-gw2 and gw1-gw3 (keys in git)
//	c2 tunnel gw2-gw3 added (key from an unset environment variable)
//	c3 mark of gw1-gw2 changed
//	c4 key of gw1-gw3 rotated: only its secret file changes
//	c5 router gw3 removed, with its tunnels
//
// and, off c5, a branch "broken" with a syntax error and a branch
// "feature" (checked out) that changes an MTU.
func buildHistory(t *testing.T, env []string) *repo {
	r := newRepo(t, env)
	site := "sites/lab/"
	r.write("README", "not a site\n")
	r.write(site+"routers.hcl", routersV1)
	r.write(site+"tunnels.hcl", tunnels(12, 1400, "", tunnelGW1GW3))
	r.write(site+"secrets/gw1-gw2.psk", fixtureKeys[0]+"\n")
	r.write(site+"secrets/gw1-gw3.psk", fixtureKeys[1]+"\n")
	r.commit("c1", "three routers")

	r.write(site+"tunnels.hcl", tunnels(12, 1400, "", tunnelGW1GW3, tunnelGW2GW3))
	r.commit("c2", "add tunnel gw2-gw3")

	r.write(site+"tunnels.hcl", tunnels(112, 1400, "", tunnelGW1GW3, tunnelGW2GW3))
	r.commit("c3", "change the mark of gw1-gw2")

	r.write(site+"secrets/gw1-gw3.psk", fixtureKeys[2]+"\n")
	r.commit("c4", "rotate the key of gw1-gw3")

	r.write(site+"routers.hcl", routersV1[:strings.Index(routersV1, "\nrouter \"gw3\"")])
	r.write(site+"tunnels.hcl", tunnels(112, 1400, ""))
	r.remove(site + "secrets/gw1-gw3.psk")
	r.commit("c5", "remove router gw3")

	r.git("checkout", "-q", "-b", "broken")
	r.write(site+"tunnels.hcl", tunnels(112, 1400, "")+"tunnel \"x\" {\n")
	r.commit("broken", "break the site")

	r.git("checkout", "-q", "main")
	r.git("checkout", "-q", "-b", "feature")
	r.write(site+"tunnels.hcl", tunnels(112, 1380, ""))
	r.commit("", "lower the MTU of gw1-gw2")
	return r
}
