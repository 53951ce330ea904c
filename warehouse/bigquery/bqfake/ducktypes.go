package bqfake

import (
	"fmt"
	"strings"
)

// fieldFromDuck turns a column of DuckDB type typ (as DESCRIBE and the
// driver spell it: BIGINT, DECIMAL(18,2), STRUCT("k" VARCHAR[], n BIGINT)[],
// TIMESTAMP WITH TIME ZONE, ...) into the BigQuery field name would be.
func fieldFromDuck(name, typ string) (Field, error) {
	p := &duckTypeParser{s: typ}
	f, err := p.field(name)
	if err == nil && strings.TrimSpace(p.s[p.i:]) != "" {
		err = fmt.Errorf("unexpected %q", p.s[p.i:])
	}
	if err != nil {
		return Field{}, fmt.Errorf("column %s has DuckDB type %s, which the fake cannot map to a BigQuery type: %v", name, typ, err)
	}
	return f, nil
}

type duckTypeParser struct {
	s string
	i int
}

func (p *duckTypeParser) space() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

// word reads an identifier, quoted ("a""b") or bare.
func (p *duckTypeParser) word() string {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '"' {
		var b strings.Builder
		for p.i++; p.i < len(p.s); p.i++ {
			if p.s[p.i] == '"' {
				if p.i+1 < len(p.s) && p.s[p.i+1] == '"' {
					b.WriteByte('"')
					p.i++
					continue
				}
				p.i++
				break
			}
			b.WriteByte(p.s[p.i])
		}
		return b.String()
	}
	start := p.i
	for p.i < len(p.s) && strings.IndexByte(" (),[]", p.s[p.i]) < 0 {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *duckTypeParser) peek(c byte) bool {
	p.space()
	return p.i < len(p.s) && p.s[p.i] == c
}

// field reads a type (with its [] suffixes) as a field called name.
func (p *duckTypeParser) field(name string) (Field, error) {
	base := strings.ToUpper(p.word())
	f := Field{Name: name}
	switch base {
	case "STRUCT":
		if !p.peek('(') {
			return f, fmt.Errorf("STRUCT without fields")
		}
		p.i++
		f.Type = "STRUCT"
		f.Fields = []Field{}
		for !p.peek(')') {
			sub, err := p.field(p.word())
			if err != nil {
				return f, err
			}
			f.Fields = append(f.Fields, sub)
			if p.peek(',') {
				p.i++
			}
			if p.i >= len(p.s) {
				return f, fmt.Errorf("unclosed STRUCT")
			}
		}
		p.i++
	case "TIMESTAMP":
		rest := strings.ToUpper(p.s[p.i:])
		switch {
		case strings.HasPrefix(rest, " WITH TIME ZONE"):
			p.i += len(" WITH TIME ZONE")
			f.Type = "TIMESTAMP"
		case strings.HasPrefix(rest, " WITHOUT TIME ZONE"):
			p.i += len(" WITHOUT TIME ZONE")
			f.Type = "DATETIME"
		default:
			f.Type = "DATETIME"
		}
	default:
		var args string
		if p.peek('(') {
			end := strings.IndexByte(p.s[p.i:], ')')
			if end < 0 {
				return f, fmt.Errorf("unclosed parameters")
			}
			args = p.s[p.i : p.i+end+1]
			p.i += end + 1
		}
		t, err := scalarFromDuck(base, args)
		if err != nil {
			return f, err
		}
		f.Type = t
	}
	for p.peek('[') {
		end := strings.IndexByte(p.s[p.i:], ']')
		if end < 0 {
			return f, fmt.Errorf("unclosed [")
		}
		p.i += end + 1
		if f.Mode == "REPEATED" {
			return f, fmt.Errorf("BigQuery has no arrays of arrays")
		}
		f.Mode = "REPEATED"
	}
	return f, nil
}

// scalarFromDuck maps a DuckDB scalar type to BigQuery's name.
func scalarFromDuck(base, args string) (string, error) {
	switch base {
	case "BOOLEAN", "BOOL":
		return "BOOL", nil
	case "TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT":
		return "INT64", nil
	case `"NULL"`, "NULL":
		return "INT64", nil // SELECT NULL is an INT64 column in BigQuery
	case "FLOAT", "DOUBLE":
		return "FLOAT64", nil
	case "DECIMAL":
		if strings.ReplaceAll(args, " ", "") == strings.TrimPrefix(duckBigNumeric, "DECIMAL") {
			return "BIGNUMERIC", nil
		}
		return "NUMERIC", nil
	case "VARCHAR", "UUID", "ENUM":
		return "STRING", nil
	case "BLOB", "BIT":
		return "BYTES", nil
	case "DATE", "TIME", "INTERVAL", "JSON":
		return base, nil
	case "TIMESTAMPTZ":
		return "TIMESTAMP", nil
	case "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS":
		return "DATETIME", nil
	}
	return "", fmt.Errorf("no BigQuery type for DuckDB's %s", base)
}
