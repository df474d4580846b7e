package charon

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// Conn is one connection as load-conn takes it.
type Conn struct {
	Name string
	// Def is the connection's section from the file.
	Def *Section
	// Hash identifies the VICI message: equal hashes, equal connections.
	Hash string
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

// fileKeys name files swanctl reads and sends as blobs; vtic writes none,
// and loading them would need the files, so they are refused.
var fileKeys = map[string]bool{"certs": true, "cacerts": true, "pubkeys": true}

// ParseConns returns the connections of a swanctl.conf file, in file order.
func ParseConns(name string, data []byte) ([]Conn, error) {
	root, err := Parse(name, data)
	if err != nil {
		return nil, err
	}
	var conns []Conn
	for _, e := range root.Entries {
		if e.Section == nil || e.Section.Name != "connections" {
			continue
		}
		for _, c := range e.Section.Entries {
			if c.Section == nil {
				return nil, fmt.Errorf("%s: connections: unexpected key %s", name, c.Key)
			}
			if err := checkFileKeys(c.Section); err != nil {
				return nil, fmt.Errorf("%s: connection %s: %w", name, c.Section.Name, err)
			}
			conns = append(conns, Conn{Name: c.Section.Name, Def: c.Section, Hash: hashSection(c.Section)})
		}
	}
	return conns, nil
}

func checkFileKeys(s *Section) error {
	for _, e := range s.Entries {
		if e.Section != nil {
			if err := checkFileKeys(e.Section); err != nil {
				return err
			}
		} else if fileKeys[e.Key] {
			return fmt.Errorf("key %s names files, which vtic does not load", e.Key)
		}
	}
	return nil
}

// ParseSecrets returns the shared secrets of a swanctl.conf file.
func ParseSecrets(name string, data []byte) ([]Secret, error) {
	root, err := Parse(name, data)
	if err != nil {
		return nil, err
	}
	var out []Secret
	for _, e := range root.Entries {
		if e.Section == nil || e.Section.Name != "secrets" {
			continue
		}
		for _, s := range e.Section.Entries {
			if s.Section == nil {
				return nil, fmt.Errorf("%s: secrets: unexpected key %s", name, s.Key)
			}
			sec, err := secretOf(s.Section)
			if err != nil {
				return nil, fmt.Errorf("%s: secret %s: %w", name, s.Section.Name, err)
			}
			out = append(out, sec)
		}
	}
	return out, nil
}

// secretOf mirrors swanctl's load_secret: the type comes from the section
// name's prefix, "secret" is the key (0x hex, 0s base64 or literal), and
// every key starting with "id" names an owner.
func secretOf(s *Section) (Secret, error) {
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

// hashSection hashes the VICI message a section becomes.
func hashSection(s *Section) string {
	h := sha256.New()
	writeCanonical(h, s)
	return hex.EncodeToString(h.Sum(nil))
}

func writeCanonical(w io.Writer, s *Section) {
	fmt.Fprintf(w, "%q{", s.Name)
	for _, e := range s.Entries {
		switch {
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
