// Package jinja renders dbt-flavoured Jinja templates with pongo2.
//
// dbt users write Jinja: keyword arguments, list and dict literals, loop.index,
// `is none`, `~`, filters with parenthesised arguments, `{% set %}` blocks and
// macros called with keyword arguments. pongo2 speaks a Django dialect without
// those. This package owns the gap: a pre-pass (Rewrite) that turns the Jinja
// text into pongo2 text while keeping a source map back to the user's file, the
// custom tags and helper functions that the rewritten text calls, and an Engine
// that parses macro files once and renders model templates against them.
//
// Nothing here knows about models, refs or warehouses: callers pass those in as
// context values (see Engine.Render).
package jinja
