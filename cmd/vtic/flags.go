package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// newFlags returns a flag set that reports errors instead of exiting, with a
// usage text naming the command.
func newFlags(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: vtic %s %s\n\nOptions:\n", name, synopsis)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parse parses flags that may come before or after positional arguments
// (`vtic build DIR -o OUT` as well as `vtic build -o OUT DIR`) and returns the
// positional ones. -h prints usage and ends the command successfully.
func parse(fs *flag.FlagSet, args []string, maxPositional int) ([]string, error) {
	var pos []string
	// The flag package prints the usage on every parse error; only -h
	// should, and bad usage gets the one-line error that run prints.
	usage := fs.Usage
	fs.Usage = func() {}
	defer func() { fs.Usage = usage }()
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage()
				return nil, &exitError{code: 0}
			}
			return nil, usagef("%v", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	if len(pos) > maxPositional {
		return nil, usagef("unexpected argument %q", pos[maxPositional])
	}
	return pos, nil
}
