package jinja

import (
	"math"
	"math/big"
)

// Python's arithmetic where Go's differs: round() and float ** float.

// pyRound is Python's round(f, n) of a float: the exact value of f rounded
// half to even at 10**-n, then converted back to the nearest float (as
// CPython does through dtoa and strtod).
func pyRound(f float64, n int) float64 {
	if math.IsInf(f, 0) || math.IsNaN(f) || n > 323 {
		return f
	}
	if n < -308 {
		return math.Copysign(0, f)
	}
	r := new(big.Rat).SetFloat64(f)
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(absInt(n))), nil))
	if n >= 0 {
		r.Mul(r, scale)
	} else {
		r.Quo(r, scale)
	}
	q := roundHalfEven(r)
	r.SetInt(q)
	if n >= 0 {
		r.Quo(r, scale)
	} else {
		r.Mul(r, scale)
	}
	out, _ := r.Float64()
	if out == 0 {
		return math.Copysign(0, f)
	}
	return out
}

// roundHalfEven rounds a rational to the nearest integer, ties to even.
func roundHalfEven(r *big.Rat) *big.Int {
	num, den := r.Num(), r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int)) // truncated
	twice := new(big.Int).Abs(m)
	twice.Lsh(twice, 1)
	switch c := twice.Cmp(den); {
	case c > 0, c == 0 && q.Bit(0) == 1:
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

// pyRoundInt is Python's round(i, n) of an int: i itself when n >= 0,
// else rounded half to even at 10**-n.
func pyRoundInt(i, n int) int {
	if n >= 0 {
		return i
	}
	if n < -18 {
		return 0
	}
	p := 1
	for ; n < 0; n++ {
		p *= 10
	}
	q, m := i/p, i%p
	if m < 0 {
		m, q = m+p, q-1 // floor division
	}
	if 2*m > p || 2*m == p && q%2 != 0 {
		q++
	}
	return q * p
}

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
