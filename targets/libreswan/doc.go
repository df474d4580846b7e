// Package libreswan renders libreswan 4 configuration for a router whose
// IKE daemon is libreswan (ike = "libreswan"): ipsec.d/vtic.conf with one
// conn per enabled tunnel, and ipsec.d/vtic.secrets with their pre-shared
// keys. Debian's /etc/ipsec.conf and /etc/ipsec.secrets include every
// ipsec.d/*.conf and *.secrets, so the system's own files stay untouched.
//
// Each conn is a route-based tunnel the way libreswan builds one on a VTI:
// leftsubnet and rightsubnet are the whole address family (libreswan ≥
// 3.18), mark=N/0xffffffff ties the SA's policies to the VTI whose ikey and
// okey are N, vti-interface names that device and vti-routing=no leaves the
// routes to the BGP daemon. vtic apply creates the device before pluto
// brings the conn up, so libreswan's updown script finds it and only sets
// it up; vti-shared=no because each tunnel has its own device.
//
// Proposals are the preset's (or the tunnel's options'), translated from
// strongSwan's syntax by lang.LibreswanProposals; tunnel options are
// translated by lang.LookupLibreswanOption, and lang refuses what libreswan
// has no equivalent for, so no option the plan holds is dropped.
package libreswan
