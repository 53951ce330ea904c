package extract

import (
	"context"
	"time"
)

// throttle paces rows to at most rate a second (max_rows_per_second),
// sleeping the reading goroutine: a source streaming to us then waits on
// its socket, which is the gentlest back-pressure there is.
type throttle struct {
	rate  float64
	start time.Time
	n     int64
}

func newThrottle(rate float64) *throttle {
	if rate <= 0 {
		return nil
	}
	return &throttle{rate: rate, start: time.Now()}
}

// row counts one row and sleeps when the run is ahead of its rate. It
// checks the clock every 64 rows.
func (t *throttle) row(ctx context.Context) error {
	if t == nil {
		return nil
	}
	t.n++
	if t.n%64 != 0 && t.rate > 64 {
		return nil
	}
	due := t.start.Add(time.Duration(float64(t.n) / t.rate * float64(time.Second)))
	wait := time.Until(due)
	if wait <= 0 {
		return nil
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
