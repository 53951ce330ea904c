package warehouse

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestInSQL(t *testing.T) {
	sel := "select a,\n  x\nfrom t;"
	stmt := "CREATE OR REPLACE TABLE r AS (\n" + TrimStatement(sel) + "\n)"
	base := errors.New("Binder Error: x")
	for _, tc := range []struct {
		line, col    int
		wantL, wantC int
		positioned   bool
	}{
		{3, 3, 2, 3, true},  // "  x": line 2 of the select
		{2, 8, 1, 8, true},  // on the select's first line
		{1, 5, 0, 0, false}, // in the adapter's CREATE: no position
		{5, 1, 0, 0, false}, // the closing parenthesis
		{4, 0, 3, 0, true},  // a line without a column
	} {
		err := InSQL(base, stmt, sel, tc.line, tc.col)
		l, c, ok := ErrorPosition(fmt.Errorf("wrapped: %w", err))
		assert.Equal(t, tc.positioned, ok, "%d:%d", tc.line, tc.col)
		assert.Equal(t, [2]int{tc.wantL, tc.wantC}, [2]int{l, c}, "%d:%d", tc.line, tc.col)
		assert.ErrorIs(t, err, base)
	}
	// the select starts mid-line: columns on its first line move
	err := InSQL(base, "SELECT * FROM (select 1 as y) LIMIT 5", "select 1 as y", 1, 20)
	l, c, ok := ErrorPosition(err)
	assert.True(t, ok)
	assert.Equal(t, [2]int{1, 5}, [2]int{l, c})
	assert.Nil(t, InSQL(nil, stmt, sel, 1, 1))
}
