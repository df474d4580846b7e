package lang

import "testing"

// Every option a site may set says how libreswan writes it, or why it
// cannot: a new strongSwan option cannot slip through to a libreswan
// router unexamined.
func TestLibreswanOptionsCoverEveryOption(t *testing.T) {
	for _, s := range OptionSpecs {
		o, ok := LookupLibreswanOption(s.Key)
		if !ok {
			t.Errorf("option %q: no libreswan entry", s.Key)
			continue
		}
		if (o.Keyword == "") == (o.Why == "") {
			t.Errorf("option %q: want exactly one of a keyword and a reason, have %+v", s.Key, o)
		}
	}
	if len(libreswanOptions) != len(OptionSpecs) {
		t.Errorf("%d libreswan entries for %d options", len(libreswanOptions), len(OptionSpecs))
	}
}

func TestLibreswanProposals(t *testing.T) {
	for _, c := range []struct {
		in   string
		ike  bool
		want string
	}{
		{"aes256-sha256-modp2048,aes256gcm16-prfsha256-ecp256", true, "aes256-sha2_256-modp2048,aes_gcm256-sha2_256-dh19"},
		{"aes256-sha256-modp2048,aes256gcm16-ecp256", false, "aes256-sha2_256-modp2048,aes_gcm256-null-dh19"},
		{"aes128-sha1,aes256-sha1", false, "aes128-sha1,aes256-sha1"},
		{"aes128-sha1-modp1024", true, ""},
		{"aes256gcm16-ecp256", true, ""},
		{"3des-md5", false, ""},
	} {
		got, err := LibreswanProposals(c.in, c.ike)
		if c.want == "" {
			if err == nil {
				t.Errorf("%s (ike %v): %q, want an error", c.in, c.ike, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s (ike %v): %q, %v; want %q", c.in, c.ike, got, err, c.want)
		}
	}
}
