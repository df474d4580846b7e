package lang

import "github.com/hashicorp/hcl/v2"

// CA is a certificate authority the site's routers trust: every router
// gets its certificate, and a tunnel with auth = "pubkey" accepts only
// certificates it issued.
type CA struct {
	Name      string
	NameRange hcl.Range
	DeclRange hcl.Range

	Cert *CertFile
}

var caSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "cert", Required: true},
	},
}

func (d *decoder) decodeCA(b *hcl.Block) (*CA, hcl.Diagnostics) {
	ca := &CA{Name: b.Labels[0], NameRange: b.LabelRanges[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(caSchema)
	if a, ok := content.Attributes["cert"]; ok {
		var ds hcl.Diagnostics
		ca.Cert, ds = d.certFile(a)
		diags = append(diags, ds...)
	}
	return ca, diags
}
