//go:build !unix

package apply

import (
	"errors"
	"fmt"
	"os"
)

// tryLock: vtic apply runs on Linux only; this keeps the package building
// elsewhere.
func tryLock(*os.File) (busy bool, err error) {
	return false, fmt.Errorf("flock: %w", errors.ErrUnsupported)
}
