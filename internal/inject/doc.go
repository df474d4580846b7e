// Package inject holds tests only. They put hostile text into every string a
// site can carry to the routers' files (names, descriptions, interface names,
// options, pre-shared keys from files, the environment and the site, the
// paths and variable names of file() and env()) and check that either
// validation refuses it with the right diagnostic or the real programs read
// back exactly the intended value and nothing more: charon through swanctl,
// vtysh -C, iptables-restore and dash. A property test does the same for
// random valid sites.
package inject
