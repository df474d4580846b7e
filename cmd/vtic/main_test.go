package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run this test binary as the real vtic command:
// scripts exec "vtic" as a separate process with its own arguments,
// environment, exit code and output streams.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"vtic": func() { os.Exit(runMain(os.Args[1:])) },
	})
}

// TestScripts runs the CLI scripts in testdata/script. $EXAMPLES points at
// the shipped examples.
func TestScripts(t *testing.T) {
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       os.Getenv("VTIC_UPDATE") == "1",
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			e.Setenv("EXAMPLES", examples)
			e.Setenv("AWS_SAMPLE", filepath.Join(examples, "..", "internal", "awsimport", "testdata", "aws23_dev2lab23gw02.txt"))
			return nil
		},
	})
}
