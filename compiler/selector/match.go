package selector

import (
	"path"
	"strings"
)

// glob is a compiled shell pattern with path.Match semantics (fnmatch's
// "[!x]" is accepted as "[^x]"). A malformed pattern matches literally.
type glob struct {
	pat  string
	meta bool
}

func compileGlob(p string) glob {
	if !strings.ContainsAny(p, `*?[\`) {
		return glob{pat: p}
	}
	q := strings.ReplaceAll(p, "[!", "[^")
	if _, err := path.Match(q, ""); err != nil {
		return glob{pat: p}
	}
	return glob{pat: q, meta: true}
}

func (g glob) match(s string) bool {
	if !g.meta {
		return g.pat == s
	}
	ok, _ := path.Match(g.pat, s)
	return ok
}

func (g glob) matchAny(ss []string) bool {
	for _, s := range ss {
		if g.match(s) {
			return true
		}
	}
	return false
}

func compileGlobs(parts []string) []glob {
	gs := make([]glob, len(parts))
	for i, p := range parts {
		gs[i] = compileGlob(p)
	}
	return gs
}

// fqnPrefix reports whether the selector parts match a prefix of fqn. As in
// dbt, a part that is exactly "*" matches everything below it.
func fqnPrefix(fqn []string, parts []glob) bool {
	if len(parts) > len(fqn) {
		return false
	}
	for i, p := range parts {
		if p.pat == "*" {
			return true
		}
		if !p.match(fqn[i]) {
			return false
		}
	}
	return true
}

// pathPrefix reports whether the pattern segments match the path segments
// ps or a directory above them. "**" matches any number of segments.
func pathPrefix(pats []glob, ps []string) bool {
	if len(pats) == 0 {
		return true
	}
	if pats[0].pat == "**" {
		for k := 0; k <= len(ps); k++ {
			if pathPrefix(pats[1:], ps[k:]) {
				return true
			}
		}
		return false
	}
	return len(ps) > 0 && pats[0].match(ps[0]) && pathPrefix(pats[1:], ps[1:])
}
