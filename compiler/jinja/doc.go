// Package jinja renders dbt-flavoured Jinja templates, with pongo2 as the
// template skeleton and Jinja's own expression language on top.
//
// dbt users write Jinja: keyword arguments, list and dict literals, `~`,
// `a or b` that returns an operand, true division, loop.index, `is none`,
// Python methods ("a,b".split(",")), `{% set %}` scoped to loop
// iterations, namespace(), macros with defaults and return(). pongo2 speaks
// a Django dialect whose expressions differ in all of those, so this
// package parses and evaluates every expression itself:
//
//   - Rewrite (prepass.go) is the pre-pass. It scans the template's text,
//     tags and comments (whitespace control included), parses each
//     expression and statement with Jinja's grammar and precedence
//     (parse.go, lex.go), checks that blocks are closed and filters and
//     tests exist, and emits pongo2 text in which every Jinja construct is
//     a small marker tag, `{% print 3 %}` or `{% for 4 %}`, that refers to
//     the parsed item. Errors name the original file, line and column.
//   - pongo2 parses that text; the marker tags (tags.go) evaluate the
//     parsed items (ast.go) with Python's semantics (value.go): printing
//     0.5 as 0.5 and none as None, no HTML escaping, errors for unknown
//     functions, filters and tests.
//   - Engine parses macro files once and renders model templates against
//     them; Template.Exec reports which macros a render called. Values from
//     Go reach templates as Func, FuncAt, Object, Callable or plain data;
//     Str and Native convert template values back.
//
// Nothing here knows about models, refs or warehouses: callers pass those
// in as context values (see Template.RenderWith).
package jinja
