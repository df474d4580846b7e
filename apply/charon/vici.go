package charon

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/strongswan/govici/vici"
	"github.com/vtic/vtic/targets/swanctl"
)

// VICI talks to a running charon over its VICI socket.
type VICI struct {
	// Socket is the VICI address: "unix:///var/run/charon.vici" or a path.
	Socket string
	// RestartCommand is run by /bin/sh -c to restart charon, such as
	// "systemctl restart strongswan". It must return once the old daemon
	// has stopped; Restart then waits for the new one to answer.
	RestartCommand string
	// StartCommand says how Start starts a charon that is not running:
	// StartAuto (the way this router runs it), StartNever, or a shell
	// command.
	StartCommand string
	// StartTimeout bounds the wait for charon after a start or restart;
	// zero means DefaultStartTimeout.
	StartTimeout time.Duration

	host *host // tests: the machine the start command is detected on
}

// DefaultStartTimeout is how long Restart waits for charon to answer.
const DefaultStartTimeout = 30 * time.Second

var _ Charon = (*VICI)(nil)

// path returns the socket's file name.
func (v *VICI) path() (string, error) {
	p, ok := strings.CutPrefix(v.Socket, "unix://")
	if !ok && strings.Contains(v.Socket, "://") {
		return "", fmt.Errorf("vici socket %s: only unix:// addresses are supported", v.Socket)
	}
	if p == "" {
		return "", errors.New("vici socket: empty address")
	}
	return p, nil
}

// call runs one command on a fresh session: a restart in between would
// break a long-lived one, and a connect costs microseconds.
func (v *VICI) call(ctx context.Context, cmd string, in *vici.Message) (*vici.Message, error) {
	p, err := v.path()
	if err != nil {
		return nil, err
	}
	s, err := vici.NewSession(vici.WithSocketPath(p))
	if err != nil {
		return nil, fmt.Errorf("%w: connect to %s: %w", ErrNotRunning, v.Socket, err)
	}
	defer s.Close()
	if in == nil {
		in = vici.NewMessage()
	}
	out, err := s.Call(ctx, cmd, in)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (v *VICI) Conns(ctx context.Context) ([]string, error) {
	out, err := v.call(ctx, "get-conns", nil)
	if err != nil {
		return nil, fmt.Errorf("charon get-conns: %w", err)
	}
	return stringList(out.Get("conns")), nil
}

func (v *VICI) Shared(ctx context.Context) ([]string, error) {
	out, err := v.call(ctx, "get-shared", nil)
	if err != nil {
		return nil, fmt.Errorf("charon get-shared: %w", err)
	}
	return stringList(out.Get("keys")), nil
}

func (v *VICI) LoadConn(ctx context.Context, c Conn) error {
	in := vici.NewMessage()
	if err := in.Set(c.Name, message(c.Def, c.Files)); err != nil {
		return fmt.Errorf("charon load-conn %s: %w", c.Name, err)
	}
	if _, err := v.call(ctx, "load-conn", in); err != nil {
		return fmt.Errorf("charon load-conn %s: %w", c.Name, err)
	}
	return nil
}

func (v *VICI) UnloadConn(ctx context.Context, name string) error {
	in := vici.NewMessage()
	_ = in.Set("name", name)
	if _, err := v.call(ctx, "unload-conn", in); err != nil {
		return fmt.Errorf("charon unload-conn %s: %w", name, err)
	}
	return nil
}

func (v *VICI) LoadShared(ctx context.Context, s Secret) error {
	in := vici.NewMessage()
	_ = in.Set("id", s.ID)
	_ = in.Set("type", s.Type)
	_ = in.Set("data", string(s.Data))
	if len(s.Owners) > 0 {
		_ = in.Set("owners", s.Owners)
	}
	if _, err := v.call(ctx, "load-shared", in); err != nil {
		// Never the message: it holds the key.
		return fmt.Errorf("charon load-shared %s: %w", s.ID, err)
	}
	return nil
}

func (v *VICI) LoadCred(ctx context.Context, c Cred) error {
	in := vici.NewMessage()
	cmd := "load-key"
	if c.CA {
		cmd = "load-cert"
		_ = in.Set("type", "X509")
		_ = in.Set("flag", "CA")
	} else {
		_ = in.Set("type", "any")
	}
	_ = in.Set("data", string(c.Data))
	if _, err := v.call(ctx, cmd, in); err != nil {
		// Never the message: a key is a secret.
		return fmt.Errorf("charon %s %s: %w", cmd, c.Name, err)
	}
	return nil
}

func (v *VICI) UnloadShared(ctx context.Context, id string) error {
	in := vici.NewMessage()
	_ = in.Set("id", id)
	if _, err := v.call(ctx, "unload-shared", in); err != nil {
		return fmt.Errorf("charon unload-shared %s: %w", id, err)
	}
	return nil
}

func (v *VICI) Restart(ctx context.Context) error {
	if v.RestartCommand == "" {
		return errors.New("restart charon: no restart command configured")
	}
	out, err := exec.CommandContext(ctx, "/bin/sh", "-c", v.RestartCommand).CombinedOutput()
	if err != nil {
		return fmt.Errorf("restart charon (%s): %w: %s", v.RestartCommand, err, strings.TrimSpace(string(out)))
	}
	if err := v.waitAnswer(ctx, nil); err != nil {
		return fmt.Errorf("restart charon: %w", err)
	}
	return nil
}

// message turns a section into the VICI message swanctl would send for it
// (see load_conns.c: add_key_values, add_sections).
func message(s *swanctl.Section, files map[string][]byte) *vici.Message {
	m := vici.NewMessage()
	for _, e := range s.Entries {
		switch {
		case e.IsComment():
		case e.Section != nil:
			_ = m.Set(e.Section.Name, message(e.Section, files))
		case certsKeys[e.Key]:
			var data []string
			for _, name := range splitList(e.Value) {
				data = append(data, string(files[name]))
			}
			_ = m.Set(e.Key, data)
		case listKeys[e.Key]:
			_ = m.Set(e.Key, splitList(e.Value))
		default:
			_ = m.Set(e.Key, e.Value)
		}
	}
	return m
}

// stringList reads a VICI list; a missing or empty list is nil.
func stringList(v any) []string {
	switch l := v.(type) {
	case []string:
		return l
	case string:
		return []string{l}
	}
	return nil
}
