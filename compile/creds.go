package compile

import (
	"sort"

	"github.com/vtic/vtic/lang"
)

// compileCreds gives a router its certificate and key, and every
// authority of the site: a router trusts the whole site's authorities,
// whichever of its tunnels use certificates.
func compileCreds(site *lang.Site, r *lang.Router, h *Host) {
	if r.Cert != nil && r.Key != nil {
		h.Cert = r.Cert.PEM
		k := r.Key.Secret
		h.Key = Secret{Ref: k.String(), Value: k.Value, Resolved: k.Resolved}
	}
	for _, ca := range site.CAs {
		if ca != nil && ca.Cert != nil {
			h.CAs = append(h.CAs, CA{Name: ca.Name, PEM: ca.Cert.PEM})
		}
	}
	sort.Slice(h.CAs, func(i, j int) bool { return h.CAs[i].Name < h.CAs[j].Name })
}

// identities are the IKE identities of a tunnel end that the site gives:
// the router's id, and the end's remote_id or the far end's id. Empty
// means the outer address, as before identities existed.
func identities(r, remoteRouter *lang.Router, remotePeer *lang.Peer, local *lang.End) (localID, remoteID string) {
	if r.ID.Set {
		localID = r.ID.Value
	}
	switch {
	case local.RemoteID.Set:
		remoteID = local.RemoteID.Value
	case remoteRouter != nil && remoteRouter.ID.Set:
		remoteID = remoteRouter.ID.Value
	case remotePeer != nil && remotePeer.ID.Set:
		remoteID = remotePeer.ID.Value
	}
	return localID, remoteID
}
