package swanctl

import (
	"errors"
	"fmt"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
)

// Where charon's credentials go: swanctl --load-creds (which Debian's
// strongswan.service runs as part of --load-all) reads certificates from
// /etc/swanctl/x509, authorities from x509ca and private keys from
// private. vtic owns one certificate and key per router, and one file per
// authority, named after its ca block.
const (
	CertName = "vtic.crt"
	CertPath = "etc/swanctl/x509/" + CertName
	KeyPath  = "etc/swanctl/private/vtic.key"
	CADir    = "etc/swanctl/x509ca/"
)

// caFileName is the file of an authority under CADir.
func caFileName(name string) string { return "vtic-" + name + ".crt" }

// CAPath is where the authority called name is installed.
func CAPath(name string) string { return CADir + caFileName(name) }

// caFileNames are the host's authority files, in the host's order.
func caFileNames(h *compile.Host) []string {
	out := make([]string, len(h.CAs))
	for i, ca := range h.CAs {
		out[i] = caFileName(ca.Name)
	}
	return out
}

// renderCreds writes the host's certificate, key and authorities. A key
// that could not be read (diff mode) is written as a comment that never
// parses as a key.
func renderCreds(h *compile.Host) ([]targets.File, error) {
	var files []targets.File
	if len(h.Cert) > 0 {
		files = append(files, targets.File{Path: CertPath, Mode: 0o644, Data: h.Cert})
		key := h.Key.Value
		switch {
		case !h.Key.Resolved:
			key = []byte(fmt.Sprintf("# private key %s unresolved\n", h.Key.Ref))
		case len(key) == 0:
			return nil, errors.New("empty private key")
		}
		files = append(files, targets.File{Path: KeyPath, Mode: 0o600, Data: key, Secret: true})
	}
	for _, ca := range h.CAs {
		files = append(files, targets.File{Path: CAPath(ca.Name), Mode: 0o644, Data: ca.PEM})
	}
	return files, nil
}

// CertFiles maps the file names the connections give in certs and cacerts
// to their contents: VICI's load-conn takes the certificates themselves,
// as swanctl reads them from those files.
func CertFiles(h *compile.Host) map[string][]byte {
	files := map[string][]byte{}
	if len(h.Cert) > 0 {
		files[CertName] = h.Cert
	}
	for _, ca := range h.CAs {
		files[caFileName(ca.Name)] = ca.PEM
	}
	return files
}

// identities are the IKE identities of a tunnel's two ends: the site's id
// and remote_id, else an identity option, else the outer addresses.
func identities(t *compile.Tunnel, conn *options) (local, remote string) {
	local, remote = t.Local.String(), t.Remote.String()
	if t.LocalID != "" {
		local = t.LocalID
	}
	if t.RemoteID != "" {
		remote = t.RemoteID
	}
	return conn.take("local_id", local).(string), conn.take("remote_id", remote).(string)
}
