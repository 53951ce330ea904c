package extracttest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// childEnv, set to a project directory, makes a test binary run that
// project's extract instead of its tests (see Main).
const childEnv = "MART_EXTRACT_TEST_CHILD"

// Main is a test package's TestMain. In a child started by
// ExtractInChild it runs the extract and exits: 0 on success, 2 when it
// failed. Otherwise it runs the tests.
func Main(m *testing.M) {
	dir := os.Getenv(childEnv)
	if dir == "" {
		os.Exit(m.Run())
	}
	res, err := Extract(context.Background(), dir, RunOptions{})
	if err == nil {
		err = res.Err()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(0)
}

// ExtractInChild runs the extract of the project in dir in a child
// process (this test binary, see Main) with the extra environment env
// (such as a failpoint), and reports whether a signal killed it.
func ExtractInChild(t testing.TB, dir string, env ...string) (killed bool, output string, err error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), childEnv+"="+dir), env...)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == -1 {
		return true, string(out), nil
	}
	return false, string(out), err
}
