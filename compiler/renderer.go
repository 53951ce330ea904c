package compiler

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/mart-dev/mart/internal/suggest"
)

// Renderer renders a compiled project's templates again at run time: a
// node with is_incremental() true or for one microbatch window, a unit
// test's model over mocked inputs, a hook. It holds the project's parsed
// macros and the names of the manifest's relations, never changes the
// manifest, and is safe for concurrent use. The runner reaches it through
// an interface of its own (runner.Renderer).
type Renderer struct {
	s        *scope
	manifest *Manifest
	rewrite  *strings.Replacer // relation names read elsewhere (--defer); nil for none
}

// withReplacer returns a renderer whose output has rep applied.
func (r *Renderer) withReplacer(rep *strings.Replacer) *Renderer {
	c := *r
	c.rewrite = rep
	return &c
}

// renderer freezes the compilation's scope for renders after the compile.
// Ephemeral models keep the targets their render recorded, so a later
// render can inline them (and their own ephemeral parents) as CTEs.
func (c *compilation) renderer(m *Manifest) *Renderer {
	ephemerals := map[string]*renderState{}
	for id, st := range c.states {
		if n := st.node; n.ResourceType == TypeModel && n.Materialized() == "ephemeral" && n.Enabled() {
			ephemerals[id] = &renderState{node: n, targets: st.targets}
		}
	}
	s := c.scope
	s.stateOf = func(id string) *renderState { return ephemerals[id] }
	s.resolved = true
	s.graph = graphOnce(m)
	return &Renderer{s: s, manifest: m}
}

// RenderNode renders node id's own template with opt and resolves it into
// runnable SQL. A node without a template of its own (a seed, a generic
// test) gives its compiled SQL.
func (r *Renderer) RenderNode(ctx context.Context, id string, opt RenderOptions) (string, error) {
	if opt.Context == nil {
		opt.Context = ctx
	}
	n := r.manifest.Node(id)
	if n == nil {
		return "", fmt.Errorf("unknown node %s", id)
	}
	if n.testCall != nil && n.RunTimeRender {
		return r.render(n, opt, func(st *renderState) (string, error) {
			out, err := r.s.renderTestCall(st, n.testCall, opt)
			return out.Text, err
		})
	}
	tpl, err := r.s.template(n)
	if err != nil {
		return "", err
	}
	if tpl == nil {
		if len(opt.Mocks) > 0 {
			return "", fmt.Errorf("%s %s has no template to render over mocked inputs", n.ResourceType, n.Name)
		}
		if r.rewrite != nil {
			return r.rewrite.Replace(n.CompiledCode), nil
		}
		return n.CompiledCode, nil
	}
	return r.render(n, opt, func(st *renderState) (string, error) { return tpl.Render(r.s.renderContext(st, opt)) })
}

// RenderNodes renders nodes ids with opt (RenderNode), workers at a time
// (at least one), as dbt compiles with its threads: what `mart compile`
// does with the nodes that query the warehouse while they render (a
// warehouse call, on BigQuery, takes a round trip). It returns each one's
// SQL and error, in the order of ids.
func (r *Renderer) RenderNodes(ctx context.Context, ids []string, opt RenderOptions, workers int) ([]string, []error) {
	sqls, errs := make([]string, len(ids)), make([]error, len(ids))
	parallelN(len(ids), max(workers, 1), func(i int) { sqls[i], errs[i] = r.RenderNode(ctx, ids[i], opt) })
	return sqls, errs
}

// Target is the node a render's ref() or source() finds for key ("ref:m",
// "ref:m@v2", "source:s.t"; InputKey's), or nil: what a unit test's mocked
// input stands for.
func (r *Renderer) Target(key string) *Node {
	switch {
	case strings.HasPrefix(key, "ref:"):
		return r.s.refTarget(strings.TrimPrefix(key, "ref:"))
	case strings.HasPrefix(key, "source:"):
		return r.s.sourceTarget(strings.TrimPrefix(key, "source:"))
	}
	return nil
}

// RenderText renders a snippet (a hook) in the context of node id, or of
// the project when id is ""; name labels it in errors.
func (r *Renderer) RenderText(ctx context.Context, id, name, text string, opt RenderOptions) (string, error) {
	if opt.Context == nil {
		opt.Context = ctx
	}
	if !strings.Contains(text, "{{") && !strings.Contains(text, "{%") {
		return text, nil
	}
	n := r.manifest.Node(id)
	if n == nil {
		n = &Node{Name: r.s.project.Name, UniqueID: "project." + r.s.project.Name, Config: Config{}}
	}
	tpl, err := r.s.engine.Parse(name, text)
	if err != nil {
		return "", err
	}
	return r.render(n, opt, func(st *renderState) (string, error) { return tpl.Render(r.s.renderContext(st, opt)) })
}

// render runs exec with a render state of n and resolves the output.
func (r *Renderer) render(n *Node, opt RenderOptions, exec func(*renderState) (string, error)) (string, error) {
	conf := map[string]any{}
	mergeConfig(conf, n.Config)
	st := &renderState{node: n, config: conf}
	out, err := exec(st)
	// a relation in a message is written by name, final at run time
	// (raise_compiler_error("... " ~ this) in a hook); warnings are logged
	for _, d := range st.warnings {
		if opt.Log != nil {
			d.Summary = r.s.resolveNow(st, d.Summary)
			opt.Log(d.String())
		}
	}
	if err != nil {
		return "", r.s.namedInError(err, st)
	}
	sql := r.s.finalizeWith(n, st, strings.TrimSpace(out), map[string]bool{}, opt.Mocks)
	if r.rewrite != nil {
		sql = r.rewrite.Replace(sql)
	}
	return sql, nil
}

// RunOperation calls a macro of the project or of a package (name or
// package.name) with keyword arguments, as `dbt run-operation` does: with
// the live warehouse in opt, so that run_query() and statement blocks run.
// What the macro renders is discarded; log(..., info=True) and print()
// go to opt.Log. An unknown macro is an *UnknownMacroError.
func (r *Renderer) RunOperation(ctx context.Context, name string, args map[string]any, opt RenderOptions) error {
	pkg, short, qualified := strings.Cut(name, ".")
	if !qualified {
		pkg, short = "", name
	}
	if pkg == r.s.project.Name {
		pkg = ""
	}
	if r.s.engine.MacroIn(pkg, short) == nil {
		return &UnknownMacroError{Name: name, Hint: suggest.Hint(name, r.s.engine.MacroNames(), 3)}
	}
	var call strings.Builder
	call.WriteString("{{ " + name + "(")
	values := make(map[string]any, len(args))
	for i, k := range sortedKeys(args) {
		if !jinjaIdent().MatchString(k) {
			return fmt.Errorf("--args: %q is not a macro argument name", k)
		}
		if i > 0 {
			call.WriteString(", ")
		}
		call.WriteString(k + "=__operation_" + k)
		values["__operation_"+k] = args[k]
	}
	call.WriteString(") }}")
	opt.Values = values
	_, err := r.RenderText(ctx, "", "run-operation "+name, call.String(), opt)
	return err
}

var jinjaIdent = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// UnknownMacroError is a run-operation of a macro that does not exist.
type UnknownMacroError struct {
	Name string
	Hint string // "did you mean ...?", or ""
}

func (e *UnknownMacroError) Error() string {
	msg := fmt.Sprintf("no macro named %q in the project or its packages", e.Name)
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}
