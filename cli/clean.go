package cli

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

func init() { commands = append(commands, cleanCmd) }

func cleanCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "clean",
		Short: "Delete the target directory (compiled SQL, artifacts and the default DuckDB file)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			proj, diags := g.loadProject(nil)
			if diags.HasErrors() {
				g.v.Diagnostics(diags)
				return badInput("the project file is invalid")
			}
			dir := proj.TargetPath
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(proj.Dir, dir)
			}
			if rel, err := filepath.Rel(proj.Dir, dir); err != nil || rel == "." || strings.HasPrefix(rel, "..") {
				return badInput("refusing to delete %s: target-path must be inside the project", dir)
			}
			if err := os.RemoveAll(dir); err != nil {
				return &exitError{ExitFailure, err}
			}
			g.v.Info("Removed " + proj.TargetPath + "/")
			return nil
		},
	}
}
