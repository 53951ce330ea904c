package freshness

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/mart-dev/mart/compiler"
)

func TestStatus(t *testing.T) {
	hour := &compiler.FreshnessThreshold{Count: 1, Period: "hour"}
	day := &compiler.FreshnessThreshold{Count: 1, Period: "day"}
	both := compiler.Freshness{WarnAfter: hour, ErrorAfter: day}
	for _, tc := range []struct {
		f     compiler.Freshness
		age   time.Duration
		known bool
		want  string
	}{
		{both, 59 * time.Minute, true, StatusPass},
		{both, time.Hour, true, StatusPass}, // "after": an age equal to the threshold is still fresh
		{both, 61 * time.Minute, true, StatusWarn},
		{both, 25 * time.Hour, true, StatusError},
		{both, 0, false, StatusError}, // no rows
		{compiler.Freshness{WarnAfter: hour}, 48 * time.Hour, true, StatusWarn},
		{compiler.Freshness{WarnAfter: hour}, 0, false, StatusWarn},
		{compiler.Freshness{ErrorAfter: day}, 2 * time.Hour, true, StatusPass},
		{both, -time.Hour, true, StatusPass}, // loaded "in the future": clocks differ
	} {
		assert.Equal(t, tc.want, Status(tc.f, tc.age, tc.known), "%+v age %v known %v", tc.f, tc.age, tc.known)
	}
}
