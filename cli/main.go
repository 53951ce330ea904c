// Package cli is mart's command line: it parses flags, calls one package
// per step (compiler, plan, runner) and hands every result, warning and
// error to a view (cli/view) that renders it for a person or, with
// --log-format json, as JSON lines. It holds no pipeline logic itself.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/mart-dev/mart/cli/view"
	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/internal/gcpace"
)

// Exit codes.
const (
	ExitOK          = 0
	ExitFailure     = 1   // a node failed
	ExitBadInput    = 2   // the project, a flag or a profile is wrong: nothing was changed
	ExitInterrupted = 130 // Ctrl-C: running statements were cancelled
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// badInput is an error in what the user gave: exit code 2.
func badInput(format string, args ...any) error {
	return &exitError{ExitBadInput, fmt.Errorf(format, args...)}
}

// globals are the flags every command takes, and the view they report to.
type globals struct {
	projectDir  string
	profilesDir string
	target      string
	profile     string // --profile
	vars        string
	logFormat   string
	// quiet: --quiet (-q), the view reports what goes wrong only (view.Quiet)
	quiet bool
	// dbt: dbt's global flags that mart reads (dbtflags.go)
	dbt dbtGlobals
	// empty: the run's --empty (ref() and source() read no rows)
	empty bool
	// printedDiags are the diagnostics compileProject printed.
	printedDiags compiler.Diagnostics
	// patchSnapshot: the compile keeps a patch snapshot (mart compile of every node)
	patchSnapshot bool
	// running: the command runs nodes (build, run, test, seed, snapshot)
	running bool
	// partialParse: on unless --no-partial-parse or MART_NO_PARTIAL_PARSE
	// (--partial-parse=false too). A cold compile costs about a tenth more
	// with it, a warm one after a SQL edit a tenth
	// (bench/results/2026-12-02-patch.txt).
	partialParse, noPartialParse bool
	// wholeWhy: why the next compileProject compiles the whole project
	// instead of patching target/, which it reports (view.PartialParse);
	// command: the command's path ("mart docs generate")
	wholeWhy, command string
	ctx               context.Context
	v                 view.View
	// preopen: the command opens the warehouse after compiling, so
	// compileProject starts opening it as soon as the target is known
	// (preopen.go); pre is that opening, until openWarehouse takes it.
	preopen bool
	pre     *preopened
	// aheadState: the --state a warehouse opened ahead attaches (--defer);
	// attached: what it attached, once the command took that warehouse
	aheadState *selection
	attached   *attachedAhead
}

func (g *globals) parseVars() (map[string]any, error) {
	if g.vars == "" {
		return nil, nil
	}
	// --vars may hold secrets: a message shows where the YAML is wrong,
	// never the value (yaml.v3's decode errors quote it)
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(g.vars), &doc); err != nil {
		return nil, badInput("--vars: expected a YAML mapping such as '{key: value}': %v", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, badInput("--vars: expected a YAML mapping such as '{key: value}', got %s", yamlKind(&doc))
	}
	var m map[string]any
	if err := doc.Decode(&m); err != nil {
		return nil, badInput("--vars: expected a YAML mapping such as '{key: value}' with text keys")
	}
	return m, nil
}

// yamlKind names what a YAML document holds, for messages.
func yamlKind(doc *yaml.Node) string {
	if len(doc.Content) == 0 {
		return "nothing"
	}
	switch doc.Content[0].Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a single value"
	case yaml.AliasNode:
		return "an alias"
	}
	return "something else"
}

// Main runs mart with the given arguments and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// mart is a short process that allocates a lot while it compiles and
	// keeps most of it: no collection before the heap has grown to 100
	// MB, then GOGC=200 (internal/gcpace). GOGC still wins when it is set.
	gcpace.Set()
	// MART_CPUPROFILE=file writes a CPU profile of the whole run (for
	// `go tool pprof`); it is how the figures in bench/results were explained.
	if f := os.Getenv("MART_CPUPROFILE"); f != "" {
		if out, err := os.Create(f); err == nil {
			if err := pprof.StartCPUProfile(out); err == nil {
				defer func() { pprof.StopCPUProfile(); out.Close() }()
			}
		}
	}
	// MART_MEMPROFILE=file writes a heap profile at exit (`go tool pprof
	// -sample_index=alloc_space` shows what the run allocated). The profile
	// holds what was allocated up to the last collection: one more makes it
	// the whole run's.
	if f := os.Getenv("MART_MEMPROFILE"); f != "" {
		defer func() {
			runtime.GC()
			if out, err := os.Create(f); err == nil {
				pprof.Lookup("allocs").WriteTo(out, 0)
				out.Close()
			}
		}()
	}
	return Run(ctx, args, stdin, stdout, stderr)
}

// Run is Main with a caller-provided context (cancelling it acts as Ctrl-C).
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := &globals{ctx: ctx}
	// the view is needed before cobra parses the flags, to report a flag
	// error in the format asked for
	format := logFormatArg(args)
	if format == "" {
		format = envOr("DBT_LOG_FORMAT", "text")
	}
	format = strings.ToLower(format)
	g.v = view.New(format, stdout, stderr)
	root := &cobra.Command{
		Use:           "mart",
		Short:         "mart builds SQL data marts: templated models compiled into a DAG and built into a warehouse",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       "set below",
	}
	// the text is made only when --version is given
	cobra.AddTemplateFunc("versionText", versionText)
	root.SetVersionTemplate("{{ versionText }}")
	root.SetArgs(spreadMultiValues(args))
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&g.projectDir, "project-dir", envOr("MART_PROJECT_DIR", envOr("DBT_PROJECT_DIR", ".")), "directory holding mart.yml (or dbt_project.yml); also MART_PROJECT_DIR or DBT_PROJECT_DIR")
	pf.StringVar(&g.profilesDir, "profiles-dir", envOr("MART_PROFILES_DIR", os.Getenv("DBT_PROFILES_DIR")), "directory holding profiles.yml (default: $MART_PROFILES_DIR or $DBT_PROFILES_DIR, else the project dir, then ~/.mart)")
	pf.StringVarP(&g.target, "target", "t", "", "profile target to use (default: the profile's target)")
	pf.StringVar(&g.profile, "profile", "", "profile of profiles.yml to use (default: the project file's profile:)")
	pf.StringVar(&g.vars, "vars", "", "YAML mapping of variables, e.g. '{start_date: 2026-01-01}'")
	pf.StringVar(&g.logFormat, "log-format", "text", "output format: text or json")
	pf.BoolVar(&g.partialParse, "partial-parse", true,
		"compile only what changed: mart compile patches the target/ it left (target/partial_parse.patch), other commands reuse the renders in target/partial_parse.gob (on by default)")
	pf.BoolVar(&g.noPartialParse, "no-partial-parse", envFlag("MART_NO_PARTIAL_PARSE"),
		"render every template again, even with --partial-parse (also MART_NO_PARTIAL_PARSE=1)")
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "report only what goes wrong, and what the command lists or shows (as dbt's --quiet)")
	registerDBTGlobals(pf, &g.dbt)
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		g.command = cmd.CommandPath()
		// dbt's settings of the command's flags; not mart extract's, whose
		// --full-refresh is mart's own
		if cmd.Name() != "extract" {
			if err := applyDBTEnv(cmd); err != nil {
				return err
			}
			if err := g.applyProjectFlags(cmd); err != nil {
				return err
			}
		}
		if f := strings.ToLower(g.logFormat); (f == "json") != (format == "json") {
			g.v = view.New(f, stdout, stderr) // the project's flags: said
		}
		g.logFormat = strings.ToLower(g.logFormat)
		if !slices.Contains(logFormats, g.logFormat) {
			return badInput("--log-format must be text or json, not %q", g.logFormat)
		}
		if err := g.dbt.check(); err != nil {
			return err
		}
		switch {
		case g.quiet && g.dbt.logLevel != "none":
			g.v = view.Quiet(g.v)
		default:
			g.v = view.Level(g.v, g.dbt.logLevel)
		}
		return nil
	}
	for _, f := range commands {
		root.AddCommand(f(g))
	}
	addNegations(root)
	err := root.ExecuteContext(context.WithValue(ctx, globalsKey{}, g))
	g.releasePreopened()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			g.v.Error(ee.err)
		}
		return ee.code
	}
	// flag and usage errors from cobra
	g.v.Error(err)
	return ExitBadInput
}

// logFormatArg finds --log-format's value in args ("" when absent).
func logFormatArg(args []string) string {
	for i, a := range args {
		switch {
		case a == "--":
			return ""
		case a == "--log-format" && i+1 < len(args):
			return args[i+1]
		case len(a) > len("--log-format=") && a[:len("--log-format=")] == "--log-format=":
			return a[len("--log-format="):]
		}
	}
	return ""
}

// commands makes each of mart's commands; the files that define them add
// themselves here.
var commands []func(g *globals) *cobra.Command

// envFlag reads a boolean environment variable: set, and not "", "0",
// "false" or "no".
func envFlag(k string) bool {
	switch strings.ToLower(os.Getenv(k)) {
	case "", "0", "false", "no":
		return false
	}
	return true
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
