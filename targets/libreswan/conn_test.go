package libreswan_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/testkit/realcheck"
	"github.com/vtic/vtic/lang"
	"github.com/vtic/vtic/targets/libreswan"
)

const optionSite = `
router "ls1" {
  outside = "192.0.2.1"
  ike     = "libreswan"
}
router "ss1" {
  outside = "192.0.2.2"
}
router "ss2" {
  outside = "192.0.2.3"
}
tunnel "a" {
  psk = env("VTIC_TEST_PSK")
  options = {
    proposals     = "aes128-sha384-ecp384"
    esp_proposals = "aes128-sha1"
    local_id      = "ls1.example"
    remote_id     = "192.0.2.2"
    dpd_action    = "trap"
    start_action  = "trap"
    version       = "1"
    dpd_timeout   = "40s"
    replay_window = "64"
  }
  end "ls1" {
    interface = "vti1"
    inside    = "169.254.1.1/30"
  }
  end "ss1" {
    interface = "vti1"
    inside    = "169.254.1.2/30"
  }
}
tunnel "b" {
  enabled = false
  psk     = env("VTIC_TEST_PSK")
  end "ls1" {
    interface = "vti2"
    inside    = "169.254.2.1/30"
  }
  end "ss2" {
    interface = "vti2"
    inside    = "169.254.2.2/30"
  }
}
`

func host(t *testing.T, opts lang.Options) *compile.Host {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "site.hcl"), []byte(optionSite), 0o644); err != nil {
		t.Fatal(err)
	}
	site, diags := lang.LoadDir(dir, opts)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	plan, err := compile.Compile(site)
	if err != nil {
		t.Fatal(err)
	}
	return plan.Host("ls1")
}

// Every option is written once, in libreswan's terms, in place of vtic's
// default; a disabled tunnel is a comment and gets no key.
func TestOptionsTranslated(t *testing.T) {
	t.Setenv("VTIC_TEST_PSK", `k"e\y 0s==`)
	files, err := libreswan.Renderer{}.Render(host(t, lang.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	conf, secrets := string(files[0].Data), string(files[1].Data)
	for _, want := range []string{
		"\tike=aes128-sha2_384-dh20\n", "\tesp=aes128-sha1\n", "\tpfs=no\n",
		"\tleftid=@ls1.example\n", "\trightid=192.0.2.2\n", "\tdpdaction=hold\n", "\tauto=route\n",
		"\tikev2=no\n", "\tdpdtimeout=40s\n", "\treplay-window=64\n", "# b: disabled in the site, not loaded\n",
	} {
		if strings.Count(conf, want) != 1 {
			t.Errorf("ipsec.conf has %q %d times, want once:\n%s", want, strings.Count(conf, want), conf)
		}
	}
	if strings.Contains(conf, "conn b") {
		t.Errorf("the disabled tunnel is loaded:\n%s", conf)
	}
	if want := "@ls1.example 192.0.2.2 : PSK 0sayJlXHkgMHM9PQ==\n"; !strings.HasSuffix(secrets, want) || strings.Count(secrets, "PSK") != 1 {
		t.Errorf("secrets:\n%s\nwant one key, %q", secrets, want)
	}
	if files[1].Mode.Perm() != 0o600 || !files[1].Secret {
		t.Errorf("secrets file mode %v, secret %v", files[1].Mode, files[1].Secret)
	}
	ls := realcheck.FindLibreswan(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "vtic.conf")
	if err := os.WriteFile(p, files[0].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	ls.Addconn(t, p)
	ls.Algparse(t, "ike=aes128-sha2_384-dh20", false, false)
}

// Without secrets (vtic diff) a key is a comment, which never parses as
// a key.
func TestUnresolvedKey(t *testing.T) {
	files, err := libreswan.Renderer{}.Render(host(t, lang.Options{AllowUnresolvedSecrets: true}))
	if err != nil {
		t.Fatal(err)
	}
	if s := string(files[1].Data); strings.Contains(s, " : PSK ") || !strings.Contains(s, "# a: pre-shared key") {
		t.Errorf("secrets without keys:\n%s", s)
	}
}
