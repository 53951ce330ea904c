package bigquery

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mart-dev/mart/warehouse"
)

// The schema of a CSV or newline-delimited JSON file, derived by mart
// instead of BigQuery's autodetection: autodetection samples the first
// rows only (a later value that does not fit fails the load), and it
// names a CSV file's columns string_field_0, ... when every column holds
// text (it cannot tell the header row from the data then). mart reads the
// whole file (it reads it anyway for its checksum), takes the names from
// the header row or the JSON keys, and gives each column the narrowest of
// these types that holds every value, as DuckDB's read_csv and read_json
// do: BOOL, INT64, FLOAT64, DATE, TIME, DATETIME (a timestamp without
// zone), TIMESTAMP (with a zone or offset), else STRING. JSON objects and
// arrays, and JSON columns whose values are of several kinds, are JSON.
// A column of NULLs only is STRING in a CSV file, JSON in a JSON file.

// fileKind is a column's inferred type: a lattice from none (no value
// seen) up to STRING (CSV) or JSON (JSON files).
type fileKind uint8

const (
	kNone fileKind = iota
	kBool
	kInt
	kFloat
	kDate
	kTime
	kDatetime
	kTimestamp
	kString
	kJSON
)

var fileKindTypes = [...]string{kNone: "STRING", kBool: "BOOL", kInt: "INT64", kFloat: "FLOAT64", kDate: "DATE",
	kTime: "TIME", kDatetime: "DATETIME", kTimestamp: "TIMESTAMP", kString: "STRING", kJSON: "JSON"}

var (
	intRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[+-]?[0-9]+$`) })
	floatRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)
	})
	dateRE     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`) })
	timeRE     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?$`) })
	datetimeRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?)$`)
	})
	timestampRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?) ?(Z|UTC|[+-][0-9]{2}(:?[0-9]{2})?)$`)
	})
)

// textKind is the narrowest kind of a non-empty text value.
func textKind(s string) fileKind {
	switch {
	case strings.EqualFold(s, "true") || strings.EqualFold(s, "false"):
		return kBool
	case intRE().MatchString(s):
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			return kInt
		}
		return kFloat // too wide for INT64, as DuckDB reads it
	case floatRE().MatchString(s):
		return kFloat
	case dateRE().MatchString(s):
		if validDate(s) {
			return kDate
		}
	case timeRE().MatchString(s):
		if validClock(s) {
			return kTime
		}
	case datetimeRE().MatchString(s):
		if m := datetimeRE().FindStringSubmatch(s); validDate(m[1]) && validClock(m[2]) {
			return kDatetime
		}
	case timestampRE().MatchString(s):
		if m := timestampRE().FindStringSubmatch(s); validDate(m[1]) && validClock(m[2]) {
			return kTimestamp
		}
	}
	return kString
}

func validDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func validClock(s string) bool {
	h, _ := strconv.Atoi(s[0:2])
	m, _ := strconv.Atoi(s[3:5])
	sec, _ := strconv.Atoi(s[6:8])
	return h < 24 && m < 60 && sec < 60
}

// mergeText is the kind that holds values of kinds a and b in a CSV file.
func mergeText(a, b fileKind) fileKind {
	switch {
	case a == b || b == kNone:
		return a
	case a == kNone:
		return b
	case a > b:
		a, b = b, a
	}
	if a == kInt && b == kFloat {
		return kFloat
	}
	return kString // as DuckDB: dates mixed with date-times are text
}

// mergeJSON is the kind that holds values of kinds a and b in a JSON
// file: values of different JSON kinds (a number and a string) make a
// JSON column.
func mergeJSON(a, b fileKind) fileKind {
	if a == kJSON || b == kJSON {
		return kJSON
	}
	m := mergeText(a, b)
	if m == kString && !(textual(a) && textual(b)) {
		return kJSON
	}
	return m
}

// textual says values of kind k are JSON strings.
func textual(k fileKind) bool { return k == kNone || k >= kDate && k <= kString }

// fileColumns derives the columns of a CSV or newline-delimited JSON file.
func fileColumns(format warehouse.FileFormat, path string) ([]warehouse.Column, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	if magic, _ := r.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) { // gzip, which load jobs read too
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		defer zr.Close()
		r = bufio.NewReaderSize(zr, 1<<20)
	}
	if bom, _ := r.Peek(3); bytes.Equal(bom, []byte("\xEF\xBB\xBF")) {
		_, _ = r.Discard(3)
	}
	var names []string
	var kinds []fileKind
	if format == warehouse.FormatCSV {
		names, kinds, err = csvColumns(r)
	} else {
		names, kinds, err = jsonColumns(r)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("read %s: the file has no columns", path)
	}
	cols := make([]warehouse.Column, len(names))
	for i, n := range names {
		cols[i] = warehouse.Column{Name: n, Type: fileKindTypes[kinds[i]]}
		if kinds[i] == kNone && format == warehouse.FormatJSON {
			cols[i].Type = "JSON"
		}
	}
	return cols, nil
}

// csvColumns reads the header row's names (an empty one is column<i>, a
// repeated one gets _1, _2, as in DuckDB) and every record's values (an
// empty field is NULL).
func csvColumns(r io.Reader) ([]string, []fileKind, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	names := make([]string, len(head))
	seen := map[string]bool{}
	for i, h := range head {
		n := strings.TrimSpace(h)
		if n == "" {
			n = "column" + strconv.Itoa(i)
		}
		base := n
		for k := 1; seen[strings.ToLower(n)]; k++ {
			n = base + "_" + strconv.Itoa(k)
		}
		seen[strings.ToLower(n)] = true
		names[i] = n
	}
	kinds := make([]fileKind, len(names))
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return names, kinds, nil
		}
		if err != nil {
			return nil, nil, err
		}
		if len(rec) != len(names) {
			line, _ := cr.FieldPos(0)
			return nil, nil, fmt.Errorf("line %d has %d fields, the header %d", line, len(rec), len(names))
		}
		for i, v := range rec {
			if v != "" {
				kinds[i] = mergeText(kinds[i], textKind(v))
			}
		}
	}
}

// jsonColumns reads every object's keys, in the order they first appear,
// and the kinds of their values.
func jsonColumns(r *bufio.Reader) ([]string, []fileKind, error) {
	var names []string
	var kinds []fileKind
	index := map[string]int{}
	for line := 1; ; line++ {
		b, err := r.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			if perr := jsonObject(b, func(k string, raw json.RawMessage) {
				i, ok := index[k]
				if !ok {
					i = len(names)
					index[k] = i
					names, kinds = append(names, k), append(kinds, kNone)
				}
				kinds[i] = mergeJSON(kinds[i], jsonKind(raw))
			}); perr != nil {
				return nil, nil, fmt.Errorf("line %d: %w", line, perr)
			}
		}
		if errors.Is(err, io.EOF) {
			return names, kinds, nil
		}
		if err != nil {
			return nil, nil, err
		}
	}
}

// jsonObject calls f with each key and value of the object in b, in order.
func jsonObject(b []byte, f func(string, json.RawMessage)) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errors.New("not a JSON object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		f(tok.(string), raw)
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

// jsonKind is the kind of a JSON value.
func jsonKind(raw json.RawMessage) fileKind {
	switch raw[0] {
	case 'n':
		return kNone
	case 't', 'f':
		return kBool
	case '{', '[':
		return kJSON
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil || s == "" {
			return kString
		}
		if k := textKind(s); k >= kDate {
			return k
		}
		return kString // "12" and "true" stay text in a JSON file
	}
	if k := textKind(string(raw)); k == kInt || k == kFloat {
		return k
	}
	return kFloat
}
