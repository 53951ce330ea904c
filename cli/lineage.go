package cli

import (
	"context"
	"os"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/openlineage"
	"github.com/mart-dev/mart/plan"
	"github.com/mart-dev/mart/runner"
	"github.com/mart-dev/mart/warehouse"
)

// lineage sends a run's OpenLineage events, when an endpoint is given by
// --openlineage-url or OPENLINEAGE_URL (OPENLINEAGE_NAMESPACE names the
// jobs' namespace). A nil *lineage does nothing.
type lineage struct {
	client  *openlineage.Client
	emitter *openlineage.Emitter
}

// lineageEndpoint is the endpoint to send events to ("" for none); a
// malformed URL is bad input.

func lineageEndpoint(flag string) (string, error) {
	u := flag
	if u == "" {
		u = os.Getenv("OPENLINEAGE_URL")
	}
	if u == "" {
		return "", nil
	}
	if _, err := openlineage.EndpointURL(u); err != nil {
		return "", badInput("--openlineage-url: %v", err)
	}
	return u, nil
}

// startLineage starts the client and sends the invocation's START.
func (g *globals) startLineage(endpoint string, res *compiler.Result, p *plan.Plan, wh warehouse.Warehouse, command, invocation string) *lineage {
	if endpoint == "" {
		return nil
	}
	c, err := openlineage.NewClient(endpoint, openlineage.ClientOptions{Warn: g.v.Warn})
	if err != nil {
		g.v.Warn(err.Error())
		return nil
	}
	namer, _ := wh.(openlineage.Namer)
	e := openlineage.NewEmitter(c, openlineage.Options{Namespace: os.Getenv("OPENLINEAGE_NAMESPACE"), Project: res.Project.Name,
		Command: command, InvocationID: invocation, Manifest: res.Manifest, Plan: p, Namer: namer, TargetType: res.Target.Type})
	e.StartInvocation()
	return &lineage{client: c, emitter: e}
}

// hook makes the runner report each node's start and end.
func (l *lineage) hook(opt *runner.Options) {
	if l == nil {
		return
	}
	opt.OnStart = l.emitter.NodeStarted
	opt.OnFinish = func(r *runner.NodeResult, _, _ int) { l.emitter.NodeFinished(r) }
}

// finish sends the invocation's end and waits a few seconds at most for
// the queue to drain.
func (l *lineage) finish(rr *runner.Results, runErr error) {
	if l == nil {
		return
	}
	why := ""
	switch {
	case runErr != nil:
		why = runErr.Error()
	case rr == nil || rr.Interrupted:
		why = "interrupted"
	case rr.Failed():
		why = "a node failed"
	}
	l.finishWith(why)
}

// finishWith sends the invocation's end (failed when why is not "") and
// waits a few seconds at most for the queue to drain.
func (l *lineage) finishWith(why string) {
	l.emitter.FinishInvocation(why != "", why)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l.client.Close(ctx)
}
