package direct

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Result counts what Run executed.
type Result struct {
	Statements  map[Kind]int
	FailedTests int // tests whose query returned rows
	Elapsed     time.Duration
}

// Run executes the plan's statements one after another on a single
// connection of db, stopping at the first error.
func Run(ctx context.Context, db *sql.DB, p *Plan) (Result, error) {
	res := Result{Statements: map[Kind]int{}}
	start := time.Now()
	conn, err := db.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	for _, st := range p.Statements {
		if st.Kind == KindTest {
			var failures int64
			if err := conn.QueryRowContext(ctx, st.SQL).Scan(&failures); err != nil {
				return res, fmt.Errorf("%s: %w\n%s", st.Node, err, st.SQL)
			}
			if failures > 0 {
				res.FailedTests++
			}
		} else if _, err := conn.ExecContext(ctx, st.SQL); err != nil {
			return res, fmt.Errorf("%s %s: %w\n%s", st.Kind, st.Node, err, st.SQL)
		}
		res.Statements[st.Kind]++
	}
	res.Elapsed = time.Since(start)
	return res, nil
}
