// Package docsite owns `mart docs`: the static documentation site that
// `mart docs generate` writes to target/docs and `mart docs serve` serves.
//
// [Generate] turns a compiled project (its *compiler.Manifest), the last
// run's results, the warehouse catalog and, when known, source freshness
// ([Input]) into a self-contained site that opens from file:// and from any
// static host: index.html, one stylesheet, one script and data files that
// register themselves when loaded as <script> elements (browsers refuse
// fetch() of local files). The data is split so a page loads only what it
// shows: data/index.js holds the graph's skeleton (names, types, folders,
// tags, configs, edges) for the overview, lineage and name search;
// data/search.js the descriptions and columns, loaded after the first
// paint; data/n/<k>.js the details of 64 nodes, neighbours in folder
// order (rendered markdown, highlighted SQL, columns, tests, last run,
// catalog statistics), and data/t/<k>.js those of tests, loaded when a
// page needs them. docs/docs-site.md describes the layout and what the
// site does.
//
// Everything a user wrote is escaped: markdown is rendered in Go with
// goldmark, raw HTML in it shown as text; SQL is highlighted in Go, in
// chroma's classes and style; the browser code puts every other string on
// the page as text.
//
// The package also reads the files the site is made from
// ([ReadRunResults], [ReadFreshness], [ReadCatalog]), builds the catalog
// from a warehouse ([CatalogFromWarehouse], through the one-method
// [CatalogSource] the adapters implement) and serves a generated site
// ([Serve], [Listen] and [ServeListener]).
package docsite
