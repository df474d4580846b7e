package lab

import (
	"strings"
	"testing"
)

const listSAsUp = `peer: #2, ESTABLISHED, IKEv2, e1fcac434190cf96_i 9a7d9e9415a2eed7_r*
  local  '198.51.100.1' @ 198.51.100.1[4500]
  remote '198.51.100.2' @ 198.51.100.2[4500]
  AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048
  established 41s ago, rekeying in 13453s
  vti: #1, reqid 1, INSTALLED, TUNNEL, ESP:AES_CBC-128/HMAC_SHA2_256_128
    installed 41s ago, rekeying in 3366s, expires in 3936s
    in  c18b58f5 (0x0000000c),   1540 bytes,    22 packets,     1s ago
    out ca100ac5 (0x0000000c),   1663 bytes,    24 packets,     0s ago
    local  0.0.0.0/0
    remote 0.0.0.0/0
`

func TestChildSAInstalled(t *testing.T) {
	tests := []struct {
		name, out, child, wantErr string
	}{
		{"installed", listSAsUp, "vti", ""},
		{"other child", listSAsUp, "vti2", "no CHILD SA vti2"},
		{"rekeying", strings.Replace(listSAsUp, "INSTALLED", "REKEYING", 1), "vti", "is REKEYING, not INSTALLED"},
		{"IKE only", "peer: #1, CONNECTING, IKEv2, 1234_i\n", "vti", "no CHILD SA vti"},
		{"empty", "", "vti", "no CHILD SA vti"},
		// The IKE SA line must not pass for a CHILD SA of the same name.
		{"IKE named like child", "vti: #1, ESTABLISHED, IKEv2, 1_i 2_r*\n", "vti", "is IKEv2, not INSTALLED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, ChildSAInstalled(tt.out, tt.child), tt.wantErr)
		})
	}
}

func TestPingReplied(t *testing.T) {
	const ok = "PING 169.254.20.2 (169.254.20.2) 56(84) bytes of data.\n64 bytes from 169.254.20.2: icmp_seq=1 ttl=64 time=3.1 ms\n\n--- 169.254.20.2 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, time 2003ms\n"
	tests := []struct{ name, out, wantErr string }{
		{"all", ok, ""},
		{"some", "3 packets transmitted, 1 received, 66% packet loss, time 2010ms\n", ""},
		{"none", "From 169.254.20.1 icmp_seq=1 Destination Host Unreachable\n3 packets transmitted, 0 received, +3 errors, 100% packet loss\n", "0 received"},
		{"no summary", "ping: connect: Network is unreachable\n", "no ping summary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkErr(t, PingReplied(tt.out), tt.wantErr) })
	}
}

func TestBGPEstablished(t *testing.T) {
	tests := []struct{ name, json, peer, wantErr string }{
		{"up", `{"169.254.20.2":{"remoteAs":65002,"bgpState":"Established"}}`, "169.254.20.2", ""},
		{"active", `{"169.254.20.2":{"remoteAs":65002,"bgpState":"Active"}}`, "169.254.20.2", `"Active", not Established`},
		{"other peer", `{"169.254.20.6":{"remoteAs":65002,"bgpState":"Established"}}`, "169.254.20.2", "no BGP neighbor 169.254.20.2"},
		{"unknown neighbor", `{}`, "169.254.20.2", "no BGP neighbor"},
		{"not json", "% No BGP process is configured\n", "169.254.20.2", "read BGP neighbor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkErr(t, BGPEstablished([]byte(tt.json), tt.peer), tt.wantErr) })
	}
}

func TestRouteVia(t *testing.T) {
	const routes = `[{"dst":"10.2.0.0/16","nhid":12,"gateway":"169.254.20.2","dev":"vti1","protocol":"bgp","metric":20,"flags":[]},
		{"dst":"169.254.20.0/30","dev":"vti1","protocol":"kernel","scope":"link","prefsrc":"169.254.20.1","flags":[]},
		{"dst":"10.9.0.0/16","protocol":"bgp","flags":[],"nexthops":[{"gateway":"169.254.20.2","dev":"vti1"},{"gateway":"169.254.20.6","dev":"vti2"}]}]`
	tests := []struct{ name, prefix, dev, proto, wantErr string }{
		{"bgp via vti", "10.2.0.0/16", "vti1", "bgp", ""},
		{"any proto", "10.2.0.0/16", "vti1", "", ""},
		{"wrong dev", "10.2.0.0/16", "eth0", "bgp", "route 10.2.0.0/16 is dev vti1 proto bgp, want dev eth0"},
		{"wrong proto", "169.254.20.0/30", "vti1", "bgp", "proto kernel"},
		{"missing", "10.1.0.0/16", "vti1", "bgp", "no route 10.1.0.0/16"},
		{"multipath", "10.9.0.0/16", "vti2", "bgp", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, RouteVia([]byte(routes), tt.prefix, tt.dev, tt.proto), tt.wantErr)
		})
	}
	checkErr(t, RouteVia([]byte("Error: ipv4: FIB table does not exist."), "10.2.0.0/16", "vti1", ""), "read routes")
}

// checkErr fails unless err is nil when want is empty, or contains want.
func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Errorf("no error, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("error %q does not contain %q", err, want)
	}
}
