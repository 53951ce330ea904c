package selector

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// syntheticGraph builds a layered project of about n nodes: sources,
// staging, intermediate and mart models, plus two tests per model. One mart
// is fct_x; every seventh model is tagged y, every third is a table.
func syntheticGraph(n int) *Graph {
	r := rand.New(rand.NewPCG(1, 2))
	g := &Graph{Nodes: make(map[string]*Node, n)}
	add := func(nd *Node) { g.Nodes[nd.UniqueID] = nd }
	layers := []struct {
		name  string
		share int // per mille of n
	}{{"src", 50}, {"stg", 200}, {"int", 200}, {"mart", 150}}
	var prev, all []string
	count := 0
	for li, l := range layers {
		var cur []string
		for i := range n * l.share / 1000 {
			count++
			name := fmt.Sprintf("%s_%d", l.name, i)
			if l.name == "mart" && i == 0 {
				name = "fct_x"
			}
			nd := &Node{Name: name, Package: "p", FQN: []string{"p", l.name, name},
				Path: "models/" + l.name + "/" + name + ".sql", Config: map[string]any{"materialized": "view"}}
			if li == 0 {
				nd.UniqueID, nd.ResourceType, nd.SourceName = "source.p.raw."+name, "source", "raw"
			} else {
				nd.UniqueID, nd.ResourceType = "model.p."+name, "model"
				for range 1 + r.IntN(4) {
					nd.DependsOn = append(nd.DependsOn, prev[r.IntN(len(prev))])
				}
				if len(all) > 0 && r.IntN(3) == 0 {
					nd.DependsOn = append(nd.DependsOn, all[r.IntN(len(all))])
				}
				if count%7 == 0 {
					nd.Tags = []string{"y"}
				}
				if count%3 == 0 {
					nd.Config["materialized"] = "table"
				}
			}
			add(nd)
			cur = append(cur, nd.UniqueID)
		}
		all = append(all, prev...)
		prev = cur
	}
	models := append(slices.Clip(all[n*layers[0].share/1000:]), prev...)
	for i := 0; len(g.Nodes) < n; i++ {
		m := models[i%len(models)]
		add(&Node{UniqueID: fmt.Sprintf("test.p.t_%d", i), Name: fmt.Sprintf("t_%d", i), ResourceType: "test",
			TestType: "generic", Package: "p", DependsOn: []string{m}})
	}
	return g
}

func BenchmarkSelect(b *testing.B) {
	g := syntheticGraph(10000)
	for _, bc := range []struct {
		name string
		opt  Options
	}{{"plain", Options{}}, {"indirect", Options{IndirectTests: true}}} {
		b.Run(bc.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				got, err := Select(g, []string{"+fct_x+ tag:y,config.materialized:table"}, nil, bc.opt)
				if err != nil {
					b.Fatal(err)
				}
				n = len(got)
			}
			b.ReportMetric(float64(n), "selected")
		})
	}
}

func BenchmarkSelectManyNames(b *testing.B) {
	g := syntheticGraph(10000)
	sel := ""
	for i := range 200 {
		sel += fmt.Sprintf("stg_%d+ ", i)
	}
	for b.Loop() {
		if _, err := Select(g, []string{sel}, []string{"tag:y"}, Options{IndirectTests: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSyntheticGraph(t *testing.T) {
	g := syntheticGraph(10000)
	if len(g.Nodes) != 10000 {
		t.Fatalf("got %d nodes", len(g.Nodes))
	}
	got, err := Select(g, []string{"+fct_x+ tag:y,config.materialized:table"}, nil, Options{})
	if err != nil || len(got) == 0 {
		t.Fatalf("got %d, %v", len(got), err)
	}
}
