package compiler

import (
	"fmt"
	"strings"
)

// A run with --full-refresh after one without it (an Airflow task that
// refreshes one model, and the scheduled run after it) patches target/:
// --full-refresh reaches a compile's output only through a node's render,
// where should_full_refresh() and flags.FULL_REFRESH read it (render.go;
// is_incremental() is false in every compile's render, and no YAML,
// project-file or naming-macro context has either). So the option is
// kept as a var is: the models whose text, or a macro they call, may read
// it are its readers (VarUse under flagsKey), and a patch whose option
// differs from its snapshot's renders them again (changedFullRefresh); the
// generic tests of the project's YAML that may read it are made again
// (patchtestvars.go); any other node that is not patchable and may read
// it (a package's generic test) makes such a compile whole.
//
// What renders at run time (hooks, an inline query, a model that queries
// the warehouse) renders with the command's option: the patch's
// compilation is made with the command's Options, not the snapshot's
// (review 45 found a patch that took the snapshot's).

// flagsKey is --full-refresh among VarUse's keys (no var's name starts
// with a NUL; envKey's do, with "env:").
const flagsKey = "\x00flags"

// namesFullRefresh tells whether a template or macro text may read
// --full-refresh: it names flags or full_refresh (should_full_refresh, a
// model's full_refresh config), anywhere, as a word or not. A false alarm
// costs one render more when the option changes.
func namesFullRefresh(text string) bool {
	return strings.Contains(text, "flags") || strings.Contains(text, "full_refresh")
}

// readsFullRefresh tells whether a render of a node's text (a generic
// test's, with its arguments) that called macros may read --full-refresh.
func (c *compilation) readsFullRefresh(raw string, macros []string) bool {
	if namesFullRefresh(raw) {
		return true
	}
	return len(macros) > 0 && c.macroSet(macros).flags
}

// useKeys are the VarUse keys a render reads: its vars, its env vars
// (envKeys) and --full-refresh (flagsKey) when it may read it; sorted, as
// VarUse's callers lists are made in order of them.
func useKeys(vars, envs []string, fullRefresh bool) []string {
	keys := union(envKeys(envs), vars)
	if fullRefresh {
		keys = union([]string{flagsKey}, keys)
	}
	return keys
}

// changedFullRefresh adds who may read --full-refresh, which changed
// (was, then now), to r, or says why the change cannot be patched (a
// node that is not patchable may read it).
func (snap *patchSnapshot) changedFullRefresh(was, now bool, r *varReaders) (why string) {
	use, ok := snap.VarUse[flagsKey]
	if !ok {
		return "" // nothing reads it
	}
	if use.Blocked != "" {
		return fmt.Sprintf("--full-refresh changed (%v, then %v) and %s", was, now, use.Blocked)
	}
	snap.addReaders(use, "--full-refresh", r)
	return ""
}
