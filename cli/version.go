package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// versionText is what `mart --version` prints: mart's version as the Go
// toolchain stamped it in the binary (a module version for `go install
// ...@v1.2.3`, a pseudo-version or "(devel)" for a build of a checkout),
// the commit it was built from, the Go toolchain and platform, and the
// versions of the warehouse client libraries built in.
func versionText() string {
	var b strings.Builder
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintf(&b, "mart (unknown version)\ngo: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return b.String()
	}
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	fmt.Fprintf(&b, "mart %s\n", version)
	var rev, at string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev != "" {
		fmt.Fprintf(&b, "commit: %s", rev)
		if at != "" {
			fmt.Fprintf(&b, " (%s)", at)
		}
		if modified {
			b.WriteString(" with uncommitted changes")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "go: %s %s/%s\n", bi.GoVersion, runtime.GOOS, runtime.GOARCH)
	for _, d := range bi.Deps {
		name, ok := warehouseLibraries[d.Path]
		if !ok {
			continue
		}
		if d.Replace != nil {
			d = d.Replace
		}
		fmt.Fprintf(&b, "%s: %s %s\n", name, d.Path, d.Version)
	}
	return b.String()
}

// warehouseLibraries are the client libraries whose versions `mart
// --version` names, by module path: what a bug report about a warehouse
// needs to know.
var warehouseLibraries = map[string]string{
	"github.com/duckdb/duckdb-go/v2":       "duckdb",
	"github.com/duckdb/duckdb-go-bindings": "duckdb library",
	"cloud.google.com/go/bigquery":         "bigquery",
	"github.com/jackc/pgx/v5":              "postgres",
	"github.com/go-sql-driver/mysql":       "mysql",
	"go.mongodb.org/mongo-driver/v2":       "mongodb",
}
