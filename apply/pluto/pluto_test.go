package pluto_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vtic/vtic/apply/pluto"
	"github.com/vtic/vtic/internal/testkit/realcheck"
)

// Check hands the conns to libreswan's own parser: it accepts what the
// libreswan target writes and refuses an unknown keyword.
func TestCheckRealAddconn(t *testing.T) {
	ls := realcheck.FindLibreswan(t)
	c := &pluto.Command{Addconn: ls.Exec("addconn")}
	good := "conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tleftsubnet=0.0.0.0/0\n\trightsubnet=0.0.0.0/0\n" +
		"\tauthby=secret\n\tmark=40/0xffffffff\n\tvti-interface=vti4\n\tvti-routing=no\n\tauto=add\n"
	if err := c.Check(context.Background(), []byte(good)); err != nil {
		t.Errorf("a good conn: %v", err)
	}
	err := c.Check(context.Background(), []byte(good+"\tno-such-keyword=1\n"))
	if err == nil || !strings.Contains(err.Error(), "no-such-keyword") {
		t.Errorf("a conn with an unknown keyword: %v, want addconn's complaint", err)
	}
}
