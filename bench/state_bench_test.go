package bench

import (
	"path/filepath"
	"testing"

	"github.com/mart-dev/mart/bench/projgen"
	"github.com/mart-dev/mart/compiler"
)

// BenchmarkReadStateManifest10k reads the manifest.json of the compiled
// 10,000-model project (49 MB) as --state reads it (ReadStateManifest:
// its node entries decoded in parallel, without their code) and, for
// comparison, whole (ReadManifest: one encoding/json decode).
func BenchmarkReadStateManifest10k(b *testing.B) {
	mart := martBinary(b)
	dir := project(b, projgen.Options{Models: 10_000, Seed: 1})
	run(b, dir, mart, "compile", "--project-dir", dir)
	file := filepath.Join(dir, "target", "manifest.json")
	for _, r := range []struct {
		name string
		read func(string) (*compiler.Manifest, error)
	}{{"state", compiler.ReadStateManifest}, {"whole", compiler.ReadManifest}} {
		b.Run(r.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m, err := r.read(file)
				if err != nil {
					b.Fatal(err)
				}
				if len(m.Nodes) == 0 {
					b.Fatal("no nodes")
				}
			}
		})
	}
}
