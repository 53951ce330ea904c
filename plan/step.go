package plan

import (
	"fmt"
	"strings"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// newStep describes what running node n does.
func newStep(m *compiler.Manifest, n *compiler.Node, parents []string, opt Options) Step {
	s := Step{ID: n.UniqueID, Name: n.Name, ResourceType: n.ResourceType, Parents: parents,
		CompiledPath: n.CompiledPath, Reads: reads(m, n)}
	if s.Parents == nil {
		s.Parents = []string{}
	}
	rel := relationOf(n)
	switch n.ResourceType {
	case compiler.TypeSeed:
		s.Action, s.Writes = Seed, rel
	case compiler.TypeSnapshot:
		s.Action, s.Writes = Snapshot, rel
		s.Detail = snapshotDetail(n)
	case compiler.TypeTest:
		s.Action = Test
		s.Detail = "severity " + strings.ToLower(firstNonEmpty(n.Config.String("severity"), "error"))
		if opt.StoreFailures || n.Config.Bool("store_failures", false) {
			s.Writes = rel
			s.Detail += ", failing rows stored"
		}
	case compiler.TypeUnitTest:
		s.Action = UnitTest
		if n.UnitTest != nil {
			s.Detail = "model " + n.UnitTest.Model
		}
	case compiler.TypeSource:
		s.Action = Source
	case compiler.TypeAnalysis:
		s.Action = Analysis
	default:
		switch mat := n.Materialized(); mat {
		case "ephemeral":
			s.Action = Ephemeral
		case "incremental":
			s.Action, s.Writes = Incremental, rel
			s.Detail = incrementalDetail(n)
		case "table":
			s.Action, s.Writes = Table, rel
		default:
			// compile-time checks reject other values; a view is the default
			s.Action, s.Writes = View, rel
		}
	}
	return s
}

func relationOf(n *compiler.Node) *warehouse.Relation {
	r := RelationOf(n)
	return &r
}

// RelationOf is the relation a node makes or (a source) names.
func RelationOf(n *compiler.Node) warehouse.Relation {
	name := n.Alias
	if n.ResourceType == compiler.TypeSource {
		name = n.Identifier
	}
	return warehouse.Relation{Database: n.Database, Schema: n.Schema, Name: name}
}

// reads returns the relations n's SQL reads (Manifest.ReadNodes).
func reads(m *compiler.Manifest, n *compiler.Node) []warehouse.Relation {
	out := []warehouse.Relation{}
	for _, p := range m.ReadNodes(n, nil) {
		out = append(out, RelationOf(p))
	}
	return out
}

func incrementalDetail(n *compiler.Node) string {
	strategy := n.Config.String("incremental_strategy")
	keys := n.Config.Strings("unique_key")
	if strategy == "" || strategy == "default" {
		strategy = warehouse.StrategyAppend
		if len(keys) > 0 {
			strategy = warehouse.StrategyMerge
		}
	}
	d := strategy
	if len(keys) > 0 {
		d += " on " + strings.Join(keys, ", ")
	}
	if et := n.Config.String("event_time"); strategy == warehouse.StrategyMicrobatch && et != "" {
		d += fmt.Sprintf(" by %s of %s", firstNonEmpty(n.Config.String("batch_size"), "?"), et)
	}
	return d
}

func snapshotDetail(n *compiler.Node) string {
	d := firstNonEmpty(n.Config.String("strategy"), "timestamp")
	if keys := n.Config.Strings("unique_key"); len(keys) > 0 {
		d += " on " + strings.Join(keys, ", ")
	}
	return d
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
