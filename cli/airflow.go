package cli

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/airflow"
	"github.com/mart-dev/mart/cli/view"
	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/plan"
)

func init() { commands = append(commands, airflowCmd) }

func airflowCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "airflow", Short: "Run the project on Apache Airflow", Args: cobra.NoArgs}
	cmd.AddCommand(airflowGenerateCmd(g))
	return cmd
}

func airflowGenerateCmd(g *globals) *cobra.Command {
	var sel selection
	var groupBy, out string
	cmd := &cobra.Command{
		Use:   "generate --out FILE",
		Short: "Write an Airflow DAG file: a task per node (or folder, or tag) running mart build, in DAG order",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return badInput("--out is required: the DAG file to write, e.g. --out dags/my_project.py")
			}
			if groupBy != airflow.ByNode && groupBy != airflow.ByFolder && groupBy != airflow.ByTag {
				return badInput("--group-by must be node, folder or tag, not %q", groupBy)
			}
			res, err := g.compileProject(false, newInvocationID())
			if err != nil {
				return err
			}
			ids, err := g.selectNodes(res, &sel, true)
			if err != nil {
				return err
			}
			kinds := []string{compiler.TypeSeed, compiler.TypeModel, compiler.TypeSnapshot, compiler.TypeTest,
				compiler.TypeUnitTest, compiler.TypeSource}
			p := plan.New(res, ids, plan.Options{Kinds: kinds})
			dag, err := airflow.Build(p, res.Manifest, airflow.Options{GroupBy: groupBy, ExtractClashes: res.ExtractClashes})
			if err != nil {
				return badInput("--group-by %s: %v", groupBy, err)
			}
			data := dag.Python(airflow.FileOptions{Project: res.Project.Name, Airflow: res.Project.Airflow,
				Target: g.target, Profile: g.profile, Vars: g.vars, Regenerate: regenerateCommand(g, &sel, groupBy, out)})
			if err := writeFileAtomic(out, data); err != nil {
				return &exitError{ExitFailure, err}
			}
			g.v.DAGWritten(dagReport(dag, res.Project, out))
			return nil
		},
	}
	sel.register(cmd)
	cmd.Flags().StringVar(&groupBy, "group-by", airflow.ByNode, "one task per node, per folder or per tag (node, folder or tag)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "the DAG file to write (a .py file in Airflow's dags folder)")
	return cmd
}

func dagReport(d *airflow.DAG, p *compiler.Project, file string) view.DAGReport {
	r := view.DAGReport{File: file, DagID: p.Name, Counts: map[string]int{}}
	if p.Airflow != nil && p.Airflow.DagID != "" {
		r.DagID = p.Airflow.DagID
	}
	for _, t := range d.Tasks {
		r.Counts[t.Kind]++
		r.Edges += len(t.Upstream)
	}
	return r
}

// regenerateCommand is the command line the DAG file names as its origin.
func regenerateCommand(g *globals, sel *selection, groupBy, out string) string {
	parts := []string{"mart airflow generate"}
	if g.target != "" {
		parts = append(parts, "--target "+shellWord(g.target))
	}
	if g.profile != "" {
		parts = append(parts, "--profile "+shellWord(g.profile))
	}
	if g.vars != "" {
		parts = append(parts, "--vars "+shellWord(g.vars))
	}
	mode := sel.indirect
	if sel.given != nil { // (as typed, before selectors.yml resolved it)
		sel = sel.given
	}
	if sel.selector != "" {
		parts = append(parts, "--selector "+shellWord(sel.selector))
	}
	for _, s := range sel.selects {
		parts = append(parts, "--select "+shellWord(s))
	}
	for _, s := range sel.excludes {
		parts = append(parts, "--exclude "+shellWord(s))
	}
	if mode != "" && mode != "eager" {
		parts = append(parts, "--indirect-selection "+mode)
	}
	if groupBy != airflow.ByNode {
		parts = append(parts, "--group-by "+groupBy)
	}
	return strings.Join(append(parts, "--out "+shellWord(filepath.ToSlash(out))), " ")
}

func shellWord(s string) string {
	if s != "" && !strings.ContainsAny(s, " '\"$`\\*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// writeFileAtomic writes a file through a temporary file in its directory.
// The file gets the mode of the file it replaces, else 0644: a DAG file is
// read by Airflow's scheduler, which seldom runs as the user who wrote it
// (os.CreateTemp alone would leave it 0600).
func writeFileAtomic(file string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(file); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
