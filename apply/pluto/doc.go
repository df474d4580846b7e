// Package pluto drives libreswan's IKE daemon for apply: conns are loaded,
// replaced, brought up and deleted one by one with `ipsec auto`, which
// reads them from /etc/ipsec.conf (and so from the ipsec.d/vtic.conf it
// includes) and talks to pluto over its control socket, and secrets are
// reread with `ipsec auto --rereadsecrets`. A configuration is checked
// with libreswan's own parser (`addconn --checkconfig`) before it is
// installed. Fake records the same operations for apply's unit tests.
package pluto
