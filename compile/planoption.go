package compile

import "github.com/vtic/vtic/lang"

// Option sections, the values of Option.Section: where in a swanctl
// connection an option belongs. They are lang's names, repeated here so
// that renderers need nothing but this package.
const (
	SectionConn  = lang.SectionConn  // connections.<name>
	SectionChild = lang.SectionChild // connections.<name>.children.<name>
)
