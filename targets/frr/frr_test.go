package frr_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/testkit/realcheck"
	"github.com/vtic/vtic/internal/testkit/require"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/frr"
)

func TestGolden(t *testing.T) {
	targettest.Golden(t, frr.Renderer{})
}

// TestVtyshAccepts checks every rendered FRR file with vtysh -C.
func TestVtyshAccepts(t *testing.T) {
	require.Root(t, "vtysh")
	for ex, hosts := range targettest.Golden(t, frr.Renderer{}) {
		for host, files := range hosts {
			dir := t.TempDir()
			targettest.WriteTree(t, dir, files)
			for _, f := range files {
				t.Run(ex+"/"+host+"/"+f.Path, func(t *testing.T) {
					realcheck.Vtysh(t, filepath.Join(dir, filepath.FromSlash(f.Path)))
				})
			}
		}
	}
}

// The two modes split the rendered files between them, every file in
// exactly one, so apply installs one whole form.
func TestModesPartitionPaths(t *testing.T) {
	seen := map[string]frr.Mode{}
	for _, m := range []frr.Mode{frr.Integrated, frr.PerDaemon} {
		for _, p := range m.Paths() {
			if prev, dup := seen[p]; dup {
				t.Errorf("%s is in both %s and %s", p, prev, m)
			}
			seen[p] = m
		}
	}
	declared := frr.Renderer{}.Paths()
	if len(seen) != len(declared) {
		t.Errorf("modes cover %v, the renderer declares %v", seen, declared)
	}
	for _, p := range declared {
		if _, ok := seen[p]; !ok {
			t.Errorf("%s belongs to no mode", p)
		}
	}
}

// frr.conf carries exactly the configuration of bgpd.conf and staticd.conf,
// in that order, after Debian's two settings: the forms cannot drift apart.
func TestIntegratedIsThePerDaemonFiles(t *testing.T) {
	for ex, hosts := range targettest.Golden(t, frr.Renderer{}) {
		for host, files := range hosts {
			if len(files) == 0 {
				continue // a router that runs BIRD
			}
			byPath := map[string]string{}
			for _, f := range files {
				byPath[f.Path] = string(f.Data)
			}
			want := "log syslog informational\nservice integrated-vtysh-config\n" +
				configLines(byPath[frr.BGPPath]) + configLines(byPath[frr.StaticPath])
			if got := configLines(byPath[frr.IntegratedPath]); got != want {
				t.Errorf("%s/%s: frr.conf's configuration\n%s\nwant\n%s", ex, host, got, want)
			}
		}
	}
}

// configLines drops comments ("!" lines), which FRR does not read.
func configLines(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "!") {
			b.WriteString(l)
		}
	}
	return b.String()
}

func TestDaemons(t *testing.T) {
	for _, tc := range []struct {
		host *compile.Host
		want []string
	}{
		{&compile.Host{}, nil},
		{&compile.Host{ASN: 65001}, []string{"bgpd"}},
		{&compile.Host{Routes: []compile.Route{{}}}, []string{"staticd"}},
		{&compile.Host{ASN: 65001, Routes: []compile.Route{{}}}, []string{"bgpd", "staticd"}},
		{&compile.Host{Tunnels: []*compile.Tunnel{{}, {Routes: []compile.StaticRoute{{}}}}}, []string{"staticd"}},
	} {
		if got := frr.Daemons(tc.host); !slices.Equal(got, tc.want) {
			t.Errorf("Daemons(asn %d, %d routes) = %v, want %v", tc.host.ASN, len(tc.host.Routes), got, tc.want)
		}
	}
}

// A router that runs BIRD gets no FRR files, one that runs FRR all three.
func TestNothingForBIRD(t *testing.T) {
	n := 0
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			files, err := frr.Renderer{}.Render(h)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case h.UsesBIRD():
				n++
				if len(files) != 0 {
					t.Errorf("%s/%s runs BIRD and gets %d FRR files", ex.Name, h.Name, len(files))
				}
			case len(files) != 3:
				t.Errorf("%s/%s runs FRR and gets %d files", ex.Name, h.Name, len(files))
			}
		}
	}
	if n == 0 {
		t.Fatal("no example has a BIRD router")
	}
}
