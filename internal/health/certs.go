package health

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"time"

	"github.com/vtic/vtic/apply"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/lang"
)

// CertStatus is the expiry of one certificate the router's installed plan
// holds: its own and each authority's.
type CertStatus struct {
	Name     string    `json:"name"` // "certificate" or "authority NAME"
	Subject  string    `json:"subject"`
	NotAfter time.Time `json:"not_after"`
	DaysLeft int       `json:"days_left"`
	// Expiring: it expires within lang.ExpiryWarning, or has expired.
	Expiring bool `json:"expiring"`
}

// Certificates reads the certificates of the router's installed plan.
func (r Router) Certificates(now time.Time) ([]CertStatus, error) {
	in, err := apply.FromInstalled(r.Config.Root, r.Host)
	if err != nil {
		return nil, err
	}
	return CertStatuses(in.Host, now)
}

// CertStatuses judges the expiry of a plan's certificates at now.
func CertStatuses(h *compile.Host, now time.Time) ([]CertStatus, error) {
	var out []CertStatus
	add := func(name string, data []byte) error {
		b, _ := pem.Decode(data)
		if b == nil {
			return fmt.Errorf("%s: no PEM certificate in the plan", name)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		left := c.NotAfter.Sub(now)
		out = append(out, CertStatus{Name: name, Subject: c.Subject.String(), NotAfter: c.NotAfter.UTC(),
			DaysLeft: int(left.Hours() / 24), Expiring: left < lang.ExpiryWarning})
		return nil
	}
	if len(h.Cert) > 0 {
		if err := add("certificate", h.Cert); err != nil {
			return nil, err
		}
	}
	for _, ca := range h.CAs {
		if err := add("authority "+ca.Name, ca.PEM); err != nil {
			return nil, err
		}
	}
	return out, nil
}
