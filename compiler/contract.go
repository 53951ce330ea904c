package compiler

import (
	"fmt"
	"sort"

	"github.com/mart-dev/mart/warehouse"
)

// ContractEnforced reports whether a model's config says contract:
// {enforced: true}.
func (n *Node) ContractEnforced() bool {
	c, _ := n.Config["contract"].(map[string]any)
	enforced, _ := c["enforced"].(bool)
	return enforced
}

// Contract is the model's enforced contract (nil when none): its YAML
// columns in their order with data types and constraints, and its
// table-level constraints.
func (n *Node) Contract() *warehouse.Contract {
	if !n.ContractEnforced() {
		return nil
	}
	cols := make([]*Column, 0, len(n.Columns))
	for _, c := range n.Columns {
		cols = append(cols, c)
	}
	sort.SliceStable(cols, func(i, j int) bool { return cols[i].pos < cols[j].pos })
	c := &warehouse.Contract{}
	for _, col := range cols {
		cc := warehouse.ContractColumn{Name: col.Name, Type: col.DataType}
		for _, k := range col.Constraints {
			cc.Constraints = append(cc.Constraints, constraintOf(k))
		}
		c.Columns = append(c.Columns, cc)
	}
	for _, k := range n.Constraints {
		c.Constraints = append(c.Constraints, constraintOf(k))
	}
	return c
}

func constraintOf(m map[string]any) warehouse.Constraint {
	str := func(k string) string {
		if v, ok := m[k]; ok && v != nil {
			return fmt.Sprint(v)
		}
		return ""
	}
	list := func(k string) []string {
		xs, _ := m[k].([]any)
		out := make([]string, 0, len(xs))
		for _, x := range xs {
			out = append(out, fmt.Sprint(x))
		}
		return out
	}
	return warehouse.Constraint{Type: str("type"), Name: str("name"), Expression: str("expression"),
		Columns: list("columns"), To: str("to"), ToColumns: list("to_columns")}
}

// contractTypes are the constraint types dbt knows.
var contractTypes = map[string]bool{"not_null": true, "unique": true, "primary_key": true, "check": true, "foreign_key": true, "custom": true}

// checkContract reports an enforced contract that cannot work, as dbt
// does when it parses: no columns, a column without data_type, an unknown
// constraint type, a contract on a materialization that has none.
func (c *compilation) checkContract(n *Node) {
	if n.ResourceType != TypeModel || !n.ContractEnforced() {
		return
	}
	file, line := n.yamlFile, n.yamlLine
	if file == "" {
		file, line = n.Path, 1
	}
	switch n.Materialized() {
	case "ephemeral":
		c.addDiag(errorf(file, line, 0, "model %q: an enforced contract needs a table, view or incremental model, not ephemeral", n.Name))
		return
	}
	if len(n.Columns) == 0 {
		d := errorf(file, line, 0, "model %q enforces a contract but declares no columns", n.Name)
		d.Detail = "list its columns with their data_type under columns: in its YAML"
		c.addDiag(d)
		return
	}
	for _, name := range sortedKeys(n.Columns) {
		col := n.Columns[name]
		if col.DataType == "" {
			c.addDiag(errorf(file, line, 0, "model %q enforces a contract: column %q has no data_type", n.Name, name))
		}
		for _, k := range col.Constraints {
			if t, _ := k["type"].(string); !contractTypes[t] {
				c.addDiag(errorf(file, line, 0, "model %q, column %q: unknown constraint type %q (expected not_null, unique, primary_key, check, foreign_key or custom)", n.Name, name, t))
			}
		}
	}
}
