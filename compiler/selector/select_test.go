package selector

import (
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type selectCase struct {
	name    string
	include []string
	exclude []string
	opt     Options
	want    []string // fixture keys, any order
}

func runSelectCases(t *testing.T, cases []selectCase) {
	t.Helper()
	g := fixtureGraph()
	og := ordered(g)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Select(g, c.include, c.exclude, c.opt)
			require.NoError(t, err)
			want := append([]string{}, c.want...)
			assert.ElementsMatch(t, want, keys(t, got))
			assert.IsIncreasing(t, got, "ids come back sorted")
			// the same graph given in an order, with its parents placed
			// (as the patch snapshot's node index gives it)
			again, err := Select(og, c.include, c.exclude, c.opt)
			require.NoError(t, err)
			assert.Equal(t, got, again, "with Graph.Order and Parents")
		})
	}
}

// ordered is g with Order (its nodes by unique id, backwards: another
// order than a map's or a sort's) and Parents, as Graph says.
func ordered(g *Graph) *Graph {
	ids := slices.Sorted(maps.Keys(g.Nodes))
	slices.Reverse(ids)
	out := &Graph{Nodes: g.Nodes}
	place := map[string]int32{}
	for i, id := range ids {
		place[id] = int32(i)
		out.Order = append(out.Order, g.Nodes[id])
	}
	for _, id := range ids {
		var ps []int32
		for _, d := range g.Nodes[id].DependsOn {
			if p, ok := place[d]; ok && !slices.Contains(ps, p) {
				ps = append(ps, p)
			}
		}
		out.Parents = append(out.Parents, ps)
	}
	return out
}

func TestSelectNamesAndFQN(t *testing.T) {
	runSelectCases(t, []selectCase{
		{name: "bare name", include: []string{"stg_members"}, want: []string{"stg_members"}},
		{name: "test by name", include: []string{"not_null_stg_members_member_id"}, want: []string{"t_nn_members"}},
		{name: "fqn directory", include: []string{"staging"},
			want: []string{"stg_members", "stg_cars", "stg_trips", "t_nn_members", "t_uq_members", "t_nn_cars", "t_src_members"}},
		{name: "fqn dotted", include: []string{"staging.stg_members"}, want: []string{"stg_members"}},
		{name: "fqn with package", include: []string{"soda.staging.stg_members"}, want: []string{"stg_members"}},
		{name: "fqn nested dir", include: []string{"marts.core"},
			want: []string{"fct_trips", "dim_members", "t_rel_trips", "ut_dedup"}},
		{name: "fqn trailing glob", include: []string{"marts.*"},
			want: []string{"fct_trips", "dim_members", "t_rel_trips", "ut_dedup"}},
		{name: "fqn method", include: []string{"fqn:intermediate"}, want: []string{"int_member_trips", "int_car_usage"}},
		{name: "fqn:* leaves sources out", include: []string{"fqn:*"},
			want: allBut("src_members", "src_cars", "src_trips")},
		{name: "package name as fqn", include: []string{"utils"}, want: []string{"date_spine"}},
		{name: "star selects everything", include: []string{"*"}, want: allBut()},
		{name: "wildcard star", include: []string{"stg_*"}, want: []string{"stg_members", "stg_cars", "stg_trips"}},
		{name: "wildcard question", include: []string{"stg_?ars"}, want: []string{"stg_cars"}},
		{name: "wildcard class", include: []string{"stg_[ct]*"}, want: []string{"stg_cars", "stg_trips"}},
		{name: "wildcard negated class", include: []string{"stg_[!ct]*"}, want: []string{"stg_members"}},
		{name: "wildcard in fqn part", include: []string{"int*.int_c*"}, want: []string{"int_car_usage"}},
		{name: "sources are not names", include: []string{"members"}, want: nil},
		{name: "no match is empty", include: []string{"no_such_model"}, want: nil},
		{name: "disabled never selected", include: []string{"legacy_members"}, want: nil},
		{name: "empty include is everything", want: allBut()},
	})
}

func TestSelectPathAndFile(t *testing.T) {
	staging := []string{"stg_members", "stg_cars", "stg_trips", "t_nn_members", "t_uq_members", "t_nn_cars",
		"t_src_members", "src_members", "src_cars", "src_trips"}
	runSelectCases(t, []selectCase{
		{name: "path dir", include: []string{"path:models/staging"}, want: staging},
		{name: "path dir trailing slash", include: []string{"path:models/staging/"}, want: staging},
		{name: "path dot slash", include: []string{"path:./models/staging"}, want: staging},
		{name: "bare path", include: []string{"models/staging"}, want: staging},
		{name: "path file", include: []string{"path:models/staging/stg_members.sql"}, want: []string{"stg_members"}},
		{name: "path is not a string prefix", include: []string{"path:models/stag"}, want: nil},
		{name: "path yml", include: []string{"models/staging/schema.yml"},
			want: []string{"t_nn_members", "t_uq_members", "t_nn_cars"}},
		{name: "path glob dir", include: []string{"path:models/*/core"},
			want: []string{"fct_trips", "dim_members", "t_rel_trips", "ut_dedup"}},
		{name: "path glob file", include: []string{"models/staging/stg_*.sql"},
			want: []string{"stg_members", "stg_cars", "stg_trips"}},
		{name: "path double star", include: []string{"path:models/**/*.sql"},
			want: []string{"stg_members", "stg_cars", "stg_trips", "int_member_trips", "int_car_usage",
				"fct_trips", "dim_members", "date_spine"}},
		{name: "path root", include: []string{"path:."}, want: allBut()},
		{name: "file default", include: []string{"stg_members.sql"}, want: []string{"stg_members"}},
		{name: "file csv", include: []string{"country_codes.csv"}, want: []string{"country_codes"}},
		{name: "file stem", include: []string{"file:fct_trips"}, want: []string{"fct_trips"}},
		{name: "file glob", include: []string{"file:int_*.sql"}, want: []string{"int_member_trips", "int_car_usage"}},
	})
}

func TestSelectMethods(t *testing.T) {
	generic := []string{"t_nn_members", "t_uq_members", "t_nn_cars", "t_src_members", "t_rel_trips"}
	runSelectCases(t, []selectCase{
		{name: "tag", include: []string{"tag:nightly"}, want: []string{"int_member_trips", "int_car_usage", "fct_trips"}},
		{name: "tag glob", include: []string{"tag:fin*"}, want: []string{"fct_trips"}},
		{name: "config string", include: []string{"config.materialized:incremental"}, want: []string{"fct_trips"}},
		{name: "config view", include: []string{"config.materialized:view"}, want: []string{"stg_members", "stg_cars", "stg_trips"}},
		{name: "config list element", include: []string{"config.tags:finance"}, want: []string{"fct_trips"}},
		{name: "config nested", include: []string{"config.meta.owner:finance-team"}, want: []string{"fct_trips"}},
		{name: "config nested bool", include: []string{"config.contract.enforced:true"}, want: []string{"dim_members"}},
		{name: "config bool any case", include: []string{"config.contract.enforced:True"}, want: []string{"dim_members"}},
		{name: "config bool false", include: []string{"config.full_refresh:false"}, want: []string{"fct_trips"}},
		{name: "config float", include: []string{"config.batch_size:1000"}, want: []string{"fct_trips"}},
		{name: "config int", include: []string{"config.threads:4"}, want: []string{"fct_trips"}},
		{name: "config int as float", include: []string{"config.threads:4.0"}, want: []string{"fct_trips"}},
		{name: "config enabled", include: []string{"config.enabled:true"},
			want: []string{"src_members", "src_cars", "src_trips", "stg_members", "stg_cars", "stg_trips",
				"int_member_trips", "int_car_usage", "fct_trips", "dim_members"}},
		{name: "config severity ignores case", include: []string{"config.severity:WARN"}, want: []string{"t_rel_trips"}},
		{name: "config value is case sensitive", include: []string{"config.materialized:Table"}, want: nil},
		{name: "config missing key", include: []string{"config.nope:x"}, want: nil},
		{name: "source", include: []string{"source:raw"}, want: []string{"src_members", "src_cars", "src_trips"}},
		{name: "source table", include: []string{"source:raw.members"}, want: []string{"src_members"}},
		{name: "source package", include: []string{"source:soda.raw.cars"}, want: []string{"src_cars"}},
		{name: "source glob", include: []string{"source:raw.*s"}, want: []string{"src_members", "src_cars", "src_trips"}},
		{name: "source children", include: []string{"source:raw.members+"},
			want: []string{"src_members", "stg_members", "int_member_trips", "fct_trips", "dim_members", "members_snapshot",
				"t_nn_members", "t_uq_members", "t_src_members", "t_rel_trips", "t_positive", "ut_dedup", "trip_report"}},
		{name: "resource_type seed", include: []string{"resource_type:seed"}, want: []string{"country_codes"}},
		{name: "resource_type snapshot", include: []string{"resource_type:snapshot"}, want: []string{"members_snapshot"}},
		{name: "resource_type source", include: []string{"resource_type:source"}, want: []string{"src_members", "src_cars", "src_trips"}},
		{name: "resource_type analysis", include: []string{"resource_type:analysis"}, want: []string{"trip_report"}},
		{name: "test_type generic", include: []string{"test_type:generic"}, want: generic},
		{name: "test_type singular", include: []string{"test_type:singular"}, want: []string{"t_positive"}},
		{name: "test_type unit", include: []string{"test_type:unit"}, want: []string{"ut_dedup"}},
		{name: "test_type data", include: []string{"test_type:data"}, want: append([]string{"t_positive"}, generic...)},
		{name: "package", include: []string{"package:utils"}, want: []string{"date_spine"}},
		{name: "package glob", include: []string{"package:u*"}, want: []string{"date_spine"}},
		{name: "unique_id", include: []string{"unique_id:model.soda.fct_trips"}, want: []string{"fct_trips"}},
		{name: "unique_id glob", include: []string{"unique_id:test.soda.*"}, want: append([]string{"t_positive"}, generic...)},
		{name: "group", include: []string{"group:finance"}, want: []string{"fct_trips"}},
		{name: "access public", include: []string{"access:public"}, want: []string{"dim_members"}},
		{name: "access default protected", include: []string{"access:protected,marts"}, want: []string{"fct_trips"}},
		{name: "unit_test", include: []string{"unit_test:test_fct_trips_dedup"}, want: []string{"ut_dedup"}},
		{name: "unit_test package", include: []string{"unit_test:soda.*"}, want: []string{"ut_dedup"}},
	})
}

func TestSelectGraphOperators(t *testing.T) {
	fctParents2 := []string{"fct_trips", "int_member_trips", "int_car_usage", "country_codes", "date_spine",
		"stg_members", "stg_trips", "stg_cars"}
	runSelectCases(t, []selectCase{
		{name: "ancestors", include: []string{"+stg_members"}, want: []string{"stg_members", "src_members"}},
		{name: "descendants", include: []string{"stg_members+"},
			want: []string{"stg_members", "int_member_trips", "fct_trips", "dim_members", "t_nn_members", "t_uq_members",
				"t_rel_trips", "t_positive", "ut_dedup", "trip_report"}},
		{name: "descendants depth 1", include: []string{"stg_members+1"},
			want: []string{"stg_members", "int_member_trips", "dim_members", "t_nn_members", "t_uq_members"}},
		{name: "ancestors depth 2", include: []string{"2+fct_trips"}, want: fctParents2},
		{name: "all ancestors", include: []string{"+fct_trips"},
			want: append([]string{"src_members", "src_trips", "src_cars"}, fctParents2...)},
		{name: "depth 0 is the node", include: []string{"0+fct_trips+0"}, want: []string{"fct_trips"}},
		{name: "both ways", include: []string{"+int_car_usage+"},
			want: []string{"int_car_usage", "stg_cars", "stg_trips", "src_cars", "src_trips", "fct_trips",
				"t_rel_trips", "t_positive", "ut_dedup", "trip_report"}},
		{name: "both ways with depths", include: []string{"1+int_car_usage+1"},
			want: []string{"int_car_usage", "stg_cars", "stg_trips", "fct_trips"}},
		{name: "at operator", include: []string{"@int_car_usage"},
			want: []string{"int_car_usage", "fct_trips", "t_rel_trips", "t_positive", "ut_dedup", "trip_report",
				"stg_cars", "stg_trips", "src_cars", "src_trips", "int_member_trips", "country_codes", "date_spine",
				"stg_members", "src_members", "dim_members"}},
		{name: "at on a leaf", include: []string{"@dim_members"},
			want: []string{"dim_members", "t_rel_trips", "fct_trips", "stg_members", "src_members", "country_codes",
				"int_member_trips", "int_car_usage", "stg_cars", "stg_trips", "src_cars", "src_trips", "date_spine"}},
		{name: "at does not pass through disabled nodes", include: []string{"@stg_members"},
			want: []string{"stg_members", "src_members", "int_member_trips", "dim_members", "fct_trips", "t_nn_members",
				"t_uq_members", "t_rel_trips", "t_positive", "ut_dedup", "trip_report", "stg_trips", "src_trips",
				"int_car_usage", "stg_cars", "src_cars", "country_codes", "date_spine"}},
		{name: "disabled child is not a descendant", include: []string{"members_snapshot+"}, want: []string{"members_snapshot"}},
		{name: "disabled node is not a starting point", include: []string{"+legacy_members+"}, want: nil},
		{name: "operators on a method", include: []string{"+tag:staging"},
			want: []string{"stg_members", "stg_cars", "stg_trips", "src_members", "src_cars", "src_trips"}},
		{name: "star with operators", include: []string{"+*+"}, want: allBut()},
	})
}

func TestSelectSetOperations(t *testing.T) {
	runSelectCases(t, []selectCase{
		{name: "union in one arg", include: []string{"stg_members stg_cars"}, want: []string{"stg_members", "stg_cars"}},
		{name: "union across args", include: []string{"stg_members", "stg_cars"}, want: []string{"stg_members", "stg_cars"}},
		{name: "intersection", include: []string{"tag:nightly,config.materialized:incremental"}, want: []string{"fct_trips"}},
		{name: "comma binds tighter", include: []string{"tag:nightly,config.materialized:table stg_cars"},
			want: []string{"int_member_trips", "stg_cars"}},
		{name: "intersection of graph ops", include: []string{"+fct_trips,stg_members+"},
			want: []string{"stg_members", "int_member_trips", "fct_trips"}},
		{name: "whitespace tolerance", include: []string{"  stg_members\t , tag:staging  ", "stg_cars "},
			want: []string{"stg_members", "stg_cars"}},
		{name: "exclude", include: []string{"tag:staging"}, exclude: []string{"stg_cars"},
			want: []string{"stg_members", "stg_trips"}},
		{name: "exclude removes the tests of excluded nodes", include: []string{"stg_members+"},
			exclude: []string{"fct_trips"},
			want:    []string{"stg_members", "int_member_trips", "dim_members", "t_nn_members", "t_uq_members", "trip_report"}},
		{name: "exclude graph op", include: []string{"+fct_trips"}, exclude: []string{"+stg_members"},
			want: []string{"fct_trips", "int_member_trips", "int_car_usage", "country_codes", "date_spine",
				"stg_trips", "stg_cars", "src_trips", "src_cars"}},
		{name: "exclude several args", include: []string{"staging"}, exclude: []string{"resource_type:test", "stg_cars"},
			want: []string{"stg_members", "stg_trips"}},
		{name: "exclude intersection", include: []string{"tag:nightly"}, exclude: []string{"tag:nightly,config.materialized:ephemeral"},
			want: []string{"int_member_trips", "fct_trips"}},
		{name: "exclude from everything", exclude: []string{"resource_type:test resource_type:source"},
			want: allBut("t_nn_members", "t_uq_members", "t_nn_cars", "t_src_members", "t_rel_trips", "t_positive",
				"src_members", "src_cars", "src_trips")},
		{name: "exclude everything", include: []string{"stg_members"}, exclude: []string{"*"}, want: nil},
	})
}

func TestSelectIndirectTests(t *testing.T) {
	eager := Options{IndirectTests: true}
	runSelectCases(t, []selectCase{
		{name: "model brings its tests", include: []string{"stg_members"}, opt: eager,
			want: []string{"stg_members", "t_nn_members", "t_uq_members"}},
		{name: "any parent is enough", include: []string{"fct_trips"}, opt: eager,
			want: []string{"fct_trips", "t_rel_trips", "t_positive", "ut_dedup"}},
		{name: "source tests", include: []string{"source:raw"}, opt: eager,
			want: []string{"src_members", "src_cars", "src_trips", "t_src_members"}},
		{name: "off by default", include: []string{"fct_trips"}, want: []string{"fct_trips"}},
		{name: "excluded parent drops the test", include: []string{"fct_trips"}, exclude: []string{"dim_members"}, opt: eager,
			want: []string{"fct_trips", "t_positive", "ut_dedup"}},
		{name: "excluded test stays out", include: []string{"stg_members"}, exclude: []string{"unique_stg_members_member_id"}, opt: eager,
			want: []string{"stg_members", "t_nn_members"}},
		{name: "excluded test type stays out", include: []string{"fct_trips"}, exclude: []string{"test_type:unit"}, opt: eager,
			want: []string{"fct_trips", "t_rel_trips", "t_positive"}},
		{name: "tests of an intersection", include: []string{"tag:nightly,resource_type:test"}, opt: eager,
			want: []string{"t_rel_trips", "t_positive"}},
		{name: "tests of an intersection without indirect", include: []string{"tag:nightly,resource_type:test"}, want: nil},
		{name: "tests of graph selection", include: []string{"+stg_cars"}, opt: eager,
			want: []string{"stg_cars", "src_cars", "t_nn_cars"}},
	})
}

func TestSelectNilGraph(t *testing.T) {
	got, err := Select(nil, []string{"a"}, nil, Options{})
	require.NoError(t, err)
	assert.Empty(t, got)
	got, err = Select(&Graph{}, nil, nil, Options{})
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestSelectDanglingAndCyclicEdges(t *testing.T) {
	g := &Graph{Nodes: map[string]*Node{
		"model.p.a": {Name: "a", ResourceType: "model", DependsOn: []string{"model.p.c", "macro.p.m", "model.p.c"}},
		"model.p.b": {Name: "b", ResourceType: "model", DependsOn: []string{"model.p.a"}},
		"model.p.c": {Name: "c", ResourceType: "model", DependsOn: []string{"model.p.b"}},
		"model.p.d": nil,
	}}
	g.Nodes["model.p.off"] = &Node{Name: "off", Config: map[string]any{"enabled": false}, DependsOn: []string{"model.p.c"}}
	g.Nodes["model.p.e"] = &Node{Name: "e", DependsOn: []string{"model.p.off"}}
	got, err := Select(g, []string{"a+"}, nil, Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{"model.p.a", "model.p.b", "model.p.c"}, got)
	got, err = Select(g, []string{"+e"}, nil, Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{"model.p.e"}, got, "disabled parents are not in the graph")
	got, err = Select(g, []string{"+b+1"}, nil, Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{"model.p.a", "model.p.b", "model.p.c"}, got)
}

// Intersections test later atoms only against the nodes already selected;
// this must give the same result as evaluating every atom over the graph.
func TestIntersectionNarrowing(t *testing.T) {
	atomsToTry := []string{"tag:nightly", "resource_type:test", "fct_trips", "marts", "stg_*", "config.materialized:table",
		"source:raw", "test_type:unit", "*", "path:models/staging", "package:soda", "stg_members+", "+fct_trips", "@dim_members"}
	g := fixtureGraph()
	for _, tests := range []bool{false, true} {
		for _, x := range atomsToTry {
			for _, y := range atomsToTry {
				expr := x + "," + y
				e, err := Parse(expr)
				require.NoError(t, err)
				ix := buildIndex(g, &Options{})
				got := ix.eval(e, tests)
				want := ix.evalAtom(e.(Intersection)[0], tests)
				want.and(ix.evalAtom(e.(Intersection)[1], tests))
				assert.Equal(t, want, got, "%s (tests %v)", expr, tests)
			}
		}
	}
}
