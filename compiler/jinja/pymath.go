package jinja

import (
	"math"
	"math/big"
	"sync"
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

// powPrec is the precision pyPow computes in: enough that rounding its
// result to a float64 gives the correctly rounded power (what CPython's
// pow(), the C library's, gives) in all but astronomically rare cases.
const powPrec = 128

// pyPow is Python's float ** float for finite, positive results: Go's
// math.Pow is off in the last digits (1.07 ** 30), so the power is
// computed with big.Float and rounded once. Special values, overflow and
// underflow are math.Pow's.
func pyPow(a, b float64) float64 {
	r := math.Pow(a, b)
	if a == 0 || b == 0 || a == 1 || math.IsInf(r, 0) || math.IsNaN(r) || r == 0 ||
		math.Abs(r) < 0x1p-1022 || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return r
	}
	if b == 0.5 {
		return math.Sqrt(a)
	}
	x := new(big.Float).SetPrec(powPrec).SetFloat64(math.Abs(a))
	var p *big.Float
	if b == math.Trunc(b) && math.Abs(b) <= 1<<31 {
		n := int64(math.Abs(b))
		p = new(big.Float).SetPrec(powPrec).SetInt64(1)
		for sq := x; n > 0; n >>= 1 {
			if n&1 == 1 {
				p.Mul(p, sq)
			}
			if n > 1 {
				sq = new(big.Float).SetPrec(powPrec).Mul(sq, sq)
			}
		}
		if b < 0 {
			p.Quo(new(big.Float).SetPrec(powPrec).SetInt64(1), p)
		}
		if a < 0 && int64(math.Abs(b))&1 == 1 {
			p.Neg(p)
		}
	} else {
		if a < 0 {
			return r
		}
		y := bigLog(x)
		y.Mul(y, new(big.Float).SetPrec(powPrec).SetFloat64(b))
		p = bigExp(y)
	}
	f, _ := p.Float64()
	if math.IsInf(f, 0) || f == 0 {
		return r
	}
	return f
}

var bigLn2 = sync.OnceValue(func() *big.Float {
	two := new(big.Float).SetPrec(powPrec + 32).SetInt64(2)
	return atanhLog(two)
})

// atanhLog is ln(m) = 2 atanh((m-1)/(m+1)), for m near 1.
func atanhLog(m *big.Float) *big.Float {
	prec := m.Prec()
	one := new(big.Float).SetPrec(prec).SetInt64(1)
	num := new(big.Float).SetPrec(prec).Sub(m, one)
	den := new(big.Float).SetPrec(prec).Add(m, one)
	z := new(big.Float).SetPrec(prec).Quo(num, den)
	z2 := new(big.Float).SetPrec(prec).Mul(z, z)
	sum := new(big.Float).SetPrec(prec).Set(z)
	term := new(big.Float).SetPrec(prec).Set(z)
	t := new(big.Float).SetPrec(prec)
	for k := int64(3); k < 4000; k += 2 {
		term.Mul(term, z2)
		t.Quo(term, new(big.Float).SetPrec(prec).SetInt64(k))
		if t.Sign() == 0 || t.MantExp(nil)-sum.MantExp(nil) < -int(prec)-2 {
			break
		}
		sum.Add(sum, t)
	}
	return sum.Mul(sum, new(big.Float).SetPrec(prec).SetInt64(2))
}

// bigLog is ln(x) for x > 0.
func bigLog(x *big.Float) *big.Float {
	prec := uint(powPrec + 32)
	m := new(big.Float).SetPrec(prec)
	e := x.MantExp(m) // x = m * 2**e, m in [0.5, 1)
	if m.Cmp(big.NewFloat(math.Sqrt2/2)) < 0 {
		m.SetMantExp(m, 1)
		e--
	}
	l := atanhLog(m)
	ln2 := new(big.Float).SetPrec(prec).Mul(bigLn2(), new(big.Float).SetPrec(prec).SetInt64(int64(e)))
	return l.Add(l, ln2)
}

// bigExp is e**y, for y of moderate size (a float64's power).
func bigExp(y *big.Float) *big.Float {
	prec := uint(powPrec + 32)
	// y = k ln2 + r, then e**r by Taylor's series of r / 2**16, squared 16 times
	kf, _ := new(big.Float).Quo(y, bigLn2()).Float64()
	k := math.Round(kf)
	r := new(big.Float).SetPrec(prec).Mul(bigLn2(), new(big.Float).SetPrec(prec).SetFloat64(k))
	r.Sub(y, r)
	r.SetMantExp(r, -16)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for n := int64(1); n < 200; n++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(n))
		if term.Sign() == 0 || term.MantExp(nil) < -int(prec)-2 {
			break
		}
		sum.Add(sum, term)
	}
	for i := 0; i < 16; i++ {
		sum.Mul(sum, sum)
	}
	return sum.SetMantExp(sum, int(k))
}

// pyFloatFloorDiv is Python's float //, computed as CPython does (from fmod):
// 1e1 // 0.1 is 99.0, not floor(1e1 / 0.1) = 100.0.
func pyFloatFloorDiv(a, b float64) float64 {
	mod := math.Mod(a, b)
	div := (a - mod) / b
	if mod != 0 && (b < 0) != (mod < 0) {
		div -= 1
	}
	if div == 0 {
		return math.Copysign(0, a/b)
	}
	fd := math.Floor(div)
	if div-fd > 0.5 {
		fd++
	}
	return fd
}
