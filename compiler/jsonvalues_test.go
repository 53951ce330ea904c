package compiler

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// A capture's hand-written JSON reads back as the capture, as json.Marshal's
// does, with strings JSON escapes (quotes, controls, HTML, invalid UTF-8,
// line separators), nil and empty lists, and missing stubs.
func TestCaptureJSON(t *testing.T) {
	odd := "a\"b\\c\nd\te\x01f<g>&h\u2028i\u2029j é \x00"
	caps := []patchCapture{
		{},
		{Key: "k", Config: json.RawMessage(`{"materialized":"view","x":[1,2.5,"s",null,true]}`)},
		{Key: odd, Config: json.RawMessage(`{}`), Database: odd, Schema: "s", Alias: "a", Relation: `"db"."s"."a"`,
			Stubs: []patchStub{{Key: "ref:x", ID: "model.p.x", Database: "db", Schema: odd, Name: "x"},
				{Key: "source:s.t", Missing: true}},
			Facts: "f00d", Names: []string{odd, ""}, CTEs: []string{}},
		{Key: "k", Stubs: []patchStub{}, Names: []string{}, CTEs: []string{"with x as (select 1)"}},
	}
	for i, pc := range caps {
		want, err := json.Marshal(&pc)
		require.NoError(t, err)
		got := pc.appendJSON(nil)
		require.True(t, json.Valid(got), "capture %d: %s", i, got)
		var a, b patchCapture
		require.NoError(t, json.Unmarshal(want, &a))
		require.NoError(t, json.Unmarshal(got, &b))
		require.Equal(t, a, b, "capture %d", i)
		if pc.Key != odd { // no string needing an escape json.Marshal spells otherwise: the same bytes
			require.Equal(t, string(want), string(got), "capture %d", i)
		}
	}
}

// BenchmarkCaptureJSON: a model's capture as the bench project's are (a
// config of eight keys, two refs).
func BenchmarkCaptureJSON(b *testing.B) {
	pc := patchCapture{Key: "0123456789abcdef0123456789abcdef", Config: json.RawMessage(`{"enabled":true,"alias":"m_1","schema":"main","materialized":"view","tags":["layer_1"],"meta":{},"persist_docs":{},"quoting":{}}`),
		Database: "bench", Schema: "main", Alias: "m_1", Relation: `"bench"."main"."m_1"`,
		Stubs: []patchStub{{Key: "ref:m_0", ID: "model.bench.m_0", Database: "bench", Schema: "main", Name: "m_0"},
			{Key: "ref:m_2", ID: "model.bench.m_2", Database: "bench", Schema: "main", Name: "m_2"}},
		Facts: "0123456789abcdef0123456789abcdef", Names: []string{`"bench"."main"."m_0"`, `"bench"."main"."m_2"`}}
	b.Run("marshal", func(b *testing.B) {
		for b.Loop() {
			json.Marshal(&pc)
		}
	})
	b.Run("append", func(b *testing.B) {
		for b.Loop() {
			pc.appendJSON(nil)
		}
	})
}

// appendFloat spells a finite float64 exactly as encoding/json does, and
// NaN and the infinities, which encoding/json refuses, as strings.
func TestAppendFloat(t *testing.T) {
	floats := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 2.5, 1e20, 1e21, 1e22, 123456789012345678, 1e-6, 1e-7, 1.5e-7,
		-1e-7, 1e-300, 1e300, math.MaxFloat64, math.SmallestNonzeroFloat64, 0.1 + 0.2, 1.0 / 3}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		floats = append(floats, math.Float64frombits(r.Uint64()), r.NormFloat64()*math.Pow(10, float64(r.IntN(60)-30)))
	}
	for _, f := range floats {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		want, err := json.Marshal(f)
		require.NoError(t, err)
		require.Equal(t, string(want), string(appendFloat(nil, f)), "%v", f)
	}
	require.Equal(t, `"nan"`, string(appendFloat(nil, math.NaN())))
	require.Equal(t, `"inf"`, string(appendFloat(nil, math.Inf(1))))
	require.Equal(t, `"-inf"`, string(appendFloat(nil, math.Inf(-1))))
	b, err := json.Marshal(Config{"a": []any{math.NaN(), map[string]any{"b": math.Inf(-1)}}, "c": 1.5})
	require.NoError(t, err)
	require.Equal(t, `{"a":["nan",{"b":"-inf"}],"c":1.5}`, string(b))
}
