package review

import (
	"testing"

	"github.com/vtic/vtic/compile"
)

// A change of which end initiates (a router renamed so that the names
// sort the other way) is reported as the tunnel's role.
func TestRoleChange(t *testing.T) {
	a := &compile.Tunnel{Name: "t", RemoteName: "gw2", RemoteIsRouter: true}
	b := *a
	b.Responder = true
	got := compareTunnels([]*compile.Tunnel{a}, []*compile.Tunnel{&b}, &redactor{})
	if len(got) != 1 || got[0].Status != Changed || len(got[0].Changes) != 1 {
		t.Fatalf("changes %+v; want one", got)
	}
	if c := got[0].Changes[0]; c.Field != "role" || c.Old != "initiator" || c.New != "responder" {
		t.Errorf("change %+v; want role initiator -> responder", c)
	}
}
