package view

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// Summarize is counts by resource type in words: "3 models, 1 seed".
func Summarize(counts map[string]int) string {
	var parts []string
	for _, k := range []string{"model", "seed", "snapshot", "test", "unit_test", "source", "analysis"} {
		if n := counts[k]; n > 0 {
			name := strings.ReplaceAll(k, "_", " ")
			if k == "analysis" && n > 1 {
				name = "analyse" // analyses
			}
			parts = append(parts, fmt.Sprintf("%d %s%s", n, name, plural(n)))
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// displayRelation is a node's relation as schema.name.
func displayRelation(n *compiler.Node) string {
	if n.Schema == "" {
		return n.Alias
	}
	return n.Schema + "." + n.Alias
}

func relationText(r *warehouse.Relation) string {
	if r == nil {
		return ""
	}
	return r.Schema + "." + r.Name
}

func indent(s, pad string) string {
	return pad + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+pad)
}

// thousands writes n with commas: 1,204.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// HumanBytes writes n in binary units: 1.5 GiB.
func HumanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// formatRows renders rows as an aligned text table.
func formatRows(rows *warehouse.Rows) string {
	cells := [][]string{{}}
	for _, c := range rows.Columns {
		cells[0] = append(cells[0], c.Name)
	}
	for _, r := range rows.Values {
		line := make([]string, len(r))
		for i, v := range r {
			line[i] = cellText(v)
		}
		cells = append(cells, line)
	}
	widths := make([]int, len(cells[0]))
	for _, r := range cells {
		for i, c := range r {
			if i < len(widths) && len(c) > widths[i] {
				widths[i] = len(c)
			}
		}
	}
	var b strings.Builder
	for ri, r := range cells {
		for i, c := range r {
			if i > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(c)
			if i < len(r)-1 && i < len(widths) {
				b.WriteString(strings.Repeat(" ", widths[i]-len(c)))
			}
		}
		b.WriteByte('\n')
		if ri == 0 {
			for i, w := range widths {
				if i > 0 {
					b.WriteString("-+-")
				}
				b.WriteString(strings.Repeat("-", w))
			}
			b.WriteByte('\n')
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func cellText(v any) string {
	switch t := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		if warehouse.IsMidnight(t) {
			return t.Format("2006-01-02")
		}
		return t.Format("2006-01-02 15:04:05")
	}
	return strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(fmt.Sprint(v))
}

// listLine is one node as `mart ls --output` writes it.
func listLine(n *compiler.Node, output string) string {
	switch output {
	case "name":
		return searchName(n)
	case "path":
		return n.Path
	}
	return selectorOf(n)
}

// searchName is a node's name as dbt's ls --output name writes it (its
// search_name): source.table for a source table, name.vN for a version
// of a model, else its name.
func searchName(n *compiler.Node) string {
	switch {
	case n.ResourceType == compiler.TypeSource:
		return n.SourceName + "." + n.Name
	case n.ResourceType == compiler.TypeModel && n.Version != "":
		return n.Name + ".v" + n.Version
	}
	return n.Name
}

// selectorOf is the selector `mart ls` writes for a node, as dbt's ls
// does: source:package.source.table for a source table,
// unit_test:package.name for a unit test, else its fqn.
func selectorOf(n *compiler.Node) string {
	switch n.ResourceType {
	case compiler.TypeSource:
		return "source:" + n.Package + "." + n.SourceName + "." + n.Name
	case compiler.TypeUnitTest:
		return "unit_test:" + n.Package + "." + n.Name
	}
	return strings.Join(n.FQN, ".")
}

// sortedCopy returns xs sorted.
func sortedCopy(xs []string) []string {
	out := append([]string{}, xs...)
	sort.Strings(out)
	return out
}
