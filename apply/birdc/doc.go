// Package birdc drives BIRD 2 for apply: a configuration is checked with
// `bird -p -c FILE` (BIRD's own parser, changing nothing) before it is
// installed, and the running BIRD is told to read its installed file with
// `birdc configure`, which BIRD applies protocol by protocol, restarting
// only the protocols whose configuration changed. Fake records the same
// operations for apply's unit tests.
package birdc
