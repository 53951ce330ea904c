package compiler

import (
	"os"
	"testing"
)

// BenchmarkCompileCold compiles COLD_BENCH_DIR in process with no cache
// and writes nothing (bench/ has the whole-process figures; this one is
// for profiles of the compile itself).
func BenchmarkCompileCold(b *testing.B) {
	dir := os.Getenv("COLD_BENCH_DIR")
	if dir == "" {
		b.Skip("COLD_BENCH_DIR not set")
	}
	b.ReportAllocs()
	for b.Loop() {
		if res, diags := Compile(Options{ProjectDir: dir, InvocationID: "i"}); res == nil {
			b.Fatal(diags)
		}
	}
}

// BenchmarkPatchSnapshot makes the patch snapshot of COLD_BENCH_DIR's
// compile (the part of a cold `mart compile` that serves the next one),
// and BenchmarkEncodeIndex its node index alone.
func BenchmarkPatchSnapshot(b *testing.B) {
	c, files, res := compileForSnapshot(b)
	b.ReportAllocs()
	for b.Loop() {
		if snap, why := c.patchSnapshot(files, res.Manifest, nil); snap == nil {
			b.Fatal(why)
		}
	}
}

func BenchmarkEncodeIndex(b *testing.B) {
	c, _, res := compileForSnapshot(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := encodeIndex(res.Manifest, c.scope); !ok {
			b.Fatal("no index")
		}
	}
}

func compileForSnapshot(b *testing.B) (*compilation, []*projectFile, *Result) {
	dir := os.Getenv("COLD_BENCH_DIR")
	if dir == "" {
		b.Skip("COLD_BENCH_DIR not set")
	}
	var c *compilation
	var files []*projectFile
	compileHook = func(x *compilation) { c, files = x, x.files }
	defer func() { compileHook = nil }()
	res, diags := Compile(Options{ProjectDir: dir, InvocationID: "i", PartialParse: true, PatchSnapshot: true})
	if res == nil {
		b.Fatal(diags)
	}
	<-res.patch.ready
	res.DropPatch() // nothing written: the benchmarks make snapshots of their own
	return c, files, res
}
