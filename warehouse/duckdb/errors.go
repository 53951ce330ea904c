package duckdb

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"sync"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/mart-dev/mart/warehouse"
)

// errLine finds DuckDB's pointer to a statement's line in an error:
// "LINE 3:   x\n          ^".
var errLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^LINE (\d+): (.*)\n( *)\^`) })

// located adds to a DuckDB error about stmt the position it names, moved
// into selectSQL (the compiled SQL that stmt wraps), so the user sees the
// line of their own file. DuckDB shortens long lines to a window marked
// "...": the column is then left out.
func located(err error, stmt, selectSQL string) error {
	var de *duckdb.Error
	if err == nil || !errors.As(err, &de) {
		return err
	}
	m := errLine().FindStringSubmatch(de.Msg)
	if m == nil {
		return err
	}
	line, _ := strconv.Atoi(m[1])
	col := len(m[3]) - len("LINE "+m[1]+": ") + 1
	if strings.HasPrefix(m[2], "...") || col < 1 {
		col = 0
	}
	return warehouse.InSQL(err, stmt, selectSQL, line, col)
}
