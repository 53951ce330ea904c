package compiler

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPatchSaysWhatChanged: a patch that gives up because the snapshot
// was made with other options, settings or macros says which (--debug
// shows it), and the compile after the whole one patches again.
func TestPatchSaysWhatChanged(t *testing.T) {
	opt, _, _ := raceProject(t)
	dir := opt.ProjectDir
	cases := []struct {
		name string
		edit func(o *Options)
		why  string
	}{
		{"--empty", func(o *Options) { o.Empty = true }, "--empty changed (false, then true)"},
		{"--empty back", func(o *Options) { o.Empty = false }, "--empty changed (true, then false)"},
		{"--target-path", func(o *Options) { o.TargetPath = "target" }, `--target-path changed ("", then "target")`},
		{"--profiles-dir", func(o *Options) {
			writeProjectFile(t, dir, "profiles.yml", "p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n")
			o.ProfilesDir = dir
		}, `--profiles-dir changed ("", then "` + dir + `")`},
		{"a setting of the project file", func(o *Options) {
			writeProjectFile(t, dir, "mart.yml", "name: p\ndispatch:\n  - macro_namespace: dbt\n    search_order: [p, dbt]\n")
		}, "the project file, or a package's, changed beyond its vars, folder configs and hooks"},
		{"a macro that overrides a built-in one", func(o *Options) {
			writeProjectFile(t, dir, "macros/m.sql", "{% macro generate_alias_name(custom_alias_name, node) %}{{ node.name }}{% endmacro %}\n")
		}, "macros/m.sql defines macro generate_alias_name now, and a render looked for it"},
	}
	o := opt
	for _, c := range cases {
		c.edit(&o)
		p, why := CompileByPatch(o)
		require.Nil(t, p, c.name)
		assert.Equal(t, c.why, why, c.name)
		compileKeepingPatch(t, o)
		p, why = CompileByPatch(o)
		require.NotNil(t, p, "%s: the next compile patches: %s", c.name, why)
	}
	require.NoError(t, os.Remove(filepath.Join(dir, "target", PatchFile)))
	_, why := CompileByPatch(o)
	assert.Equal(t, "no snapshot", why)
}

// TestWhyGlobal: each part of the global key that differs is named, the
// first in the order below; a snapshot without the parts (written before
// they were kept) says so plainly.
func TestWhyGlobal(t *testing.T) {
	was := globalParts{Settings: "s", Target: "t", Run: "r", Macros: "m", Zone: "z", TargetName: "dev"}
	for _, c := range []struct {
		edit func(p *globalParts)
		why  string
	}{
		{func(p *globalParts) { p.TargetName, p.Target = "prod", "t2" }, "the target changed (dev, then prod)"},
		{func(p *globalParts) { p.Target = "t2" }, "target dev's profile changed"},
		{func(p *globalParts) { p.FullRefresh, p.Run = true, "r2" }, "--full-refresh changed (false, then true)"},
		{func(p *globalParts) { p.Empty, p.Run = true, "r2" }, "--empty changed (false, then true)"},
		{func(p *globalParts) { p.Settings = "s2" }, "the settings of the project file, or of a package's, changed (not its vars, folder configs or hooks)"},
		{func(p *globalParts) { p.Macros = "m2" }, "the macros changed in a way a patch does not follow (a package's, or one that overrides a built-in macro)"},
		{func(p *globalParts) { p.Zone = "z2" }, "the local time zone changed"},
		{func(p *globalParts) { p.Run = "r2" }, "the target's SQL dialect changed"},
	} {
		now := was
		c.edit(&now)
		assert.Equal(t, c.why, whyGlobal(was, now))
	}
	assert.Equal(t, "macros or settings changed", whyGlobal(globalParts{}, globalParts{TargetName: "dev"}))
	assert.Equal(t, "the project file or the options changed", whyKey(keyOptions{}, keyOptions{Known: true}))
}
