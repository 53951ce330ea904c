package jinja

import "testing"

// fix48Cases are templates with the output Python's Jinja2 3.1.6 gives them
// (dbt's tojson global as dbt defines it: json.dumps(v, sort_keys=False)),
// beyond the differential cases of TestJinjaDiff48.
var fix48Cases = []struct{ src, want string }{
	{"{{ tojson({'z': 1, 'a': [1.0, \"é<&>'\\\"\", none, true]}) }}", "{\"z\": 1, \"a\": [1.0, \"\\u00e9<&>'\\\"\", null, true]}"},
	{"{{ tojson({'z': 1, 'a': 2}, sort_keys=true) }}", "{\"a\": 2, \"z\": 1}"},
	{"{{ {'z': {'b': [], 'a': {}}, 'a': [1, 2]}|tojson(2) }}", "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"z\": {\n    \"a\": {},\n    \"b\": []\n  }\n}"},
	{"{{ {'z': 1}|tojson(0) }}", "{\n\"z\": 1\n}"},
	{"{{ ['😀\tx']|tojson }}", "[\"\\ud83d\\ude00\\tx\"]"},
	{"{{ {'b': 1, 'a': 2}|tojson }}|{{ [1.5e-5, 100.0, -0.0]|tojson }}", "{\"a\": 2, \"b\": 1}|[1.5e-05, 100.0, -0.0]"},
	{"x {# c #}{{- 1 }}", "x 1"},
	{"x {# c #} {{- 1 }}", "x 1"},
	{"x {# c -#} {{- 1 }}", "x 1"},
	{"x {# c -#} {%- if 1 %}y{% endif %}", "x y"},
	{"x {{ 2 -}} {{- 1 }}", "x 21"},
	{"x {{ 2 -}}  {#- c #}z", "x 2z"},
	{"x {%- if 1 -%} {%- endif %}z", "xz"},
	{"x {# c -#}\n{#- d #}z", "x z"},
}

func TestJinjaFix48(t *testing.T) {
	e := NewEngine()
	for _, c := range fix48Cases {
		got, err := diff48Render(e, c.src)
		if err != nil || got != c.want {
			t.Errorf("%q:\n got  %q %v\n want %q", c.src, got, err, c.want)
		}
	}
}
