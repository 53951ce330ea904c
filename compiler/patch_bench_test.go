package compiler

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkCompileByPatch patches the compile of PATCH_BENCH_DIR, a
// project `mart compile --partial-parse` compiled, after appending a
// comment to PATCH_BENCH_FILE each time (bench/ has the whole-process
// figures; this one is for profiles).
func BenchmarkCompileByPatch(b *testing.B) {
	dir, rel := os.Getenv("PATCH_BENCH_DIR"), os.Getenv("PATCH_BENCH_FILE")
	if dir == "" || rel == "" {
		b.Skip("PATCH_BENCH_DIR and PATCH_BENCH_FILE not set")
	}
	f := filepath.Join(dir, rel)
	res, diags := Compile(Options{ProjectDir: dir, InvocationID: "i", PartialParse: true, PatchSnapshot: true})
	if res == nil {
		b.Fatal(diags)
	}
	ids := compiledIDs(res)
	if err := res.WriteTarget(ids); err != nil {
		b.Fatal(err)
	}
	res.KeepPatch(ids, diags, nil, 0)
	for b.Loop() {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(f, append(data, "-- x\n"...), 0o644); err != nil {
			b.Fatal(err)
		}
		if p, why := CompileByPatch(Options{ProjectDir: dir, InvocationID: "i", PartialParse: true}); p == nil {
			b.Fatal(why)
		}
	}
}
