// Command floor is the baseline vtic build is measured against: it reads
// every file of a site and writes the same number of files and bytes that a
// build wrote, with plain Go file I/O and no parsing or rendering.
//
//	floor -record OUT > shape.txt            # the files an earlier build wrote
//	floor -site DIR -shape shape.txt -o OUT2 # the floor of vtic build
//	floor -site DIR                          # reading only: the floor of vtic validate
//
// docs/perf/measure.sh runs it under /usr/bin/time next to vtic.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/vtic/vtic/internal/testkit/sitegen"
)

func main() {
	record := flag.String("record", "", "print the shape (mode, size, path of every file) of this output tree")
	site := flag.String("site", "", "site directory to read")
	shape := flag.String("shape", "", "shape file from -record")
	out := flag.String("o", "", "output directory to write the shape into (must not exist)")
	flag.Parse()
	if err := run(*record, *site, *shape, *out); err != nil {
		fmt.Fprintf(os.Stderr, "floor: %v\n", err)
		os.Exit(1)
	}
}

func run(record, site, shapeFile, out string) error {
	if record != "" {
		shape, err := sitegen.Shape(record)
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(sitegen.EncodeShape(shape))
		return err
	}
	if site == "" || (shapeFile == "") != (out == "") {
		return fmt.Errorf("usage: floor -record OUT | floor -site DIR [-shape FILE -o OUT]")
	}
	if shapeFile == "" {
		read, err := sitegen.ReadTree(site)
		fmt.Printf("Read %d bytes.\n", read)
		return err
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists", out)
	}
	data, err := os.ReadFile(shapeFile)
	if err != nil {
		return err
	}
	shape, err := sitegen.DecodeShape(data)
	if err != nil {
		return err
	}
	read, err := sitegen.ReadTree(site)
	if err != nil {
		return err
	}
	if err := sitegen.WriteShape(out, shape); err != nil {
		return err
	}
	var written int64
	for _, e := range shape {
		written += e.Size
	}
	fmt.Printf("Read %d bytes, wrote %d files, %d bytes.\n", read, len(shape), written)
	return nil
}
