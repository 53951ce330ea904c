// Command genproject writes a synthetic mart project with bench/projgen:
//
//	go run ./bench/cmd/genproject -n 10000 -out /tmp/p10k [-chain] [-seed 1]
//
// It prints what it wrote and how long it took.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mart-dev/mart/bench/projgen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("genproject", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opt projgen.Options
	out := fs.String("out", "", "project directory to write (must be new, empty, or an earlier genproject output)")
	fs.IntVar(&opt.Models, "n", 1000, "number of models")
	fs.Int64Var(&opt.Seed, "seed", 1, "random seed; the same seed gives the same project")
	fs.IntVar(&opt.Layers, "layers", 0, "number of model layers (0: default)")
	fs.IntVar(&opt.MacrosFiles, "macros-files", 0, "number of macros/*.sql files (0: default, <0: none)")
	fs.StringVar(&opt.Materialized, "materialized", "", `"view" or "table" for every model; empty for the default mix`)
	fs.BoolVar(&opt.Chain, "chain", false, "make a linear chain: each model refs only the previous one")
	fs.BoolVar(&opt.Package, "package", false, "install a package whose dispatched macro every model calls")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: genproject -n N -out DIR [-chain] [-seed S] [-layers L] [-macros-files F] [-materialized view|table]")
		return 2
	}
	start := time.Now()
	if err := projgen.Generate(*out, opt); err != nil {
		fmt.Fprintln(stderr, "genproject:", err)
		return 1
	}
	kind := "fan-in"
	if opt.Chain {
		kind = "chain"
	}
	fmt.Fprintf(stdout, "wrote %d-model %s project to %s in %s\n", opt.Models, kind, *out, time.Since(start).Round(time.Millisecond))
	return 0
}
