package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// readmeCommands returns the `go run ./cmd/mart ...` lines of the README's
// sh code blocks, in order.
func readmeCommands(t *testing.T) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "README.md"))
	require.NoError(t, err)
	defer f.Close()
	var cmds [][]string
	inSh := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "```sh"):
			inSh = true
		case strings.HasPrefix(line, "```"):
			inSh = false
		case inSh && strings.HasPrefix(line, "go run ./cmd/mart "):
			cmds = append(cmds, shellWords(t, strings.TrimPrefix(line, "go run ./cmd/mart ")))
		}
	}
	require.NotEmpty(t, cmds, "the README has no `go run ./cmd/mart` commands")
	return cmds
}

// shellWords splits a command line the way sh would for the simple quoting
// the README uses.
func shellWords(t *testing.T, s string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	inWord := false
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '#':
			if !inWord {
				return out
			}
			cur.WriteRune(r)
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	require.Zero(t, quote, "unbalanced quote in README command %q", s)
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// TestReadmeCommands runs every mart command of the README, in order, on a
// copy of the demo project, with the binary `go run ./cmd/mart` builds.
func TestReadmeCommands(t *testing.T) {
	dir := demo(t)
	for _, args := range readmeCommands(t) {
		r := mart(t, dir, args...)
		require.Contains(t, []int{0, 1}, r.Code, "mart %s\n%s", strings.Join(args, " "), r)
		if args[0] != "test" && args[0] != "build" {
			require.Equal(t, 0, r.Code, "mart %s\n%s", strings.Join(args, " "), r)
		}
	}
}

// TestNewcomerPath runs the README's first command literally in a fresh
// copy of the repository: go run ./cmd/mart build must build the demo.
func TestNewcomerPath(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run on a copy of the repository")
	}
	dir := t.TempDir()
	entries, err := os.ReadDir(repoRoot)
	require.NoError(t, err)
	for _, e := range entries {
		switch e.Name() {
		case ".git", ".cache", "target", "logs":
			continue // what a fresh clone does not have
		}
		src := filepath.Join(repoRoot, e.Name())
		p := e.Name()
		if e.IsDir() {
			copyTree(t, src, filepath.Join(dir, p))
		} else {
			data, err := os.ReadFile(src)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, p), data, 0o644))
		}
	}
	cmd := exec.Command("go", "run", "./cmd/mart", "build")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "MART_PROFILES_DIR=")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	require.Contains(t, string(out), "ERROR=0 FAIL=0 SKIP=0")
	_, err = os.Stat(filepath.Join(dir, "target", "mart.duckdb"))
	require.NoError(t, err)
}
