package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/mart-dev/mart/compiler"
)

func init() { commands = append(commands, runOperationCmd) }

func runOperationCmd(g *globals) *cobra.Command {
	var args string
	cmd := &cobra.Command{
		Use:   "run-operation MACRO",
		Short: "Call a macro with the live warehouse, as dbt run-operation does (grants, vacuum, a package's admin macro)",
		Long: `Call a macro of the project or of a package (MACRO or package.MACRO) with the
arguments of --args, a YAML mapping: run_query() and statement blocks run against the
target's warehouse. What log(..., info=True) and print() say is printed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, pos []string) error { return g.runOperation(pos[0], args) },
	}
	cmd.Flags().StringVar(&args, "args", "", "the macro's keyword arguments, a YAML mapping such as '{table: orders, days: 7}'")
	return cmd
}

func (g *globals) runOperation(name, rawArgs string) error {
	var args map[string]any
	if rawArgs != "" {
		if err := yaml.Unmarshal([]byte(rawArgs), &args); err != nil || args == nil {
			return badInput("--args: expected a YAML mapping such as '{table: orders}', got %q", rawArgs)
		}
	}
	g.preopen = true
	// the macros and the relations ref() names load from the patch
	// snapshot, as for `mart show --inline` (an orchestrator runs
	// operations on a big project often)
	res, _, err := g.loadToRead(&runFlags{inline: true}, newInvocationID())
	if err != nil {
		return err
	}
	wh, err := g.openWarehouse(res)
	if err != nil {
		return err
	}
	defer wh.Close()
	err = res.Renderer.RunOperation(g.ctx, name, args, compiler.RenderOptions{Warehouse: wh, Log: g.v.Info, Print: g.printer(),
		Flags: map[string]any{"WHICH": "run-operation"}})
	var unknown *compiler.UnknownMacroError
	switch {
	case errors.As(err, &unknown):
		return badInput("run-operation: %v", err)
	case err != nil:
		return &exitError{ExitFailure, fmt.Errorf("run-operation %s: %w", name, err)}
	}
	return nil
}
