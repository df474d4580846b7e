package lang

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecretFromProcessEnv resolves env() through the real environment,
// which is what happens when Options.LookupEnv is nil.
func TestSecretFromProcessEnv(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join("testdata", "base"), dir)
	writeFile(t, filepath.Join(dir, "tunnels.hcl"), tunnelWithPSK(t, `env("VTIC_TEST_PSK")`))
	t.Setenv("VTIC_TEST_PSK", "process.env.key")
	site, diags := LoadDir(dir, Options{})
	if len(diags) > 0 {
		t.Fatalf("with VTIC_TEST_PSK set: %v", diags)
	}
	if psk := site.Tunnels[0].PSK; !psk.Resolved || string(psk.Value) != "process.env.key" || psk.String() != `env("VTIC_TEST_PSK")` {
		t.Errorf("psk = %v resolved %v value %q", psk, psk.Resolved, psk.Value)
	}

	t.Setenv("VTIC_TEST_PSK", "")
	_, diags = LoadDir(dir, Options{})
	if len(diags) != 1 || diags[0].Summary != "Environment variable not set" || diags[0].Subject.Start.Line != 3 {
		t.Errorf("with VTIC_TEST_PSK empty: %v", diags)
	}

	os.Unsetenv("VTIC_TEST_PSK") // t.Setenv restores it afterwards
	site, diags = LoadDir(dir, Options{AllowUnresolvedSecrets: true})
	if len(diags) > 0 {
		t.Fatalf("with VTIC_TEST_PSK unset in diff mode: %v", diags)
	}
	if psk := site.Tunnels[0].PSK; psk.Resolved || psk.Value != nil {
		t.Errorf("an unset variable in diff mode gave resolved %v value %q", psk.Resolved, psk.Value)
	}
}

// TestSecretReadHook reads file() keys through Options.ReadSecret: the
// hook gets the cleaned relative path, a missing file and a failing read
// become the usual diagnostics, and nothing is read from disk.
func TestSecretReadHook(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join("testdata", "base"), dir)
	tests := []struct {
		name, ref string
		files     map[string]string
		fail      error
		want      string // the key, or the diagnostic's summary
	}{
		{name: "read", ref: "./secrets/../secrets/gw1-gw2.psk", files: map[string]string{"secrets/gw1-gw2.psk": "hook.key.value\n"}, want: "hook.key.value"},
		{name: "missing", ref: "secrets/none.psk", want: "Secret file not found"},
		{name: "failing", ref: "secrets/gw1-gw2.psk", fail: errors.New("git cat-file: broken pipe"), want: "Cannot read secret file"},
		{name: "too large", ref: "big.psk", files: map[string]string{"big.psk": strings.Repeat("k", 64<<10+1)}, want: "Secret file too large"},
		{name: "outside", ref: "../x.psk", want: "Secret file outside the site"},
		// The hook passes: the key comes from the site directory on disk
		// (testdata/base has secrets/spare.psk).
		{name: "on disk", ref: "secrets/spare.psk", fail: fmt.Errorf("not tracked: %w", ErrSecretOnDisk), want: "disk"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var asked []string
			read := func(ref string) ([]byte, error) {
				asked = append(asked, ref)
				if tc.fail != nil {
					return nil, tc.fail
				}
				v, ok := tc.files[filepath.ToSlash(ref)]
				if !ok {
					return nil, fs.ErrNotExist
				}
				return []byte(v), nil
			}
			sources := map[string][]byte{}
			for _, name := range []string{"routers.hcl", "peers.hcl"} {
				if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
					sources[filepath.Join(dir, name)] = b
				}
			}
			sources[filepath.Join(dir, "tunnels.hcl")] = tunnelWithPSK(t, `file("`+tc.ref+`")`)
			// The directory does not exist: a read from disk would fail.
			siteDir := filepath.Join(dir, "not-there")
			if tc.want == "disk" {
				siteDir = dir
			}
			site, diags := LoadDir(siteDir, Options{Sources: sources, ReadSecret: read})
			if strings.Contains(tc.want, " ") {
				if len(diags) == 0 || diags[0].Summary != tc.want || diags[0].Subject.Start.Line != 3 {
					t.Fatalf("diagnostics %v, want %q on line 3", diags, tc.want)
				}
				return
			}
			if len(diags) > 0 {
				t.Fatalf("diagnostics: %v", diags)
			}
			want := tc.want
			if want == "disk" {
				b, err := os.ReadFile(filepath.Join(dir, tc.ref))
				if err != nil {
					t.Fatal(err)
				}
				want = strings.TrimSpace(string(b))
			}
			if psk := site.Tunnels[0].PSK; !psk.Resolved || string(psk.Value) != want {
				t.Errorf("psk resolved %v value %q, want %q", psk.Resolved, psk.Value, want)
			}
			if len(asked) != 1 || asked[0] != filepath.Clean(tc.ref) {
				t.Errorf("hook asked for %q, want the cleaned path once", asked)
			}
		})
	}
}

// tunnelWithPSK is testdata/base's first tunnel alone, with its psk
// (on line 3) given by the expression psk.
func tunnelWithPSK(t *testing.T, psk string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "base", "tunnels.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(b), "\n}\n")
	return []byte("\n" + strings.Replace(first, `psk = env("PSK")`, "psk = "+psk, 1) + "\n}\n")
}
