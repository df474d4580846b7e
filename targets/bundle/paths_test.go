package bundle_test

import (
	"strings"
	"testing"

	"github.com/vtic/vtic/targets/bundle"
)

func TestCheckPath(t *testing.T) {
	for _, p := range []string{"etc/swanctl/conf.d/vtic.conf", "etc/vtic/tunnels/t1/vti.init", "etc/frr/bgpd.conf", "etc/vtic/plan.json"} {
		if err := bundle.CheckPath(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	for p, want := range map[string]string{
		"../../etc/passwd":          "not a clean relative path",
		"/etc/frr/bgpd.conf":        "not a clean relative path",
		"etc/frr/../passwd":         "not a clean relative path",
		`etc\frr\bgpd.conf`:         "not a clean relative path",
		"etc/passwd":                "outside the directories",
		"etc/frr/daemons":           "outside the directories",
		"etc/vtic/tunnels":          "outside the directories",
		"etc/swanctl/conf.d/x.conf": "outside the directories",
	} {
		if err := bundle.CheckPath(p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v; want %q", p, err, want)
		}
	}
}
