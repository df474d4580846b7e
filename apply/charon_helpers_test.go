package apply

import (
	"testing"

	"github.com/vtic/vtic/apply/charon"
	"github.com/vtic/vtic/targets/swanctl"
)

type (
	charonConn   = charon.Conn
	charonSecret = charon.Secret
)

// parsedCharon returns the connections and secrets of an input.
func parsedCharon(t *testing.T, in Input) ([]charon.Conn, []charon.Secret) {
	t.Helper()
	var conns []charon.Conn
	var secrets []charon.Secret
	for _, f := range in.Files {
		var err error
		switch f.Path {
		case swanctl.ConnsPath:
			conns, err = charon.ParseConns(f.Path, f.Data)
		case swanctl.SecretsPath:
			secrets, err = charon.ParseSecrets(f.Path, f.Data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return conns, secrets
}
