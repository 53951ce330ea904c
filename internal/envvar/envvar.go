// Package envvar is dbt's env_var(name, default) lookup, shared by the
// compiler's templates and packages.yml (deps), which render it each with
// its own rule on secret variables.
package envvar

import (
	"fmt"
	"os"
)

// Lookup returns the environment variable name, else the call's default
// (a second argument or default=), else an error saying it is not set.
func Lookup(name string, args []any, kw map[string]any) (any, error) {
	if v, ok := os.LookupEnv(name); ok {
		return v, nil
	}
	if len(args) > 1 {
		return args[1], nil
	}
	if d, ok := kw["default"]; ok {
		return d, nil
	}
	return nil, fmt.Errorf("env var %q is not set and env_var() has no default", name)
}
