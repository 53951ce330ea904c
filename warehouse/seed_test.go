package warehouse

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

func TestClassify(t *testing.T) {
	cases := map[string]SeedType{
		"1":                           SeedInteger,
		"-42":                         SeedInteger,
		"+7":                          SeedInteger,
		"0":                           SeedInteger,
		"9223372036854775807":         SeedInteger,
		"9223372036854775808":         SeedString, // too big: an identifier
		"007":                         SeedString, // leading zero: a code
		"1.5":                         SeedDouble,
		"-.5":                         SeedDouble,
		"5.":                          SeedDouble,
		"0.25":                        SeedDouble,
		"1e10":                        SeedDouble,
		"2.5E-3":                      SeedDouble,
		"00.5":                        SeedString,
		"1e":                          SeedString,
		".":                           SeedString,
		"-":                           SeedString,
		"1,5":                         SeedString,
		"true":                        SeedBoolean,
		"FALSE":                       SeedBoolean,
		"t":                           SeedString,
		"yes":                         SeedString,
		"2024-02-29":                  SeedDate,
		"2000-02-29":                  SeedDate,
		"1900-02-29":                  SeedString,
		"2024-04-31":                  SeedString,
		"2024-12-31":                  SeedDate,
		"2024-13-01":                  SeedString,
		"2024-00-10":                  SeedString,
		"2024-01-00":                  SeedString,
		"2024-01-02 23:59:59":         SeedTimestamp,
		"2024-01-02 23:60:59":         SeedString,
		"2024-01-02 3:04:05":          SeedString,
		"2024-01-02 03:04:05.1234567": SeedString,
		"2024/01/02":                  SeedString,
		"2024-01-0x":                  SeedString,
		"2023-02-29":                  SeedString,
		"2024-1-01":                   SeedString,
		"2024-01-02 03:04:05":         SeedTimestamp,
		"2024-01-02T03:04:05.123456":  SeedTimestamp,
		"2024-01-02T03:04:05.":        SeedString,
		"2024-01-02T03:04:05Z":        SeedString,
		"2024-01-02 03:04:05+02":      SeedString,
		"2024-01-02 25:04:05":         SeedString,
		" 1":                          SeedString,
		"NaN":                         SeedString,
		"abc":                         SeedString,
	}
	for v, want := range cases {
		in := newInference()
		in.observe(v)
		assert.Equal(t, want, in.result(), "value %q", v)
	}
}

func TestInferenceMixes(t *testing.T) {
	cases := []struct {
		vals []string
		want SeedType
	}{
		{[]string{"1", "2.5"}, SeedDouble},
		{[]string{"1", "", "3"}, SeedInteger},
		{[]string{"", ""}, SeedString},
		{[]string{"2024-01-01", "2024-01-01 10:00:00"}, SeedTimestamp},
		{[]string{"1", "true"}, SeedString},
		{[]string{"1", "007"}, SeedString},
		{[]string{"2024-01-01", "x"}, SeedString},
	}
	for _, c := range cases {
		in := newInference()
		for _, v := range c.vals {
			in.observe(v)
		}
		assert.Equal(t, c.want, in.result(), "values %q", c.vals)
	}
}

func TestScanSeed(t *testing.T) {
	p := writeFile(t, "x.csv", "\ufeff\"first name\",\"a,b\",n,when,flag\r\n"+
		"\"Ann \"\"A\"\"\",1.5,1,2024-01-01,true\n"+
		"\"multi\nline\",,2,2024-01-02,\n"+
		"\n"+
		"bob,3,,,false\n")
	s, err := ScanSeed(context.Background(), p, SeedOptions{ColumnTypes: map[string]string{"N": "varchar"}})
	require.NoError(t, err)
	assert.Equal(t, int64(3), s.Rows)
	assert.Equal(t, []SeedColumn{
		{Name: "first name", Type: SeedString},
		{Name: "a,b", Type: SeedDouble},
		{Name: "n", Type: SeedString, Override: "varchar"},
		{Name: "when", Type: SeedDate},
		{Name: "flag", Type: SeedBoolean},
	}, s.Columns)
}

func TestScanSeedErrors(t *testing.T) {
	ctx := context.Background()
	var lines []string
	lines = append(lines, "a,b,c,d,e")
	for i := 2; i < 17; i++ {
		lines = append(lines, "1,2,3,4,5")
	}
	lines = append(lines, "1,2,3,4")
	p := writeFile(t, "ragged.csv", strings.Join(lines, "\n")+"\n")
	_, err := ScanSeed(ctx, p, SeedOptions{})
	var se *SeedError
	require.True(t, errors.As(err, &se), "%v", err)
	assert.Equal(t, 17, se.Row)
	assert.Equal(t, p+": row 17 has 4 fields, expected 5 (header has 5 columns)", err.Error())

	// A quoted line break moves the line number away from the row number.
	p = writeFile(t, "ragged2.csv", "a,b\n\"x\ny\",1\n1,2,3\n")
	_, err = ScanSeed(ctx, p, SeedOptions{})
	assert.EqualError(t, err, p+": row 3 (line 4) has 3 fields, expected 2 (header has 2 columns)")

	for name, tc := range map[string]struct{ content, msg string }{
		"empty":     {"", "file is empty; a header row is required"},
		"dup":       {"a,B,b\n", `row 1 (the header) names column "b" twice (columns 2 and 3)`},
		"blankname": {"a,,c\n", "row 1 (the header) has an empty name for column 2"},
		"badquote":  {"a,b\n1,\"x\"y\n", "row 2 is not valid CSV"},
	} {
		p := writeFile(t, name+".csv", tc.content)
		_, err := ScanSeed(ctx, p, SeedOptions{})
		require.Error(t, err, name)
		assert.True(t, errors.As(err, &se), name)
		assert.Contains(t, err.Error(), p+": "+tc.msg, name)
	}

	p = writeFile(t, "ok.csv", "a;b\n1;2\n")
	_, err = ScanSeed(ctx, p, SeedOptions{ColumnTypes: map[string]string{"c": "int"}, Delimiter: ';'})
	assert.EqualError(t, err, p+`: column_types names column "c", which is not in the header`)
	s, err := ScanSeed(ctx, p, SeedOptions{Delimiter: ';'})
	require.NoError(t, err)
	assert.Len(t, s.Columns, 2)

	_, err = ScanSeed(ctx, filepath.Join(t.TempDir(), "missing.csv"), SeedOptions{})
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestTempNames(t *testing.T) {
	n := TempName("orders")
	assert.True(t, strings.HasPrefix(n, "orders__mart_tmp_"))
	assert.True(t, IsTempName(n))
	assert.False(t, IsTempName("orders"))
	assert.NotEqual(t, n, TempName("orders"))
	assert.Equal(t, "select 1", TrimStatement("  select 1 ;\n; \n"))
	assert.Equal(t, "db.s.t", Relation{"db", "s", "t"}.String())
	assert.Equal(t, "t", Relation{Name: "t"}.String())
}
