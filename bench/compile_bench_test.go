package bench

import (
	"path/filepath"
	"testing"

	"github.com/mart-dev/mart/bench/projgen"
)

// Target: `mart compile` of the 10,000-model project in under 1 s wall and
// 500 MB peak RSS, cold (see README.md).

func BenchmarkCompile1k(b *testing.B) { benchmarkCompile(b, 1_000) }

func BenchmarkCompile10k(b *testing.B) { benchmarkCompile(b, 10_000) }

// benchmarkCompile times `mart compile --project-dir DIR` as a subprocess:
// cold, with target/ (compiled SQL, manifest, any partial-parse cache)
// moved away before each run, and warm, over the previous run's target/.
func benchmarkCompile(b *testing.B, models int) {
	mart := martBinary(b)
	dir := project(b, projgen.Options{Models: models, Seed: 1})
	args := []string{"compile", "--project-dir", dir}

	b.Run("cold", func(b *testing.B) {
		var m metrics
		for b.Loop() {
			b.StopTimer()
			discard(b, filepath.Join(dir, "target"))
			b.StartTimer()
			m.add(run(b, dir, mart, args...))
		}
		m.report(b, 0)
	})
	b.Run("warm", func(b *testing.B) {
		run(b, dir, mart, args...) // leaves target/ for the timed runs
		var m metrics
		for b.Loop() {
			m.add(run(b, dir, mart, args...))
		}
		m.report(b, 0)
	})
}
