package health

import (
	"fmt"
	"strconv"
	"time"

	"github.com/strongswan/govici/vici"
)

// SAPair is what charon holds for one connection (vtic names the
// connection and its child after the tunnel). A connection may hold more
// than one IKE or CHILD SA at once: during a rekey, or when both ends
// initiated at the same moment and neither gave way. IKE and Child are then
// the most useful of each (see better), Child's counters are the sum over
// every CHILD SA (traffic may flow on any of them), and Count says how many
// there were.
type SAPair struct {
	IKE   SA
	Child SA
	// IKEIDs are charon's unique IDs of the IKE SAs, the most useful
	// first, for terminate.
	IKEIDs []string
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
// connection name; several messages may name the same connection.
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
			p := out[conn]
			sa := SA{State: str(ike, "state"), Age: seconds(ike, "established")}
			id := str(ike, "uniqueid")
			if better(sa, p.IKE) {
				sa.Count = p.IKE.Count + 1
				p.IKE = sa
				p.IKEIDs = append([]string{id}, p.IKEIDs...)
			} else {
				p.IKE.Count++
				p.IKEIDs = append(p.IKEIDs, id)
			}
			if children, ok := ike.Get("child-sas").(*vici.Message); ok {
				for _, key := range children.Keys() {
					c, ok := children.Get(key).(*vici.Message)
					if !ok || str(c, "name") != conn {
						continue
					}
					p.Child = addChild(p.Child, SA{
						State:      str(c, "state"),
						Age:        seconds(c, "install-time"),
						BytesIn:    num(c, "bytes-in"),
						BytesOut:   num(c, "bytes-out"),
						PacketsIn:  num(c, "packets-in"),
						PacketsOut: num(c, "packets-out"),
					})
				}
			}
			out[conn] = p
		}
	}
	return out
}

// addChild folds one more CHILD SA into the sum: the state and age of the
// most useful one, the counters of all.
func addChild(sum, c SA) SA {
	out := sum
	if better(c, sum) {
		out.State, out.Age = c.State, c.Age
	}
	out.Count = sum.Count + 1
	out.BytesIn += c.BytesIn
	out.BytesOut += c.BytesOut
	out.PacketsIn += c.PacketsIn
	out.PacketsOut += c.PacketsOut
	return out
}

func better(a, b SA) bool {
	up := func(s SA) bool {
		switch s.State {
		case "ESTABLISHED", "INSTALLED", "REKEYING", "REKEYED":
			return true
		}
		return false
	}
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
