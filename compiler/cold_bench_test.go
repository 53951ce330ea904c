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
