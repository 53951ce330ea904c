package selector

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Review scenarios of YAML selectors against what dbt selects
// (core/dbt/graph/cli.py parse_dict_definition / parse_union_definition,
// selector_spec.py selection_criteria_from_dict, selector.py
// expand_selection / incorporate_indirect_nodes).

// reviewGraph: src.raw and seed s; a <- s; b <- a; c <- b; d <- a; off
// (disabled) <- a. Tests: t_ua on a, t_nb on b, t_rel_cd on c and d,
// t_src_a on the source src.raw and a (a relationships test of a source
// column to a model).
func reviewGraph() *Graph {
	g := &Graph{Nodes: map[string]*Node{}}
	add := func(n *Node) { g.Nodes[n.UniqueID] = n }
	add(&Node{UniqueID: "source.p.src.raw", Name: "raw", ResourceType: "source", Path: "models/schema.yml",
		FQN: []string{"p", "src", "raw"}, SourceName: "src", Package: "p", Config: map[string]any{"enabled": true}})
	add(&Node{UniqueID: "seed.p.s", Name: "s", ResourceType: "seed", Path: "seeds/s.csv",
		FQN: []string{"p", "s"}, Package: "p", Config: map[string]any{"materialized": "seed"}})
	m := func(name string, cfg map[string]any, deps ...string) {
		c := map[string]any{"materialized": "view", "enabled": true}
		for k, v := range cfg {
			c[k] = v
		}
		add(&Node{UniqueID: "model.p." + name, Name: name, ResourceType: "model", Path: "models/" + name + ".sql",
			FQN: []string{"p", name}, Package: "p", Config: c, DependsOn: deps})
	}
	m("a", nil, "seed.p.s")
	m("b", nil, "model.p.a")
	m("c", nil, "model.p.b")
	m("d", map[string]any{"tags": []any{"t"}}, "model.p.a")
	m("off", map[string]any{"enabled": false}, "model.p.a")
	tst := func(name string, deps ...string) {
		add(&Node{UniqueID: "test.p." + name + ".0123456789", Name: name, ResourceType: "test",
			Path: "models/schema.yml", FQN: []string{"p", name}, Package: "p", TestType: "generic",
			Config: map[string]any{"severity": "error"}, DependsOn: deps})
	}
	tst("t_ua", "model.p.a")
	tst("t_nb", "model.p.b")
	tst("t_rel_cd", "model.p.c", "model.p.d")
	tst("t_src_a", "source.p.src.raw", "model.p.a")
	return g
}

// reviewNames turns unique ids into node names, sorted.
func reviewNames(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		parts := strings.Split(id, ".")
		switch parts[0] {
		case "test":
			out[i] = parts[2]
		case "source":
			out[i] = parts[2] + "." + parts[3]
		default:
			out[i] = parts[len(parts)-1]
		}
	}
	slices.Sort(out)
	return out
}

func reviewSelect(t *testing.T, defsText string, include, exclude []string, tests bool) []string {
	t.Helper()
	defs, err := parseDefs(t, defsText)
	require.NoError(t, err)
	ids, err := Select(reviewGraph(), include, exclude, Options{IndirectTests: tests, Selectors: defs})
	require.NoError(t, err)
	return reviewNames(ids)
}

// dbt's docs: "The exclude keyword is only supported by fully-qualified
// dictionaries. It may be passed as an argument to each dictionary, or as
// an item in a union." (parse_dict_definition: method and value with an
// exclude is a SelectionDifference). mart refuses the first form.
func TestReviewFullFormExclude(t *testing.T) {
	const defs = `
selectors:
  - name: full
    definition:
      method: path
      value: models
      exclude:
        - d
  - name: as_union
    definition:
      union:
        - method: path
          value: models
        - exclude:
            - d
`
	_, err := parseDefs(t, defs)
	require.NoError(t, err, "dbt accepts exclude: in a method/value definition")
	assert.Equal(t, reviewSelect(t, defs, []string{"selector:as_union"}, nil, true),
		reviewSelect(t, defs, []string{"selector:full"}, nil, true))
}

// dbt: parents=bool(dct.get("parents")), children=bool(dct.get("children"));
// a depth alone selects no parents or children ("parents_depth: 1 # if
// parents: true, degrees to include").
func TestReviewDepthWithoutParentsOrChildren(t *testing.T) {
	const defs = `
selectors:
  - name: pd
    definition:
      method: fqn
      value: c
      parents_depth: 1
  - name: cd
    definition:
      method: fqn
      value: a
      children_depth: 1
  - name: pd_false
    definition:
      method: fqn
      value: c
      parents: false
      parents_depth: 1
`
	assert.Equal(t, []string{"c"}, reviewSelect(t, defs, []string{"selector:pd"}, nil, false), "parents_depth without parents: true")
	assert.Equal(t, []string{"a"}, reviewSelect(t, defs, []string{"selector:cd"}, nil, false), "children_depth without children: true")
	assert.Equal(t, []string{"c"}, reviewSelect(t, defs, []string{"selector:pd_false"}, nil, false), "parents: false, parents_depth: 1")
}

// dbt: `method: selector` returns the named selector's definition as it
// is; its docs: "selector inheritance ... doesn't allow the logic from
// that selector to be modified by means of parents, children,
// indirect_selection, and so on".
func TestReviewSelectorMethodModifiers(t *testing.T) {
	const defs = `
selectors:
  - name: sa
    definition: a
  - name: sa_children
    definition:
      method: selector
      value: sa
      children: true
`
	assert.Equal(t, reviewSelect(t, defs, []string{"selector:sa"}, nil, true),
		reviewSelect(t, defs, []string{"selector:sa_children"}, nil, true))
}

// dbt's buildable mode: selected_and_parents = selected | their parents
// | every source (expand_selection), so a relationships test from a
// source column to a selected model is selected.
func TestReviewBuildableSourceParent(t *testing.T) {
	const defs = `
selectors:
  - name: bld
    definition:
      method: fqn
      value: a
      indirect_selection: buildable
`
	assert.Equal(t, []string{"a", "t_src_a", "t_ua"}, reviewSelect(t, defs, []string{"selector:bld"}, nil, true))
}

// An intersection does not depend on the order of its members: narrow()
// adds eager tests to what a selector: atom matched, evalAtom does not.
func TestReviewIntersectionWithSelectorCommutes(t *testing.T) {
	const defs = `
selectors:
  - name: cc
    definition:
      method: fqn
      value: c
      indirect_selection: cautious
`
	a := reviewSelect(t, defs, []string{"selector:cc,c"}, nil, true)
	b := reviewSelect(t, defs, []string{"c,selector:cc"}, nil, true)
	assert.Equal(t, a, b, "selector:cc,c against c,selector:cc")
}

// --exclude takes the tests of what it excludes along, whatever the
// command's indirect selection (Select evaluates exclusions with tests):
// --exclude selector:sa (sa: a) must exclude what --exclude a excludes.
// With IndirectTests off (mart compile, clone, diff, show, source
// freshness) the selector's tests stay.
func TestReviewExcludedSelectorTakesItsTests(t *testing.T) {
	const defs = `
selectors:
  - name: sa
    definition: a
`
	for _, tests := range []bool{true, false} {
		byName := reviewSelect(t, defs, nil, []string{"a"}, tests)
		bySelector := reviewSelect(t, defs, nil, []string{"selector:sa"}, tests)
		assert.Equal(t, byName, bySelector, "IndirectTests %v", tests)
	}
}

// dbt reads selectors.yml as YAML 1.1 (PyYAML): `default: yes` is true.
func TestReviewDefaultYes(t *testing.T) {
	defs, err := parseDefs(t, "selectors:\n  - name: a\n    default: yes\n    definition: a\n")
	require.NoError(t, err)
	require.NotNil(t, defs.Default())
	assert.Equal(t, "a", defs.Default().Name)
}

// --- scenarios that agree with dbt ---

func TestReviewSelectorsAgree(t *testing.T) {
	const defs = `
selectors:
  - name: sa
    definition: a
  - name: cautious_union
    definition:
      union:
        - method: fqn
          value: c
          indirect_selection: cautious
        - method: fqn
          value: d
          indirect_selection: cautious
  - name: cautious_b
    definition:
      method: fqn
      value: b
      indirect_selection: cautious
  - name: off
    definition: "off+"
  - name: nested
    definition:
      union:
        - intersection:
            - "+c"
            - exclude:
                - s
        - method: fqn
          value: d
          children: true
        - exclude:
            - union:
                - selector:sa
  - name: exclude_empty
    definition:
      union:
        - a
        - b
        - exclude:
            - method: fqn
              value: a
              indirect_selection: empty
  - name: exclude_eager
    definition:
      union:
        - a
        - b
        - exclude:
            - a
  - name: childrens_parents
    definition:
      method: fqn
      value: b
      childrens_parents: true
  - name: depth
    definition:
      method: fqn
      value: c
      parents: true
      parents_depth: 1
`
	cases := []struct {
		name             string
		include, exclude []string
		tests            bool
		want             []string
	}{
		// union of two cautious criteria: the test of both is selected by
		// neither (dbt's union is eager: incorporate_indirect_nodes adds nothing)
		{"cautious union", []string{"selector:cautious_union"}, nil, true, []string{"c", "d"}},
		{"cautious, all parents", []string{"selector:cautious_b"}, nil, true, []string{"b", "t_nb"}},
		{"disabled never", []string{"selector:off"}, nil, true, []string{}},
		{"nested", []string{"selector:nested"}, nil, true, []string{"b", "c", "d", "t_nb", "t_rel_cd"}},
		{"excluded with indirect_selection empty keeps the tests", []string{"selector:exclude_empty"}, nil, true,
			[]string{"b", "t_nb", "t_src_a", "t_ua"}},
		{"excluded eagerly takes the tests", []string{"selector:exclude_eager"}, nil, true, []string{"b", "t_nb"}},
		// (dbt's graph holds tests: b's descendants are c, t_nb and t_rel_cd,
		// whose ancestors add d)
		{"childrens_parents", []string{"selector:childrens_parents"}, nil, false,
			[]string{"a", "b", "c", "d", "s", "t_nb", "t_rel_cd"}},
		{"parents with a depth", []string{"selector:depth"}, nil, false, []string{"b", "c"}},
		{"selector and --exclude", []string{"selector:nested"}, []string{"d"}, true, []string{"b", "c", "t_nb"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := reviewSelect(t, defs, c.include, c.exclude, c.tests)
			if len(c.want) == 0 {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, c.want, got)
		})
	}
}
