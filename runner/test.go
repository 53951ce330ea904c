package runner

import (
	"context"
	"fmt"
	"strings"

	"github.com/mart-dev/mart/compiler"
)

// failingRowsShown is how many failing rows a failed test prints.
const failingRowsShown = 5

func (r *Runner) storeFailures(n *compiler.Node) bool {
	return r.opt.StoreFailures || n.Config.Bool("store_failures", false)
}

// runTest runs a data test: its query returns the failing rows.
func (r *Runner) runTest(ctx context.Context, n *compiler.Node, res *NodeResult) error {
	body := strings.TrimRight(strings.TrimSpace(n.CompiledCode), ";")
	inner := body
	if lim := n.Config.String("limit"); lim != "" {
		inner = "select * from (\n" + body + "\n) dbt_limited limit " + lim
	}
	failCalc := firstNonEmpty(n.Config.String("fail_calc"), "count(*)")
	warnIf := firstNonEmpty(n.Config.String("warn_if"), "!= 0")
	errorIf := firstNonEmpty(n.Config.String("error_if"), "!= 0")
	// The common case, count(*) compared with 0, is one aggregate for the
	// database to plan; custom fail_calc/warn_if/error_if are evaluated by
	// it, in dbt's shape.
	simple := failCalc == "count(*)" && strings.ReplaceAll(warnIf, " ", "") == "!=0" && strings.ReplaceAll(errorIf, " ", "") == "!=0"
	q := fmt.Sprintf("select %s as failures, case when %s %s then 1 else 0 end as should_warn, case when %s %s then 1 else 0 end as should_error from (\n%s\n) dbt_internal_test",
		failCalc, failCalc, warnIf, failCalc, errorIf, inner)
	if simple {
		q = "select count(*) as failures from (\n" + inner + "\n) dbt_internal_test"
	}
	rows, err := r.wh.Query(ctx, q, 0) // one row by construction: no LIMIT wrapper needed
	if err != nil {
		return r.testError(n, err)
	}
	if len(rows.Values) != 1 || (simple && len(rows.Values[0]) != 1) || (!simple && len(rows.Values[0]) != 3) {
		return fmt.Errorf("test %s: the test query returned no result row", n.Name)
	}
	failures := toInt(rows.Values[0][0])
	shouldWarn, shouldError := failures != 0, failures != 0
	if !simple {
		shouldWarn, shouldError = toInt(rows.Values[0][1]) == 1, toInt(rows.Values[0][2]) == 1
	}
	res.Failures = &failures
	sev := strings.ToUpper(firstNonEmpty(n.Config.String("severity"), "ERROR"))
	switch {
	case sev == "ERROR" && shouldError:
		res.Status = StatusFail
	case shouldWarn || (sev == "WARN" && shouldError):
		res.Status = StatusWarn
	default:
		res.Status = StatusPass
	}
	res.Message = fmt.Sprintf("%d failing row%s", failures, plural(failures))
	if failures > 0 {
		if shown, err := r.wh.Query(ctx, inner, failingRowsShown); err == nil {
			res.FailingRows = shown
		}
	}
	if r.storeFailures(n) {
		if _, err := r.wh.CreateTable(ctx, relationOf(n), inner, tableOptions(n)); err != nil {
			return r.testError(n, err)
		}
		res.StoredIn = n.Relation
	}
	return nil
}

func (r *Runner) testError(n *compiler.Node, err error) error {
	e := sqlError(n, err)
	if file, line := n.Declared(); n.TestType == "generic" && file != "" {
		return fmt.Errorf("%w\n  the test is declared in %s:%d", e, file, line)
	}
	return e
}

func toInt(v any) int64 {
	switch t := v.(type) {
	case int64:
		return t
	case int32:
		return int64(t)
	case int:
		return int64(t)
	case float64:
		return int64(t)
	case bool:
		if t {
			return 1
		}
		return 0
	case string:
		var n int64
		fmt.Sscan(t, &n)
		return n
	}
	return 0
}

func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
