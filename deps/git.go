package deps

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// fetchGit clones a git package at its revision (a tag, branch or commit;
// the default branch without one) and returns the package's directory
// (its subdirectory, if given) and the commit checked out.
func fetchGit(ctx context.Context, s Spec) (dir, commit string, cleanup func(), err error) {
	tmp, err := os.MkdirTemp("", "mart-git-")
	if err != nil {
		return "", "", nil, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	repo := filepath.Join(tmp, "repo")
	if _, err := git(ctx, "", "clone", "--quiet", "--", s.cloneURL(), repo); err != nil {
		return "", "", cleanup, fmt.Errorf("git package %s: %s", shownGit(s.Git), s.redact(err.Error()))
	}
	if s.Revision != "" {
		if _, err := git(ctx, repo, "checkout", "--quiet", s.Revision, "--"); err != nil {
			return "", "", cleanup, fmt.Errorf("git package %s: revision %s: %w", shownGit(s.Git), s.Revision, err)
		}
	}
	out, err := git(ctx, repo, "rev-parse", "HEAD")
	if err != nil {
		return "", "", cleanup, fmt.Errorf("git package %s: %w", shownGit(s.Git), err)
	}
	os.RemoveAll(filepath.Join(repo, ".git"))
	dir = repo
	if s.Subdirectory != "" {
		dir = filepath.Join(repo, filepath.FromSlash(s.Subdirectory))
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return "", "", cleanup, fmt.Errorf("git package %s: no subdirectory %s at %s", shownGit(s.Git), s.Subdirectory, strings.TrimSpace(out))
		}
	}
	return dir, strings.TrimSpace(out), cleanup, nil
}

// shownGit is a git URL as messages show it: a password or token in it
// (https://user:token@host/...) is masked.
func shownGit(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return u
	}
	if _, ok := p.User.Password(); !ok {
		return u
	}
	p.User = url.UserPassword(p.User.Username(), "xxxxx")
	return p.String()
}

// redact takes the rendered URL's credentials out of git's message: the
// URL as written (an env_var() call) is what messages show.
func (s Spec) redact(msg string) string {
	u := s.cloneURL()
	if u == s.Git {
		return msg
	}
	msg = strings.ReplaceAll(msg, u, shownGit(s.Git))
	if p, err := url.Parse(u); err == nil && p.User != nil && p.User.String() != "" {
		msg = strings.ReplaceAll(msg, p.User.String(), "xxxxx")
		if pw, ok := p.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
		if name := p.User.Username(); name != "" { // https://:token@host has none
			msg = strings.ReplaceAll(msg, name, "xxxxx")
		}
	}
	return msg
}

// git runs a git command without prompting for credentials; errors carry
// git's own message.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out.String(), nil
}
