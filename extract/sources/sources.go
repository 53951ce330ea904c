// Package sources links every kind of source into a binary: import it
// for its side effect where `mart extract` runs.
package sources

import (
	_ "github.com/mart-dev/mart/extract/files"    // from: files
	_ "github.com/mart-dev/mart/extract/mongodb"  // from: mongodb
	_ "github.com/mart-dev/mart/extract/mysql"    // from: mysql
	_ "github.com/mart-dev/mart/extract/postgres" // from: postgres
)
