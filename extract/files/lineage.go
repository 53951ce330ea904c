package files

import (
	"path/filepath"

	"github.com/mart-dev/mart/extract"
)

func init() { extract.RegisterDataset("files", dataset) }

// dataset names a files table as OpenLineage names local files: namespace
// file, name the pattern's path.
func dataset(_ string, c extract.Config, _ string) (string, string, error) {
	return "file", filepath.ToSlash(c.Path), nil
}
