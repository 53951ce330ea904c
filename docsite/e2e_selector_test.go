package docsite

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/compiler/selector"
)

// selectorGraph is the graph the CLI selects from (cli/project.go).
func selectorGraph(m *compiler.Manifest) *selector.Graph {
	g := &selector.Graph{Nodes: map[string]*selector.Node{}}
	for _, id := range m.AllIDs() {
		n := m.Node(id)
		g.Nodes[id] = &selector.Node{UniqueID: id, Name: n.Name, ResourceType: n.ResourceType, Path: n.Path,
			FQN: n.FQN, Tags: n.Tags, Config: n.Config, SourceName: n.SourceName, Package: n.Package,
			TestType: n.TestType, DependsOn: n.DependsOn.Nodes, Checksum: n.Checksum.Checksum, Disabled: !n.Enabled()}
	}
	return g
}

// parityExpressions are selectors whose result the site must share with
// the CLI (tests left out: the site does not draw them).
var parityExpressions = []string{
	"fct_reservations", "stg_*", "stg_[mr]*", "stg_[!m]*", "*_members", "?im_cars", "staging", "marts.*", "soda.staging",
	"soda.*", "*", "fqn:dim_*", "path:models/marts", "path:models/marts/*.sql", "models/staging", "path:models/**/int_*",
	"path:./models/../models/marts", "file:dim_cars.sql", "dim_cars.sql", "file:stg_*", "tag:staging", "tag:fin*",
	"config.materialized:table", "config.materialized:incremental", "config.tags:core", "config.unique_key:reservation_id",
	"config.enabled:true", "source:raw", "source:raw.members", "source:soda.raw.*", "resource_type:seed",
	"resource_type:snapshot", "resource_type:source", "package:soda", "unique_id:model.soda.dim_*", "access:protected",
	"group:*", "result:success", "result:fail", "+fct_reservations", "fct_reservations+", "1+fct_reservations+1",
	"2+dim_members", "stg_members+1", "+source:raw.members", "@dim_members", "@stg_reservations", "@source:raw",
	"tag:staging,config.materialized:view", "+fct_payments,resource_type:model", "stg_members stg_cars",
	"tag:core marts.*,+dim_zones", "@raw_members,resource_type:source", "[abc", "stg_\\*", "resource_type:test",
	"test_type:generic",
}

func TestSelectorsSelectWhatTheCLISelects(t *testing.T) {
	d := demoSite(t)
	m := d.m
	p := openSite(t, d.dir)
	p.open("", "overview")
	results := map[string]string{}
	for _, r := range d.run.Results {
		results[r.UniqueID] = r.Status
	}
	g := selectorGraph(m)
	for _, expr := range parityExpressions {
		want, err := selector.Select(g, []string{expr}, nil, selector.Options{Results: results})
		require.NoError(t, err, expr)
		want = slices.DeleteFunc(want, func(id string) bool { return isTest(m.Node(id)) })
		got := eval[[]string](p, fmt.Sprintf("martDocs.select(%s)", jsString(expr)))
		assert.Equal(t, orEmpty(want), orEmpty(got), "selector %q", expr)
	}
	// with --exclude
	want, err := selector.Select(g, []string{"+fct_reservations"}, []string{"resource_type:seed source:raw.payments"}, selector.Options{})
	require.NoError(t, err)
	want = slices.DeleteFunc(want, func(id string) bool { return isTest(m.Node(id)) })
	got := eval[[]string](p, `martDocs.select("+fct_reservations", "resource_type:seed source:raw.payments")`)
	assert.Equal(t, want, got)
}

func TestSelectorErrorsAsTheCLIReportsThem(t *testing.T) {
	p := openSite(t, demoSite(t).dir)
	p.open("", "overview")
	for _, expr := range []string{"a,,b", ",a", "a,", "@a+", "nope:x", "resource_type:modle", "config:x", "tag:", "/abs/path",
		"source:a.b.c.d", "state:modified"} {
		_, goErr := selector.Select(&selector.Graph{Nodes: map[string]*selector.Node{}}, []string{expr}, nil,
			selector.Options{State: map[string]*selector.Node{}})
		jsErr := eval[string](p, fmt.Sprintf(`(() => { try { martDocs.select(%s); return ''; } catch (e) { return e.message; } })()`, jsString(expr)))
		if expr == "state:modified" {
			assert.NoError(t, goErr)
			assert.Contains(t, jsErr, "previous run", "state: cannot work without a previous manifest")
			continue
		}
		assert.Error(t, goErr, expr)
		assert.NotEmpty(t, jsErr, "selector %q must fail in the browser too", expr)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
