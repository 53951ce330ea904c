package projgen

// rng is a splitmix64 generator. We keep our own instead of math/rand so a
// given Options.Seed yields byte-identical projects on every Go release, and
// results recorded under bench/results/ stay comparable over time.
type rng struct{ state uint64 }

// newRNG returns the generator for one stream (one model, the seed file...)
// of a project: independent streams let files be rendered in any order, or
// in parallel, with the same bytes as a result.
func newRNG(seed int64, stream uint64) *rng {
	r := &rng{state: uint64(seed)*0x9e3779b97f4a7c15 ^ stream*0xd1b54a32d192ed03}
	r.next() // spread the seed's low bits before the first use
	return r
}

func (r *rng) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n); n must be positive. The modulo bias is
// irrelevant for the small n used here.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// chance reports true with the given probability, in percent.
func (r *rng) chance(percent int) bool { return r.intn(100) < percent }
