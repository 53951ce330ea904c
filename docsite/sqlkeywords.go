package docsite

import "strings"

// sqlKeywords are the words the SQL scanner marks as keywords: the clauses,
// operators and type names that models are written with in DuckDB and
// GoogleSQL. Other words are names (columns, tables, functions).
var sqlKeywords = setOf(`
	all alter and any array as asc at between bigint bool boolean both by bytes case cast char
	check collate column constraint create cross cube current current_date current_time
	current_timestamp date datetime day decimal default delete desc describe distinct double drop
	else end escape except exclude exists extract false fetch filter first float float64 following
	for foreign from full function grant group grouping having hour if ilike in inner insert int
	int64 integer intersect interval into is join json key last lateral leading left like limit
	matched materialized merge minute month natural not null nulls numeric offset on or order
	outer over partition pivot preceding primary qualify range real recursive references replace
	respect returning right rollup row rows second select set similar smallint some string struct
	table temp temporary text then time timestamp timestamptz tinyint to trailing true truncate
	unbounded union unique unnest unpivot update using uuid values varchar view week when where
	window with within year`)

// jinjaKeywords are the template words the scanner marks as keywords.
var jinjaKeywords = setOf(`
	and as block call do elif else endblock endcall endfilter endfor endif endmacro endraw endset
	extends false filter for from if import in include is macro none not or raw recursive set
	true with without False None True`)

func setOf(words string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(words) {
		out[w] = true
	}
	return out
}

// isKeyword reports whether word is an SQL keyword, in any case.
func isKeyword(word string) bool {
	if len(word) > 20 {
		return false
	}
	var buf [20]byte
	for i := range len(word) {
		c := word[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return sqlKeywords[string(buf[:len(word)])]
}
