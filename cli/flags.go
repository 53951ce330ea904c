package cli

import (
	"slices"
	"strings"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/internal/suggest"
	"github.com/mart-dev/mart/plan"
)

// allKinds are the resource types, in the order a plan lists them.
var allKinds = []string{compiler.TypeSeed, compiler.TypeModel, compiler.TypeSnapshot, compiler.TypeTest,
	compiler.TypeUnitTest, compiler.TypeSource, compiler.TypeAnalysis}

// resourceTypes reads --resource-type values (repeatable, comma-separated,
// "all"); none means every type.
func resourceTypes(flags []string) ([]string, error) {
	var out []string
	for _, f := range flags {
		for _, t := range strings.Split(f, ",") {
			t = strings.TrimSpace(t)
			switch {
			case t == "all":
				return allKinds, nil
			case slices.Contains(allKinds, t):
				out = append(out, t)
			default:
				msg := "--resource-type: unknown type %q (expected model, seed, snapshot, test, unit_test, source, analysis or all)"
				if h := suggest.Hint(t, append(allKinds, "all"), 1); h != "" {
					msg += "; " + h
				}
				return nil, badInput(msg, t)
			}
		}
	}
	if len(out) == 0 {
		return allKinds, nil
	}
	return out, nil
}

// newPlan makes the plan of the selected nodes of the given kinds.
func newPlan(res *compiler.Result, ids, kinds []string, storeFailures bool) *plan.Plan {
	return plan.New(res, ids, plan.Options{Kinds: kinds, StoreFailures: storeFailures, Hooks: true})
}
