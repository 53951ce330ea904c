package selector

import (
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// fixture is a small but realistic project: sources -> staging ->
// intermediate -> marts, a seed, a snapshot, generic/singular/unit tests, an
// analysis, a disabled model and a model from an installed package. Keys are
// short names used by the tests; see id.
var fixture = map[string]*Node{
	"src_members": source("members", "source.soda.raw.members"),
	"src_cars":    source("cars", "source.soda.raw.cars"),
	"src_trips":   source("trips", "source.soda.raw.trips"),
	"country_codes": {
		UniqueID: "seed.soda.country_codes", Name: "country_codes", ResourceType: "seed",
		Path: "seeds/country_codes.csv", FQN: []string{"soda", "country_codes"}, Package: "soda",
		Config: map[string]any{"materialized": "seed"}, Checksum: "c-cc",
	},
	"stg_members": model("staging", "stg_members", "view", []string{"staging"}, "src_members"),
	"stg_cars":    model("staging", "stg_cars", "view", []string{"staging"}, "src_cars"),
	"stg_trips":   model("staging", "stg_trips", "view", []string{"staging"}, "src_trips"),
	"int_member_trips": model("intermediate", "int_member_trips", "table",
		[]string{"intermediate", "nightly"}, "stg_members", "stg_trips"),
	"int_car_usage": model("intermediate", "int_car_usage", "ephemeral",
		[]string{"intermediate", "nightly"}, "stg_cars", "stg_trips"),
	"fct_trips": withConfig(model("marts/core", "fct_trips", "incremental",
		[]string{"nightly", "finance"}, "int_member_trips", "int_car_usage", "country_codes", "date_spine"),
		map[string]any{
			"tags":         []any{"nightly", "finance"},
			"meta":         map[string]any{"owner": "finance-team"},
			"batch_size":   float64(1000),
			"threads":      4,
			"full_refresh": false,
			"group":        "finance",
		}),
	"dim_members": withConfig(model("marts/core", "dim_members", "table", nil, "stg_members", "country_codes"),
		map[string]any{
			"contract": map[string]any{"enforced": true},
			"access":   "public",
			"schema":   "core",
		}),
	"members_snapshot": {
		UniqueID: "snapshot.soda.members_snapshot", Name: "members_snapshot", ResourceType: "snapshot",
		Path: "snapshots/members_snapshot.sql", FQN: []string{"soda", "members_snapshot", "members_snapshot"},
		Package: "soda", Config: map[string]any{"materialized": "snapshot", "strategy": "timestamp"},
		DependsOn: []string{"source.soda.raw.members"}, Checksum: "c-snap",
	},
	"t_nn_members": test("test.soda.not_null_stg_members_member_id.1a2b3c", "generic",
		"models/staging/schema.yml", []string{"staging"}, "stg_members"),
	"t_uq_members": test("test.soda.unique_stg_members_member_id.4d5e6f", "generic",
		"models/staging/schema.yml", []string{"staging"}, "stg_members"),
	"t_nn_cars": test("test.soda.not_null_stg_cars_car_id.7a8b9c", "generic",
		"models/staging/schema.yml", []string{"staging"}, "stg_cars"),
	"t_src_members": test("test.soda.source_not_null_raw_members_id.0d0e0f", "generic",
		"models/staging/sources.yml", []string{"staging"}, "src_members"),
	"t_rel_trips": withConfig(test("test.soda.relationships_fct_trips_member_id__ref_dim_members_.5e5e5e", "generic",
		"models/marts/core/schema.yml", []string{"marts", "core"}, "fct_trips", "dim_members"),
		map[string]any{"severity": "warn"}),
	"t_positive": test("test.soda.assert_positive_trip_distance", "singular",
		"tests/assert_positive_trip_distance.sql", nil, "fct_trips"),
	"ut_dedup": {
		UniqueID: "unit_test.soda.fct_trips.test_fct_trips_dedup", Name: "test_fct_trips_dedup",
		ResourceType: "unit_test", Path: "models/marts/core/unit_tests.yml",
		FQN: []string{"soda", "marts", "core", "fct_trips", "test_fct_trips_dedup"}, Package: "soda",
		TestType: "unit", DependsOn: []string{"model.soda.fct_trips"}, Checksum: "c-ut",
	},
	"trip_report": {
		UniqueID: "analysis.soda.trip_report", Name: "trip_report", ResourceType: "analysis",
		Path: "analyses/trip_report.sql", FQN: []string{"soda", "analysis", "trip_report"}, Package: "soda",
		DependsOn: []string{"model.soda.fct_trips"}, Checksum: "c-an",
	},
	"legacy_members": withConfig(model("staging", "legacy_members", "view", nil, "stg_members", "members_snapshot"),
		map[string]any{"enabled": false}),
	"date_spine": {
		UniqueID: "model.utils.date_spine", Name: "date_spine", ResourceType: "model",
		Path: "models/date_spine.sql", FQN: []string{"utils", "date_spine"}, Package: "utils",
		Config: map[string]any{"materialized": "table"}, Checksum: "c-ds",
	},
}

// id maps fixture keys to unique ids and back.
var id, key = func() (map[string]string, map[string]string) {
	id, key := map[string]string{}, map[string]string{}
	for k, n := range fixture {
		id[k], key[n.UniqueID] = n.UniqueID, k
	}
	return id, key
}()

func init() {
	// DependsOn was written with fixture keys; turn them into unique ids.
	for _, n := range fixture {
		for i, d := range n.DependsOn {
			if u, ok := id[d]; ok {
				n.DependsOn[i] = u
			}
		}
	}
}

func source(table, uid string) *Node {
	return &Node{
		UniqueID: uid, Name: table, ResourceType: "source", Path: "models/staging/sources.yml",
		FQN: []string{"soda", "raw", table}, SourceName: "raw", Package: "soda",
		Config: map[string]any{"enabled": true}, Checksum: "c-" + table,
	}
}

func model(dir, name, materialized string, tags []string, deps ...string) *Node {
	fqn := append([]string{"soda"}, splitSlash(dir)...)
	return &Node{
		UniqueID: "model.soda." + name, Name: name, ResourceType: "model",
		Path: "models/" + dir + "/" + name + ".sql", FQN: append(fqn, name), Tags: tags,
		Config:  map[string]any{"materialized": materialized, "enabled": true},
		Package: "soda", DependsOn: deps, Checksum: "c-" + name,
	}
}

func test(uid, testType, path string, dirs []string, deps ...string) *Node {
	name := uid[len("test.soda."):]
	if i := len(name) - 7; testType == "generic" && i > 0 && name[i] == '.' {
		name = name[:i]
	}
	return &Node{
		UniqueID: uid, Name: name, ResourceType: "test", Path: path,
		FQN: append(append([]string{"soda"}, dirs...), name), Package: "soda", TestType: testType,
		Config: map[string]any{"severity": "error"}, DependsOn: deps, Checksum: "c-" + name,
	}
}

func withConfig(n *Node, cfg map[string]any) *Node {
	maps.Copy(n.Config, cfg)
	return n
}

func splitSlash(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '/' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

func fixtureGraph() *Graph {
	g := &Graph{Nodes: map[string]*Node{}}
	for _, n := range fixture {
		g.Nodes[n.UniqueID] = n
	}
	return g
}

// keys turns selected unique ids back into fixture keys, sorted.
func keys(t *testing.T, ids []string) []string {
	t.Helper()
	out := make([]string, 0, len(ids))
	for _, u := range ids {
		k, ok := key[u]
		require.True(t, ok, "unknown id %s", u)
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// allBut lists every enabled fixture key except the given ones.
func allBut(except ...string) []string {
	var out []string
	for k, n := range fixture {
		if enabled(n) && !slices.Contains(except, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
