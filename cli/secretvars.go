package cli

import (
	"encoding/json"
	"regexp"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/mart-dev/mart/compiler"
)

// secretMask stands for a secret in run_results.json's args.
const secretMask = "*****"

// urlPassword finds the password of a URL (scheme://user:password@host)
// and of a key=value connection string (password=...).
var urlPassword = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)://[^/@\s:]*:[^@\s]+@|\bpassword\s*=`) })

// redactVars returns --vars as run_results.json may keep them: as written
// when nothing in them looks secret, else as JSON with the value of each
// secret-looking name (compiler.IsSecretKey, at any depth) and of each
// text holding a connection password replaced by secretMask. redacted
// says whether anything was.
func redactVars(vars string) (out string, redacted bool) {
	if vars == "" {
		return "", false
	}
	var m map[string]any
	if err := yaml.Unmarshal([]byte(vars), &m); err != nil {
		// not a mapping: the command failed on it before anything ran
		return secretMask, true
	}
	red := redactValue(m, &redacted)
	if !redacted {
		return vars, false
	}
	b, err := json.Marshal(red)
	if err != nil {
		return secretMask, true
	}
	return string(b), true
}

func redactValue(v any, redacted *bool) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			if compiler.IsSecretKey(k) {
				out[k], *redacted = secretMask, true
				continue
			}
			out[k] = redactValue(x, redacted)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = redactValue(x, redacted)
		}
		return out
	case string:
		if urlPassword().MatchString(t) {
			*redacted = true
			return secretMask
		}
	}
	return v
}
