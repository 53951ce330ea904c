package warehouse

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// SeedError is a problem with a seed file found while validating it, before
// anything is loaded. Row is the 1-based CSV record number counting the
// header as row 1 (the row number a spreadsheet shows), or 0 for problems
// with the file as a whole. Line is the file line the record starts on; it
// differs from Row only when earlier fields contain line breaks.
type SeedError struct {
	File string
	Row  int
	Line int
	Msg  string
}

func (e *SeedError) Error() string {
	switch {
	case e.Row == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Line != 0 && e.Line != e.Row:
		return fmt.Sprintf("%s: row %d (line %d) %s", e.File, e.Row, e.Line, e.Msg)
	default:
		return fmt.Sprintf("%s: row %d %s", e.File, e.Row, e.Msg)
	}
}

// SeedColumn is one column of a scanned seed file.
type SeedColumn struct {
	// Name is the header text.
	Name string
	// Type is the inferred type; SeedString when Override is set.
	Type SeedType
	// Override is the SeedOptions.ColumnTypes entry for this column, if any.
	Override string
}

// SeedSchema is what [ScanSeed] learned about a seed file.
type SeedSchema struct {
	File      string
	Delimiter rune
	Columns   []SeedColumn
	// Rows is the number of data records (header excluded).
	Rows int64
}

// ScanSeed validates the seed file at path in one streaming pass (the file
// is never held in memory) and infers a type for each column from all of its
// values; see [SeedType] for the rules.
//
// The file must start with a header row whose names are non-empty and unique
// (case-insensitively, as engines compare column names); every record must
// have as many fields as the header; quoting must be valid CSV (RFC 4180:
// fields may be quoted, contain the delimiter, line breaks and doubled
// quotes). Empty fields are NULLs and do not influence inference. Blank lines
// are skipped, and so is a leading UTF-8 byte order mark. Every entry of opt.ColumnTypes must name a header column.
//
// Problems with the file are returned as *[SeedError] whose File is path as
// given.
func ScanSeed(ctx context.Context, path string, opt SeedOptions) (*SeedSchema, error) {
	delim := opt.Delimiter
	if delim == 0 {
		delim = ','
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *PathError already names the file
	}
	defer f.Close()

	br := bufio.NewReaderSize(f, 1<<20)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comma = delim
	cr.FieldsPerRecord = -1 // checked below, to produce our own message
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err == io.EOF {
		return nil, &SeedError{File: path, Msg: "file is empty; a header row is required"}
	}
	if err != nil {
		return nil, csvError(path, 1, err)
	}
	s := &SeedSchema{File: path, Delimiter: delim, Columns: make([]SeedColumn, len(header))}
	seen := make(map[string]int, len(header))
	for i, name := range header {
		if strings.TrimSpace(name) == "" {
			return nil, &SeedError{File: path, Row: 1, Line: 1, Msg: fmt.Sprintf("(the header) has an empty name for column %d", i+1)}
		}
		key := strings.ToLower(name)
		if j, dup := seen[key]; dup {
			return nil, &SeedError{File: path, Row: 1, Line: 1, Msg: fmt.Sprintf("(the header) names column %q twice (columns %d and %d)", name, j+1, i+1)}
		}
		seen[key] = i
		s.Columns[i] = SeedColumn{Name: name}
	}
	if err := applyOverrides(s, seen, opt.ColumnTypes); err != nil {
		return nil, err
	}

	inf := make([]inference, len(header))
	for i, c := range s.Columns {
		if c.Override != "" {
			inf[i].mask = 0
		} else {
			inf[i] = newInference()
		}
	}
	row := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		row++
		if err != nil {
			return nil, csvError(path, row, err)
		}
		if len(rec) != len(header) {
			line, _ := cr.FieldPos(0)
			return nil, &SeedError{File: path, Row: row, Line: line,
				Msg: fmt.Sprintf("has %d fields, expected %d (header has %d columns)", len(rec), len(header), len(header))}
		}
		for i, v := range rec {
			inf[i].observe(v)
		}
		if row%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	s.Rows = int64(row - 1)
	for i := range s.Columns {
		if s.Columns[i].Override == "" {
			s.Columns[i].Type = inf[i].result()
		} else {
			s.Columns[i].Type = SeedString
		}
	}
	return s, nil
}

func applyOverrides(s *SeedSchema, byLower map[string]int, types map[string]string) error {
	for name, typ := range types {
		i, ok := byLower[strings.ToLower(name)]
		if !ok {
			return &SeedError{File: s.File, Msg: fmt.Sprintf("column_types names column %q, which is not in the header", name)}
		}
		if strings.TrimSpace(typ) == "" {
			return &SeedError{File: s.File, Msg: fmt.Sprintf("column_types gives an empty type for column %q", name)}
		}
		s.Columns[i].Override = typ
	}
	return nil
}

// csvError turns an encoding/csv error for record row into a *SeedError.
func csvError(path string, row int, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &SeedError{File: path, Row: row, Line: pe.StartLine,
			Msg: fmt.Sprintf("is not valid CSV: %v (line %d, column %d)", pe.Err, pe.Line, pe.Column)}
	}
	return fmt.Errorf("%s: reading row %d: %w", path, row, err)
}
