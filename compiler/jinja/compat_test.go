package jinja

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestJinjaCompat renders templates whose expected output was produced by
// Python's Jinja2 (see the generator field of testdata/jinja_compat.json):
// mart must print, compute, scope and fail as Jinja does.
func TestJinjaCompat(t *testing.T) {
	data, err := os.ReadFile("testdata/jinja_compat.json")
	require.NoError(t, err)
	var file struct {
		Cases []struct {
			Template string `json:"template"`
			Output   string `json:"output"`
			Error    string `json:"error"`
		} `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(data, &file))
	e := NewEngine()
	for _, c := range file.Cases {
		t.Run(c.Template, func(t *testing.T) {
			ctx := map[string]any{"d": map[string]any{"a": 1, "b": 2}, "xs": []any{3, 1, 2}}
			tpl, err := e.Parse("models/m.sql", c.Template)
			if err == nil {
				var out string
				out, err = tpl.Render(ctx)
				if c.Error == "" {
					require.NoError(t, err)
					require.Equal(t, c.Output, out)
					return
				}
			}
			if c.Error != "" {
				require.Error(t, err, "Jinja fails with %s", c.Error)
				return
			}
			require.NoError(t, err)
		})
	}
}
