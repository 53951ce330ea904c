package docsite

import "github.com/mart-dev/mart/compiler"

// Input is what a site is made from.
type Input struct {
	// Manifest is the compiled project (required).
	Manifest *compiler.Manifest
	// RunResults is the last run (target/run_results.json); nil when the
	// project has not been run.
	RunResults *RunResults
	// Catalog is what the warehouse says about the relations; nil or
	// empty with --empty-catalog.
	Catalog *Catalog
	// Freshness is the last source freshness check; nil when unknown.
	Freshness *Freshness
}

// Stats says what Generate wrote.
type Stats struct {
	Nodes  int   // pages of models, seeds, snapshots and sources
	Tests  int   // pages of tests and unit tests
	Shards int   // data files of node details (data/n) and of tests (data/t)
	Files  int   // files written
	Bytes  int64 // bytes written
	// FirstPaintBytes is what a browser loads before the first page shows:
	// index.html, the stylesheet, the script and data/index.js.
	FirstPaintBytes int64
}
