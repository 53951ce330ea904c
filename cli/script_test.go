package cli

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain makes this test binary the `mart` command of the scripts: each
// `mart ...` line runs Main in a process of its own, with the script's
// directory and environment.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"mart": func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the command surface's scripts, testdata/script/*.txtar:
// commands, flags, exit codes, text and JSON output, and what each leaves
// in target/. End-to-end builds of whole projects are in e2e/, which runs
// the real binary.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("MART_PROFILES_DIR", "")
			env.Setenv("HOME", env.WorkDir+"/home")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":     cmdExits,
			"jsonlines": cmdJSONLines,
			"jsonfile":  cmdJSONFile,
		},
	})
}

// cmdExits runs a command and checks its exit code:
//
//	exits 2 mart build --threads -1
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %q is not an exit code", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", strings.Join(args[1:], " "), got, want)
	}
}

// cmdJSONFile checks that each file is one JSON value, as a strict reader
// (encoding/json, a browser's JSON.parse) reads it:
//
//	jsonfile target/manifest.json
func cmdJSONFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: jsonfile FILE...")
	}
	for _, f := range args {
		if !json.Valid([]byte(ts.ReadFile(f))) {
			ts.Fatalf("%s is not valid JSON", f)
		}
	}
}

// cmdJSONLines checks that every line of the last command's stdout and
// stderr is a JSON object with an event:
//
//	jsonlines
func cmdJSONLines(ts *testscript.TestScript, neg bool, args []string) {
	for _, stream := range []string{"stdout", "stderr"} {
		text := ts.ReadFile(stream)
		for i, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			if line == "" && text == "" {
				continue
			}
			var ev map[string]any
			if err := json.Unmarshal([]byte(line), &ev); err != nil || ev["event"] == nil {
				ts.Fatalf("%s line %d is not a JSON event: %q", stream, i+1, line)
			}
		}
	}
}
