package cli

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/mart-dev/mart/cli/view"
	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/internal/suggest"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

// dbt's command line as scripts and orchestrators pass it: its flags'
// environment variables, the --no- form of its on/off flags, --warn-error
// and --log-level, and the flags about dbt's own machinery that mart
// accepts and has nothing to do for (docs/dbt-compatibility.md lists
// them). A DAG written for dbt runs mart with the same command line.

// dbtEnv names the environment variable dbt reads each flag from when it
// is not given (its click options' envvar). MART_PROJECT_DIR and
// MART_PROFILES_DIR come before DBT_PROJECT_DIR and DBT_PROFILES_DIR
// (Run).
var dbtEnv = map[string]string{
	"log-format":         "DBT_LOG_FORMAT",
	"log-level":          "DBT_LOG_LEVEL",
	"debug":              "DBT_DEBUG",
	"quiet":              "DBT_QUIET",
	"print":              "DBT_PRINT",
	"partial-parse":      "DBT_PARTIAL_PARSE",
	"indirect-selection": "DBT_INDIRECT_SELECTION",
	"state":              "DBT_STATE",
	"defer":              "DBT_DEFER",
	"favor-state":        "DBT_FAVOR_STATE",
	"full-refresh":       "DBT_FULL_REFRESH",
	"fail-fast":          "DBT_FAIL_FAST",
	"store-failures":     "DBT_STORE_FAILURES",
	"target-path":        "DBT_TARGET_PATH",
	"warn-error":         "DBT_WARN_ERROR",
	"warn-error-options": "DBT_WARN_ERROR_OPTIONS",
	// accepted, nothing to do (acceptedBools and registerDBTGlobals)
	"version-check":              "DBT_VERSION_CHECK",
	"send-anonymous-usage-stats": "DBT_SEND_ANONYMOUS_USAGE_STATS",
	"static-parser":              "DBT_STATIC_PARSER",
	"use-experimental-parser":    "DBT_USE_EXPERIMENTAL_PARSER",
	"populate-cache":             "DBT_POPULATE_CACHE",
	"cache-selected-only":        "DBT_CACHE_SELECTED_ONLY",
	"log-cache-events":           "DBT_LOG_CACHE_EVENTS",
	"use-colors":                 "DBT_USE_COLORS",
	"use-colors-file":            "DBT_USE_COLORS_FILE",
	"printer-width":              "DBT_PRINTER_WIDTH",
	"log-path":                   "DBT_LOG_PATH",
	"log-level-file":             "DBT_LOG_LEVEL_FILE",
	"log-format-file":            "DBT_LOG_FORMAT_FILE",
	"introspect":                 "DBT_INTROSPECT",
}

// acceptedBools are dbt's on/off flags about its own machinery, which
// mart accepts and has nothing to do for (docs/dbt-compatibility.md), with
// dbt's defaults.
var acceptedBools = []struct {
	name string
	on   bool
}{{"version-check", true}, {"send-anonymous-usage-stats", true}, {"static-parser", true}, {"use-experimental-parser", false},
	{"populate-cache", true}, {"cache-selected-only", false}, {"log-cache-events", false}, {"use-colors", true},
	{"use-colors-file", true}, {"introspect", true}}

// negatable are dbt's on/off flags that also have a --no- form
// (--defer/--no-defer): each gets a hidden --no-NAME that turns it off;
// the accepted ones too.
var negatable = []string{"quiet", "print", "debug", "defer", "favor-state", "fail-fast", "partial-parse"}

// dbtGlobals are the global flags of dbt's that are read here beside
// mart's own (registerDBTGlobals).
type dbtGlobals struct {
	targetPath       string
	warnError        bool
	warnErrorOptions string
	logLevel         string
	debug            bool
	print            bool
	// warnErrors: what --warn-error and --warn-error-options make errors
	// of (nil: none)
	warnErrors *warnErrors
	// accepted, nothing to do (checked only)
	logLevelFile, logFormatFile string
}

// registerDBTGlobals adds dbt's global flags to the root's.
func registerDBTGlobals(pf *pflag.FlagSet, d *dbtGlobals) {
	pf.StringVar(&d.targetPath, "target-path", "", "write target/ here instead of the project file's target-path (as dbt's --target-path; also DBT_TARGET_PATH)")
	pf.BoolVar(&d.warnError, "warn-error", false, "treat every warning as an error: a compile warning stops the command (exit 2), a test that warns fails (as dbt's)")
	pf.StringVar(&d.warnErrorOptions, "warn-error-options", "", `which warnings are errors, as dbt's: '{"error": "all" or [names], "warn": [names], "silence": [names]}'`)
	pf.StringVar(&d.logLevel, "log-level", "info", "what the console reports: debug, info, warn, error (as --quiet) or none (only what the command shows)")
	pf.BoolVarP(&d.debug, "debug", "d", false, "as --log-level debug: info, and how partial parsing compiled the project (target/ patched, or the whole project and why)")
	pf.BoolVar(&d.print, "print", true, "print what macros' print() prints (--no-print: do not)")
	// dbt's machinery that mart does not have: accepted, so that a
	// command line written for dbt runs (docs/dbt-compatibility.md)
	for _, b := range acceptedBools {
		pf.Bool(b.name, b.on, "")
		pf.Lookup(b.name).Hidden = true
	}
	pf.Int("printer-width", 80, "")
	pf.String("log-path", "", "")
	pf.StringVar(&d.logLevelFile, "log-level-file", "debug", "")
	pf.StringVar(&d.logFormatFile, "log-format-file", "debug", "")
	for _, name := range []string{"printer-width", "log-path", "log-level-file", "log-format-file"} {
		pf.Lookup(name).Hidden = true
	}
}

// check validates dbt's global flags once they are parsed.
func (d *dbtGlobals) check() error {
	if d.debug {
		d.logLevel = "debug"
	}
	d.logLevel = strings.ToLower(d.logLevel)
	if !slices.Contains(view.Levels, d.logLevel) {
		return badInput("--log-level must be %s, not %q", strings.Join(view.Levels, ", "), d.logLevel)
	}
	if l := strings.ToLower(d.logLevelFile); !slices.Contains(view.Levels, l) {
		return badInput("--log-level-file must be %s, not %q", strings.Join(view.Levels, ", "), d.logLevelFile)
	}
	if f := strings.ToLower(d.logFormatFile); !slices.Contains(logFormats, f) {
		return badInput("--log-format-file must be %s, not %q", strings.Join(logFormats, ", "), d.logFormatFile)
	}
	if d.warnError && d.warnErrorOptions != "" {
		// as dbt: one or the other
		return badInput("--warn-error and --warn-error-options cannot be given together: --warn-error is --warn-error-options '{\"error\": \"all\"}'")
	}
	w, err := parseWarnErrors(d.warnError, d.warnErrorOptions)
	if err != nil {
		return err
	}
	d.warnErrors = w
	return nil
}

// logFormats are --log-format's values: dbt's "default" and "debug" are
// text.
var logFormats = []string{"text", "json", "default", "debug"}

// applyDBTEnv sets each flag of the command that dbt reads from an
// environment variable, when that variable is set and the flag is not
// given, to the variable's value, as dbt's click options read theirs
// (only the command's: a variable of another command's flag is not
// read). A value that does not read is bad input, naming the variable.
func applyDBTEnv(cmd *cobra.Command) error {
	fs := cmd.Flags()
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		env := dbtEnv[f.Name]
		v, set := os.LookupEnv(env)
		if env == "" || !set || v == "" || err != nil || given(fs, f.Name) {
			return
		}
		if f.Name == "state" && stateFileErr(v) != nil {
			// set once for every command of a CI job, before the
			// artifacts it names exist: dbt reads its manifest.json only
			// when it is there (a state: method or --defer without it
			// says it needs --state)
			return
		}
		if err = setFlag(f, v); err != nil {
			err = badInput("%s: %v", env, err)
		}
	})
	return err
}

// given says whether a flag is on the command line, as itself or its
// --no- form.
func given(fs *pflag.FlagSet, name string) bool {
	if f := fs.Lookup(name); f != nil && f.Changed {
		return true
	}
	no := fs.Lookup("no-" + name)
	return no != nil && no.Changed
}

// setFlag sets a flag from a setting's text (an on/off flag's as dbt's
// click reads it).
func setFlag(f *pflag.Flag, v string) error {
	if f.Value.Type() == "bool" {
		b, ok := clickBool(v)
		if !ok {
			return fmt.Errorf("expected true or false, got %q", v)
		}
		v = strconv.FormatBool(b)
	}
	if f.Value.Set(v) != nil {
		return fmt.Errorf("expected a value of --%s, got %q", f.Name, v)
	}
	return nil
}

// addNegations gives each negatable flag of every command its --no- form.
func addNegations(root *cobra.Command) {
	names := slices.Clone(negatable)
	for _, b := range acceptedBools {
		names = append(names, b.name)
	}
	add := func(fs *pflag.FlagSet) {
		for _, name := range names {
			f := fs.Lookup(name)
			if f == nil || fs.Lookup("no-"+name) != nil {
				continue
			}
			no := fs.VarPF(negated{f.Value}, "no-"+name, "", "turn --"+name+" off")
			no.NoOptDefVal = "true"
			no.Hidden = true
		}
	}
	add(root.PersistentFlags())
	eachCommand(root, func(c *cobra.Command) { add(c.Flags()) })
}

func eachCommand(c *cobra.Command, do func(*cobra.Command)) {
	for _, sub := range c.Commands() {
		do(sub)
		eachCommand(sub, do)
	}
}

// negated is a --no-NAME flag: setting it sets NAME to the opposite.
type negated struct{ v pflag.Value }

func (n negated) String() string { return "false" }
func (n negated) Type() string   { return "bool" }
func (n negated) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	return n.v.Set(strconv.FormatBool(!b))
}

// clickBool reads an on/off environment variable as dbt's click does.
func clickBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "t", "yes", "y", "on":
		return true, true
	case "0", "false", "f", "no", "n", "off":
		return false, true
	}
	return false, false
}

// The names of the warnings --warn-error-options names: dbt's event
// names, for those of mart's warnings that are dbt's too. mart's other
// warnings (its compile's diagnostics) have none: "error": "all" and
// --warn-error make errors of them, a list of names does not.
const (
	eventNoNodes    = "NoNodesForSelectionCriteria"
	eventTestResult = "LogTestResult"
)

// warnErrors is what --warn-error or --warn-error-options make of
// warnings: errors (all of them but warns, or the events named), or
// nothing (silenced).
type warnErrors struct {
	all                     bool
	errors, warns, silenced map[string]bool
}

// parseWarnErrors reads --warn-error and --warn-error-options (a YAML or
// JSON mapping: "error" (or dbt's older "include") is "all", "*" or a list
// of event names; "warn" (or "exclude") and "silence" are lists); nil when
// neither asks for anything.
func parseWarnErrors(all bool, options string) (*warnErrors, error) {
	w := &warnErrors{all: all, errors: map[string]bool{}, warns: map[string]bool{}, silenced: map[string]bool{}}
	if strings.TrimSpace(options) != "" {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(options), &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			return nil, badInput(`--warn-error-options: expected a mapping such as '{"error": "all", "warn": [NoNodesForSelectionCriteria]}'`)
		}
		m := doc.Content[0]
		seen := map[string]string{}
		for i := 0; i+1 < len(m.Content); i += 2 {
			key, val := m.Content[i].Value, m.Content[i+1]
			var into map[string]bool
			switch key {
			case "error", "include":
				into = w.errors
			case "warn", "exclude":
				into = w.warns
			case "silence":
				into = w.silenced
			default:
				return nil, badInput("--warn-error-options: unknown key %q (expected error, warn or silence)", key)
			}
			kind := map[string]string{"include": "error", "exclude": "warn"}[key]
			if kind == "" {
				kind = key
			}
			if prev, ok := seen[kind]; ok {
				return nil, badInput("--warn-error-options: only one of %q and %q can be given", prev, key)
			}
			seen[kind] = key
			if (kind == "error") && val.Kind == yaml.ScalarNode && (val.Value == "all" || val.Value == "*") {
				w.all = true
				continue
			}
			names, ok := nameList(val)
			if !ok {
				what := "a list of event names"
				if kind == "error" {
					what = `"all" or ` + what
				}
				return nil, badInput("--warn-error-options: %s: expected %s", key, what)
			}
			for _, n := range names {
				if err := checkEventName(key, n); err != nil {
					return nil, err
				}
				into[n] = true
			}
		}
	}
	if len(w.warns) > 0 && !w.all {
		// as dbt: the exceptions are to "all"
		return nil, badInput(`--warn-error-options: "warn" (or "exclude") can only be given when "error" (or "include") is "all" or "*"`)
	}
	if !w.all && len(w.errors)+len(w.silenced) == 0 {
		return nil, nil
	}
	return w, nil
}

// checkEventName refuses a name of --warn-error-options that is not a
// dbt event's name: not a CamelCase name, or a misspelling of one mart's
// warnings answer to (dbt checks every name against its events; mart
// knows the two it has: another name is taken as one of dbt's, which
// mart never raises).
func checkEventName(key, name string) error {
	if !eventName.MatchString(name) {
		return badInput("--warn-error-options: %s: %q is not the name of one of dbt's events (such as %s)", key, name, eventNoNodes)
	}
	for _, known := range []string{eventNoNodes, eventTestResult} {
		if name != known && suggest.Distance(strings.ToLower(name), strings.ToLower(known)) <= 2 {
			return badInput("--warn-error-options: %s: %q is not the name of one of dbt's events; did you mean %q?", key, name, known)
		}
	}
	return nil
}

var eventName = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$|^[A-Z][0-9]{3}$`)

func nameList(n *yaml.Node) ([]string, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, true
	}
	if n.Kind != yaml.SequenceNode {
		return nil, false
	}
	var out []string
	for _, item := range n.Content {
		if item.Kind != yaml.ScalarNode || item.Value == "" {
			return nil, false
		}
		out = append(out, item.Value)
	}
	return out, true
}

// promotes says whether a warning of that event ("": one of mart's
// own) is an error.
func (w *warnErrors) promotes(event string) bool {
	return w != nil && (w.all && !w.warns[event] || event != "" && w.errors[event])
}

// silences says whether a warning of that event is not reported.
func (w *warnErrors) silences(event string) bool {
	return w != nil && event != "" && w.silenced[event] && !w.promotes(event)
}

// promote returns the diagnostics as --warn-error makes them: each
// warning an error, but partial parsing's notes (about target/'s caches,
// not the project).
func (g *globals) promote(ds compiler.Diagnostics) compiler.Diagnostics {
	if !g.dbt.warnErrors.promotes("") || !ds.HasWarnings() {
		return ds
	}
	out := make(compiler.Diagnostics, len(ds))
	for i, d := range ds {
		if d.Severity == compiler.SevWarning && !compiler.IsNote(d) {
			d.Severity = compiler.SevError
		}
		out[i] = d
	}
	return out
}

// expectsNodes says whether each criterion of the selection must match
// a node (dbt's expect_exists): those typed on the command line; not a
// YAML selector's (--selector, or the default one), as in dbt.
func (s *selection) expectsNodes() bool {
	return s.given == nil || s.given.selector == "" && len(s.given.selects)+len(s.given.excludes) > 0
}

// matchedNone reports that a selection matched no node: a warning (dbt's
// NoNodesForSelectionCriteria), an error under --warn-error, nothing when
// silenced.
func (g *globals) matchedNone(selects []string) error {
	d := compiler.Diagnostic{Severity: compiler.SevWarning,
		Summary: fmt.Sprintf("the selection %q matched no nodes", strings.Join(selects, " "))}
	switch w := g.dbt.warnErrors; {
	case w.promotes(eventNoNodes):
		d.Severity = compiler.SevError
		g.v.Diagnostics(compiler.Diagnostics{d})
		return badInput("--warn-error: the selection matched no nodes; nothing was run")
	case !w.silences(eventNoNodes):
		g.v.Diagnostics(compiler.Diagnostics{d})
	}
	return nil
}

// loadProject loads the project (its target path as --target-path says).
func (g *globals) loadProject(vars map[string]any) (*compiler.Project, compiler.Diagnostics) {
	return compiler.Options{ProjectDir: g.projectDir, Vars: vars, TargetPath: g.dbt.targetPath}.LoadProject()
}

// printer is where macros' print() prints: the console, even under
// --quiet or a --log-level (as dbt's), nowhere under --no-print.
func (g *globals) printer() func(string) {
	if !g.dbt.print {
		return func(string) {}
	}
	return view.Unquiet(g.v).Info
}

// applyProjectFlags sets the command's flags from the project file's
// `flags:` block (dbt 1.8's: `fail_fast: true`, `warn_error_options:
// {...}`), below the command line and the environment, as dbt does. A
// key no flag of the command has (dbt's behaviour flags, or a flag of
// another command) is left alone.
func (g *globals) applyProjectFlags(cmd *cobra.Command) error {
	fs := cmd.Flags()
	flags, file := compiler.ProjectFlags(g.projectDir)
	for _, pf := range flags {
		name := strings.ReplaceAll(pf.Name, "_", "-")
		f := fs.Lookup(name)
		if f == nil || dbtEnv[name] == "" || given(fs, name) || os.Getenv(dbtEnv[name]) != "" {
			continue
		}
		if err := setFlag(f, pf.Value); err != nil {
			return badInput("%s:%d: flags: %s: %v", file, pf.Line, pf.Name, err)
		}
	}
	return nil
}
