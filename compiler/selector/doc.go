// Package selector owns node selection: it parses dbt-compatible selection
// expressions (--select / --exclude arguments such as "+stg_members+",
// "tag:nightly,config.materialized:table" or "@source:raw") and evaluates them
// over a dependency graph.
//
// The package knows nothing about how a project is parsed or run. Callers pass
// a Graph of Nodes (the few fields selection reads) and get back the selected
// unique ids. Parse turns one expression into an Expr tree (space = union,
// comma = intersection; each atom carries its method, value and graph
// operators), reporting mistakes as *ParseError with a byte offset. Select
// evaluates include and exclude arguments the way dbt does, including dbt's
// eager indirect selection of tests.
//
// Differences from dbt, all deliberate:
//   - a bare "*" selects every node, sources included (dbt's "*" is fqn:* and
//     leaves sources out);
//   - wildcards (*, ?, [abc]) work in every part of an fqn/name selector, not
//     only as a whole trailing part;
//   - whitespace around a comma is allowed ("a , b" is "a,b"); a dangling comma
//     is an error instead of silently selecting nothing;
//   - unique_id:<glob> is an extra method;
//   - config values are compared by their string form, so config.threads:4
//     matches an int or float 4.
package selector
