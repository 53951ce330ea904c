package bench

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/mart-dev/mart/bench/projgen"
)

// Targets: `mart build` of the 1,000-model chain within 1.2x of
// BenchmarkDirectDuckDB1k (per-model overhead in the low milliseconds), and
// BenchmarkBuildThreads200 faster with 4 threads than with 1.

// chain1k is a linear chain of tables: no two models can run at once, so
// the difference with the direct replay is mart's own per-model cost.
var chain1k = projgen.Options{Models: 1_000, Seed: 1, Chain: true, Materialized: "table"}

func BenchmarkBuildChain1k(b *testing.B) { benchmarkBuild(b, chain1k, 1) }

func BenchmarkBuildThreads200(b *testing.B) {
	opt := projgen.Options{Models: 200, Seed: 1}
	for _, threads := range []int{1, 4} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			benchmarkBuild(b, opt, threads)
		})
	}
}

// benchmarkBuild times `mart build --project-dir DIR --threads N` into a
// fresh database each run. One untimed build first checks the project
// builds and leaves what a warm parse would find, as in a user's repo.
func benchmarkBuild(b *testing.B, opt projgen.Options, threads int) {
	mart := martBinary(b)
	dir := project(b, opt)
	args := []string{"build", "--project-dir", dir, "--threads", strconv.Itoa(threads)}
	discardDatabases(b, dir)
	run(b, dir, mart, args...)
	var m metrics
	for b.Loop() {
		b.StopTimer()
		discardDatabases(b, dir)
		b.StartTimer()
		m.add(run(b, dir, mart, args...))
	}
	m.report(b, opt.Models)
}

// BenchmarkDirectDuckDB1k is the baseline of BenchmarkBuildChain1k: the
// statements `mart compile` produced for the same project, executed one
// after another by bench/cmd/directduckdb (database/sql and duckdb-go in
// one process) into a fresh database. It runs as a subprocess like mart, so
// both pay process start, DuckDB open and the final checkpoint.
func BenchmarkDirectDuckDB1k(b *testing.B) {
	mart := martBinary(b)
	dir := project(b, chain1k)
	run(b, dir, mart, "compile", "--project-dir", dir)
	replay, err := buildBinary(b, "bench/cmd/directduckdb")
	if err != nil {
		b.Fatal(err)
	}
	dbRoot := filepath.Join(scratchDir(b), "direct-db")
	var m metrics
	for b.Loop() {
		b.StopTimer()
		dbDir := filepath.Join(dbRoot, strconv.Itoa(m.runs))
		discard(b, dbDir)
		b.StartTimer()
		m.add(run(b, dir, replay, "-project-dir", dir, "-db-dir", dbDir))
	}
	m.report(b, chain1k.Models)
}
