// Package swanctl renders strongSwan's configuration for a router: the
// swanctl connections (conf.d/vtic.conf), the pre-shared keys in a separate
// 0600 file (conf.d/vtic-secrets.conf), and a strongswan.d snippet that stops
// charon from installing routes and from loading the bypass-lan plugin.
//
// The connections and secrets are built as Sections (Connections, Secrets)
// and then written as text; apply turns the same Sections into the VICI
// messages it loads, so the files and what charon holds come from one
// place.
//
// Every value written comes from the compiled plan, where names are
// restricted to [A-Za-z0-9_.-], addresses are parsed and options matched
// against patterns, so nothing can open or close a section. Keys are written
// as 0x-prefixed hex, which needs no quoting whatever bytes they hold.
package swanctl
