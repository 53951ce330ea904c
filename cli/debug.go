package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/cli/view"
	"github.com/mart-dev/mart/compiler"
)

func init() { commands = append(commands, debugCmd) }

// diagnoser is a warehouse that can check its connection and say what it
// verified (the lines `mart debug` prints).
type diagnoser interface {
	Diagnose(ctx context.Context) ([]string, error)
}

func debugCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "debug",
		Short: "Check the project, the profile and the warehouse connection",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return g.debug() },
	}
}

func (g *globals) debug() error {
	vars, err := g.parseVars()
	if err != nil {
		return err
	}
	check := func(status, format string, a ...any) {
		g.v.Check(view.Check{Status: status, Message: fmt.Sprintf(format, a...)})
	}
	proj, diags := g.loadProject(vars)
	if diags.HasErrors() {
		g.v.Diagnostics(diags)
		return badInput("the project file is invalid")
	}
	check("OK", "project %q (%s in %s)", proj.Name, proj.File, proj.Dir)
	tgt, diags := compiler.LoadTarget(proj, compiler.ProfileOptions{ProfilesDir: g.profilesDir, Target: g.target, Profile: g.profile, Vars: proj.Vars})
	g.v.Diagnostics(diags)
	if diags.HasErrors() {
		return badInput("the profile is invalid")
	}
	src := tgt.File
	if src == "" {
		src = "built-in default (no profiles.yml found)"
	}
	check("OK", "profile %q, target %q from %s", tgt.Profile, tgt.Name, src)
	check("", "settings: %s", shownSettings(tgt.Settings))
	// compiled as `mart compile` compiles (with a patch snapshot, which is
	// dropped), to tell whether the next compiles can patch
	pp := g.partialParse && !g.noPartialParse
	res, cdiags := compiler.Compile(compiler.Options{ProjectDir: g.projectDir, ProfilesDir: g.profilesDir, TargetPath: g.dbt.targetPath, Target: g.target, Profile: g.profile, Vars: vars,
		PartialParse: pp, PatchSnapshot: pp})
	if cdiags.HasErrors() {
		if res != nil {
			res.DropPatch()
		}
		check("FAIL", "project does not compile (%d errors): run mart compile", len(cdiags.Errors()))
		return &exitError{ExitBadInput, nil}
	}
	check("OK", "project compiles: %d nodes", len(res.Manifest.Nodes))
	if !pp {
		check("NOTE", "partial parsing is off (--no-partial-parse or MART_NO_PARTIAL_PARSE)")
	} else if why := res.PatchUnavailable(); why != "" {
		check("NOTE", "partial parsing cannot patch this project: %s; every mart compile and mart build --select compiles "+
			"the whole project (docs/architecture.md, \"Partial parsing\")", patchWhyText(why))
	} else {
		check("OK", "partial parsing: mart compile patches target/ after most edits instead of compiling the whole project (--debug says what each command did, and why; docs/partial-parsing.md)")
	}
	wh, err := res.Target.Open(g.ctx, res.Project.Dir)
	if err != nil {
		check("FAIL", "connection: %v", err)
		return &exitError{ExitFailure, nil}
	}
	defer wh.Close()
	d, ok := wh.(diagnoser)
	if !ok {
		check("OK", "opened the %s warehouse (the adapter has no further checks)", wh.Name())
	} else if lines, err := d.Diagnose(g.ctx); err != nil {
		check("FAIL", "%v", err)
		return &exitError{ExitFailure, nil}
	} else {
		for _, l := range lines {
			check("OK", "%s", l)
		}
	}
	g.v.Info("All checks passed.")
	return nil
}

// shownSettings lists a target's settings as key=value, secrets masked.
func shownSettings(settings map[string]any) string {
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	shown := make([]string, len(keys))
	for i, k := range keys {
		v := fmt.Sprint(compiler.MaskSecrets(settings[k], "****"))
		if compiler.IsSecretKey(k) {
			v = "****"
		}
		shown[i] = k + "=" + v
	}
	return strings.Join(shown, " ")
}

// patchWhyText words why a project keeps no patch snapshot
// (compiler.Result.PatchUnavailable) for a user.
func patchWhyText(why string) string {
	switch {
	case strings.HasSuffix(why, " renders at run time"):
		return strings.TrimSuffix(why, " renders at run time") + " reads graph while it renders, or queries the warehouse " +
			"(run_query, statement blocks, adapter.get_columns_in_relation, dbt_utils.star...) and is neither a model nor a generic test: " +
			"a patch renders again against the warehouse only models that do not read graph, and generic tests without ref() or source() in their arguments"
	case strings.HasSuffix(why, "'s render is not cached"):
		return strings.TrimSuffix(why, "'s render is not cached") + "'s render cannot be reused: it reads run_started_at, invocation_id, " +
			"modules or graph, calls var() or env_var() with a computed name, reads a secret env var, or sets a config value of a type the cache does not keep"
	case strings.HasSuffix(why, " renders differently every time and is not patchable"):
		return why + " (it reads run_started_at, invocation_id, modules, or var() or env_var() with a computed name, or queries the warehouse, " +
			"and is ephemeral, unit-tested or not a model: a patch renders such a model again each time only when nothing inlines or mocks it)"
	case strings.HasPrefix(why, "macro ") && strings.HasSuffix(why, " is volatile"):
		return why + " (it reads run_started_at, invocation_id, modules or graph)"
	}
	return why
}
