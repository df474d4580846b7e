package charon

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/vtic/vtic/targets/swanctl"
)

// Conn is one connection as load-conn takes it.
type Conn struct {
	Name string
	// Def is the connection's section, as swanctl.Connections builds it.
	Def *swanctl.Section
	// Hash identifies the VICI message: equal hashes, equal connections.
	Hash string
	// Files holds the certificates certs and cacerts name (WithFiles).
	Files map[string][]byte
}

// Secret is one shared secret as load-shared takes it.
type Secret struct {
	// ID is the secret's section name ("ike-t1"), its unique id in charon.
	ID     string
	Type   string // IKE, EAP or XAUTH
	Data   []byte
	Owners []string
	// Hash identifies the message (and so covers the key: the state file
	// that stores it is 0600).
	Hash string
}

// listKeys are the keys swanctl sends as lists of comma separated values
// (src/swanctl/commands/load_conns.c, is_list_key).
var listKeys = map[string]bool{
	"local_addrs": true, "remote_addrs": true, "proposals": true, "esp_proposals": true,
	"ah_proposals": true, "local_ts": true, "remote_ts": true, "vips": true, "pools": true,
	"groups": true, "cert_policy": true,
}

// Conns returns the connections of a connections section
// (swanctl.Connections), in order.
func Conns(s *swanctl.Section) []Conn {
	var conns []Conn
	for _, e := range s.Entries {
		if e.Section != nil {
			conns = append(conns, Conn{Name: e.Section.Name, Def: e.Section, Hash: hashSection(e.Section)})
		}
	}
	return conns
}

// Secrets returns the shared secrets of a secrets section
// (swanctl.Secrets), in order.
func Secrets(s *swanctl.Section) ([]Secret, error) {
	var out []Secret
	for _, e := range s.Entries {
		if e.Section == nil {
			continue
		}
		sec, err := secretOf(e.Section)
		if err != nil {
			return nil, fmt.Errorf("secret %s: %w", e.Section.Name, err)
		}
		out = append(out, sec)
	}
	return out, nil
}

// secretOf mirrors swanctl's load_secret: the type comes from the section
// name's prefix, "secret" is the key (0x hex, 0s base64 or literal), and
// every key starting with "id" names an owner.
func secretOf(s *swanctl.Section) (Secret, error) {
	sec := Secret{ID: s.Name}
	for _, typ := range []string{"eap", "xauth", "ike"} {
		if strings.HasPrefix(s.Name, typ) {
			sec.Type = strings.ToUpper(typ)
			break
		}
	}
	if sec.Type == "" {
		return sec, fmt.Errorf("not a shared secret (the name must start with ike, eap or xauth)")
	}
	v, ok := s.Value("secret")
	if !ok {
		return sec, fmt.Errorf("no secret")
	}
	var err error
	switch {
	case strings.HasPrefix(strings.ToLower(v), "0x"):
		sec.Data, err = hex.DecodeString(v[2:])
	case strings.HasPrefix(strings.ToLower(v), "0s"):
		sec.Data, err = base64.StdEncoding.DecodeString(v[2:])
	default:
		sec.Data = []byte(v)
	}
	if err != nil {
		return sec, fmt.Errorf("bad secret encoding: %w", err)
	}
	if len(sec.Data) == 0 {
		return sec, fmt.Errorf("empty secret")
	}
	for _, e := range s.Entries {
		if e.Section == nil && strings.HasPrefix(e.Key, "id") {
			sec.Owners = append(sec.Owners, e.Value)
		}
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%x\x00%q", sec.ID, sec.Type, sec.Data, sec.Owners)
	sec.Hash = hex.EncodeToString(h.Sum(nil))
	return sec, nil
}

// splitList splits a list value the way swanctl does: at commas, with
// surrounding spaces trimmed and empty items dropped.
func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// hashSection hashes the VICI message a section becomes. The form is the
// one earlier versions computed from the parsed file, so the hashes in
// state files they wrote still match and an upgrade reloads nothing.
func hashSection(s *swanctl.Section) string {
	h := sha256.New()
	writeCanonical(h, s)
	return hex.EncodeToString(h.Sum(nil))
}

func writeCanonical(w io.Writer, s *swanctl.Section) {
	fmt.Fprintf(w, "%q{", s.Name)
	for _, e := range s.Entries {
		switch {
		case e.IsComment():
		case e.Section != nil:
			writeCanonical(w, e.Section)
		case listKeys[e.Key]:
			fmt.Fprintf(w, "%q=%q;", e.Key, splitList(e.Value))
		default:
			fmt.Fprintf(w, "%q=%q;", e.Key, e.Value)
		}
	}
	fmt.Fprint(w, "}")
}
