package lab

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The functions in this file judge the evidence a lab scenario leaves in
// the share: the output of swanctl, ping, vtysh and ip, read on the host.
// They are exported so that scenarios elsewhere (vtic apply in the lab)
// judge the same way. Each returns nil or an error that quotes what it saw.

// ChildSAInstalled checks `swanctl --list-sas` output for a CHILD SA named
// child in state INSTALLED, as in
//
//	vti: #1, reqid 1, INSTALLED, TUNNEL, ESP:AES_CBC-128/HMAC_SHA2_256_128
func ChildSAInstalled(listSAs, child string) error {
	var states []string
	sc := bufio.NewScanner(strings.NewReader(listSAs))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		rest, ok := strings.CutPrefix(line, child+": #")
		if !ok {
			continue
		}
		// Fields after the name: "#N", "reqid N", state, mode, proposal.
		f := strings.Split(rest, ", ")
		if len(f) >= 3 {
			if f[2] == "INSTALLED" {
				return nil
			}
			states = append(states, f[2])
		}
	}
	if len(states) > 0 {
		return fmt.Errorf("CHILD SA %s is %s, not INSTALLED", child, strings.Join(states, ", "))
	}
	return fmt.Errorf("no CHILD SA %s in swanctl --list-sas:\n%s", child, strings.TrimSpace(listSAs))
}

var pingSummary = regexp.MustCompile(`(\d+) packets transmitted, (\d+) received`)

// PingReplied checks ping output: at least one packet sent and answered.
func PingReplied(out string) error {
	m := pingSummary.FindStringSubmatch(out)
	if m == nil {
		return fmt.Errorf("no ping summary in output:\n%s", strings.TrimSpace(out))
	}
	sent, _ := strconv.Atoi(m[1])
	received, _ := strconv.Atoi(m[2])
	if sent == 0 || received == 0 {
		return fmt.Errorf("ping: %d packets transmitted, %d received:\n%s", sent, received, strings.TrimSpace(out))
	}
	return nil
}

// BGPEstablished checks the output of vtysh's
// `show bgp neighbors PEER json`, an object keyed by the neighbor address.
func BGPEstablished(neighborJSON []byte, peer string) error {
	var neighbors map[string]struct {
		RemoteAS int    `json:"remoteAs"`
		State    string `json:"bgpState"`
	}
	if err := json.Unmarshal(neighborJSON, &neighbors); err != nil {
		return fmt.Errorf("read BGP neighbor %s: %w: %s", peer, err, strings.TrimSpace(string(neighborJSON)))
	}
	n, ok := neighbors[peer]
	if !ok {
		return fmt.Errorf("no BGP neighbor %s in vtysh output: %s", peer, strings.TrimSpace(string(neighborJSON)))
	}
	if n.State != "Established" {
		return fmt.Errorf("BGP neighbor %s (AS %d) is %q, not Established", peer, n.RemoteAS, n.State)
	}
	return nil
}

// RouteVia checks the output of `ip -j route show` for a route to prefix
// leaving through dev, installed by proto ("" accepts any protocol).
// Multipath routes count if one of their next hops uses dev.
func RouteVia(routesJSON []byte, prefix, dev, proto string) error {
	type hop struct {
		Gateway string `json:"gateway"`
		Dev     string `json:"dev"`
	}
	var routes []struct {
		hop
		Dst      string `json:"dst"`
		Protocol string `json:"protocol"`
		Nexthops []hop  `json:"nexthops"`
	}
	if err := json.Unmarshal(routesJSON, &routes); err != nil {
		return fmt.Errorf("read routes: %w: %s", err, strings.TrimSpace(string(routesJSON)))
	}
	var seen []string
	for _, r := range routes {
		if r.Dst != prefix {
			continue
		}
		var devs []string
		for _, h := range append([]hop{r.hop}, r.Nexthops...) {
			if h.Dev != "" {
				devs = append(devs, h.Dev)
			}
		}
		for _, d := range devs {
			if d == dev && (proto == "" || r.Protocol == proto) {
				return nil
			}
		}
		seen = append(seen, fmt.Sprintf("dev %s proto %s", strings.Join(devs, ","), r.Protocol))
	}
	want := "dev " + dev
	if proto != "" {
		want += " proto " + proto
	}
	if len(seen) > 0 {
		return fmt.Errorf("route %s is %s, want %s", prefix, strings.Join(seen, "; "), want)
	}
	return errors.New("no route " + prefix + " in the routing table, want " + want)
}
