// Package cli is mart's command line: it parses flags, calls one package per
// command (compiler, build, docsite) and renders the result for a person or,
// with --log-format json, for a machine. It holds no pipeline logic itself.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitFailure  = 1 // a node failed
	ExitBadInput = 2 // the project, a flag or a profile is wrong
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

// globals are the flags every command takes.
type globals struct {
	projectDir  string
	profilesDir string
	target      string
	vars        string
	logFormat   string
	stdout      io.Writer
	stderr      io.Writer
	ctx         context.Context
}

func (g *globals) parseVars() (map[string]any, error) {
	if g.vars == "" {
		return nil, nil
	}
	var m map[string]any
	if err := yaml.Unmarshal([]byte(g.vars), &m); err != nil {
		return nil, &exitError{ExitBadInput, fmt.Errorf("--vars: expected a YAML mapping such as '{key: value}': %v", err)}
	}
	return m, nil
}

// Main runs mart with the given arguments and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// mart is a short process that allocates a lot while it compiles and
	// keeps most of it: collecting when the heap has grown 4x rather than
	// 2x takes a tenth off a 10,000-model compile, for about a fifth more
	// peak memory (bench/results). GOGC still wins when it is set.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
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
	// -sample_index=alloc_space` shows what the run allocated).
	if f := os.Getenv("MART_MEMPROFILE"); f != "" {
		defer func() {
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
	g := &globals{stdout: stdout, stderr: stderr, ctx: ctx}
	root := &cobra.Command{
		Use:           "mart",
		Short:         "mart builds SQL data marts: templated models compiled into a DAG and built into a warehouse",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&g.projectDir, "project-dir", envOr("MART_PROJECT_DIR", "."), "directory holding mart.yml (or dbt_project.yml)")
	pf.StringVar(&g.profilesDir, "profiles-dir", os.Getenv("MART_PROFILES_DIR"), "directory holding profiles.yml (default: the project dir, then ~/.mart)")
	pf.StringVarP(&g.target, "target", "t", "", "profile target to use (default: the profile's target)")
	pf.StringVar(&g.vars, "vars", "", "YAML mapping of variables, e.g. '{start_date: 2026-01-01}'")
	pf.StringVar(&g.logFormat, "log-format", "text", "output format: text or json")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if g.logFormat != "text" && g.logFormat != "json" {
			return &exitError{ExitBadInput, fmt.Errorf("--log-format must be text or json, not %q", g.logFormat)}
		}
		return nil
	}
	root.AddCommand(compileCmd(g), lsCmd(g))
	for _, c := range extraCommands(g) {
		root.AddCommand(c)
	}
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "error:", ee.err)
		}
		return ee.code
	}
	// flag and usage errors from cobra
	fmt.Fprintln(stderr, "error:", err)
	return ExitBadInput
}

// extraCommands is filled by the files that define more commands.
var extraCommandFuncs []func(g *globals) *cobra.Command

func extraCommands(g *globals) []*cobra.Command {
	var out []*cobra.Command
	for _, f := range extraCommandFuncs {
		out = append(out, f(g))
	}
	return out
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
