package extract

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// secrets are the strings of a table's rendered DSNs that must never be
// shown: each DSN whole and its password, as written and URL-decoded.
type secrets struct {
	words []string
}

var kvPassword = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S+)`) })

// add records dsn and the password in it. It understands URLs
// (postgres://, mysql://, mongodb://, mongodb+srv://), PostgreSQL's
// key=value strings and MySQL's user:password@tcp(host)/db.
func (s *secrets) add(dsn string) {
	dsn = strings.TrimSpace(dsn)
	if dsn == "" {
		return
	}
	s.words = append(s.words, dsn)
	for _, p := range passwords(dsn) {
		if p == "" {
			continue
		}
		s.words = append(s.words, p)
		if u, err := url.QueryUnescape(p); err == nil && u != p {
			s.words = append(s.words, u)
		}
		if e := url.QueryEscape(p); e != p {
			s.words = append(s.words, e)
		}
	}
	// longest first, so a DSN is redacted whole before its password
	sort.Slice(s.words, func(i, j int) bool { return len(s.words[i]) > len(s.words[j]) })
}

func passwords(dsn string) []string {
	var out []string
	if m := kvPassword().FindAllStringSubmatch(dsn, -1); m != nil {
		for _, x := range m {
			out = append(out, strings.Trim(x[1], "'"))
		}
	}
	if i := strings.Index(dsn, "://"); i >= 0 {
		rest := dsn[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if slash := strings.Index(rest, "/"); slash < 0 || slash > at {
				if c := strings.Index(rest[:at], ":"); c >= 0 {
					out = append(out, rest[c+1:at])
				}
			}
		}
		return out
	}
	// user:password@tcp(host:port)/db
	if at := strings.LastIndex(dsn, "@"); at >= 0 {
		if c := strings.Index(dsn[:at], ":"); c >= 0 {
			out = append(out, dsn[c+1:at])
		}
	}
	return out
}

// hasPassword reports whether a DSN carries a password.
func hasPassword(dsn string) bool {
	for _, p := range passwords(strings.TrimSpace(dsn)) {
		if p != "" {
			return true
		}
	}
	return false
}

// redact replaces every secret in msg with "xxxxx".
func (s *secrets) redact(msg string) string {
	for _, w := range s.words {
		msg = strings.ReplaceAll(msg, w, "xxxxx")
	}
	return msg
}

// wrap returns err with the secrets redacted from its text; errors.Is
// and errors.As still see the original.
func (s *secrets) wrap(err error) error {
	if err == nil || len(s.words) == 0 {
		return err
	}
	msg := err.Error()
	if red := s.redact(msg); red != msg {
		return &redactedError{msg: red, err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
