package main

// rng is a SplitMix64 generator. It is written out here rather than taken
// from math/rand so that the seeds stay byte-for-byte identical across Go
// releases: the committed CSVs and the facts in docs/soda-store.md depend on
// every number it draws.
type rng struct{ state uint64 }

func newRNG(seed uint64, stream string) *rng {
	// Each table draws from its own stream so that changing how one table is
	// generated does not shift the values of the others.
	h := uint64(14695981039346656037)
	for i := 0; i < len(stream); i++ {
		h ^= uint64(stream[i])
		h *= 1099511628211
	}
	return &rng{state: seed ^ h}
}

func (r *rng) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a value in [0, n).
func (r *rng) intn(n int) int {
	if n <= 1 {
		return 0
	}
	return int(r.next() % uint64(n))
}

// between returns a value in [lo, hi].
func (r *rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.intn(hi-lo+1)
}

// float returns a value in [0, 1).
func (r *rng) float() float64 {
	return float64(r.next()>>11) / (1 << 53)
}

func (r *rng) chance(p float64) bool { return r.float() < p }

// weighted returns an index into weights, chosen with probability
// proportional to its weight.
func (r *rng) weighted(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.intn(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }
