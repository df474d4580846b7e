package labtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Link is one device of `ip -d -j link show`, with the fields the lab
// judges.
type Link struct {
	Name  string   `json:"ifname"`
	Flags []string `json:"flags"`
	MTU   int      `json:"mtu"`
	Info  struct {
		Kind string `json:"info_kind"`
		Data struct {
			Local  string `json:"local"`
			Remote string `json:"remote"`
			IKey   string `json:"ikey"`
			OKey   string `json:"okey"`
		} `json:"info_data"`
	} `json:"linkinfo"`
	Addrs []Addr `json:"addr_info"` // from `ip -j addr show` only
}

// Addr is one address of `ip -j addr show`.
type Addr struct {
	Family    string `json:"family"`
	Local     string `json:"local"`
	PrefixLen int    `json:"prefixlen"`
}

// Up reports whether the device is administratively up.
func (l Link) Up() bool { return slices.Contains(l.Flags, "UP") }

// ParseLinks reads `ip -j link show` or `ip -j addr show` output.
func ParseLinks(js []byte) (map[string]Link, error) {
	var links []Link
	if err := json.Unmarshal(js, &links); err != nil {
		return nil, fmt.Errorf("read ip -j output: %w: %s", err, strings.TrimSpace(string(js)))
	}
	m := map[string]Link{}
	for _, l := range links {
		m[l.Name] = l
	}
	return m, nil
}

// WantVTI is what a tunnel's device must look like.
type WantVTI struct {
	Name          string
	Local, Remote string
	Key           uint32 // ikey and okey, the tunnel's mark
	MTU           int
	Up            bool
	Address       string // "169.254.12.1/30"
}

// dotted writes a GRE/VTI key the way ip shows it: as an IPv4 address.
func dotted(k uint32) string {
	return fmt.Sprintf("%d.%d.%d.%d", k>>24, k>>16&0xff, k>>8&0xff, k&0xff)
}

// CheckVTI checks the device w.Name in links (from `ip -d -j link`) and
// its address in addrs (from `ip -j addr`).
func CheckVTI(links, addrs map[string]Link, w WantVTI) error {
	l, ok := links[w.Name]
	if !ok {
		return fmt.Errorf("no device %s", w.Name)
	}
	var errs []string
	d := l.Info.Data
	if l.Info.Kind != "vti" {
		errs = append(errs, fmt.Sprintf("kind %q, want vti", l.Info.Kind))
	}
	if d.Local != w.Local || d.Remote != w.Remote {
		errs = append(errs, fmt.Sprintf("local %s remote %s, want local %s remote %s", d.Local, d.Remote, w.Local, w.Remote))
	}
	if k := dotted(w.Key); d.IKey != k || d.OKey != k {
		errs = append(errs, fmt.Sprintf("ikey %s okey %s, want %s (mark %d)", d.IKey, d.OKey, k, w.Key))
	}
	if l.MTU != w.MTU {
		errs = append(errs, fmt.Sprintf("mtu %d, want %d", l.MTU, w.MTU))
	}
	if l.Up() != w.Up {
		errs = append(errs, fmt.Sprintf("flags %v, want up=%v", l.Flags, w.Up))
	}
	var have []string
	for _, a := range addrs[w.Name].Addrs {
		if a.Family == "inet" {
			have = append(have, fmt.Sprintf("%s/%d", a.Local, a.PrefixLen))
		}
	}
	if !slices.Equal(have, []string{w.Address}) {
		errs = append(errs, fmt.Sprintf("addresses %v, want [%s]", have, w.Address))
	}
	if len(errs) > 0 {
		return fmt.Errorf("device %s: %s", w.Name, strings.Join(errs, "; "))
	}
	return nil
}
