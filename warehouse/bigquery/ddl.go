package bigquery

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// The SQL the adapter sends, built by small pure functions so that the
// golden tests (testdata/*.sql) pin every shape.

// tempExpiration keeps a temporary build table from outliving a crash.
const tempExpiration = "TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY)"

// body renders a model's SELECT as a parenthesized query on its own lines.
func body(selectSQL string) string {
	return "(\n" + warehouse.TrimStatement(selectSQL) + "\n)"
}

// createTableSQL is CREATE [OR REPLACE] TABLE ... AS (select), with the
// partitioning, clustering and options of spec. temp adds an expiration.
func createTableSQL(rel string, spec *tableSpec, selectSQL string, temp bool) string {
	var b strings.Builder
	b.WriteString("CREATE OR REPLACE TABLE " + rel)
	if c := spec.opt.Contract; c != nil {
		// the contract's columns and the constraints BigQuery enforces,
		// filled from the query by name
		defs, _ := warehouse.ContractDDL(Dialect{}, c, enforces, "")
		b.WriteString(" (\n  " + strings.Join(defs, ",\n  ") + "\n)")
		names := make([]string, len(c.Columns))
		for i, col := range c.Columns {
			names[i] = quoteIdent(col.Name)
		}
		selectSQL = "SELECT " + strings.Join(names, ", ") + " FROM (\n" + warehouse.TrimStatement(selectSQL) + "\n)"
	}
	if p := spec.part; p != nil {
		b.WriteString("\nPARTITION BY " + p.expr(quoteIdent(p.Field)))
	}
	if len(spec.cluster) > 0 {
		b.WriteString("\nCLUSTER BY " + columnList("", spec.cluster))
	}
	if opts := tableOptions(spec, temp); opts != "" {
		b.WriteString("\nOPTIONS(" + opts + ")")
	}
	b.WriteString("\nAS " + body(selectSQL))
	return b.String()
}

// tableOptions renders the OPTIONS list of a table, or "".
func tableOptions(spec *tableSpec, temp bool) string {
	var opts []string
	if temp {
		opts = append(opts, "expiration_timestamp = "+tempExpiration)
	}
	if d := spec.opt.Description; d != "" {
		opts = append(opts, "description = "+quoteString(d))
	}
	if l := labelsSQL(spec.opt.Labels); l != "" {
		opts = append(opts, "labels = "+l)
	}
	if p := spec.part; p != nil && p.ExpirationDays > 0 {
		opts = append(opts, "partition_expiration_days = "+strconv.FormatFloat(p.ExpirationDays, 'f', -1, 64))
	}
	if p := spec.part; p != nil && p.RequirePartitionFilter {
		opts = append(opts, "require_partition_filter = TRUE")
	}
	if len(opts) == 0 {
		return ""
	}
	return "\n  " + strings.Join(opts, ",\n  ") + "\n"
}

// labelsSQL renders labels as [('key', 'value'), ...], sorted, in the
// form BigQuery accepts (see labelText).
func labelsSQL(labels map[string]string) string {
	if len(labels) == 0 {
		return ""
	}
	clean := map[string]string{}
	for k, v := range labels {
		if key := labelText(k); key != "" {
			clean[truncate(key, 63)] = truncate(labelText(v), 63)
		}
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(clean)) {
		parts = append(parts, fmt.Sprintf("(%s, %s)", quoteString(k), quoteString(clean[k])))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// columnDescriptionsSQL sets column descriptions; columns that do not
// exist are skipped by BigQuery (IF EXISTS), which is what
// TableOptions.ColumnDescriptions asks for.
func columnDescriptionsSQL(rel string, descs map[string]string) []string {
	var out []string
	for _, c := range slices.Sorted(maps.Keys(descs)) {
		if descs[c] == "" {
			continue
		}
		out = append(out, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN IF EXISTS %s SET OPTIONS(description = %s)",
			rel, quoteIdent(c), quoteString(descs[c])))
	}
	return out
}

// swapSQL replaces the relation rel (of kind oldKind: "table" or "view")
// by the finished table tmp, named tmpName, when CREATE OR REPLACE cannot
// (a view, or a table partitioned or clustered differently). The new
// table was built first, so a failing SELECT changed nothing; if a step
// here fails, the handler removes tmp and the error is raised again.
func swapSQL(rel, oldKind, tmp, name string) string {
	return "BEGIN\n" +
		"  ALTER TABLE " + tmp + " SET OPTIONS(expiration_timestamp = NULL);\n" +
		"  DROP " + strings.ToUpper(oldKind) + " IF EXISTS " + rel + ";\n" +
		"  ALTER TABLE " + tmp + " RENAME TO " + quoteIdent(name) + ";\n" +
		"EXCEPTION WHEN ERROR THEN\n" +
		"  DROP TABLE IF EXISTS " + tmp + ";\n" +
		"  RAISE;\n" +
		"END"
}

// viewOverTableSQL replaces the table rel by a view: the table is renamed
// aside, the view created, and the table renamed back if that fails.
func viewOverTableSQL(rel, name, aside, asideName, selectSQL string) string {
	return "ALTER TABLE " + rel + " RENAME TO " + quoteIdent(asideName) + ";\n" +
		"BEGIN\n" +
		"  CREATE VIEW " + rel + " AS " + body(selectSQL) + ";\n" +
		"EXCEPTION WHEN ERROR THEN\n" +
		"  ALTER TABLE " + aside + " RENAME TO " + quoteIdent(name) + ";\n" +
		"  RAISE;\n" +
		"END;\n" +
		"DROP TABLE " + aside
}

// script joins statements with ";\n".
func script(stmts ...string) string {
	return strings.Join(stmts, ";\n")
}

// enforces: BigQuery enforces NOT NULL only; its primary and foreign keys
// are declared NOT ENFORCED, and it has no unique or check constraints.
func enforces(constraintType string) bool { return constraintType == "not_null" }
