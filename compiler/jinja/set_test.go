package jinja

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dbt's set, set_strict, zip, zip_strict, fromjson and fromyaml (its
// base.py): the lenient ones give their default (none unless given)
// where Python raises a TypeError (ValueError, YAMLError), the strict
// ones raise it
func TestDbtSetZipAndDefaults(t *testing.T) {
	e := NewEngine()
	for src, want := range map[string]string{
		"{{ set([1, 1, 2]) }}|{{ set([]) }}|{{ set([1, 2]) | length }}":                 "{1, 2}|set()|2",
		"{{ set(5) }}|{{ set(5, 'd') }}|{{ set([[1]], default=0) }}":                    "None|d|0",
		"{{ set({'a': 1}) }}|{{ set((1, (2, 3))) }}|{{ set([1, 1.0, true]) }}":          "{'a'}|{1, (2, 3)}|{1}",
		"{{ set([1, 2]) == set([2, 1]) }}|{{ set([1]) == [1] }}|{{ 1 in set([1]) }}":    "True|False|True",
		"{{ set([1, 2, 3]) - set([2]) }}|{{ set([1]).union([2], [3]) }}":                "{1, 3}|{1, 2, 3}",
		"{{ set_strict('ab') | sort | join }}":                                          "ab",
		"{{ zip([1, 2], 'ab') | list }}|{{ zip(1) }}|{{ zip(1, default=[]) }}":          "[(1, 'a'), (2, 'b')]|None|[]",
		"{{ zip_strict([1], [2, 3]) | list }}":                                          "[(1, 2)]",
		"{{ fromjson('[1') }}|{{ fromjson('[1', 'x') }}|{{ fromjson('{', default=2) }}": "None|x|2",
		"{{ fromyaml('{') }}|{{ fromyaml('{', default=2) }}|{{ fromyaml('a: 1').a }}":   "None|2|1",
	} {
		assert.Equal(t, want, render(t, e, src, nil), src)
	}
	for src, msg := range map[string]string{
		"{{ set_strict(5) }}":      "'int' object is not iterable",
		"{{ set_strict([[1]]) }}":  "unhashable type: 'list'",
		"{{ zip_strict(1, [2]) }}": "'int' object is not iterable",
	} {
		tpl, err := e.Parse("m.sql", src)
		require.NoError(t, err)
		_, err = tpl.Render(nil)
		require.ErrorContains(t, err, msg, src)
	}
}
