package health

import (
	"fmt"
	"strconv"
	"time"

	"github.com/strongswan/govici/vici"
)

// Control is what a repair needs from charon beyond loading
// configuration: ending a stale IKE SA and initiating a tunnel.
type Control interface {
	Terminate(ikeID string) error
	Initiate(conn string) error
}

// VICIControl talks to charon over its VICI socket.
type VICIControl struct {
	Socket string
	// Timeout bounds each command; charon keeps negotiating after it.
	Timeout time.Duration
}

var _ Control = VICIControl{}

func (v VICIControl) timeout() string {
	t := v.Timeout
	if t == 0 {
		t = 15 * time.Second
	}
	return strconv.FormatInt(t.Milliseconds(), 10)
}

func (v VICIControl) command(cmd string, kv ...string) error {
	s, err := vici.NewSession(vici.WithSocketPath(v.Socket))
	if err != nil {
		return fmt.Errorf("connect to charon at %s: %w", v.Socket, err)
	}
	defer s.Close()
	m := vici.NewMessage()
	for i := 0; i+1 < len(kv); i += 2 {
		if err := m.Set(kv[i], kv[i+1]); err != nil {
			return err
		}
	}
	msgs, err := s.StreamedCommandRequest(cmd, "control-log", m)
	if err != nil {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	if len(msgs) > 0 {
		if err := msgs[len(msgs)-1].Err(); err != nil {
			return fmt.Errorf("%s: %w", cmd, err)
		}
	}
	return nil
}

// Terminate closes an IKE SA (and its CHILD SAs) without waiting for the
// peer, which may be the reason it is stale: charon sends the DELETE once
// and forgets the SA. (With a timeout, force would wait that long for the
// peer's answer first.)
func (v VICIControl) Terminate(ikeID string) error {
	if err := v.command("terminate", "ike-id", ikeID, "force", "yes"); err != nil {
		return fmt.Errorf("terminate IKE SA %s: %w", ikeID, err)
	}
	return nil
}

// Initiate brings up a tunnel's CHILD SA (vtic names the connection and
// its child after the tunnel).
func (v VICIControl) Initiate(conn string) error {
	if err := v.command("initiate", "ike", conn, "child", conn, "timeout", v.timeout(), "init-limits", "no"); err != nil {
		return fmt.Errorf("initiate %s: %w", conn, err)
	}
	return nil
}
