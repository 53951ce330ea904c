package deps

import (
	"fmt"
	"strings"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/mart-dev/mart/internal/envvar"
)

// packages.yml's values may call env_var(), as in dbt: most often a git
// URL carrying a token from a secret env var (DBT_ENV_SECRET_*), which
// packages.yml is one of the few places allowed to read. The git URL is
// kept as written for messages and package-lock.yml, so the token is only
// ever handed to git; the other values are replaced by what they render to.

var engine = jinja.NewEngine()

// render renders `{{ env_var('X') }}` (with an optional default) in a
// value of packages.yml.
func render(file, src string) (string, error) {
	if !strings.Contains(src, "{{") && !strings.Contains(src, "{%") {
		return src, nil
	}
	tpl, err := engine.Parse(file, src)
	if err != nil {
		return "", err
	}
	return tpl.Render(map[string]any{"env_var": jinja.Func(envVar)})
}

// envVar is env_var(name, default) for packages.yml: it may read secrets.
func envVar(args []any, kw map[string]any) (any, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("env_var() needs the variable's name")
	}
	return envvar.Lookup(jinja.Str(args[0]), args, kw)
}

// renderSpec renders the spec's values in place, but Git, whose rendered
// URL goes to gitURL.
func (s *Spec) renderSpec(file string) error {
	for _, f := range []*string{&s.Local, &s.Revision, &s.Subdirectory, &s.Package} {
		out, err := render(file, *f)
		if err != nil {
			return err
		}
		*f = out
	}
	for i, v := range s.Version {
		out, err := render(file, v)
		if err != nil {
			return err
		}
		s.Version[i] = out
	}
	url, err := render(file, s.Git)
	if err != nil {
		return err
	}
	s.gitURL = url
	return nil
}
