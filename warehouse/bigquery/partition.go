package bigquery

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"cloud.google.com/go/bigquery"

	"github.com/mart-dev/mart/warehouse"
)

// partitioning is dbt's partition_by mapping for BigQuery:
//
//	partition_by: {field: created_at, data_type: timestamp, granularity: day}
//	partition_by: {field: store_id, data_type: int64, range: {start: 0, end: 100, interval: 10}}
//
// As a mart extension the mapping may also carry the table options
// partition_expiration_days and require_partition_filter (dbt's model
// configs of those names).
type partitioning struct {
	Field       string
	DataType    string // date, timestamp, datetime, int64
	Granularity string // hour, day, month, year (time types)
	Start, End  int64  // int64: range
	Interval    int64

	ExpirationDays         float64 // 0: none
	RequirePartitionFilter bool
}

var partitionKeys = []string{"field", "data_type", "granularity", "range",
	"partition_expiration_days", "require_partition_filter", "time_ingestion_partitioning", "copy_partitions"}

// parsePartitionBy reads the partition_by config: nil, a mapping, or a
// bare column name (a date column). Errors name the config key.
func parsePartitionBy(v any) (*partitioning, error) {
	if v == nil {
		return nil, nil
	}
	if s, ok := v.(string); ok {
		if s == "" {
			return nil, nil
		}
		if !isPlainName(s) {
			return nil, fmt.Errorf("partition_by %q: give a mapping such as {field: created_at, data_type: timestamp}", s)
		}
		return &partitioning{Field: s, DataType: "date", Granularity: "day"}, nil
	}
	m, ok := asMap(v)
	if !ok {
		return nil, fmt.Errorf("partition_by must be a mapping such as {field: created_at, data_type: timestamp}, got %T", v)
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !slices.Contains(partitionKeys, k) {
			return nil, fmt.Errorf("partition_by: unknown key %q (known: %s)", k, strings.Join(partitionKeys, ", "))
		}
	}
	p := &partitioning{
		Field:       strings.TrimSpace(fmt.Sprint(orDefault(m["field"], ""))),
		DataType:    strings.ToLower(fmt.Sprint(orDefault(m["data_type"], "date"))),
		Granularity: strings.ToLower(fmt.Sprint(orDefault(m["granularity"], "day"))),
	}
	if p.Field == "" {
		return nil, fmt.Errorf("partition_by.field is required (the column to partition by)")
	}
	for _, k := range []string{"time_ingestion_partitioning", "copy_partitions"} {
		if b, _ := m[k].(bool); b {
			return nil, fmt.Errorf("partition_by.%s is not supported by mart", k)
		}
	}
	if err := p.checkType(m["range"]); err != nil {
		return nil, err
	}
	if v, ok := m["partition_expiration_days"]; ok && v != nil {
		f, ok := number(v)
		if !ok || f <= 0 {
			return nil, fmt.Errorf("partition_by.partition_expiration_days must be a positive number of days, got %v", v)
		}
		p.ExpirationDays = f
	}
	if v, ok := m["require_partition_filter"]; ok && v != nil {
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("partition_by.require_partition_filter must be true or false, got %v", v)
		}
		p.RequirePartitionFilter = b
	}
	return p, nil
}

func (p *partitioning) checkType(rng any) error {
	switch p.DataType {
	case "date":
		if !slices.Contains([]string{"day", "month", "year"}, p.Granularity) {
			return fmt.Errorf("partition_by.granularity %q is not one of day, month, year (for data_type date)", p.Granularity)
		}
	case "timestamp", "datetime":
		if !slices.Contains([]string{"hour", "day", "month", "year"}, p.Granularity) {
			return fmt.Errorf("partition_by.granularity %q is not one of hour, day, month, year", p.Granularity)
		}
	case "int64":
		r, ok := asMap(rng)
		if !ok {
			return fmt.Errorf("partition_by.range is required for data_type int64: {start: 0, end: 100, interval: 10}")
		}
		vals := map[string]int64{}
		for _, k := range []string{"start", "end", "interval"} {
			f, ok := number(r[k])
			if !ok || f != float64(int64(f)) {
				return fmt.Errorf("partition_by.range.%s must be a whole number, got %v", k, r[k])
			}
			vals[k] = int64(f)
		}
		p.Start, p.End, p.Interval = vals["start"], vals["end"], vals["interval"]
		if p.Interval <= 0 || p.End <= p.Start {
			return fmt.Errorf("partition_by.range needs start < end and interval > 0, got start %d, end %d, interval %d", p.Start, p.End, p.Interval)
		}
		p.Granularity = ""
	default:
		return fmt.Errorf("partition_by.data_type %q is not one of date, timestamp, datetime, int64", p.DataType)
	}
	if rng != nil && p.DataType != "int64" {
		return fmt.Errorf("partition_by.range is only for data_type int64")
	}
	return nil
}

// expr is the partitioning expression over col (quoted, maybe with an
// alias): what PARTITION BY says and what insert_overwrite compares.
func (p *partitioning) expr(col string) string {
	unit := strings.ToUpper(p.Granularity)
	switch p.DataType {
	case "date":
		if unit == "DAY" {
			return col
		}
		return fmt.Sprintf("DATE_TRUNC(%s, %s)", col, unit)
	case "timestamp":
		return fmt.Sprintf("TIMESTAMP_TRUNC(%s, %s)", col, unit)
	case "datetime":
		return fmt.Sprintf("DATETIME_TRUNC(%s, %s)", col, unit)
	case "column": // insert_overwrite by a column's values
		return col
	}
	return fmt.Sprintf("RANGE_BUCKET(%s, GENERATE_ARRAY(%d, %d, %d))", col, p.Start, p.End, p.Interval)
}

// sqlType is the type of expr's values.
func (p *partitioning) sqlType() string {
	if p.DataType == "int64" {
		return "INT64"
	}
	return strings.ToUpper(p.DataType)
}

// matches reports whether an existing table has this partitioning.
func (p *partitioning) matches(md *bigquery.TableMetadata) bool {
	if p == nil {
		return md.TimePartitioning == nil && md.RangePartitioning == nil
	}
	if p.DataType == "int64" {
		rp := md.RangePartitioning
		return rp != nil && rp.Range != nil && strings.EqualFold(rp.Field, p.Field) &&
			rp.Range.Start == p.Start && rp.Range.End == p.End && rp.Range.Interval == p.Interval
	}
	tp := md.TimePartitioning
	return tp != nil && strings.EqualFold(tp.Field, p.Field) && strings.EqualFold(string(tp.Type), p.Granularity)
}

// parseClusterBy checks cluster_by: at most four column names.
func parseClusterBy(cols []string) ([]string, error) {
	if len(cols) > 4 {
		return nil, fmt.Errorf("cluster_by lists %d columns (%s); BigQuery clusters by at most 4", len(cols), strings.Join(cols, ", "))
	}
	for _, c := range cols {
		if strings.TrimSpace(c) == "" {
			return nil, fmt.Errorf("cluster_by has an empty column name")
		}
	}
	return cols, nil
}

func clusteringMatches(cols []string, md *bigquery.TableMetadata) bool {
	var have []string
	if md.Clustering != nil {
		have = md.Clustering.Fields
	}
	return slices.EqualFunc(cols, have, strings.EqualFold)
}

// tableSpec is what CREATE TABLE needs from warehouse.TableOptions.
type tableSpec struct {
	part    *partitioning
	cluster []string
	opt     warehouse.TableOptions
}

func newTableSpec(opt warehouse.TableOptions) (*tableSpec, error) {
	part, err := parsePartitionBy(opt.PartitionBy)
	if err != nil {
		return nil, err
	}
	cluster, err := parseClusterBy(opt.ClusterBy)
	if err != nil {
		return nil, err
	}
	return &tableSpec{part: part, cluster: cluster, opt: opt}, nil
}

// replaceable reports whether CREATE OR REPLACE TABLE can replace the
// existing relation in place (BigQuery refuses to change the partitioning
// that way, and a view is not a table).
func (s *tableSpec) replaceable(md *bigquery.TableMetadata) bool {
	return md == nil || (kindOf(md) == "table" && s.part.matches(md) && clusteringMatches(s.cluster, md))
}

// asMap converts any map with string keys to map[string]any.
func asMap(v any) (map[string]any, bool) {
	if m, ok := v.(map[string]any); ok {
		return m, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map {
		return nil, false
	}
	out := make(map[string]any, rv.Len())
	it := rv.MapRange()
	for it.Next() {
		out[fmt.Sprint(it.Key().Interface())] = it.Value().Interface()
	}
	return out, true
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

func orDefault(v, def any) any {
	if v == nil {
		return def
	}
	return v
}

func isPlainName(s string) bool {
	for i, r := range s {
		if !(r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9')) {
			return false
		}
	}
	return s != ""
}
