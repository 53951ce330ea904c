package projgen

import (
	"bytes"
	"fmt"
	"strings"
)

// files lists every file of the project with its renderer, in a fixed order.
func (p *project) files() []file {
	fs := []file{
		{markerFile, p.marker},
		{"mart.yml", p.martYML},
		{"seeds/base.csv", seedCSV},
	}
	if p.opt.Package {
		fs = append(fs, file{"dbt_packages/bench_utils/dbt_project.yml", func() []byte { return []byte("name: bench_utils\n") }},
			file{"dbt_packages/bench_utils/macros/safe_divide.sql", packageMacros})
	}
	for f := range p.macroFiles {
		fs = append(fs, file{macroFilePath(f), func() []byte { return macroFile(f) }})
	}
	for k := range p.opt.Layers {
		fs = append(fs, file{"models/" + layerName(k) + "/_schema.yml", func() []byte { return p.schemaYML(k) }})
	}
	for i := range p.models {
		m := &p.models[i]
		fs = append(fs, file{p.modelPath(m), func() []byte { return p.modelSQL(m) }})
	}
	return fs
}

func (p *project) marker() []byte {
	pkg := ""
	if p.opt.Package {
		pkg = " package=true"
	}
	return fmt.Appendf(nil, "projgen models=%d seed=%d macros-files=%d layers=%d materialized=%q chain=%t%s\n",
		p.opt.Models, p.opt.Seed, p.macroFiles, p.opt.Layers, p.opt.Materialized, p.opt.Chain, pkg)
}

func layerTag(k, layers int) string {
	switch {
	case k == 0:
		return "staging"
	case k == layers-1:
		return "marts"
	default:
		return "intermediate"
	}
}

// martYML has folder configs for each layer and for every seventh group.
func (p *project) martYML() []byte {
	var b bytes.Buffer
	kind := "fan-in"
	if p.opt.Chain {
		kind = "chain"
	}
	fmt.Fprintf(&b, "# Synthetic project written by bench/projgen: %d models (%s), %d layers, seed %d.\n",
		p.opt.Models, kind, p.opt.Layers, p.opt.Seed)
	fmt.Fprintf(&b, "name: %s\nversion: \"1.0.0\"\n\n", ProjectName)
	b.WriteString("model-paths: [\"models\"]\nmacro-paths: [\"macros\"]\nseed-paths: [\"seeds\"]\n\n")
	b.WriteString("vars:\n  v: 1\n\n")
	fmt.Fprintf(&b, "models:\n  %s:\n", ProjectName)
	for k := range p.opt.Layers {
		fmt.Fprintf(&b, "    %s:\n", layerName(k))
		fmt.Fprintf(&b, "      +materialized: %s\n", p.layerMaterialized(k))
		fmt.Fprintf(&b, "      +tags: [\"%s\", \"%s\"]\n", layerName(k), layerTag(k, p.opt.Layers))
		for j := range p.groups(k) {
			if !hasGroupConfig(j) {
				continue
			}
			fmt.Fprintf(&b, "      %s:\n", groupName(j))
			if p.groupOverridesToTable(k, j) {
				b.WriteString("        +materialized: table\n")
			}
			fmt.Fprintf(&b, "        +tags: [\"%s\"]\n", groupName(j))
		}
	}
	return b.Bytes()
}

// schemaYML documents every model of one layer, with tests on id.
func (p *project) schemaYML(k int) []byte {
	var b bytes.Buffer
	b.WriteString("version: 2\n\nmodels:\n")
	for i := p.layerStarts[k]; i < p.layerStarts[k+1]; i++ {
		m := &p.models[i]
		fmt.Fprintf(&b, "  - name: %s\n", modelName(i))
		fmt.Fprintf(&b, "    description: \"Synthetic model %s in %s/%s: %s\"\n",
			modelName(i), layerName(k), groupName(m.group), strings.TrimSuffix(describeInputs(m), "."))
		b.WriteString(`    columns:
      - name: id
        description: "Row key, unique in every model."
        data_tests: [unique, not_null]
      - name: name
        description: "Display name of the row."
      - name: amount
        description: "Amount in cents, kept below 1000."
`)
	}
	return b.Bytes()
}

// seedCSV is seeds/base.csv: seedRows rows of id, name, amount.
func seedCSV() []byte {
	var b bytes.Buffer
	b.WriteString("id,name,amount\n")
	for id := 1; id <= seedRows; id++ {
		fmt.Fprintf(&b, "%d,name_%d,%d\n", id, id, id*37%1000)
	}
	return b.Bytes()
}

// packageMacros is the bench package's macro: dispatched, as dbt_utils'.
func packageMacros() []byte {
	return []byte(`{% macro safe_divide(numerator, denominator) -%}
  {{ return(adapter.dispatch('safe_divide', 'bench_utils')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
  case when ({{ denominator }}) = 0 then null else ({{ numerator }}) / ({{ denominator }}) end
{%- endmacro %}
`)
}
