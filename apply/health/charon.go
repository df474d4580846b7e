package health

import (
	"fmt"
	"strconv"
	"time"

	"github.com/strongswan/govici/vici"
)

// SAPair is the newest IKE SA of a connection and the newest CHILD SA of
// its child of the same name (vtic names both after the tunnel).
type SAPair struct {
	IKE   SA
	Child SA
	// IKEID is charon's unique ID of the IKE SA, for terminate.
	IKEID string
}

// ListSAs asks charon over VICI for every SA, by connection name.
func ListSAs(socket string) (map[string]SAPair, error) {
	s, err := vici.NewSession(vici.WithSocketPath(socket))
	if err != nil {
		return nil, fmt.Errorf("connect to charon at %s: %w", socket, err)
	}
	defer s.Close()
	msgs, err := s.StreamedCommandRequest("list-sas", "list-sa", vici.NewMessage())
	if err != nil {
		return nil, fmt.Errorf("list-sas: %w", err)
	}
	return ParseSAs(msgs), nil
}

// ParseSAs reads list-sa event messages. Each holds one IKE SA keyed by its
// connection name; when a connection has several (during a reauth), the
// most useful wins: established over anything else, then the youngest.
func ParseSAs(msgs []*vici.Message) map[string]SAPair {
	out := map[string]SAPair{}
	for _, m := range msgs {
		if m == nil || m.Err() != nil {
			continue
		}
		for _, conn := range m.Keys() {
			ike, ok := m.Get(conn).(*vici.Message)
			if !ok {
				continue
			}
			p := SAPair{
				IKE:   SA{State: str(ike, "state"), Age: seconds(ike, "established")},
				IKEID: str(ike, "uniqueid"),
			}
			if children, ok := ike.Get("child-sas").(*vici.Message); ok {
				for _, key := range children.Keys() {
					c, ok := children.Get(key).(*vici.Message)
					if !ok || str(c, "name") != conn {
						continue
					}
					sa := SA{
						State:      str(c, "state"),
						Age:        seconds(c, "install-time"),
						BytesIn:    num(c, "bytes-in"),
						BytesOut:   num(c, "bytes-out"),
						PacketsIn:  num(c, "packets-in"),
						PacketsOut: num(c, "packets-out"),
					}
					if better(sa, p.Child) {
						p.Child = sa
					}
				}
			}
			if old, seen := out[conn]; seen && !better(p.IKE, old.IKE) {
				continue
			}
			out[conn] = p
		}
	}
	return out
}

func better(a, b SA) bool {
	up := func(s SA) bool { return s.State == "ESTABLISHED" || s.State == "INSTALLED" }
	if up(a) != up(b) {
		return up(a)
	}
	if b.State == "" {
		return a.State != ""
	}
	return a.Age < b.Age
}

func str(m *vici.Message, key string) string {
	s, _ := m.Get(key).(string)
	return s
}

func num(m *vici.Message, key string) uint64 {
	n, _ := strconv.ParseUint(str(m, key), 10, 64)
	return n
}

func seconds(m *vici.Message, key string) time.Duration {
	return time.Duration(num(m, key)) * time.Second
}
