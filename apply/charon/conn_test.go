package charon

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/swanctl"
)

// The hashes of the examples' connections and secrets are those in the
// golden file, which were computed by the vtic that parsed the installed
// swanctl files: a state file records them, and a hash that changed would
// make the next apply reload, and so restart, every connection. Regenerate
// the file only for a change that must reload them.
func TestHashesStable(t *testing.T) {
	var b strings.Builder
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			for _, c := range Conns(swanctl.Connections(h)) {
				fmt.Fprintf(&b, "%s %s conn %s %s\n", ex.Name, h.Name, c.Name, c.Hash)
			}
			sec, err := swanctl.Secrets(h)
			if err != nil {
				t.Fatal(err)
			}
			secrets, err := Secrets(sec)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range secrets {
				fmt.Fprintf(&b, "%s %s secret %s %s\n", ex.Name, h.Name, s.ID, s.Hash)
			}
		}
	}
	targettest.CompareGolden(t, filepath.Join("testdata", "hashes.golden"), []byte(b.String()))
}

// The hash follows the message: comments do not count, any value does,
// and so does the spacing of list items only as swanctl splits them.
func TestConnHash(t *testing.T) {
	conn := func(edit func(s *swanctl.Section)) string {
		s := &swanctl.Section{Name: "t1", Entries: []swanctl.Entry{
			{Comment: "a description"},
			{Key: "proposals", Value: "aes256-sha256-modp2048,aes128-sha1-modp1024"},
			{Section: &swanctl.Section{Name: "children", Entries: []swanctl.Entry{{Key: "mark_in", Value: "20"}}}},
		}}
		if edit != nil {
			edit(s)
		}
		return Conns(&swanctl.Section{Name: "connections", Entries: []swanctl.Entry{{Section: s}}})[0].Hash
	}
	base := conn(nil)
	if got := conn(func(s *swanctl.Section) { s.Entries[0].Comment = "another" }); got != base {
		t.Error("hash changed with a comment")
	}
	if got := conn(func(s *swanctl.Section) { s.Entries[1].Value = "aes256-sha256-modp2048, aes128-sha1-modp1024" }); got != base {
		t.Error("hash changed with the spacing of a list")
	}
	if got := conn(func(s *swanctl.Section) { s.Entries[2].Section.Entries[0].Value = "21" }); got == base {
		t.Error("hash did not change with mark_in")
	}
}

func TestSecrets(t *testing.T) {
	sec := func(name string, kv ...string) swanctl.Entry {
		s := &swanctl.Section{Name: name}
		for i := 0; i < len(kv); i += 2 {
			s.Entries = append(s.Entries, swanctl.Entry{Key: kv[i], Value: kv[i+1]})
		}
		return swanctl.Entry{Section: s}
	}
	secrets, err := Secrets(&swanctl.Section{Name: "secrets", Entries: []swanctl.Entry{
		sec("ike-t1", "id-local", "192.0.2.1", "id-remote", "203.0.113.1", "secret", "0x6b6579"),
		{Comment: "ike-t2: pre-shared key unresolved"},
		sec("ike-t3", "id", "peer", "secret", "0sa2V5"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(secrets) != 2 {
		t.Fatalf("got %d secrets", len(secrets))
	}
	s := secrets[0]
	if s.ID != "ike-t1" || s.Type != "IKE" || string(s.Data) != "key" || strings.Join(s.Owners, ",") != "192.0.2.1,203.0.113.1" || len(s.Hash) != 64 {
		t.Errorf("secret 0 = %+v", s)
	}
	if string(secrets[1].Data) != "key" {
		t.Errorf("base64 secret decoded as %q", secrets[1].Data)
	}
	for _, tc := range []struct {
		e    swanctl.Entry
		want string
	}{
		{sec("ike-a", "id", "x"), "no secret"},
		{sec("ike-a", "secret", "0xzz"), "encoding"},
		{sec("rsa-a", "file", "k.pem"), "not a shared secret"},
	} {
		if _, err := Secrets(&swanctl.Section{Name: "secrets", Entries: []swanctl.Entry{tc.e}}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err = %v; want %q", err, tc.want)
		}
	}
}
