package bad

import (
	hcl2 "github.com/hashicorp/hcl/v2"
)

func aliased(what string) *hcl2.Diagnostic {
	if what == "" {
		return &hcl2.Diagnostic{Summary: "Missing mark"}
	}
	return &hcl2.Diagnostic{Summary: "Missing " + what} // FLAG
}
