package frrreload

import (
	"strings"
	"testing"

	"github.com/vtic/vtic/targets/frr"
)

func TestDetectMode(t *testing.T) {
	for _, tc := range []struct {
		name       string
		vtysh      string
		integrated bool
		want       frr.Mode
		why        string
	}{
		{"Debian as installed", "service integrated-vtysh-config\n", true, frr.Integrated, "etc/frr/vtysh.conf says service integrated-vtysh-config"},
		{"integrated before frr.conf exists", "service integrated-vtysh-config\n", false, frr.Integrated, "says service integrated-vtysh-config"},
		{"per daemon", "no service integrated-vtysh-config\n", false, frr.PerDaemon, "says no service integrated-vtysh-config"},
		{"per daemon beside a frr.conf", "no service integrated-vtysh-config\n", true, frr.PerDaemon, "says no service integrated-vtysh-config"},
		{"the last line wins", "service integrated-vtysh-config\n!\nno service  integrated-vtysh-config \n", true, frr.PerDaemon, "says no service"},
		{"the last line wins again", "no service integrated-vtysh-config\nservice integrated-vtysh-config\n", false, frr.Integrated, "says service"},
		{"silent vtysh.conf, frr.conf exists", "username vtic nopassword\n", true, frr.Integrated, "does not choose, and etc/frr/frr.conf exists"},
		{"no vtysh.conf, no frr.conf", "", false, frr.PerDaemon, "does not choose, and there is no etc/frr/frr.conf"},
		{"a comment is not a choice", "! service integrated-vtysh-config\n", false, frr.PerDaemon, "does not choose"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, why := DetectMode([]byte(tc.vtysh), tc.integrated)
			if got != tc.want || !strings.Contains(why, tc.why) {
				t.Errorf("DetectMode = %s (%s), want %s (…%s…)", got, why, tc.want, tc.why)
			}
		})
	}
}
