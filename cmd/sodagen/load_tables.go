package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"time"
)

// kind is how a CSV field is typed when it goes into a store. An empty
// field is NULL, as when the CSV is read as a seed.
type kind int

const (
	kInt kind = iota
	kText
	kTime // YYYY-MM-DD HH:MM:SS, UTC
	kBool
	kDecimal // kept as its decimal text, exact
)

// column is a column of a store's table.
type column struct {
	name string
	kind kind
	pg   string // PostgreSQL type
	my   string // MariaDB type
}

// storeTable is a generated table as an operational store holds it.
type storeTable struct {
	seed  string // the CSV it comes from (raw_members)
	name  string // its name in the store (members)
	key   string // primary key column
	cols  []column
	index []string // an index for mart extract's incremental reads (cursor, key)
	// latest keeps one row per key, the one with the greatest value in
	// this column: the store holds a row's current state, where the seed
	// is a change-data-capture log with older versions.
	latest string
}

var (
	membersTable = storeTable{seed: "raw_members", name: "members", key: "member_id", cols: []column{
		{"member_id", kInt, "bigint", ""}, {"email", kText, "text NOT NULL", ""}, {"full_name", kText, "text NOT NULL", ""},
		{"signup_at", kTime, "timestamp NOT NULL", ""}, {"home_zone_id", kInt, "integer NOT NULL", ""},
		{"tier", kText, "text NOT NULL", ""}, {"tier_updated_at", kTime, "timestamp NOT NULL", ""},
		{"channel", kText, "text NOT NULL", ""}, {"birth_year", kInt, "integer", ""}, {"is_deleted", kBool, "boolean NOT NULL", ""},
	}}
	reservationsTable = storeTable{seed: "raw_reservations", name: "reservations", key: "reservation_id", latest: "updated_at",
		index: []string{"updated_at", "reservation_id"}, cols: []column{
			{"reservation_id", kInt, "bigint", ""}, {"member_id", kInt, "bigint NOT NULL", ""}, {"car_id", kInt, "integer NOT NULL", ""},
			{"zone_id", kInt, "integer NOT NULL", ""}, {"created_at", kTime, "timestamp NOT NULL", ""},
			{"start_at", kTime, "timestamp NOT NULL", ""}, {"end_at", kTime, "timestamp NOT NULL", ""},
			{"returned_at", kTime, "timestamp", ""}, {"status", kText, "text NOT NULL", ""}, {"cancelled_at", kTime, "timestamp", ""},
			{"distance_km", kDecimal, "numeric(10, 1)", ""}, {"updated_at", kTime, "timestamp NOT NULL", ""},
		}}
	paymentsTable = storeTable{seed: "raw_payments", name: "payments", key: "payment_id", cols: []column{
		{"payment_id", kInt, "", "BIGINT"}, {"reservation_id", kInt, "", "BIGINT NOT NULL"}, {"member_id", kInt, "", "BIGINT NOT NULL"},
		{"paid_at", kTime, "", "DATETIME NOT NULL"}, {"amount_cents", kInt, "", "INT NOT NULL"}, {"currency", kText, "", "CHAR(3) NOT NULL"},
		{"method", kText, "", "VARCHAR(16) NOT NULL"}, {"kind", kText, "", "ENUM('charge', 'refund') NOT NULL"},
		{"status", kText, "", "ENUM('succeeded', 'failed') NOT NULL"},
	}}
	appEventsTable = storeTable{seed: "raw_app_events", name: "app_events", key: "event_id", cols: []column{
		{"event_id", kInt, "", ""}, {"member_id", kInt, "", ""}, {"occurred_at", kTime, "", ""},
		{"event_type", kText, "", ""}, {"payload", kText, "", ""},
	}}
)

func (t storeTable) names() []string {
	out := make([]string, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.name
	}
	return out
}

// rowReader reads a table's CSV as typed rows, one at a time.
type rowReader struct {
	t       storeTable
	f       *os.File
	r       *csv.Reader
	pending []any // latest: the row held back until the next key is seen
	keyAt   int
	lastAt  int
	line    int
}

// openRows opens the CSV of t in dir and checks its header.
func openRows(dir string, t storeTable) (*rowReader, error) {
	f, err := os.Open(csvPath(dir, t.seed))
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(f)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s.csv: %w", t.seed, err)
	}
	if !slices.Equal(header, t.names()) {
		f.Close()
		return nil, fmt.Errorf("%s.csv: columns %v, want %v", t.seed, header, t.names())
	}
	rr := &rowReader{t: t, f: f, r: r, line: 1, keyAt: slices.Index(header, t.key), lastAt: slices.Index(header, t.latest)}
	return rr, nil
}

func (rr *rowReader) Close() error { return rr.f.Close() }

// Next returns the next row, or io.EOF.
func (rr *rowReader) Next() ([]any, error) {
	for {
		rec, err := rr.r.Read()
		if err == io.EOF {
			row := rr.pending
			rr.pending = nil
			if row == nil {
				return nil, io.EOF
			}
			return row, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s.csv: %w", rr.t.seed, err)
		}
		rr.line++
		row, err := rr.typed(rec)
		if err != nil {
			return nil, err
		}
		if rr.lastAt < 0 {
			return row, nil
		}
		// The generator writes a row's older versions right before it.
		prev := rr.pending
		switch {
		case prev == nil:
			rr.pending = row
		case prev[rr.keyAt] == row[rr.keyAt]:
			if row[rr.lastAt].(time.Time).After(prev[rr.lastAt].(time.Time)) {
				rr.pending = row
			}
		default:
			rr.pending = row
			return prev, nil
		}
	}
}

func (rr *rowReader) typed(rec []string) ([]any, error) {
	row := make([]any, len(rec))
	for i, s := range rec {
		if s == "" {
			continue
		}
		var err error
		switch rr.t.cols[i].kind {
		case kInt:
			row[i], err = strconv.ParseInt(s, 10, 64)
		case kTime:
			row[i], err = time.ParseInLocation(tsLayout, s, time.UTC)
		case kBool:
			row[i], err = strconv.ParseBool(s)
		default:
			row[i] = s
		}
		if err != nil {
			return nil, fmt.Errorf("%s.csv:%d: %s: %w", rr.t.seed, rr.line, rr.t.cols[i].name, err)
		}
	}
	return row, nil
}
