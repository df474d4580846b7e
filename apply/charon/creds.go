package charon

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets/swanctl"
)

// Cred is a certificate authority or a private key as load-cert and
// load-key take them: what swanctl --load-creds loads from
// /etc/swanctl/x509ca and /etc/swanctl/private. The router's own
// certificate needs no load-cert: load-conn carries it (certsKeys).
type Cred struct {
	Name string // the file it comes from, for messages
	CA   bool   // an authority (load-cert with flag CA); else a private key
	Data []byte // PEM
}

// Creds are the host's authorities and private key, in that order.
func Creds(h *compile.Host) []Cred {
	var out []Cred
	for _, ca := range h.CAs {
		out = append(out, Cred{Name: swanctl.CAPath(ca.Name), CA: true, Data: ca.PEM})
	}
	if len(h.Cert) > 0 && h.Key.Resolved {
		out = append(out, Cred{Name: swanctl.KeyPath, Data: h.Key.Value})
	}
	return out
}

// certsKeys are the connection keys whose values are certificate files,
// which swanctl reads and sends as data (load_conns.c, add_file_list_key).
var certsKeys = map[string]bool{"certs": true, "cacerts": true}

// WithFiles gives each connection the certificate files its certs and
// cacerts name, and hashes them with it, so that a new certificate
// reloads the connections that send it.
func WithFiles(conns []Conn, files map[string][]byte) []Conn {
	if len(files) == 0 {
		return conns
	}
	out := slices.Clone(conns)
	for i := range out {
		names := fileNames(out[i].Def, nil)
		if len(names) == 0 {
			continue
		}
		h := sha256.New()
		fmt.Fprint(h, out[i].Hash)
		out[i].Files = map[string][]byte{}
		for _, n := range names {
			out[i].Files[n] = files[n]
			fmt.Fprintf(h, "\x00%q=%x", n, files[n])
		}
		out[i].Hash = hex.EncodeToString(h.Sum(nil))
	}
	return out
}

func fileNames(s *swanctl.Section, out []string) []string {
	for _, e := range s.Entries {
		switch {
		case e.Section != nil:
			out = fileNames(e.Section, out)
		case certsKeys[e.Key]:
			out = append(out, splitList(e.Value)...)
		}
	}
	return out
}
