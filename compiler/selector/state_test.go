package selector

import (
	"maps"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSelectState(t *testing.T) {
	state := map[string]*Node{}
	for _, n := range fixture {
		old := *n
		old.Config = maps.Clone(n.Config)
		old.ResourceType = "" // as the state's nodes are read: of the members compared only
		state[n.UniqueID] = &old
	}
	delete(state, id["stg_cars"])                                        // new
	state[id["fct_trips"]].Checksum = "old-body"                         // body changed
	state[id["dim_members"]].Config["schema"] = "legacy_core"            // config (relation) changed
	state[id["int_car_usage"]].Config["materialized"] = "view"           // config changed
	state[id["fct_trips"]].Config["batch_size"] = 1000                   // int vs float64: not a change
	state[id["t_positive"]].Config = map[string]any{"severity": "error"} // unchanged
	// what dbt's same_config does not compare: tags and group; of a test,
	// anything but its modifiers
	state[id["stg_members"]].Config["tags"] = []any{"old"}
	state[id["fct_trips"]].Config["group"] = "other"
	state[id["src_members"]].Config["tags"] = []any{"old"}
	state[id["t_nn_cars"]].Config["meta"] = map[string]any{"x": 1}
	state[id["t_uq_members"]].Config["severity"] = "warn"                         // a test's modifier changed
	state[id["ut_dedup"]].Config = map[string]any{"meta": map[string]any{"x": 1}} // a unit test: its checksum counts
	state[id["ut_dedup"]].Checksum = "old-ut"                                     // modified, but no body (dbt)
	state[id["t_nn_members"]].Config["schema"] = "old_audit"                      // a generic test's relation: .relation only
	opt := Options{State: state}
	runSelectCases(t, []selectCase{
		{name: "new", include: []string{"state:new"}, opt: opt, want: []string{"stg_cars"}},
		{name: "old", include: []string{"state:old"}, opt: opt, want: allBut("stg_cars")},
		{name: "modified", include: []string{"state:modified"}, opt: opt,
			want: []string{"stg_cars", "fct_trips", "dim_members", "int_car_usage", "t_uq_members", "ut_dedup"}},
		{name: "modified.body", include: []string{"state:modified.body"}, opt: opt, want: []string{"stg_cars", "fct_trips"}},
		{name: "modified.configs", include: []string{"state:modified.configs"}, opt: opt,
			want: []string{"stg_cars", "int_car_usage", "t_uq_members"}},
		{name: "modified.relation", include: []string{"state:modified.relation"}, opt: opt,
			want: []string{"stg_cars", "dim_members", "t_nn_members"}},
		{name: "unmodified", include: []string{"state:unmodified"}, opt: opt,
			want: allBut("stg_cars", "fct_trips", "dim_members", "int_car_usage", "t_uq_members", "ut_dedup")},
		{name: "modified and children", include: []string{"state:modified.body+1"}, opt: opt,
			want: []string{"stg_cars", "fct_trips", "int_car_usage", "t_nn_cars", "t_rel_trips", "t_positive",
				"ut_dedup", "trip_report"}},
		{name: "empty state: everything is new", include: []string{"state:new"}, opt: Options{State: map[string]*Node{}},
			want: allBut()},
	})
}

// Modified macros, vars, contracts and persisted descriptions each have
// their own state selector, and all of them count as modified.
func TestSelectStateFingerprints(t *testing.T) {
	state := map[string]*Node{}
	for _, n := range fixture {
		old := *n
		state[n.UniqueID] = &old
	}
	state[id["fct_trips"]].Macros = "old-macros"
	state[id["dim_members"]].Vars = "old-vars"
	state[id["int_car_usage"]].Contract = "old-contract"
	state[id["stg_members"]].PersistedDocs = "old-docs"
	opt := Options{State: state}
	runSelectCases(t, []selectCase{
		{name: "macros", include: []string{"state:modified.macros"}, opt: opt, want: []string{"fct_trips"}},
		{name: "vars", include: []string{"state:modified.vars"}, opt: opt, want: []string{"dim_members"}},
		{name: "contract", include: []string{"state:modified.contract"}, opt: opt, want: []string{"int_car_usage"}},
		{name: "persisted descriptions", include: []string{"state:modified.persisted_descriptions"}, opt: opt, want: []string{"stg_members"}},
		{name: "modified: any of them", include: []string{"state:modified"}, opt: opt,
			want: []string{"fct_trips", "dim_members", "int_car_usage", "stg_members"}},
	})
}

func TestSelectResult(t *testing.T) {
	opt := Options{Results: map[string]string{
		id["stg_members"]: "success", id["fct_trips"]: "error", id["t_positive"]: "fail", id["t_nn_cars"]: "warn",
		id["dim_members"]: "skipped",
	}}
	runSelectCases(t, []selectCase{
		{name: "error", include: []string{"result:error"}, opt: opt, want: []string{"fct_trips"}},
		{name: "error and children", include: []string{"result:error+"}, opt: opt,
			want: []string{"fct_trips", "t_rel_trips", "t_positive", "ut_dedup", "trip_report"}},
		{name: "union of statuses", include: []string{"result:fail result:warn"}, opt: opt,
			want: []string{"t_positive", "t_nn_cars"}},
		{name: "rerun failures and skips", include: []string{"result:error+ result:skipped+"}, exclude: []string{"result:fail"}, opt: opt,
			want: []string{"fct_trips", "dim_members", "t_rel_trips", "ut_dedup", "trip_report"}},
		{name: "unknown status", include: []string{"result:pass"}, opt: opt, want: nil},
	})
}

func TestSelectNeedsStateAndResults(t *testing.T) {
	g := fixtureGraph()
	_, err := Select(g, []string{"stg_members state:modified+"}, nil, Options{})
	require.ErrorIs(t, err, ErrNoState)
	assert.Equal(t, `selector "stg_members state:modified+": state:modified compares with the manifest of a previous run: no previous state was given`, err.Error())

	_, err = Select(g, nil, []string{"result:error"}, Options{State: map[string]*Node{}})
	require.ErrorIs(t, err, ErrNoResults)
	assert.Contains(t, err.Error(), `selector "result:error"`)

	_, err = Select(g, []string{"stg_members"}, []string{"tag:"}, Options{})
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "tag:", pe.Expr)
}
