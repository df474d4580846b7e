package charon

import "context"

// Charon is what apply needs of the IKE daemon. Reads (Conns, Shared) never
// change anything; every other method is a write.
type Charon interface {
	// Conns lists the names of the loaded connections (get-conns).
	Conns(ctx context.Context) ([]string, error)
	// Shared lists the unique ids of the loaded shared secrets
	// (get-shared).
	Shared(ctx context.Context) ([]string, error)
	// LoadConn loads or replaces a connection (load-conn).
	LoadConn(ctx context.Context, c Conn) error
	// UnloadConn unloads a connection and closes its SAs (unload-conn).
	UnloadConn(ctx context.Context, name string) error
	// LoadShared loads or replaces a shared secret (load-shared).
	LoadShared(ctx context.Context, s Secret) error
	// LoadCred loads an authority's certificate (load-cert) or a private
	// key (load-key). Nothing unloads them: a certificate or key grants
	// nothing without a connection that uses it, and charon drops them
	// when it restarts.
	LoadCred(ctx context.Context, c Cred) error
	// UnloadShared unloads a shared secret (unload-shared).
	UnloadShared(ctx context.Context, id string) error
	// Restart restarts the daemon, so that it reads its settings (such as
	// which plugins to load) again, and returns once it answers on VICI.
	// Everything loaded over VICI is lost, unless the service loads the
	// files on start as Debian's strongswan.service does.
	Restart(ctx context.Context) error
	// Start starts a charon that is not running (its reads and writes
	// fail with ErrNotRunning) the way the router runs it, and returns
	// once it answers on VICI.
	Start(ctx context.Context) error
	// HowToStart says how Start would start charon, for the plan
	// ("systemctl start strongswan"). It changes nothing. Its error says
	// why Start cannot, in a phrase that names what to start by hand.
	HowToStart(ctx context.Context) (string, error)
}
