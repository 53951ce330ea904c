package compiler

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/stretchr/testify/require"
)

// TestPythonModulesCompat renders templates whose expected output Python
// produced (testdata/python_modules.py): run_started_at, modules.datetime
// and modules.pytz, set, zip, fromjson and fromyaml print, compute and
// fail as in dbt.
func TestPythonModulesCompat(t *testing.T) {
	data, err := os.ReadFile("testdata/python_modules.json")
	require.NoError(t, err)
	var file struct {
		Cases []struct {
			Template string `json:"template"`
			Output   string `json:"output"`
			Error    string `json:"error"`
		} `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(data, &file))
	e := jinja.NewEngine()
	ctx := map[string]any{"modules": modulesValue, "run_started_at": runStartedAt("2024-01-02 03:04:05.123456+00:00")}
	for _, c := range file.Cases {
		t.Run(c.Template, func(t *testing.T) {
			tpl, err := e.Parse("models/m.sql", c.Template)
			require.NoError(t, err)
			out, err := tpl.Render(ctx)
			if c.Error != "" {
				require.Error(t, err, "Python fails with %s", c.Error)
				require.Contains(t, err.Error(), c.Error)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.Output, out)
		})
	}
}

// run_started_at is the datetime Options.RunStartedAt names, in UTC;
// printed as Python prints it (no fraction when it has no microseconds)
func TestRunStartedAtValue(t *testing.T) {
	for in, want := range map[string]string{
		"2026-01-01 00:00:00.000000+00:00": "2026-01-01 00:00:00+00:00",
		"2026-01-01 00:00:00":              "2026-01-01 00:00:00+00:00",
		"2026-01-01T02:00:00.5+02:00":      "2026-01-01 00:00:00.500000+00:00",
		"t":                                "t",
	} {
		require.Equal(t, want, jinja.Str(runStartedAt(in)), in)
	}
	d := Options{}.withDefaults().RunStartedAt
	v, ok := runStartedAt(d).(pyDateTime)
	require.True(t, ok, d)
	require.Equal(t, pytzUTC, v.tz)
	require.True(t, strings.HasSuffix(jinja.Str(v), "+00:00"))
}

// pytz's own behaviour, which the Python generator does not stand in for:
// a localized datetime keeps its offset through arithmetic until
// normalize(); str() of a zone is its name; dbt's modules export neither
// pytz.UTC nor datetime.timezone (pytz.__all__, get_datetime_module_context)
func TestPytzBehaviour(t *testing.T) {
	e := jinja.NewEngine()
	render := func(src string) (string, error) {
		tpl, err := e.Parse("m.sql", src)
		require.NoError(t, err)
		return tpl.Render(map[string]any{"modules": modulesValue})
	}
	for src, want := range map[string]string{
		"{% set tz = modules.pytz.timezone('Europe/Paris') %}{% set d = tz.localize(modules.datetime.datetime(2024, 3, 30, 12)) + modules.datetime.timedelta(days=1) %}{{ d }}|{{ tz.normalize(d) }}|{{ d.tzname() }}": "2024-03-31 12:00:00+01:00|2024-03-31 13:00:00+02:00|CET",
		"{{ modules.pytz.timezone('Europe/Paris') }}|{{ modules.pytz.timezone('Europe/Paris').zone }}|{{ modules.pytz.timezone('utc') }}":                                                                              "Europe/Paris|Europe/Paris|UTC",
		"{{ modules.pytz.UTC is defined }}|{{ modules.datetime.timezone is defined }}":                                                                                                                                 "False|False",
		"{{ modules.pytz.utc.localize(modules.datetime.datetime(2024, 1, 2)).astimezone(modules.pytz.FixedOffset(90)) }}":                                                                                              "2024-01-02 01:30:00+01:30",
	} {
		got, err := render(src)
		require.NoError(t, err, src)
		require.Equal(t, want, got, src)
	}
	for src, msg := range map[string]string{
		"{{ modules.pytz.timezone('Nowhere/City') }}":                                                     "UnknownTimeZoneError: 'Nowhere/City'",
		"{{ modules.pytz.utc.localize(modules.datetime.datetime(2024, 1, 2, tzinfo=modules.pytz.utc)) }}": "Not naive datetime (tzinfo is already set)",
	} {
		_, err := render(src)
		require.ErrorContains(t, err, msg, src)
	}
}
