package cli

import (
	"slices"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/internal/suggest"
	"github.com/mart-dev/mart/plan"
)

// allKinds are the resource types, in the order a plan lists them.
var allKinds = []string{compiler.TypeSeed, compiler.TypeModel, compiler.TypeSnapshot, compiler.TypeTest,
	compiler.TypeUnitTest, compiler.TypeSource, compiler.TypeAnalysis}

// resourceTypes reads --resource-type values (repeatable, each a list
// split on commas or spaces, "all") less --exclude-resource-type's; no
// --resource-type means every type.
func resourceTypes(flags, excluded []string) ([]string, error) {
	read := func(flag string, values []string) ([]string, error) {
		var out []string
		for _, t := range listValues(values) {
			switch {
			case t == "all":
				out = append(out, allKinds...)
			case slices.Contains(allKinds, t):
				out = append(out, t)
			default:
				msg := flag + ": unknown type %q (expected model, seed, snapshot, test, unit_test, source, analysis or all)"
				if h := suggest.Hint(t, append(allKinds, "all"), 1); h != "" {
					msg += "; " + h
				}
				return nil, badInput(msg, t)
			}
		}
		return out, nil
	}
	in, err := read("--resource-type", flags)
	if err != nil {
		return nil, err
	}
	out, err := read("--exclude-resource-type", excluded)
	if err != nil {
		return nil, err
	}
	if len(in) == 0 {
		in = allKinds
	}
	kinds := make([]string, 0, len(allKinds))
	for _, k := range allKinds { // (in allKinds' order, each once)
		if slices.Contains(in, k) && !slices.Contains(out, k) {
			kinds = append(kinds, k)
		}
	}
	return kinds, nil
}

// newPlan makes the plan of the selected nodes of the given kinds.
func newPlan(res *compiler.Result, ids, kinds []string, storeFailures bool) *plan.Plan {
	return plan.New(res, ids, plan.Options{Kinds: kinds, StoreFailures: storeFailures, Hooks: true})
}
