package apply

import (
	"testing"

	"github.com/vtic/vtic/apply/charon"
)

type (
	charonConn   = charon.Conn
	charonSecret = charon.Secret
)

// inputCharon returns the connections and secrets an input loads.
func inputCharon(t *testing.T, in Input) ([]charon.Conn, []charon.Secret) {
	t.Helper()
	conns, secrets, err := charonOf(in.Host)
	if err != nil {
		t.Fatal(err)
	}
	return conns, secrets
}
