package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mart-dev/mart/compiler"
)

// sqlOf is the SQL to run for a node: its compiled SQL, or, for a node
// whose template queries the warehouse while it renders (RunTimeRender),
// a render made now, with the warehouse and its parents built. That SQL
// is written to target/run/, the path the node's result then names.
func (r *Runner) sqlOf(ctx context.Context, n *compiler.Node, res *NodeResult) (string, error) {
	if !n.RunTimeRender {
		return n.CompiledCode, nil
	}
	sql, err := r.opt.Renderer.RenderNode(ctx, n.UniqueID, compiler.RenderOptions{Log: r.opt.Log, Print: r.opt.Print, Warehouse: r.wh})
	if err != nil {
		return "", fmt.Errorf("rendering %s %s with the warehouse: %w", n.ResourceType, n.Name, err)
	}
	if r.opt.TargetDir != "" && n.CompiledPath != "" {
		rel := "run/" + strings.TrimPrefix(strings.TrimPrefix(n.CompiledPath, r.opt.TargetPath+"/"), "compiled/")
		file := filepath.Join(r.opt.TargetDir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err == nil && os.WriteFile(file, []byte(sql+"\n"), 0o644) == nil {
			res.CompiledPath = filepath.ToSlash(filepath.Join(r.opt.TargetPath, rel))
		}
	}
	return sql, nil
}
