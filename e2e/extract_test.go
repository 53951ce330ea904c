package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/extract/extracttest"
)

const extractSources = `version: 2
sources:
  - name: shop
    schema: raw_shop
    extract:
      from: postgres
      dsn: "{{ env_var('SHOP_DSN') }}"
      cursor: updated_at
    tables:
      - name: orders
        extract: {primary_key: [id], deletes: reconcile}
  - name: crm
    schema: raw_crm
    extract:
      from: mysql
      dsn: "{{ env_var('CRM_DSN') }}"
    tables:
      - name: customers
        extract:
          mode: full
`

// extractProject is a project whose two sources land from the local
// PostgreSQL (shop.orders) and MariaDB (crm.customers), and a model that
// joins them. It returns the project and the environment naming the DSNs.
func extractProject(t *testing.T) (dir string, env []string, pg func(...string), my func(...string)) {
	pgDSN, pgConn := extracttest.Postgres(t)
	myDSN, myDB := extracttest.MySQL(t)
	pg = func(stmts ...string) { extracttest.PgExec(t, pgConn, stmts...) }
	my = func(stmts ...string) { extracttest.MyExec(t, myDB, stmts...) }
	pg(`CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, amount numeric(10,2) NOT NULL,
		updated_at timestamptz NOT NULL DEFAULT now())`,
		`INSERT INTO orders (id, customer_id, amount) VALUES (1, 1, 10.50), (2, 1, 4.25), (3, 2, 7.00)`)
	my(`CREATE TABLE customers (id int PRIMARY KEY, name varchar(40) NOT NULL)`,
		`INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace')`)
	dir = t.TempDir()
	writeFile(t, dir, "mart.yml", "name: extract_e2e\nmodels:\n  extract_e2e:\n    +materialized: table\n")
	writeFile(t, dir, "models/sources.yml", extractSources)
	writeFile(t, dir, "models/customer_revenue.sql", `select c.name, sum(o.amount) as revenue, count(*) as orders
from {{ source('crm', 'customers') }} c join {{ source('shop', 'orders') }} o on o.customer_id = c.id
group by c.name`)
	return dir, []string{"SHOP_DSN=" + pgDSN, "CRM_DSN=" + myDSN}, pg, my
}

// TestExtractThenBuild is the data team's morning: mart extract lands
// both stores, mart build builds on them, a re-run with nothing new
// changes nothing, and changes in the stores land as inserts, updates and
// deletes.
func TestExtractThenBuild(t *testing.T) {
	dir, env, pg, my := extractProject(t)

	r := martEnv(t, dir, env, "extract")
	require.Equal(t, 0, r.Code, "%s", r)
	assert.Contains(t, r.Stdout, "START extract crm.customers from mysql (full)")
	assert.Contains(t, r.Stdout, "OK extracted shop.orders: 3 inserted [3 rows read")
	assert.Contains(t, r.Stdout, "OK extracted crm.customers: 2 inserted [2 rows read")
	assert.Contains(t, r.Stdout, "Finished extracting 2 tables")
	assert.Contains(t, r.Stdout, "OK=2 ERROR=0 SKIP=0")
	assert.Equal(t, [][]any{{int32(1), int32(1)}, {int32(2), int32(1)}, {int32(3), int32(2)}},
		query(t, dir, "select id, customer_id from raw_shop.orders order by id"))

	var results struct {
		Metadata struct{ Command string } `json:"metadata"`
		Results  []struct {
			UniqueID     string         `json:"unique_id"`
			Status       string         `json:"status"`
			RowsAffected int64          `json:"rows_affected"`
			Adapter      map[string]any `json:"adapter_response"`
		} `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(readFile(t, dir, "target/run_results.json")), &results))
	assert.Equal(t, "extract", results.Metadata.Command)
	require.Len(t, results.Results, 2)
	assert.Equal(t, "source.extract_e2e.crm.customers", results.Results[0].UniqueID)
	assert.Equal(t, "success", results.Results[1].Status)
	assert.EqualValues(t, 3, results.Results[1].RowsAffected)
	assert.EqualValues(t, 3, results.Results[1].Adapter["rows_read"])

	r = mart(t, dir, "build")
	require.Equal(t, 0, r.Code, "%s", r)
	assert.Equal(t, [][]any{{"Ada", "14.75", int64(2)}, {"Grace", "7.00", int64(1)}},
		query(t, dir, "select name, cast(revenue as varchar), orders from customer_revenue order by name"))

	// nothing new: nothing changes
	r = martEnv(t, dir, env, "extract")
	require.Equal(t, 0, r.Code, "%s", r)
	assert.Contains(t, r.Stdout, "OK extracted shop.orders: no changes")

	// an update, an insert and a delete in PostgreSQL; a new customer
	pg(`UPDATE orders SET amount = 20.50, updated_at = now() WHERE id = 1`,
		`INSERT INTO orders (id, customer_id, amount) VALUES (4, 3, 1.00)`,
		`DELETE FROM orders WHERE id = 3`)
	my(`INSERT INTO customers VALUES (3, 'Edsger')`)
	r = martEnv(t, dir, env, "extract", "--threads", "2")
	require.Equal(t, 0, r.Code, "%s", r)
	assert.Contains(t, r.Stdout, "OK extracted shop.orders: 1 inserted, 1 updated, 1 deleted")
	r = mart(t, dir, "build")
	require.Equal(t, 0, r.Code, "%s", r)
	assert.Equal(t, [][]any{{"Ada", "24.75", int64(2)}, {"Edsger", "1.00", int64(1)}},
		query(t, dir, "select name, cast(revenue as varchar), orders from customer_revenue order by name"))

	// --select narrows to one source; JSON lines for machines
	r = martEnv(t, dir, env, "extract", "--select", "source:crm", "--log-format", "json")
	require.Equal(t, 0, r.Code, "%s", r)
	var finished []string
	for _, line := range strings.Split(strings.TrimSpace(r.Stdout), "\n") {
		var ev map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &ev), line)
		if ev["event"] == "extract_finished" {
			finished = append(finished, ev["unique_id"].(string))
		}
	}
	assert.Equal(t, []string{"source.extract_e2e.crm.customers"}, finished)
}

// TestExtractBadInput: a wrong extract: block is an error of every
// command at its line (exit 2, nothing lands); a store that cannot be
// reached fails its table (exit 1) without the password in any output.
func TestExtractBadInput(t *testing.T) {
	dir, env, _, _ := extractProject(t)
	writeFile(t, dir, "models/sources.yml", strings.Replace(extractSources, "mode: full", "mode: ful", 1))
	for _, cmd := range [][]string{{"compile"}, {"extract"}} {
		r := martEnv(t, dir, env, cmd...)
		require.Equal(t, 2, r.Code, "%s", r)
		assert.Contains(t, r.Stderr, `models/sources.yml:20:11: error: source crm, table customers: extract.mode: unknown value "ful"`)
		assert.Contains(t, r.Stderr, `did you mean "full"?`)
	}
	assert.NoFileExists(t, dir+"/target/mart.duckdb", "nothing was opened")

	writeFile(t, dir, "models/sources.yml", extractSources)
	env = []string{"SHOP_DSN=postgres://mart:s3cret-pw@127.0.0.1:1/shop?sslmode=disable&connect_timeout=2", env[1]}
	r := martEnv(t, dir, env, "extract")
	require.Equal(t, 1, r.Code, "%s", r)
	assert.Contains(t, r.Stdout, "ERROR extracting shop.orders")
	assert.Contains(t, r.Stdout, "OK extracted crm.customers", "one table's failure does not stop the others")
	assert.NotContains(t, r.String(), "s3cret-pw")
	assert.NotContains(t, readFile(t, dir, "target/run_results.json"), "s3cret-pw")
}
