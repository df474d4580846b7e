package testdaemon

// prefixed returns prefix followed by args, in a new slice.
func prefixed(prefix []string, args ...string) []string {
	return append(append([]string{}, prefix...), args...)
}
