// Package charon loads a router's IPsec connections and pre-shared keys
// into strongSwan's charon over VICI, one connection at a time.
//
// Why not `swanctl --load-all`: it re-sends every connection, and loading a
// connection whose children have start_action = start replaces the loaded
// one, which tears down its established SAs and initiates them again. So
// apply takes the sections the swanctl target builds from the plan (the
// same ones it writes as swanctl.conf text), turns each connection and
// secret into the VICI message swanctl would send for that text (see Conns
// and Secrets), and loads only those whose message changed.
// A Conn's Hash identifies its message, so the caller can tell which
// changed since the last apply without asking charon.
//
// Charon is the small interface the orchestrator needs; VICI is the real
// daemon and Fake an in-memory one that records every write as a line of
// text (see Fake.Transcript).
//
// Loading a connection whose start_action includes start makes charon
// initiate it right away, so there is no separate initiate step (the
// responder end of a tunnel between routers has none and waits).
//
// A charon that is not running fails every call with ErrNotRunning; Start
// starts it the way the router runs it (StartAuto: Debian's
// strongswan.service under systemd, else charon-systemd or charon in the
// background followed by swanctl --load-all), and HowToStart says how, or
// why it cannot, before anything is changed.
package charon
