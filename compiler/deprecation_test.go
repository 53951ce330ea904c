package compiler

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // the zones of TestDeprecationDateAsPythonReadsLocalTimes, wherever the tests run

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A model's deprecation_date (dbt's model governance) is a known property:
// no "unknown property" warning, and manifest.json has it as dbt writes it
// (ISO 8601 with the offset; a date or time without one in the local time
// zone), a version's own over its model's. A value that is no date is an
// error at the entry, as dbt refuses it.
func TestDeprecationDate(t *testing.T) {
	local := func(y int, mo time.Month, d, h, mi, sec, us int) string { // a time without an offset: local
		lt := time.Date(y, mo, d, h, mi, sec, us*1000, time.Local)
		frac := ""
		if us != 0 {
			frac = fmt.Sprintf(".%06d", us)
		}
		return lt.Format("2006-01-02T15:04:05") + frac + lt.Format("-07:00")
	}
	res, diags := compileDiags(t, map[string]string{
		"mart.yml":        "name: p\n",
		"models/a.sql":    "select 1 as id",
		"models/b.sql":    "select 1 as id",
		"models/c.sql":    "select 1 as id",
		"models/d.sql":    "select 1 as id",
		"models/e.sql":    "select 1 as id",
		"models/f.sql":    "select 1 as id",
		"models/g.sql":    "select 1 as id",
		"models/v_v1.sql": "select 1 as id",
		"models/v_v2.sql": "select 2 as id",
		"models/m.yml": `version: 2
models:
  - name: a
    deprecation_date: 2026-06-30
  - name: b
    deprecation_date: 2026-06-30 12:30:00+02:00
  - name: c
    deprecation_date: "2026-06-30T12:30:00.25"
  - name: d
    deprecation_date:
  - name: e
    deprecation_date: 2026-06-30 12:30:00 +02:00
  - name: f
    deprecation_date: 2026-6-3 9:30:00.1234567 -5
  - name: g
    deprecation_date: "2026-06-30 12:30:00Z"
  - name: v
    deprecation_date: 2027-01-01
    versions:
      - v: 1
        deprecation_date: 2026-01-31 08:00:00Z
      - v: 2
`,
	})
	require.NotNil(t, res, "%v", diags)
	assert.Empty(t, diags)
	want := map[string]string{
		"model.p.a":    local(2026, 6, 30, 0, 0, 0, 0),
		"model.p.b":    "2026-06-30T12:30:00+02:00",
		"model.p.c":    local(2026, 6, 30, 12, 30, 0, 250000),
		"model.p.d":    "", // empty: none, as in dbt
		"model.p.e":    "2026-06-30T12:30:00+02:00",
		"model.p.f":    "2026-06-03T09:30:00.123456-05:00", // YAML 1.1's forms, as PyYAML reads them
		"model.p.g":    "2026-06-30T12:30:00+00:00",
		"model.p.v.v1": "2026-01-31T08:00:00+00:00",
		"model.p.v.v2": local(2027, 1, 1, 0, 0, 0, 0),
	}
	for id, date := range want {
		n := res.Manifest.Node(id)
		require.NotNil(t, n, id)
		assert.Equal(t, date, n.DeprecationDate, id)
		b, err := appendNode(nil, n)
		require.NoError(t, err)
		var entry map[string]any
		require.NoError(t, json.Unmarshal(b, &entry))
		if date == "" {
			assert.NotContains(t, entry, "deprecation_date", id)
		} else {
			assert.Equal(t, date, entry["deprecation_date"], id)
		}
	}

	_, diags = compileDiags(t, map[string]string{
		"mart.yml":     "name: p\n",
		"models/a.sql": "select 1 as id",
		"models/m.yml": "version: 2\nmodels:\n  - name: a\n    deprecation_date: next spring\n",
	})
	assert.Equal(t, []string{`models/m.yml:4: error: model "a": deprecation_date next spring is not a date`}, diags)
	// what dbt's YAML parser (PyYAML) takes for a timestamp, and a little
	// more of what it takes from a string; not what Python refuses
	for text, want := range map[string]string{
		"2026-6-3":                    local(2026, 6, 3, 0, 0, 0, 0),
		"2026-06-30T12:30":            local(2026, 6, 30, 12, 30, 0, 0),
		"2026-06-30 12:30:00+0200":    "2026-06-30T12:30:00+02:00",
		"2026-06-30t12:30:00z":        "2026-06-30T12:30:00+00:00",
		"2026-06-30 12:30:00.":        local(2026, 6, 30, 12, 30, 0, 0),
		"2026-06-30 12:30:00.9999999": local(2026, 6, 30, 12, 30, 0, 999999),
		"2026-06-30 12:30:00 +5:30":   "2026-06-30T12:30:00+05:30",
		"2026-06-30 12:30:00-00:00":   "2026-06-30T12:30:00+00:00",
		"0999-01-02":                  local(999, 1, 2, 0, 0, 0, 0),
	} {
		got, ok := deprecationDate(text)
		assert.True(t, ok, text)
		assert.Equal(t, want, got, text)
	}
	for _, bad := range []string{"2026-02-30", "2023-02-29", "2026-06-30 24:00:00", "2026-06-30 12:30:60", "0000-01-01",
		"2026-06-30 12:30:00+24:00", "2026-06-30 12:30:00+99:99", "30.06.2026", "next spring", ""} {
		_, ok := deprecationDate(bad)
		assert.False(t, ok, bad)
	}

	// on a seed it is no property dbt knows
	_, diags = compileDiags(t, map[string]string{
		"mart.yml":    "name: p\n",
		"seeds/s.csv": "id\n1\n",
		"seeds/s.yml": "version: 2\nseeds:\n  - name: s\n    deprecation_date: 2026-06-30\n",
	})
	require.Len(t, diags, 1)
	assert.Contains(t, diags[0], `unknown property "deprecation_date" on seed "s"`)
}

// A deprecation_date without an offset is a time of the local time zone:
// a compile after the zone changed is whole (found by review: a patch
// kept the offset of the zone its snapshot was made in).
func TestPatchAfterTheLocalZoneChanged(t *testing.T) {
	opt, _, _ := raceProject(t)
	p, why := CompileByPatch(opt)
	require.NotNil(t, p, why)
	prev := localZone
	defer func() { localZone = prev }()
	localZone = func() string { return "TZ=Asia/Tokyo" }
	p, why = CompileByPatch(opt)
	require.Nil(t, p)
	assert.Equal(t, "the local time zone changed", why)
}

// A time without an offset is the local time Python's astimezone() makes
// of it (dbt's normalize_date), also where the clock changes: a time it
// skips, one it shows twice, a midnight it skips (a date alone, there, was
// refused: found by review), a local mean time of old. The answers are
// Python 3.11's, under TZ=<zone>.
func TestDeprecationDateAsPythonReadsLocalTimes(t *testing.T) {
	for _, tc := range []struct {
		zone     string
		y, mo, d int
		h, mi    int
		want     string
	}{
		{"Europe/Paris", 2026, 3, 29, 2, 30, "2026-03-29T01:30:00+01:00"},  // skipped
		{"Europe/Paris", 2026, 10, 25, 2, 30, "2026-10-25T02:30:00+02:00"}, // twice: the first
		{"Europe/Paris", 2026, 6, 30, 12, 0, "2026-06-30T12:00:00+02:00"},
		{"Europe/Paris", 1900, 1, 1, 0, 0, "1900-01-01T00:00:00+00:09:21"},
		{"America/Santiago", 2026, 9, 6, 0, 0, "2026-09-05T23:00:00-04:00"}, // midnight skipped
		{"America/Havana", 2026, 3, 8, 0, 0, "2026-03-07T23:00:00-05:00"},
		{"Asia/Beirut", 2026, 3, 29, 0, 0, "2026-03-28T23:00:00+02:00"},
		{"Europe/London", 2026, 3, 29, 1, 30, "2026-03-29T00:30:00+00:00"},
	} {
		loc, err := time.LoadLocation(tc.zone)
		require.NoError(t, err)
		got := pythonLocal(time.Date(tc.y, time.Month(tc.mo), tc.d, tc.h, tc.mi, 0, 0, time.UTC), loc)
		assert.Equal(t, tc.want, isoformat(got, 0), "%s %v", tc.zone, tc)
	}
}
