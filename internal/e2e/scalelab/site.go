package scalelab

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
)

// The site: router r1 (outside LocalAddr, no AS number and no gateway, so
// no FRR files and no peer routes: the measurement is of devices, files,
// iptables and charon) and N generic peers p1..pN, one tunnel each.
const (
	RouterName = "r1"
	LocalAddr  = "192.0.2.1"
	MTU        = 1400
	// MaxTunnels keeps every peer address inside 198.18.0.0/15.
	MaxTunnels = 250 * 512
)

// Tunnel is one generated tunnel as the router sees it.
type Tunnel struct {
	Name      string       // tunnel and peer name, pN
	Interface string       // vtiN
	Mark      uint32       // N: the VTI's ikey and okey
	Remote    netip.Addr   // the peer's outside address
	Inside    netip.Prefix // the router end's inside address, a /30
}

// Tunnels returns tunnels 1..n: peer N at 198.18.x.y (y never 0), inside
// 10.0.0.0/8 cut into /30s, the router taking the first host address.
func Tunnels(n int) []Tunnel {
	out := make([]Tunnel, 0, n)
	for i := 1; i <= n; i++ {
		j := i - 1
		remote := netip.AddrFrom4([4]byte{198, 18 + byte(j/250/256), byte(j / 250 % 256), byte(j%250 + 1)})
		base := uint32(10)<<24 | uint32(j)*4
		inside := netip.AddrFrom4([4]byte{byte(base >> 24), byte(base >> 16), byte(base >> 8), byte(base) + 1})
		out = append(out, Tunnel{
			Name:      fmt.Sprintf("p%d", i),
			Interface: fmt.Sprintf("vti%d", i),
			Mark:      uint32(i),
			Remote:    remote,
			Inside:    netip.PrefixFrom(inside, 30),
		})
	}
	return out
}

// WriteSite writes the site with n tunnels into dir (created if need be):
// site.hcl and the one key file every tunnel uses. n may be 0: the router
// alone, whose apply installs vtic's strongSwan settings and iptables
// chains (the warm-up before the measured apply).
//
// Every tunnel has start_action = "none": charon loads the connections
// without initiating them, since the peers do not exist and a thousand
// initiations would compete with the measurement for the guest's CPU.
func WriteSite(dir string, n int) error {
	if n < 0 || n > MaxTunnels {
		return fmt.Errorf("tunnels: %d is outside 0..%d", n, MaxTunnels)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %d tunnels of one router, written by internal/e2e/scalelab.\n\n", n)
	fmt.Fprintf(&b, "router %q {\n  outside = %q\n}\n", RouterName, LocalAddr)
	for _, t := range Tunnels(n) {
		peer := t.Inside.Addr().Next()
		fmt.Fprintf(&b, `
peer %q {
  outside = %q
}

tunnel %q {
  mark    = %d
  mtu     = %d
  psk     = file("secrets/scale.psk")
  options = { start_action = "none" }

  end %q {
    interface = %q
    inside    = "%s"
  }
  end %q {
    inside = "%s/30"
  }
}
`, t.Name, t.Remote, t.Name, t.Mark, MTU, RouterName, t.Interface, t.Inside, t.Name, peer)
	}
	if err := os.MkdirAll(filepath.Join(dir, "secrets"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "site.hcl"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	key := filepath.Join(dir, "secrets", "scale.psk")
	if err := os.WriteFile(key, []byte("scalelab-not-a-secret-key\n"), 0o600); err != nil {
		return err
	}
	return os.Chmod(key, 0o600)
}

// WriteTunnelList writes the tunnels as the guest's shell loop reads them:
// one "interface remote inside mark" line each.
func WriteTunnelList(path string, n int) error {
	var b strings.Builder
	for _, t := range Tunnels(n) {
		fmt.Fprintf(&b, "%s %s %s %d\n", t.Interface, t.Remote, t.Inside, t.Mark)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
