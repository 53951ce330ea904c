package warehouse

import (
	"fmt"
	"strings"
)

// DiffDialect is what StandardDiffQuery needs of an engine: quoting, a
// JSON text of some columns (keys), and a list of the changed columns'
// names from optional texts.
type DiffDialect struct {
	Quote     func(string) string
	QuoteStr  func(string) string
	JSON      func(cols []string) string // JSON text of the named columns of the current row
	JoinNames func(optional []string) string
	TextType  string
}

// StandardDiffQuery writes DiffSpec's query in SQL that DuckDB and
// BigQuery share, with the engine's pieces from dd.
func StandardDiffQuery(d DiffSpec, dd DiffDialect) string {
	ex := max(d.Examples, 0)
	if len(d.Key) == 0 {
		return rowsDiffQuery(d, dd, ex)
	}
	keys := map[string]bool{}
	for _, k := range d.Key {
		keys[strings.ToLower(k)] = true
	}
	var cols, differs, names []string
	for _, c := range d.Columns {
		cols = append(cols, dd.Quote(c))
		if keys[strings.ToLower(c)] {
			continue
		}
		diff := "n." + dd.Quote(c) + " is distinct from o." + dd.Quote(c)
		differs = append(differs, "("+diff+")")
		names = append(names, "case when "+diff+" then "+dd.QuoteStr(c)+" end")
	}
	changed, changedCols := "false", "cast(null as "+dd.TextType+")"
	if len(differs) > 0 {
		changed, changedCols = strings.Join(differs, " or "), dd.JoinNames(names)
	}
	side := func(rel string) string {
		return "select " + strings.Join(cols, ", ") + ", " + dd.JSON(d.Key) + " as __mart_key from " + rel
	}
	return fmt.Sprintf(`with n as (
  %s
), o as (
  %s
), d as (
  select
    case when o.__mart_key is null then 'added'
      when n.__mart_key is null then 'removed'
      when %s then 'changed'
      else 'same' end as kind,
    coalesce(n.__mart_key, o.__mart_key) as example,
    %s as changed_columns
  from n full outer join o on n.__mart_key = o.__mart_key
), c as (
  select kind, count(*) as n from d group by kind
), e as (
  select kind, example, changed_columns, row_number() over (partition by kind order by example) as rn
  from d where kind <> 'same'
)
select c.kind, c.n, e.example, e.changed_columns
from c left join e on e.kind = c.kind and e.rn <= %d
order by c.kind, e.example`, side(d.New), side(d.Old), changed, changedCols, ex)
}

// rowsDiffQuery compares whole rows as multisets: a row twice in New and
// once in Old is one added row.
func rowsDiffQuery(d DiffSpec, dd DiffDialect, ex int) string {
	side := func(rel string) string {
		return "select " + dd.JSON(d.Columns) + " as __mart_row, count(*) as __mart_count from " + rel + " group by 1"
	}
	return fmt.Sprintf(`with n as (
  %s
), o as (
  %s
), d as (
  select coalesce(n.__mart_row, o.__mart_row) as example,
    coalesce(n.__mart_count, 0) as nc, coalesce(o.__mart_count, 0) as oc
  from n full outer join o on n.__mart_row = o.__mart_row
), c as (
  select 'added' as kind, coalesce(sum(greatest(nc - oc, 0)), 0) as n from d
  union all select 'removed' as kind, coalesce(sum(greatest(oc - nc, 0)), 0) as n from d
  union all select 'same' as kind, coalesce(sum(least(nc, oc)), 0) as n from d
), e as (
  select case when nc > oc then 'added' else 'removed' end as kind, example,
    row_number() over (partition by nc > oc order by example) as rn
  from d where nc <> oc
)
select c.kind, c.n, e.example, cast(null as %s) as changed_columns
from c left join e on e.kind = c.kind and e.rn <= %d
order by c.kind, e.example`, side(d.New), side(d.Old), dd.TextType, ex)
}
