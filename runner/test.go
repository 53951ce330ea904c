package runner

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// failingRowsShown is how many failing rows a failed test prints.
const failingRowsShown = 5

func (r *Runner) storeFailures(n *compiler.Node) bool {
	return r.opt.StoreFailures || n.Config.Bool("store_failures", false)
}

// runTest runs a data test: its query returns the failing rows. The
// warehouse's dialect wraps it (fail_calc, warn_if, error_if, limit).
func (r *Runner) runTest(ctx context.Context, n *compiler.Node, res *NodeResult) error {
	body, err := r.sqlOf(ctx, n, res)
	if err != nil {
		return err
	}
	q := warehouse.TestQuery{SQL: body, FailCalc: n.Config.String("fail_calc"),
		WarnIf: n.Config.String("warn_if"), ErrorIf: n.Config.String("error_if")}
	if lim := n.Config.String("limit"); lim != "" {
		l, err := strconv.Atoi(lim)
		if err != nil || l < 0 {
			return fmt.Errorf("test %s: limit must be a whole number, got %q", n.Name, lim)
		}
		q.Limit = l
	}
	rows, err := r.wh.Query(ctx, r.wh.TestQuery(q), 0) // one row by construction
	if err != nil {
		return r.testError(n, err)
	}
	simple := q.Simple()
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
	case (shouldWarn || sev == "WARN" && shouldError) && r.opt.WarnError:
		res.Status = StatusFail
	case shouldWarn || (sev == "WARN" && shouldError):
		res.Status = StatusWarn
	default:
		res.Status = StatusPass
	}
	res.Message = fmt.Sprintf("%d failing row%s", failures, plural(failures))
	failing := body
	if q.Limit > 0 {
		failing = r.wh.LimitQuery(failing, q.Limit)
	}
	if failures > 0 {
		if shown, err := r.wh.Query(ctx, failing, failingRowsShown); err == nil {
			res.FailingRows = shown
		}
	}
	if r.storeFailures(n) {
		if _, err := r.wh.CreateTable(ctx, relationOf(n), failing, tableOptions(n)); err != nil {
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
