package bqfake

import (
	"fmt"
	"strings"
)

// BigQuery names a result's anonymous columns (an expression without an
// alias) f0_, f1_, ..., refuses a table or view with an anonymous column,
// and refuses duplicate column names; DuckDB names such columns by their
// text and renames duplicates in tables. These functions apply BigQuery's
// rules to what DuckDB reports.

// nameResult renames a query's anonymous columns and refuses duplicates.
func nameResult(query []node, fields []Field) *apiError {
	if anon := anonymousItems(query); len(anon) == len(fields) {
		k := 0
		for i, a := range anon {
			if a {
				fields[i].Name = fmt.Sprintf("f%d_", k)
				k++
			}
		}
	}
	return duplicateNames(fields)
}

// checkNamed refuses a CREATE TABLE or VIEW ... AS query with an anonymous
// column or duplicate names.
func checkNamed(kind string, query []node, fields []Field) *apiError {
	for i, a := range anonymousItems(query) {
		if a {
			return invalidQuery("CREATE %s columns must be named, but column %d has no name", kind, i+1)
		}
	}
	return duplicateNames(fields)
}

func duplicateNames(fields []Field) *apiError {
	seen := map[string]bool{}
	var dups []string
	for _, f := range fields {
		k := strings.ToLower(f.Name)
		if seen[k] {
			dups = append(dups, f.Name)
		}
		seen[k] = true
	}
	if dups != nil {
		return invalidQuery("Duplicate column names in the result are not supported. Found duplicate(s): %s", strings.Join(dups, ", "))
	}
	return nil
}

// selectEnd are the words that end a SELECT list.
var selectEnd = setOf("FROM WHERE GROUP HAVING QUALIFY WINDOW ORDER LIMIT UNION INTERSECT EXCEPT")

// anonymousItems says, for each item of the query's (first) SELECT list,
// whether it is anonymous; nil when the list cannot be read that way (a
// star, SELECT AS STRUCT).
func anonymousItems(query []node) []bool {
	for len(query) == 1 && query[0].isGroup("(") {
		query = query[0].kids
	}
	sel := indexWord(query, "SELECT")
	if sel < 0 {
		return nil
	}
	start := skipNodes(query, sel+1, "DISTINCT")
	if start < len(query) && query[start].is("AS") {
		return nil
	}
	end := len(query)
	for i := start; i < len(query); i++ {
		if !query[i].group && query[i].tok.kind == 'w' && selectEnd[query[i].tok.text] {
			end = i
			break
		}
	}
	var out []bool
	for _, item := range splitCommas(query[start:end]) {
		n := len(item)
		switch {
		case n == 0 || hasStar(item):
			return nil
		case n >= 2 && item[n-2].is("AS"), isColumnPath(item), hasImplicitAlias(item):
			out = append(out, false)
		default:
			out = append(out, true)
		}
	}
	return out
}

func hasStar(item []node) bool {
	for _, n := range item {
		if n.punct("*") {
			return true
		}
	}
	return false
}

// isColumnPath says item is a name or a dotted path of names.
func isColumnPath(item []node) bool {
	for i, n := range item {
		if i%2 == 1 {
			if !n.punct(".") {
				return false
			}
			continue
		}
		if n.group || (n.tok.kind != 'q' && (n.tok.kind != 'w' || reserved[n.tok.text] || keywords[n.tok.text] != nil)) {
			return false
		}
	}
	return len(item)%2 == 1
}

// hasImplicitAlias says item ends with an alias written without AS
// (COUNT(*) n).
func hasImplicitAlias(item []node) bool {
	n := len(item)
	if n < 2 || item[n-2].punct(".") {
		return false
	}
	last := item[n-1]
	return !last.group && (last.tok.kind == 'q' || (last.tok.kind == 'w' && !reserved[last.tok.text] && !syntaxWords[last.tok.text]))
}
