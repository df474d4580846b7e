// Package pki makes a small certificate authority and router certificates
// for a site, for labs and small deployments: `vtic pki` writes them under
// the site's pki/ directory, where the site's ca block and the routers'
// cert and key attributes read them with file().
//
// The keys are RSA (see NewKey), written unencrypted with mode 0600: vtic installs them on the routers
// as charon loads them from /etc/swanctl/private. A production authority
// keeps its key offline; this one keeps it in the site directory (never
// commit pki/*.key).
package pki
