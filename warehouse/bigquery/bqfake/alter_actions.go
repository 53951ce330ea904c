package bqfake

import (
	"slices"
	"strings"
)

// alterAction plans one action of an ALTER TABLE; cols are the table's
// columns as the earlier actions left them.
func (r *run) alterAction(tr *translator, a []node, t *table, rel, kind string, cols *[]Field, plan *alterPlan) ([]string, *apiError) {
	alter := "ALTER " + kind + " " + rel + " "
	word := func(i int, w string) bool { return i < len(a) && a[i].is(w) }
	switch {
	case word(0, "RENAME") && word(1, "TO") && len(a) == 3:
		plan.renameTo = tr.name(a[2])
		return []string{alter + "RENAME TO " + duckIdent(plan.renameTo)}, nil
	case word(0, "RENAME") && word(1, "COLUMN"):
		i := skipNodes(a, 2, "IF", "EXISTS")
		if len(a) != i+3 || !a[i+1].is("TO") {
			return nil, invalidQuery("Syntax error: expected RENAME COLUMN a TO b")
		}
		from, to := tr.name(a[i]), tr.name(a[i+2])
		if fieldIndex(*cols, from) < 0 {
			if i > 2 {
				return nil, nil
			}
			return nil, invalidQuery("Column not found: %s", from)
		}
		(*cols)[fieldIndex(*cols, from)].Name = to
		return []string{alter + "RENAME COLUMN " + duckIdent(from) + " TO " + duckIdent(to)}, nil
	case word(0, "ADD") && word(1, "COLUMN"):
		i := skipNodes(a, 2, "IF", "NOT", "EXISTS")
		if i >= len(a) {
			return nil, invalidQuery("Syntax error: expected a column name and type after ADD COLUMN")
		}
		name := tr.name(a[i])
		typ, end := tr.parseType(a, i+1)
		if end != len(a) && !(a[end].is("OPTIONS") && end+2 == len(a)) {
			return nil, invalidQuery("bqfake: ADD COLUMN %s: only a type and OPTIONS are supported", name)
		}
		if fieldIndex(*cols, name) >= 0 {
			if i > 2 {
				return nil, nil
			}
			return nil, invalidQuery("Column already exists: %s", name)
		}
		duck, err := typ.duck()
		if err != nil {
			return nil, invalidQuery("%v", err)
		}
		*cols = append(*cols, typeField(name, typ))
		return []string{alter + "ADD COLUMN " + duckIdent(name) + " " + duck}, nil
	case word(0, "DROP") && word(1, "COLUMN"):
		i := skipNodes(a, 2, "IF", "EXISTS")
		if len(a) != i+1 {
			return nil, invalidQuery("Syntax error: expected a column name after DROP COLUMN")
		}
		name := tr.name(a[i])
		if fieldIndex(*cols, name) < 0 {
			if i > 2 {
				return nil, nil
			}
			return nil, invalidQuery("Column not found: %s", name)
		}
		*cols = slices.DeleteFunc(*cols, func(f Field) bool { return strings.EqualFold(f.Name, name) })
		return []string{alter + "DROP COLUMN " + duckIdent(name)}, nil
	case word(0, "ALTER") && word(1, "COLUMN"):
		return r.alterColumn(tr, a, alter, *cols)
	case word(0, "SET") && word(1, "OPTIONS") && len(a) == 3 && a[2].isGroup("("):
		for _, opt := range splitCommas(a[2].kids) {
			if len(opt) >= 3 && opt[0].is("EXPIRATION_TIMESTAMP") {
				var ms int64
				if !opt[2].is("NULL") {
					ms = 1 // set: the fake does not evaluate it
				}
				plan.expiration = &ms
			}
		}
		return nil, nil
	}
	return nil, invalidQuery("bqfake: ALTER %s action %s is not supported", kind, describeNode(a[0]))
}

// alterColumn plans ALTER COLUMN [IF EXISTS] name SET DATA TYPE t | SET
// OPTIONS(...) | DROP NOT NULL | SET DEFAULT expr | DROP DEFAULT.
func (r *run) alterColumn(tr *translator, a []node, alter string, cols []Field) ([]string, *apiError) {
	i := skipNodes(a, 2, "IF", "EXISTS")
	if i+1 >= len(a) {
		return nil, invalidQuery("Syntax error: expected ALTER COLUMN name and an action")
	}
	name := tr.name(a[i])
	c := fieldIndex(cols, name)
	if c < 0 {
		if i > 2 {
			return nil, nil
		}
		return nil, invalidQuery("Column not found: %s", name)
	}
	col := alter + "ALTER COLUMN " + duckIdent(name) + " "
	rest := a[i+1:]
	switch {
	case len(rest) >= 3 && rest[0].is("SET") && rest[1].is("DATA") && rest[2].is("TYPE"):
		typ, end := tr.parseType(rest, 3)
		if end != len(rest) {
			return nil, invalidQuery("Syntax error: unexpected text after SET DATA TYPE")
		}
		if !assignable(fieldType(cols[c]), typ) {
			return nil, invalidQuery("ALTER TABLE ALTER COLUMN SET DATA TYPE requires that the existing column type (%s) is assignable to the new type (%s)",
				fieldTypeName(cols[c]), typ.Name)
		}
		duck, err := typ.duck()
		if err != nil {
			return nil, invalidQuery("%v", err)
		}
		cols[c] = typeField(cols[c].Name, typ)
		return []string{col + "SET DATA TYPE " + duck}, nil
	case len(rest) == 3 && rest[0].is("SET") && rest[1].is("OPTIONS"):
		return nil, nil // descriptions are not kept
	case len(rest) == 3 && rest[0].is("DROP") && rest[1].is("NOT") && rest[2].is("NULL"):
		return []string{col + "DROP NOT NULL"}, nil
	case len(rest) == 2 && rest[0].is("DROP") && rest[1].is("DEFAULT"):
		return []string{col + "DROP DEFAULT"}, nil
	case len(rest) >= 3 && rest[0].is("SET") && rest[1].is("DEFAULT"):
		return []string{col + "SET DEFAULT " + tr.seq(rest[2:])}, nil
	}
	return nil, invalidQuery("bqfake: this ALTER COLUMN action is not supported")
}

// assignable says BigQuery's SET DATA TYPE may change from into to: the
// same type, INT64 to NUMERIC, BIGNUMERIC or FLOAT64, NUMERIC to
// BIGNUMERIC or FLOAT64, or a parameterized type to a wider one.
func assignable(from, to bqType) bool {
	f, t := canonicalType(from.Name), canonicalType(to.Name)
	switch {
	case f == "ARRAY" || f == "STRUCT" || t == "ARRAY" || t == "STRUCT":
		return mustDuck(from) == mustDuck(to)
	case f == t:
		return len(to.Params) == 0 || (len(from.Params) > 0 && to.Params[0] >= from.Params[0])
	case f == "INT64":
		return t == "NUMERIC" || t == "BIGNUMERIC" || t == "FLOAT64"
	case f == "NUMERIC":
		return t == "BIGNUMERIC" || t == "FLOAT64"
	}
	return false
}

func fieldTypeName(f Field) string {
	if f.Mode == "REPEATED" {
		return "ARRAY<" + f.Type + ">"
	}
	return f.Type
}

// skipNodes advances i over the given optional words, in order.
func skipNodes(ns []node, i int, words ...string) int {
	for _, w := range words {
		if i < len(ns) && ns[i].is(w) {
			i++
		}
	}
	return i
}
