package firewall

import (
	"context"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/testkit/testdaemon"
)

// counting counts the restores of a real Firewall.
type counting struct {
	Firewall
	n int
}

func (c *counting) Restore(ctx context.Context, input []byte) error {
	c.n++
	return c.Firewall.Restore(ctx, input)
}

// TestConvergeIPTables runs the fake's sequence against the real iptables
// in a throwaway network namespace; it proves Normalize matches what
// iptables -S prints, without which every apply would rewrite the rules.
func TestConvergeIPTables(t *testing.T) {
	ipt, restore := testdaemon.IPTables(t)
	fw := &counting{Firewall: &IPTables{Iptables: ipt, IptablesRestore: restore}}
	dump := func() string {
		var b strings.Builder
		for _, table := range []string{"filter", "mangle"} {
			lines, err := fw.Rules(context.Background(), table)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString("*" + table + "\n" + strings.Join(lines, "\n") + "\n")
		}
		return b.String()
	}
	exercise(t, fw, dump, func() int { return fw.n })
}
