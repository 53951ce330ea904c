package bigquery

import (
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
)

type goldenCase struct {
	name string
	run  func(e *fakeEnv)
}

// Schemas of the fake's tables used by the cases.
var (
	rentalCols = []bqfake.Field{{Name: "rental_id", Type: "INT64"}, {Name: "store_id", Type: "INT64"},
		{Name: "customer_id", Type: "INT64"}, {Name: "amount", Type: "NUMERIC"},
		{Name: "rented_at", Type: "TIMESTAMP"}, {Name: "rental_date", Type: "DATE"}}
	customerCols = []bqfake.Field{{Name: "id", Type: "INT64"}, {Name: "name", Type: "STRING"},
		{Name: "email", Type: "STRING"}, {Name: "updated_at", Type: "TIMESTAMP"}}
	snapshotMeta = []bqfake.Field{{Name: "dbt_scd_id", Type: "STRING"}, {Name: "dbt_updated_at", Type: "TIMESTAMP"},
		{Name: "dbt_valid_from", Type: "TIMESTAMP"}, {Name: "dbt_valid_to", Type: "TIMESTAMP"}}
)

// Model SQL of the cases: what the compiler hands the adapter.
const (
	rentalsSQL = "SELECT rental_id, store_id, customer_id, amount, rented_at, DATE(rented_at) AS rental_date\n" +
		"FROM `proj.raw.rentals`\nWHERE rented_at >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 3 DAY)"
	customersSQL = "SELECT id, name, email, updated_at FROM `proj.raw.customers`"
)

// seedCatalog adds the source tables the models read.
func (e *fakeEnv) seedCatalog() {
	e.fake.AddDataset("proj", "raw", "EU")
	e.fake.AddTable(bqfake.Table{Project: "proj", Dataset: "raw", Name: "rentals", Schema: rentalCols, NumRows: 1000})
	e.fake.AddTable(bqfake.Table{Project: "proj", Dataset: "raw", Name: "customers", Schema: customerCols, NumRows: 100})
}

// table adds a table (or view) to the mart dataset.
func (e *fakeEnv) table(name string, cols []bqfake.Field, mutate ...func(*bqfake.Table)) {
	t := bqfake.Table{Project: "proj", Dataset: "mart", Name: name, Schema: cols, NumRows: 10}
	for _, m := range mutate {
		m(&t)
	}
	e.fake.AddTable(t)
}

// batch scripts the columns a dry run of sql reports.
func (e *fakeEnv) batch(sql string, cols []bqfake.Field) {
	e.fake.OnQuery(regexp.QuoteMeta(sql), bqfake.Result{Schema: cols})
}

func asView(t *bqfake.Table) { t.Kind = "VIEW" }

func rel(name string) warehouse.Relation { return warehouse.Relation{Name: name} }

var rentalsTable = warehouse.TableOptions{
	PartitionBy: map[string]any{"field": "rented_at", "data_type": "timestamp", "granularity": "day",
		"partition_expiration_days": 30, "require_partition_filter": true},
	ClusterBy:          []string{"store_id", "customer_id"},
	Description:        "Rentals, one row per rental. It's the core fact.",
	Labels:             map[string]string{"team": "data", "Cost Center": "Mart-42"},
	ColumnDescriptions: map[string]string{"rental_id": "The rental", "amount": "Paid, in EUR", "no_such_column": "ignored"},
}

func (e *fakeEnv) incremental(sql string, opt warehouse.IncrementalOptions) {
	_, err := e.w.Incremental(e.ctx, rel("fct_rentals"), sql, opt)
	require.NoError(e.t, err)
}

func (e *fakeEnv) snapshot(opt warehouse.SnapshotOptions) {
	opt.Now = time.Date(2026, 3, 10, 4, 5, 6, 0, time.UTC)
	_, err := e.w.Snapshot(e.ctx, rel("customers_snapshot"), customersSQL, opt)
	require.NoError(e.t, err)
}

// freshness runs the source freshness query of `mart source freshness`
// on the rentals source table.
func (e *fakeEnv) freshness(filter, loadedAt string) {
	q := Dialect{}.FreshnessQuery(Dialect{}.RelationName("proj", "raw", "rentals"), loadedAt, filter)
	e.batch(q, []bqfake.Field{{Name: "max_loaded_at", Type: "TIMESTAMP"}, {Name: "snapshotted_at", Type: "TIMESTAMP"}})
	_, err := e.w.Query(e.ctx, q, 0)
	require.NoError(e.t, err)
}

func goldenCases() []goldenCase {
	plusFlag := append(append([]bqfake.Field{}, rentalCols...), bqfake.Field{Name: "is_late", Type: "BOOL"})
	var cases = []goldenCase{
		{"freshness", func(e *fakeEnv) { e.freshness("", "rented_at") }},
		{"freshness_filter", func(e *fakeEnv) { e.freshness("store_id = 1 and rented_at >= '2026-01-01'", "rented_at") }},
		{"freshness_date_column", func(e *fakeEnv) { e.freshness("", "date(rented_at)") }},
		{"table_create", func(e *fakeEnv) {
			_, err := e.w.CreateTable(e.ctx, rel("fct_rentals"), rentalsSQL, rentalsTable)
			require.NoError(e.t, err)
		}},
		{"table_contract", func(e *fakeEnv) {
			opt := warehouse.TableOptions{Contract: &warehouse.Contract{
				Columns: []warehouse.ContractColumn{
					{Name: "id", Type: "INT64", Constraints: []warehouse.Constraint{{Type: "not_null"}, {Type: "primary_key"}}},
					{Name: "name", Type: "STRING"},
					{Name: "email", Type: "STRING", Constraints: []warehouse.Constraint{{Type: "check", Expression: "email LIKE '%@%'"}}},
					{Name: "updated_at", Type: "TIMESTAMP"},
				}}}
			require.NoError(e.t, warehouse.CheckContract(e.ctx, e.w, e.w, opt.Contract, customersSQL))
			_, err := e.w.CreateTable(e.ctx, rel("dim_customers"), customersSQL, opt)
			require.NoError(e.t, err)
			rows, err := e.w.Query(e.ctx, "SELECT COUNT(*) FROM `proj.mart.dim_customers`", 0)
			require.NoError(e.t, err)
			require.Len(e.t, rows.Values, 1)
			cols, _, err := e.w.Describe(e.ctx, rel("dim_customers"))
			require.NoError(e.t, err)
			require.Equal(e.t, []warehouse.Column{{Name: "id", Type: "INT64"}, {Name: "name", Type: "STRING"}, {Name: "email", Type: "STRING"},
				{Name: "updated_at", Type: "TIMESTAMP"}}, cols)
			mismatch := &warehouse.Contract{Columns: []warehouse.ContractColumn{{Name: "id", Type: "STRING"}}}
			err = warehouse.CheckContract(e.ctx, e.w, e.w, mismatch, customersSQL)
			require.ErrorContains(e.t, err, "data type differs")
		}},
		{"table_replace", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols, func(t *bqfake.Table) {
				t.Partitioning = &bqfake.Partitioning{Type: "DAY", Field: "rented_at"}
				t.Clustering = []string{"store_id", "customer_id"}
			})
			_, err := e.w.CreateTable(e.ctx, rel("fct_rentals"), rentalsSQL, rentalsTable)
			require.NoError(e.t, err)
		}},
		{"table_repartition", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols, func(t *bqfake.Table) { t.Partitioning = &bqfake.Partitioning{Type: "MONTH", Field: "rented_at"} })
			_, err := e.w.CreateTable(e.ctx, rel("fct_rentals"), rentalsSQL, warehouse.TableOptions{
				PartitionBy: map[string]any{"field": "rental_date", "data_type": "date"}})
			require.NoError(e.t, err)
		}},
		{"table_over_view", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols, asView)
			_, err := e.w.CreateTable(e.ctx, rel("fct_rentals"), rentalsSQL, warehouse.TableOptions{})
			require.NoError(e.t, err)
		}},
		{"table_partition_int64", func(e *fakeEnv) {
			_, err := e.w.CreateTable(e.ctx, rel("fct_rentals"), rentalsSQL, warehouse.TableOptions{PartitionBy: map[string]any{
				"field": "store_id", "data_type": "int64", "range": map[string]any{"start": 0, "end": 1000, "interval": 10}}})
			require.NoError(e.t, err)
		}},
		{"table_partition_date_month", func(e *fakeEnv) {
			_, err := e.w.CreateTable(e.ctx, rel("fct_rentals"), rentalsSQL, warehouse.TableOptions{PartitionBy: map[string]any{
				"field": "rental_date", "data_type": "date", "granularity": "month"}, ClusterBy: []string{"store_id"}})
			require.NoError(e.t, err)
		}},
		{"table_partition_datetime_hour", func(e *fakeEnv) {
			_, err := e.w.CreateTable(e.ctx, rel("fct_rentals"), "SELECT DATETIME(rented_at) AS rented_at_local FROM `proj.raw.rentals`",
				warehouse.TableOptions{PartitionBy: map[string]any{"field": "rented_at_local", "data_type": "datetime", "granularity": "hour"}})
			require.NoError(e.t, err)
		}},
		{"view_create", func(e *fakeEnv) {
			require.NoError(e.t, e.w.CreateView(e.ctx, rel("stg_customers"), customersSQL+";"))
		}},
		{"view_over_table", func(e *fakeEnv) {
			e.table("stg_customers", customerCols)
			require.NoError(e.t, e.w.CreateView(e.ctx, rel("stg_customers"), customersSQL))
		}},
		{"insert", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols)
			_, err := e.w.Insert(e.ctx, rel("fct_rentals"), rentalsSQL)
			require.NoError(e.t, err)
		}},
		{"seed", func(e *fakeEnv) {
			p := filepath.Join(e.t.TempDir(), "stores.csv")
			require.NoError(e.t, os.WriteFile(p, []byte("store_id,name,opened,rating,active,zip,updated\n1,Main St,2020-01-02,4.5,true,00501,2024-01-01 10:00:00\n"), 0o644))
			_, err := e.w.LoadSeed(e.ctx, rel("stores"), p, warehouse.SeedOptions{ColumnTypes: map[string]string{"rating": "decimal(3,1)"}})
			require.NoError(e.t, err)
		}},
		{"incremental_append", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols)
			e.batch(rentalsSQL, rentalCols)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyAppend})
		}},
		{"incremental_merge", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols)
			e.batch(rentalsSQL, rentalCols)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: []string{"rental_id"},
				IncrementalPredicates: []string{"DBT_INTERNAL_DEST.rented_at >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 7 DAY)"}})
		}},
		{"incremental_merge_composite", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols)
			e.batch(rentalsSQL, rentalCols)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge,
				UniqueKey: []string{"store_id", "rental_date"}, MergeUpdateColumns: []string{"amount"}})
		}},
		{"incremental_merge_dedupe", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols)
			e.batch(rentalsSQL, rentalCols)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: []string{"rental_id"},
				Dedupe: true, MergeExcludeColumns: []string{"rented_at"}})
		}},
		{"incremental_merge_without_key", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols)
			e.batch(rentalsSQL, rentalCols)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge})
		}},
		{"incremental_delete_insert", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols)
			e.batch(rentalsSQL, rentalCols)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyDeleteInsert, UniqueKey: []string{"rental_id"},
				IncrementalPredicates: []string{"DBT_INTERNAL_DEST.rental_date >= DATE_SUB(CURRENT_DATE(), INTERVAL 7 DAY)"}})
		}},
		{"incremental_insert_overwrite_dynamic", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols)
			e.batch(rentalsSQL, rentalCols)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyInsertOverwrite,
				PartitionBy: map[string]any{"field": "rented_at", "data_type": "timestamp", "granularity": "day"}})
		}},
		{"incremental_insert_overwrite_static", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols)
			e.batch(rentalsSQL, rentalCols)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyInsertOverwrite,
				PartitionBy: map[string]any{"field": "rental_date", "data_type": "date"},
				Partitions:  []string{"DATE '2026-03-01'", "DATE_SUB(CURRENT_DATE(), INTERVAL 1 DAY)"}})
		}},
		{"incremental_insert_overwrite_int64", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols)
			e.batch(rentalsSQL, rentalCols)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyInsertOverwrite,
				PartitionBy: map[string]any{"field": "store_id", "data_type": "int64", "range": map[string]any{"start": 0, "end": 100, "interval": 10}}})
		}},
		{"incremental_microbatch", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols)
			e.batch(rentalsSQL, rentalCols)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyMicrobatch, EventTime: "rented_at",
				BatchStart: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), BatchEnd: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)})
		}},
		{"incremental_microbatch_date", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols)
			e.batch(rentalsSQL, rentalCols)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyMicrobatch, EventTime: "rental_date",
				BatchStart: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), BatchEnd: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)})
		}},
		{"incremental_append_new_columns", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols)
			e.batch(rentalsSQL, plusFlag)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: []string{"rental_id"},
				OnSchemaChange: warehouse.SchemaAppendNewColumns})
		}},
		{"incremental_sync_all_columns", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols)
			synced := []bqfake.Field{{Name: "rental_id", Type: "INT64"}, {Name: "store_id", Type: "NUMERIC"},
				{Name: "amount", Type: "NUMERIC"}, {Name: "rented_at", Type: "TIMESTAMP"}, {Name: "rental_date", Type: "DATE"},
				{Name: "is_late", Type: "BOOL"}}
			e.batch(rentalsSQL, synced)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyDeleteInsert, UniqueKey: []string{"rental_id"},
				OnSchemaChange: warehouse.SchemaSyncAllColumns})
		}},
		{"incremental_first_run", func(e *fakeEnv) {
			e.batch(rentalsSQL, rentalCols)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: []string{"rental_id"},
				Table: rentalsTable})
		}},
		{"incremental_replace_view", func(e *fakeEnv) {
			e.table("fct_rentals", rentalCols, asView)
			e.batch(rentalsSQL, rentalCols)
			e.incremental(rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyAppend, Replace: true})
		}},
		{"snapshot_first_run", func(e *fakeEnv) {
			e.batch(customersSQL, customerCols)
			e.snapshot(warehouse.SnapshotOptions{Strategy: warehouse.SnapshotTimestamp, UniqueKey: []string{"id"}, UpdatedAt: "updated_at"})
		}},
		{"snapshot_timestamp_invalidate", func(e *fakeEnv) {
			e.table("customers_snapshot", append(append([]bqfake.Field{}, customerCols...), snapshotMeta...))
			e.batch(customersSQL, customerCols)
			e.snapshot(warehouse.SnapshotOptions{Strategy: warehouse.SnapshotTimestamp, UniqueKey: []string{"id"}, UpdatedAt: "updated_at",
				HardDeletes: warehouse.HardDeletesInvalidate})
		}},
		{"snapshot_check_new_record", func(e *fakeEnv) {
			e.table("customers_snapshot", append(append([]bqfake.Field{}, customerCols[:3]...), snapshotMeta...))
			e.batch(customersSQL, customerCols)
			e.snapshot(warehouse.SnapshotOptions{Strategy: warehouse.SnapshotCheck, UniqueKey: []string{"id"}, CheckCols: []string{"name", "email"},
				HardDeletes: warehouse.HardDeletesNewRecord})
		}},
		{"snapshot_check_all_valid_to_current", func(e *fakeEnv) {
			e.table("customers_snapshot", append(append([]bqfake.Field{}, customerCols...), snapshotMeta...))
			e.batch(customersSQL, customerCols)
			e.snapshot(warehouse.SnapshotOptions{Strategy: warehouse.SnapshotCheck, UniqueKey: []string{"id", "email"},
				ValidToCurrent: "TIMESTAMP '9999-12-31 00:00:00+00'"})
		}},
		{"snapshot_key_expression_new_record", func(e *fakeEnv) {
			e.table("customers_snapshot", append(append([]bqfake.Field{}, customerCols...), snapshotMeta...))
			e.batch(customersSQL, customerCols)
			e.snapshot(warehouse.SnapshotOptions{Strategy: warehouse.SnapshotCheck, UniqueKey: []string{"CAST(id AS STRING) || '-' || email"},
				CheckCols: []string{"name"}, HardDeletes: warehouse.HardDeletesNewRecord})
		}},
		{"snapshot_key_expression_first_run", func(e *fakeEnv) {
			e.batch(customersSQL, customerCols)
			e.snapshot(warehouse.SnapshotOptions{Strategy: warehouse.SnapshotTimestamp, UniqueKey: []string{"CAST(id AS STRING) || '-' || email"},
				UpdatedAt: "updated_at"})
		}},
	}
	return cases
}
