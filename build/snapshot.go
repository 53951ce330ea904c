package build

import (
	"context"
	"fmt"

	"github.com/mart-dev/mart/compiler"
)

func (r *Runner) runSnapshot(ctx context.Context, n *compiler.Node, res *NodeResult) error {
	return fmt.Errorf("snapshot %s: snapshots are not implemented yet", n.Name)
}
