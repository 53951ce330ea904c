// Package compiler turns a mart (or dbt) project on disk into a compiled,
// validated dependency graph.
//
// It owns the pipeline's first half: load the project files (mart.yml or
// dbt_project.yml, profiles.yml, models, YAML properties, macros, seeds,
// tests, snapshots), render every template with the jinja package, resolve
// configs with dbt's precedence (model file > YAML > folder config), resolve
// ref() and source() into relations, build the DAG (gonum graph) and write
// target/manifest.json. The types every later step uses (Node, Manifest) are
// born here. Errors are Diagnostics with file, line and column, collected and
// returned, never printed from here.
package compiler
