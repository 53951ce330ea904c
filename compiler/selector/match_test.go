package selector

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestConfigMatches(t *testing.T) {
	cases := []struct {
		v    any
		want string
		fold bool
		ok   bool
	}{
		{"table", "table", false, true},
		{"Table", "table", false, false},
		{"WARN", "warn", true, true},
		{true, "TRUE", false, true},
		{false, "true", false, false},
		{[]any{"a", 1, true}, "1", false, true},
		{[]any{"a", 1, true}, "true", false, true},
		{[]string{"a", "b"}, "b", false, true},
		{[]string{"a", "b"}, "c", false, false},
		{map[string]any{"a": 1}, "a", false, false},
		{nil, "", false, false},
		{int64(7), "7", false, true},
		{float32(0.5), "0.5", false, true},
		{uint(3), "3.0", false, true},
		{16, "0x10", false, false},
		{float64(1e3), "1e3", false, true},
		{struct{ X int }{1}, "{1}", false, true},
	}
	for _, c := range cases {
		assert.Equal(t, c.ok, configMatches(c.v, c.want, c.fold), "%#v vs %q", c.v, c.want)
	}
}

func TestValuesEqual(t *testing.T) {
	same := [][2]any{
		{1, float64(1)},
		{map[string]any{"a": []any{1, "x"}}, map[string]any{"a": []any{float64(1), "x"}}},
		{[]string{"a"}, []string{"a"}},
		{map[string]string{"k": "v"}, map[string]string{"k": "v"}},
		{nil, nil},
		{map[string]any(nil), map[string]any{}},
		// as JSON holds them: bytes that are not UTF-8 are U+FFFD; of two
		// keys spelt alike, the last in byte order (as manifest.json
		// writes them, sorted) is kept
		{"caf\xe9", "caf\ufffd"},
		{map[string]any{"a\xe9": 1, "a\xe8": 2}, map[string]any{"a\ufffd": float64(1)}},
		{map[string]string{"k": "v\xff"}, map[string]any{"k": "v\ufffd"}},
		{[]string{"\xe9"}, []any{"\ufffd"}},
	}
	for range 20 { // (map order)
		assert.True(t, valuesEqual(same[len(same)-3][0], same[len(same)-3][1]))
	}
	for _, p := range same {
		assert.True(t, valuesEqual(p[0], p[1]), "%#v == %#v", p[0], p[1])
	}
	differ := [][2]any{
		{1, "1"},
		{map[string]any{"a": 1}, map[string]any{"b": 1}},
		{map[string]any{"a": 1}, map[string]any{"a": 1, "b": 2}},
		{[]any{1}, []any{2}},
		{[]any{1}, "x"},
		{[]string{"a"}, []string{"b"}},
		{map[string]string{"k": "v"}, map[string]string{"k": "w"}},
		{"a", map[string]any{}},
		{true, false},
	}
	for _, p := range differ {
		assert.False(t, valuesEqual(p[0], p[1]), "%#v != %#v", p[0], p[1])
	}
}

func TestDottedFQN(t *testing.T) {
	g := &Graph{Nodes: map[string]*Node{
		"model.p.dim.v2": {Name: "dim", ResourceType: "model", FQN: []string{"p", "marts", "dim.v2"}},
		"model.p.other":  {Name: "other", ResourceType: "model", FQN: []string{"p", "marts", "other"}},
	}}
	for sel, want := range map[string][]string{
		"marts.dim.v2": {"model.p.dim.v2"},
		"marts.dim":    {"model.p.dim.v2"},
		"dim":          {"model.p.dim.v2"},
		"marts.*":      {"model.p.dim.v2", "model.p.other"},
		"p.marts.dim":  {"model.p.dim.v2"},
		"marts.dim.v3": {},
	} {
		got, err := Select(g, []string{sel}, nil, Options{})
		assert.NoError(t, err)
		assert.Equal(t, want, got, sel)
	}
}

func TestGlob(t *testing.T) {
	assert.True(t, compileGlob("a[!b]c").match("axc"))
	assert.False(t, compileGlob("a[!b]c").match("abc"))
	assert.True(t, compileGlob("a[").match("a["), "malformed patterns match literally")
	assert.False(t, compileGlob("a[").match("ab"))
	assert.True(t, compileGlob(`a\*`).match("a*"))
}
