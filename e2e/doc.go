// Package e2e holds mart's end-to-end tests: they build the real mart
// binary once, run it on projects under ../testdata (copied to a temporary
// directory) and on the demo project at the repository root, and check its
// output, exit code, the files it writes and the rows in the warehouse.
package e2e
