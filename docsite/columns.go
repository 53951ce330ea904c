package docsite

import (
	"slices"
	"strings"

	"github.com/mart-dev/mart/compiler"
)

// columnDetail is one column on a node's page: documented in YAML, found
// in the warehouse, or both (Where says which: "both", "docs",
// "warehouse", or "" when there is no catalog to compare with).
type columnDetail struct {
	Name        string          `json:"name"`
	Type        string          `json:"type,omitempty"`
	Description string          `json:"description_html,omitempty"`
	Where       string          `json:"where"`
	Tags        []string        `json:"tags,omitempty"`
	Meta        compiler.Object `json:"meta,omitempty"`
	Tests       []int           `json:"tests,omitempty"` // positions in the node's tests
}

// columns merges the documented columns with the catalog's: the
// warehouse's in table order first, then those only documented, by name.
// Names match without case; the warehouse's type wins over data_type.
func (s *site) columns(n *compiler.Node, entry *CatalogEntry, tests []testRef) []columnDetail {
	docs := make(map[string]*compiler.Column, len(n.Columns))
	for name, c := range n.Columns {
		docs[strings.ToLower(name)] = c
	}
	var out []columnDetail
	if entry != nil {
		for _, c := range entry.columns() {
			d := columnDetail{Name: c.Name, Type: c.Type, Where: "warehouse"}
			if doc := docs[strings.ToLower(c.Name)]; doc != nil {
				s.describeColumn(&d, doc)
				d.Where = "both"
				delete(docs, strings.ToLower(c.Name))
			} else if c.Comment != nil {
				d.Description = s.md.render(*c.Comment)
			}
			out = append(out, d)
		}
	}
	rest := make([]string, 0, len(docs))
	for k := range docs {
		rest = append(rest, k)
	}
	slices.Sort(rest)
	for _, k := range rest {
		doc := docs[k]
		d := columnDetail{Name: doc.Name, Type: doc.DataType}
		if entry != nil {
			d.Where = "docs"
		}
		s.describeColumn(&d, doc)
		out = append(out, d)
	}
	for i := range out {
		for k, t := range tests {
			if t.Column != "" && strings.EqualFold(t.Column, out[i].Name) {
				out[i].Tests = append(out[i].Tests, k)
			}
		}
	}
	if out == nil {
		out = []columnDetail{}
	}
	return out
}

func (s *site) describeColumn(d *columnDetail, doc *compiler.Column) {
	d.Description = s.md.render(doc.Description)
	d.Tags, d.Meta = doc.Tags, doc.Meta
	if d.Type == "" {
		d.Type = doc.DataType
	}
}
