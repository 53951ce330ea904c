#!/usr/bin/env bash
# Runs mart's benchmarks with settings sized for a 2-core machine and writes
# the output, plus a summary against our targets, to
# bench/results/<date>-<name>.txt (benchstat reads it as is).
#
#   bench/run.sh [name] [bench-regexp]
#
#   name          label of the results file (default: the short commit hash)
#   bench-regexp  run only the benchmarks matching it, e.g. 'Compile10k'
#                 or 'BuildChain1k|DirectDuckDB1k' (default: all, in two groups)
#
# Environment: COUNT (runs of each benchmark, default 6: benchstat wants at
# least 6 for a confidence interval), BENCHTIME (iterations per run when a
# regexp is given, default 3x), MART_BENCH_MART (a prebuilt mart binary to
# measure instead of building ./cmd/mart).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

name=${1:-$(git rev-parse --short HEAD 2>/dev/null || echo local)}
filter=${2:-}
count=${COUNT:-6}

mkdir -p bench/results
out="bench/results/$(date +%Y-%m-%d)-$name.txt"
if [ -e "$out" ]; then
	out="bench/results/$(date +%Y-%m-%d-%H%M%S)-$name.txt"
fi

{
	echo "# mart benchmarks \"$name\", $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB"
	echo "commit: $(git rev-parse HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD 2>/dev/null || echo -dirty)"
	echo "go-version: $(go env GOVERSION)"
	if [ -n "${MART_BENCH_MART:-}" ]; then echo "mart-binary: $MART_BENCH_MART"; fi
} >"$out"

bench() { # bench REGEXP BENCHTIME
	go test -run '^$' -bench "$1" -benchtime "$2" -count "$count" -timeout 120m ./bench/ 2>&1 | tee -a "$out"
}

if [ -n "$filter" ]; then
	bench "$filter" "${BENCHTIME:-3x}"
else
	# Iterations per run: compiles should take about a second, builds
	# several; -count repeats give benchstat its samples.
	bench '^BenchmarkCompile' 3x
	bench '^Benchmark(BuildChain1k|DirectDuckDB1k|BuildThreads200)$' 2x
	bench '^Benchmark(BuildOneModel1k|DirectOneModel1k)$' 10x
fi

# Means over the -count runs, checked against the targets in README.md.
awk '
/^Benchmark/ {
	name = $1
	sub(/^Benchmark/, "", name)
	sub(/-[0-9]+$/, "", name)
	for (i = 3; i < NF; i += 2) {
		if ($(i + 1) == "ns/op") { sum[name] += $i; n[name]++ }
		if ($(i + 1) == "peak-MB" && $i > peak[name]) peak[name] = $i
	}
}
function mean(k) { return sum[k] / n[k] / 1e9 }
function verdict(ok) { return ok ? "ok" : "MISSED" }
END {
	print ""
	print "# summary (mean wall time over the runs, largest peak RSS)"
	split("Compile1k/cold Compile1k/warm Compile10k/cold Compile10k/warm", compiles, " ")
	for (i = 1; i in compiles; i++) if (compiles[i] in n)
		printf "#   %-28s %7.3f s   %6.0f MB peak\n", compiles[i], mean(compiles[i]), peak[compiles[i]]
	if ("Compile10k/cold" in n)
		printf "#   target: 10k compile < 1 s, < 500 MB: %s\n", verdict(mean("Compile10k/cold") < 1 && peak["Compile10k/cold"] < 500)
	if (("BuildChain1k" in n) && ("DirectDuckDB1k" in n)) {
		r = mean("BuildChain1k") / mean("DirectDuckDB1k")
		printf "#   build / direct DuckDB (1k chain): %.2fx (%.3f s vs %.3f s); target <= 1.2x: %s\n", r, mean("BuildChain1k"), mean("DirectDuckDB1k"), verdict(r <= 1.2)
		printf "#   mart overhead per model: %.2f ms\n", (mean("BuildChain1k") - mean("DirectDuckDB1k")) * 1e3 / 1000 # 1,000 models
	}
	if (("BuildThreads200/threads=1" in n) && ("BuildThreads200/threads=4" in n)) {
		s = mean("BuildThreads200/threads=1") / mean("BuildThreads200/threads=4")
		printf "#   200 models, speedup of threads 4 over 1: %.2fx; target > 1 on 2 cores: %s\n", s, verdict(s > 1)
	}
}' "$out" | tee -a "$out"

echo "wrote $out"
