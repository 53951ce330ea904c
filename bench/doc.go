// Package bench holds mart's performance benchmarks: they drive the real
// mart binary on synthetic projects made by bench/projgen and compare a
// build with replaying the same compiled SQL straight into DuckDB
// (bench/direct). The numbers we hold ourselves to, and how to run and
// compare them, are in bench/README.md; bench/run.sh writes results under
// bench/results/.
//
// Everything here is a benchmark, never a timed test: `go test ./bench/`
// without -bench only checks the generator's determinism and finishes in
// about a second.
package bench
