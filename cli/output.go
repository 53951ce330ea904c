package cli

import (
	"encoding/json"
	"fmt"
	"time"
)

func jsonLine(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// event prints one JSON event line (for --log-format json).
func (g *globals) event(kind string, fields map[string]any) {
	out := map[string]any{"event": kind, "ts": time.Now().UTC().Format(time.RFC3339Nano)}
	for k, v := range fields {
		out[k] = v
	}
	b, err := json.Marshal(out)
	if err != nil {
		fmt.Fprintf(g.stdout, "{\"event\":\"error\",\"message\":%q}\n", err.Error())
		return
	}
	fmt.Fprintln(g.stdout, string(b))
}
