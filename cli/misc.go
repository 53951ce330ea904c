package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/compiler"
)

func init() {
	extraCommandFuncs = append(extraCommandFuncs, showCmd, debugCmd, cleanCmd)
}

func showCmd(g *globals) *cobra.Command {
	var sel selection
	var limit int
	var inline string
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Preview the rows of a model (or of an inline query) without building anything",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := g.compileProject(false, newInvocationID())
			if err != nil {
				return err
			}
			var sql, label string
			if inline != "" {
				sql, err = res.Renderer.RenderText(g.ctx, "", "--inline", inline, compiler.RenderOptions{})
				if err != nil {
					return &exitError{ExitBadInput, fmt.Errorf("--inline: %v", err)}
				}
				label = "inline query"
			} else {
				ids, err := g.selectNodes(res, &sel, false)
				if err != nil {
					return err
				}
				var picked []*compiler.Node
				for _, id := range ids {
					n := res.Manifest.Node(id)
					if n.ResourceType == compiler.TypeModel || n.ResourceType == compiler.TypeSeed ||
						n.ResourceType == compiler.TypeSnapshot || n.ResourceType == compiler.TypeTest {
						picked = append(picked, n)
					}
				}
				if len(picked) != 1 {
					return &exitError{ExitBadInput, fmt.Errorf("show needs --select matching exactly one model (or --inline 'select ...'); it matched %d", len(picked))}
				}
				n := picked[0]
				label = n.ResourceType + " " + n.Name
				sql = n.CompiledCode
				if n.ResourceType == compiler.TypeSeed || n.ResourceType == compiler.TypeSnapshot {
					sql = res.Dialect.SelectAll(n.Relation)
				}
			}
			wh, err := openWarehouse(g.ctx, res)
			if err != nil {
				return &exitError{ExitBadInput, err}
			}
			defer wh.Close()
			rows, err := wh.Query(g.ctx, sql, limit)
			if err != nil {
				return &exitError{ExitFailure, fmt.Errorf("%s: %v", label, err)}
			}
			if g.logFormat == "json" {
				var out []map[string]any
				for _, r := range rows.Values {
					m := map[string]any{}
					for i, c := range rows.Columns {
						m[c.Name] = r[i]
					}
					out = append(out, m)
				}
				g.event("show", map[string]any{"node": label, "rows": out})
				return nil
			}
			fmt.Fprintf(g.stdout, "Previewing %s (first %d rows):\n%s\n", label, limit, formatRows(rows))
			return nil
		},
	}
	sel.register(cmd)
	cmd.Flags().IntVar(&limit, "limit", 10, "rows to show")
	cmd.Flags().StringVar(&inline, "inline", "", "a SQL query to preview instead of a model (may use ref/source)")
	return cmd
}

func debugCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "debug",
		Short: "Check the project, the profile and the warehouse connection",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			vars, err := g.parseVars()
			if err != nil {
				return err
			}
			ok := true
			line := func(status, format string, a ...any) {
				fmt.Fprintf(g.stdout, "  %-5s %s\n", status, fmt.Sprintf(format, a...))
			}
			fmt.Fprintln(g.stdout, "mart debug")
			proj, diags := compiler.LoadProject(g.projectDir, vars)
			if diags.HasErrors() {
				g.printDiagnostics(diags)
				return &exitError{ExitBadInput, fmt.Errorf("project file is invalid")}
			}
			line("OK", "project %q (%s in %s)", proj.Name, proj.File, proj.Dir)
			tgt, diags := compiler.LoadTarget(proj, compiler.ProfileOptions{ProfilesDir: g.profilesDir, Target: g.target, Vars: proj.Vars})
			if diags.HasErrors() {
				g.printDiagnostics(diags)
				return &exitError{ExitBadInput, fmt.Errorf("profile is invalid")}
			}
			src := tgt.File
			if src == "" {
				src = "built-in default (no profiles.yml found)"
			}
			line("OK", "profile %q, target %q from %s", tgt.Profile, tgt.Name, src)
			keys := make([]string, 0, len(tgt.Settings))
			for k := range tgt.Settings {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var shown []string
			for _, k := range keys {
				v := fmt.Sprint(tgt.Settings[k])
				if compiler.IsSecretKey(k) {
					v = "****"
				}
				shown = append(shown, k+"="+v)
			}
			line("", "settings: %s", strings.Join(shown, " "))
			res, cdiags := compiler.Compile(compiler.Options{ProjectDir: g.projectDir, ProfilesDir: g.profilesDir, Target: g.target, Vars: vars})
			if cdiags.HasErrors() {
				ok = false
				line("FAIL", "project does not compile (%d errors): run mart compile", len(cdiags.Errors()))
			} else {
				line("OK", "project compiles: %d nodes", len(res.Manifest.Nodes))
			}
			if res == nil {
				return &exitError{ExitBadInput, nil}
			}
			wh, err := openWarehouse(g.ctx, res)
			if err != nil {
				line("FAIL", "connection: %v", err)
				return &exitError{ExitFailure, nil}
			}
			defer wh.Close()
			d, ok := wh.(diagnoser)
			if !ok {
				line("OK", "opened the %s warehouse (the adapter has no further checks)", wh.Name())
			} else if lines, err := d.Diagnose(g.ctx); err != nil {
				line("FAIL", "%v", err)
				return &exitError{ExitFailure, nil}
			} else {
				for _, l := range lines {
					line("OK", "%s", l)
				}
			}
			if !ok {
				return &exitError{ExitFailure, nil}
			}
			fmt.Fprintln(g.stdout, "All checks passed.")
			return nil
		},
	}
}

// diagnoser is a warehouse that can check its connection and say what it
// verified (the lines `mart debug` prints).
type diagnoser interface {
	Diagnose(ctx context.Context) ([]string, error)
}

func cleanCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "clean",
		Short: "Delete the target directory (compiled SQL, artifacts and the default DuckDB file)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			proj, diags := compiler.LoadProject(g.projectDir, nil)
			if diags.HasErrors() {
				g.printDiagnostics(diags)
				return &exitError{ExitBadInput, fmt.Errorf("project file is invalid")}
			}
			dir := proj.TargetPath
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(proj.Dir, dir)
			}
			if rel, err := filepath.Rel(proj.Dir, dir); err != nil || rel == "." || strings.HasPrefix(rel, "..") {
				return &exitError{ExitBadInput, fmt.Errorf("refusing to delete %s: target-path must be inside the project", dir)}
			}
			if err := os.RemoveAll(dir); err != nil {
				return &exitError{ExitFailure, err}
			}
			g.say("Removed %s", proj.TargetPath+"/")
			return nil
		},
	}
}
