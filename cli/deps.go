package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/deps"
)

func init() { commands = append(commands, depsCmd) }

func depsCmd(g *globals) *cobra.Command {
	var upgrade bool
	cmd := &cobra.Command{
		Use:   "deps",
		Short: "Install the packages of packages.yml (local, git and dbt hub packages) into dbt_packages/ and write package-lock.yml",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			proj, diags := g.loadProject(nil)
			if diags.HasErrors() {
				g.v.Diagnostics(diags)
				return badInput("the project file is invalid")
			}
			specs, err := deps.ReadSpecs(proj.Dir)
			if err != nil {
				return badInput("%v", err)
			}
			if specs.File == "" {
				g.v.Info("No packages.yml or dependencies.yml: nothing to install.")
				return nil
			}
			if err := deps.CheckInstallPath(proj.Dir, proj.PackagesInstallPath); err != nil {
				return badInput("%s: %v", proj.File, err)
			}
			installed, err := deps.Install(g.ctx, deps.Options{ProjectDir: proj.Dir, InstallPath: proj.PackagesInstallPath,
				HubURL: envOr("MART_HUB_URL", deps.DefaultHub), Upgrade: upgrade, Log: g.v.Info})
			if err != nil {
				return &exitError{ExitFailure, err}
			}
			g.v.Info(fmt.Sprintf("Installed %d package%s into %s and wrote package-lock.yml.", len(installed), plural(len(installed)), proj.PackagesInstallPath))
			return nil
		},
	}
	cmd.Flags().BoolVar(&upgrade, "upgrade", false, "resolve every package again instead of installing what package-lock.yml records")
	return cmd
}
