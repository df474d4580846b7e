// Package install writes a router's files under a root directory so that a
// reader never sees a half-written file and a crash never leaves one: each
// file is written to a temporary file in its own directory, synced, given
// its mode and owner, renamed over the old one, and the directory is synced.
//
// Every change returns a Backup of what was there before, held in memory,
// so the caller can put the old bytes, mode and owner back if a later step
// fails.
//
// Ownership: a secret file is always root's (uid 0, gid 0); a file that
// exists keeps its owner; a new file takes the owner and group of its
// directory, so that files in /etc/frr (frr:frr on Debian) stay readable by
// FRR's daemons, which drop root before reading their configuration.
// Owners are only changed when running as root.
//
// Nothing under the root is reached through a symbolic link: every file and
// directory is opened with openat2(2) beneath the root with
// RESOLVE_NO_SYMLINKS (Linux 5.6 or later; see beneath_linux.go for why
// not os.Root), so a link planted as a file or as one of its directories
// is refused, and nothing outside the root is read, written or removed.
package install
