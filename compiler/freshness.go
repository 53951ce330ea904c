package compiler

import (
	"fmt"
	"slices"
	"time"
)

// Freshness is a source table's freshness check (`mart source freshness`),
// in dbt's shape: how old the newest loaded_at_field value may be before
// the source warns or errors, and a filter on the rows looked at.
type Freshness struct {
	WarnAfter  *FreshnessThreshold `json:"warn_after,omitempty"`
	ErrorAfter *FreshnessThreshold `json:"error_after,omitempty"`
	Filter     string              `json:"filter,omitempty"`
}

// FreshnessThreshold is an age such as {count: 12, period: hour}.
type FreshnessThreshold struct {
	Count  int    `json:"count"`
	Period string `json:"period"`
}

// freshnessPeriods are the periods dbt accepts.
var freshnessPeriods = []string{"minute", "hour", "day"}

// Duration is the threshold as a duration.
func (t FreshnessThreshold) Duration() time.Duration {
	unit := map[string]time.Duration{"minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour}[t.Period]
	return time.Duration(t.Count) * unit
}

// freshnessOf merges a source's and a table's freshness: blocks: the
// table's keys win, and a table's `freshness: null` turns the check off.
func (c *compilation) freshnessOf(file string, s *propSource, t *propTable) *Freshness {
	if t.FreshnessAt > 0 && t.Freshness == nil {
		return nil
	}
	var out *Freshness
	for _, b := range []struct {
		v    any
		line int
	}{{s.Freshness, s.FreshnessAt}, {t.Freshness, t.FreshnessAt}} {
		if b.v == nil {
			continue
		}
		m, ok := b.v.(map[string]any)
		if !ok {
			c.addDiag(errorf(file, b.line, 0, "freshness: expected a mapping such as {warn_after: {count: 12, period: hour}}, got %v", b.v))
			continue
		}
		if out == nil {
			out = &Freshness{}
		}
		if err := out.merge(m); err != nil {
			c.addDiag(errorf(file, b.line, 0, "freshness: %v", err))
		}
	}
	if out != nil && out.WarnAfter == nil && out.ErrorAfter == nil {
		return nil // nothing to check, as in dbt
	}
	return out
}

// merge applies the keys of a freshness: mapping.
func (f *Freshness) merge(m map[string]any) error {
	for _, k := range sortedKeys(m) {
		switch k {
		case "warn_after", "error_after":
			th, err := parseThreshold(m[k])
			if err != nil {
				return fmt.Errorf("%s: %v", k, err)
			}
			if k == "warn_after" {
				f.WarnAfter = th
			} else {
				f.ErrorAfter = th
			}
		case "filter":
			if m[k] != nil {
				f.Filter = fmt.Sprint(m[k])
			}
		default:
			return fmt.Errorf("unknown key %q (expected warn_after, error_after or filter)", k)
		}
	}
	return nil
}

func parseThreshold(v any) (*FreshnessThreshold, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("expected {count: N, period: minute|hour|day}, got %v", v)
	}
	n, err := wholeNumber(m["count"])
	if err != nil || n < 1 {
		return nil, fmt.Errorf("count: expected a whole number of at least 1, got %v", m["count"])
	}
	p, _ := m["period"].(string)
	if !slices.Contains(freshnessPeriods, p) {
		return nil, fmt.Errorf("period: expected minute, hour or day, got %v", m["period"])
	}
	return &FreshnessThreshold{Count: n, Period: p}, nil
}
