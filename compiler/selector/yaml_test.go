package selector

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func parseDefs(t *testing.T, text string) (Definitions, error) {
	t.Helper()
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(text), &doc))
	return ParseDefinitions(&doc)
}

// fixtureDefs are selectors.yml's selectors over the fixture, in each of
// dbt's forms.
const fixtureDefs = `
selectors:
  - name: cli
    description: a CLI-style string, graph operators and set operators included
    definition: '+int_member_trips stg_cars'
  - name: keyvalue
    definition:
      tag: nightly
  - name: full
    definition:
      method: fqn
      value: int_car_usage
      parents: true
      parents_depth: 1
      children: true
      children_depth: 1
  - name: staging_but_cars
    definition:
      union:
        - method: path
          value: models/staging
        - exclude:
            - stg_cars
            - source:raw.cars
  - name: nightly_models
    definition:
      intersection:
        - tag:nightly
        - method: resource_type
          value: model
        - exclude: [int_car_usage]
  - name: nested
    definition:
      union:
        - intersection:
            - method: selector
              value: staging_but_cars
            - resource_type:model
        - dim_members
  - name: cautious
    definition:
      method: fqn
      value: fct_trips
      indirect_selection: cautious
  - name: buildable
    definition:
      method: fqn
      value: int_member_trips
      indirect_selection: buildable
  - name: cautious_trips
    definition:
      method: fqn
      value: int_member_trips
      indirect_selection: cautious
  - name: empty
    default: true
    definition:
      method: fqn
      value: stg_members
      indirect_selection: empty
  - name: &anchor_name anchored
    definition: &staging_members
      method: fqn
      value: stg_members
  - name: from_anchor
    definition: *staging_members
`

func TestYAMLSelectors(t *testing.T) {
	defs, err := parseDefs(t, fixtureDefs)
	require.NoError(t, err)
	require.Equal(t, "empty", defs.Default().Name)
	g := fixtureGraph()
	tm := test("test.soda.relationships_int_member_trips_member_id__ref_stg_members_.9f9f9f", "generic",
		"models/intermediate/schema.yml", []string{"intermediate"}, "model.soda.int_member_trips", "model.soda.stg_members")
	g.Nodes[tm.UniqueID] = tm
	key[tm.UniqueID] = "t_trips_members"
	t.Cleanup(func() { delete(key, tm.UniqueID) })
	eager := Options{IndirectTests: true, Selectors: defs}
	plain := Options{Selectors: defs}
	cases := []struct {
		name             string
		include, exclude []string
		opt              Options
		want             []string
	}{
		{"cli", []string{"selector:cli"}, nil, plain,
			[]string{"int_member_trips", "stg_members", "stg_trips", "src_members", "src_trips", "stg_cars"}},
		{"key-value", []string{"selector:keyvalue"}, nil, plain, []string{"int_member_trips", "int_car_usage", "fct_trips"}},
		{"full", []string{"selector:full"}, nil, plain,
			[]string{"int_car_usage", "stg_cars", "stg_trips", "fct_trips"}},
		{"union with exclude", []string{"selector:staging_but_cars"}, nil, plain,
			[]string{"stg_members", "stg_trips", "src_members", "src_trips", "t_nn_members", "t_uq_members", "t_src_members"}},
		{"intersection with exclude", []string{"selector:nightly_models"}, nil, plain, []string{"int_member_trips", "fct_trips"}},
		{"a selector of selectors", []string{"selector:nested"}, nil, plain, []string{"stg_members", "stg_trips", "dim_members"}},
		{"eager: the tests of what is selected", []string{"selector:keyvalue"}, nil, eager,
			[]string{"int_member_trips", "int_car_usage", "fct_trips", "t_rel_trips", "t_positive", "ut_dedup", "t_trips_members"}},
		// t_rel_trips has a parent (dim_members) not selected
		{"cautious: tests whose parents are all selected", []string{"selector:cautious"}, nil, eager,
			[]string{"fct_trips", "t_positive", "ut_dedup"}},
		// t_trips_members tests int_member_trips and stg_members, one of
		// its ancestors
		{"buildable: or their ancestors", []string{"selector:buildable"}, nil, eager,
			[]string{"int_member_trips", "t_trips_members"}},
		{"cautious: not their ancestors", []string{"selector:cautious_trips"}, nil, eager, []string{"int_member_trips"}},
		{"empty: no tests", []string{"selector:empty"}, nil, eager, []string{"stg_members"}},
		{"the command's choice without indirect selection", []string{"selector:cautious"}, nil, plain, []string{"fct_trips"}},
		{"graph operators on a selector", []string{"selector:empty+1"}, nil, eager,
			// (tests are children: the operator takes stg_members' own;
			// legacy_members is disabled)
			[]string{"stg_members", "int_member_trips", "dim_members", "t_nn_members", "t_uq_members", "t_rel_trips", "t_trips_members"}},
		{"excluded", []string{"tag:staging"}, []string{"selector:staging_but_cars"}, plain, []string{"stg_cars"}},
		{"intersected on the command line", []string{"selector:keyvalue,resource_type:model,config.materialized:table"}, nil, plain,
			[]string{"int_member_trips"}},
		{"anchors", []string{"selector:from_anchor", "selector:anchored"}, nil, plain, []string{"stg_members"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Select(g, c.include, c.exclude, c.opt)
			require.NoError(t, err)
			assert.ElementsMatch(t, c.want, keys(t, got))
		})
	}
	// the methods a selector uses count, through other selectors
	m, err := Methods([]string{"selector:nested"}, defs)
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"selector": true, "path": true, "source": true, "": true, "resource_type": true}, m)
}

func TestYAMLSelectorErrors(t *testing.T) {
	cases := []struct{ text, msg string }{
		{"selectors:\n  - name: a\n    definition:\n      method: tagg\n      value: x\n", `line 4: unknown selector method "tagg"`},
		{"selectors:\n  - name: a\n", `line 2: selector "a" needs a definition`},
		{"selectors:\n  - definition: x\n", `line 2: a selector needs a name`},
		{"selectors:\n  - name: a\n    definition: x\n  - name: a\n    definition: y\n", `line 4: selector "a" is defined twice (first at line 2)`},
		{"selectors:\n  - name: a\n    default: true\n    definition: x\n  - name: b\n    default: true\n    definition: y\n", `selectors a and b are each marked default: true`},
		{"selectors:\n  - name: a\n    definition:\n      method: selector\n      value: b\n  - name: b\n    definition: selector:a\n", `line 2: selector "a" selects itself: a -> b -> a`},
		{"selectors:\n  - name: a\n    definition: selector:nosuch\n", `line 2: no selector named "nosuch" in selectors.yml`},
		{"selectors:\n  - name: a\n    definition:\n      union:\n        - exclude: [x]\n", `line 5: union: has nothing to select but what it excludes`},
		{"selectors:\n  - name: a\n    definition:\n      exclude: [x]\n", `line 4: exclude: belongs in a union: or intersection: list`},
		{"selectors:\n  - name: a\n    definition:\n      method: tag\n      value: x\n      indirect_selection: lazy\n", `line 6: indirect_selection: expected eager, cautious, buildable, empty, got "lazy"`},
		{"selectors:\n  - name: a\n    definition:\n      method: tag\n      value: x\n      parents_depth: -1\n", `line 6: parents_depth: expected a number of generations`},
		{"selectors:\n  - name: a\n    definition:\n      method: tag\n      value: x\n      child: true\n", `line 6: unexpected key "child"`},
		{"selectors:\n  - name: a\n    definition: 'a,,b'\n", `line 3: `},
		{"selectors:\n  - name: a\n    default: maybe\n    definition: x\n", `line 3: default: expected true or false, got "maybe"`},
		{"select:\n  - name: a\n", `line 1: unexpected key "select"`},
	}
	for _, c := range cases {
		_, err := parseDefs(t, c.text)
		require.Error(t, err, c.text)
		assert.Contains(t, err.Error(), c.msg, c.text)
	}
	defs, err := parseDefs(t, "")
	require.NoError(t, err)
	assert.Empty(t, defs)
	// a selector: of no definition is an error of the selection
	_, err = Select(fixtureGraph(), []string{"selector:nope"}, nil, Options{})
	require.ErrorContains(t, err, `no selector named "nope": the project has no selectors.yml`)
}
