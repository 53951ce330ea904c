package compiler

import (
	"embed"
	"fmt"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/mart-dev/mart/warehouse"
)

//go:embed builtin/*.sql
var builtinFS embed.FS

// crossDBArity is how many arguments each cross-database macro takes.
var crossDBArity = map[string]int{"date_trunc": 2, "dateadd": 3, "datediff": 3, "safe_cast": 2, "cast": 2,
	"hash": 1, "concat": -1, "type_string": 0, "type_int": 0, "type_bigint": 0, "type_numeric": 0,
	"type_float": 0, "type_timestamp": 0, "type_boolean": 0, "current_timestamp": 0, "split_part": 3,
	"last_day": 1, "listagg": 2, "bool_or": 1, "any_value": 1, "json_extract_scalar": 2}

// crossDBFuncs returns the cross-database macros as template functions.
func crossDBFuncs(d warehouse.Dialect) map[string]any {
	out := map[string]any{}
	for name, arity := range crossDBArity {
		out[name] = jinja.Func(func(args []any, kw map[string]any) (any, error) {
			strs := make([]string, 0, len(args)+len(kw))
			for _, p := range args {
				strs = append(strs, jinja.Str(p))
			}
			for _, k := range crossDBKwOrder[name] {
				if v, ok := kw[k]; ok {
					strs = append(strs, jinja.Str(v))
				}
			}
			if arity >= 0 && len(strs) != arity {
				return nil, fmt.Errorf("%s() takes %d arguments, got %d", name, arity, len(strs))
			}
			return d.CrossDB(name, strs)
		})
	}
	out["__quote_literal"] = jinja.Func(func(args []any, _ map[string]any) (any, error) {
		if len(args) != 1 {
			return nil, fmt.Errorf("__quote_literal takes one value")
		}
		switch v := args[0].(type) {
		case float64:
			if _, nonFinite := warehouse.NonFinite(v); !nonFinite { // a .nan or .inf is quoted, as dbt quotes every value: 'inf'
				return jinja.Str(v), nil
			}
		case int, bool:
			return jinja.Str(v), nil
		}
		return d.QuoteString(jinja.Str(args[0])), nil
	})
	return out
}

var crossDBKwOrder = map[string][]string{
	"date_trunc": {"datepart", "date"},
	"dateadd":    {"datepart", "interval", "from_date_or_timestamp"},
	"datediff":   {"first_date", "second_date", "datepart"},
	"safe_cast":  {"field", "type"},
	"cast":       {"field", "type"},
	"hash":       {"field"},
	"split_part": {"string_text", "delimiter_text", "part_number"},
	"listagg":    {"measure", "delimiter_text"},
}
