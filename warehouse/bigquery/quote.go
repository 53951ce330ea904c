package bigquery

import (
	"fmt"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// escape writes s with GoogleSQL's backslash escapes for the quote
// character q, so that any text round-trips through a quoted literal or
// identifier.
func escape(s string, q byte) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' || c == q:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func quoteIdent(s string) string { return "`" + escape(s, '`') + "`" }

func quoteString(s string) string { return "'" + escape(s, '\'') + "'" }

// RelationSQL renders r as one backticked path, `project.dataset.table`,
// with the profile's project and dataset for empty parts. (Project,
// dataset and table names cannot contain dots, so the path is unambiguous.)
func (w *Warehouse) RelationSQL(r warehouse.Relation) string {
	if r.Database == "" {
		r.Database = w.cfg.Project
	}
	if r.Schema == "" {
		r.Schema = w.cfg.Dataset
	}
	return relationSQL(r)
}

func relationSQL(r warehouse.Relation) string {
	return "`" + escape(r.Database, '`') + "." + escape(r.Schema, '`') + "." + escape(r.Name, '`') + "`"
}

// columnList renders quoted column names separated by commas, each
// prefixed by alias and a dot if alias is not empty.
func columnList(alias string, cols []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		if alias != "" {
			parts[i] = alias + "." + quoteIdent(c)
		} else {
			parts[i] = quoteIdent(c)
		}
	}
	return strings.Join(parts, ", ")
}
