package lab

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/e2e/lab/labtestutil"
	"github.com/vtic/vtic/internal/testkit/require"
)

// TestLabTwoRoutersVTI is the lab's proof with real traffic: two stock
// routers (Debian's own configuration files, their daemons started as
// boot starts them) configured by hand, without vtic: strongSwan, VTI and
// FRR (testdata/two_routers_vti.sh). Four verdicts per router, taken from
// the evidence the guest leaves in the share: CHILD SA installed, ping
// across the tunnel's inside addresses, BGP Established, and the other
// router's prefix in the kernel table via vti1.
func TestLabTwoRoutersVTI(t *testing.T) {
	require.Lab(t, Available)
	require.Programs(t, "dpkg-query") // the stock files
	testStart := time.Now()
	script, err := os.ReadFile(filepath.Join("testdata", "two_routers_vti.sh"))
	if err != nil {
		t.Fatal(err)
	}
	share := t.TempDir()
	if _, err := WriteStockShare(share); err != nil {
		t.Fatalf("stock configuration files: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()

	res, err := Run(ctx, Config{
		Script:     string(script),
		ShareDir:   share,
		ConsoleLog: filepath.Join(share, "console.log"),
		// The guest's own waits add up to about eight minutes at worst
		// (lab-boot's included).
		Timeout: 11 * time.Minute,
	})
	t.Logf("boot %s, VM %s", res.BootTime.Round(100*time.Millisecond), res.Duration.Round(100*time.Millisecond))
	for _, m := range labtestutil.Times(res.Output) {
		t.Logf("  %-10s at %5.1fs of the guest script", m.Name, m.Secs)
	}
	defer func() { t.Logf("whole test %s", time.Since(testStart).Round(100*time.Millisecond)) }()
	if err != nil {
		t.Fatalf("lab run: %v", err)
	}

	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(share, "out", name))
		if err != nil {
			t.Errorf("evidence missing: %v", err)
		}
		return b
	}
	routers := []struct{ name, peer, farPrefix string }{
		{"rA", "169.254.20.2", "10.2.0.0/16"},
		{"rB", "169.254.20.1", "10.1.0.0/16"},
	}
	for _, r := range routers {
		if err := ChildSAInstalled(string(read(r.name+".sas.txt")), "vti"); err != nil {
			t.Errorf("%s: %v", r.name, err)
		}
		if err := PingReplied(string(read(r.name + ".ping.txt"))); err != nil {
			t.Errorf("%s: ping %s across the VTI: %v", r.name, r.peer, err)
		}
		if err := BGPEstablished(read(r.name+".bgp.json"), r.peer); err != nil {
			t.Errorf("%s: %v", r.name, err)
		}
		if err := RouteVia(read(r.name+".routes.json"), r.farPrefix, "vti1", "bgp"); err != nil {
			t.Errorf("%s: %v", r.name, err)
		}
	}
	if t.Failed() {
		t.Logf("guest output:\n%s", res.Output)
		for _, r := range routers {
			log, _ := os.ReadFile(filepath.Join(share, "out", r.name+".logs", "charon.log"))
			t.Logf("%s charon.log (tail):\n%s", r.name, tail(string(log), 30))
		}
		syslog, _ := os.ReadFile(filepath.Join(share, "out", "syslog"))
		t.Logf("syslog, FRR's log (tail):\n%s", tail(string(syslog), 30))
	}
}
