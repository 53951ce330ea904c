package jinja

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A recursive loop that recurses without end must fail the render (as a
// macro's runaway recursion does), not kill the process with Go's fatal
// "stack overflow" (unrecoverable: every parallel render dies with it).
// Jinja2 raises RecursionError. Run in a child process, as the crash
// cannot be recovered.
func TestReview48rRecursiveLoopRunaway(t *testing.T) {
	childRender(t, "TestReview48rRecursiveLoopRunaway", "{% for x in [[1]] recursive %}{{ loop([x]) }}{% endfor %}")
}

// tojson of a list that holds itself: Python's json.dumps raises
// "Circular reference detected"; the encoding/json mart used before
// returned an error too (it detects cycles); mart's own writer (a3efae8)
// must not recurse until the stack overflows.
func TestReview48rToJSONCycle(t *testing.T) {
	childRender(t, "TestReview48rToJSONCycle", "{% set l = [] %}{% do l.append(l) %}{{ l | tojson }}")
}

// childRender renders src in a child process (a fatal stack overflow
// cannot be recovered) and wants an error from the render, not a crash.
func childRender(t *testing.T, name, src string) {
	if os.Getenv("R48R_CHILD") == "1" {
		e := NewEngine()
		tpl, err := e.Parse("m.sql", src)
		require.NoError(t, err)
		_, err = tpl.Render(map[string]any{})
		require.Error(t, err)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^"+name+"$")
	cmd.Env = append(os.Environ(), "R48R_CHILD=1")
	out, err := cmd.CombinedOutput()
	crashed := strings.Contains(string(out), "fatal error: stack overflow")
	assert.False(t, crashed, "the render crashed the process with a fatal stack overflow")
	assert.NoError(t, err, "child failed")
}
