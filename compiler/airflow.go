package compiler

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/mart-dev/mart/internal/suggest"
)

// Airflow is mart.yml's `airflow:` key: what `mart airflow generate` writes
// into the DAG beside the tasks. Every field is optional.
//
//	airflow:
//	  dag_id: soda_store          # default: the project's name
//	  schedule: "@daily"          # a preset or cron expression; none: triggered by hand
//	  start_date: 2026-01-01
//	  catchup: false
//	  max_active_runs: 1
//	  tags: [mart]
//	  project_dir: /opt/airflow/soda   # where the project is on the workers
//	  target: prod                     # --target of every task's command
//	  owner: data                      # task settings (default_args), which a
//	  retries: 2                       # node's `airflow:` config overrides
//	  retry_delay: 5m
//	  pool: warehouse
type Airflow struct {
	DagID         string
	Schedule      string
	StartDate     time.Time // zero: not set
	Catchup       bool
	MaxActiveRuns int // 0: not set
	Tags          []string
	ProjectDir    string
	Target        string
	// Task holds the settings every task gets (Airflow's default_args).
	Task AirflowTask
}

// AirflowTask is the settings of Airflow tasks: the project's defaults, or
// a node's overrides (config `airflow: {retries: 5}`). Unset fields are nil.
type AirflowTask struct {
	Owner            *string
	Retries          *int
	RetryDelay       *time.Duration
	Pool             *string
	PoolSlots        *int
	ExecutionTimeout *time.Duration
}

// airflowTaskKeys are the keys of AirflowTask, in mart.yml and in config.
var airflowTaskKeys = []string{"owner", "retries", "retry_delay", "pool", "pool_slots", "execution_timeout"}

// airflowDAGKeys are the keys only the project's `airflow:` takes.
var airflowDAGKeys = []string{"dag_id", "schedule", "start_date", "catchup", "max_active_runs", "tags", "project_dir", "target"}

// airflowIDRE is what Airflow accepts as a DAG or task id.
var airflowIDRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_.-]{1,250}$`) })

// parseAirflow reads the `airflow:` mapping of the project file.
func parseAirflow(file string, n *yaml.Node, diags *Diagnostics) *Airflow {
	a := &Airflow{}
	if n.Kind != yaml.MappingNode {
		*diags = append(*diags, errorf(file, n.Line, n.Column, "airflow: expected a mapping such as {schedule: \"@daily\", retries: 2}"))
		return a
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if slices.Contains(airflowTaskKeys, k.Value) {
			if err := a.Task.set(k.Value, decodeAny(v)); err != nil {
				*diags = append(*diags, errorf(file, v.Line, v.Column, "airflow.%s: %v", k.Value, err))
			}
			continue
		}
		if err := a.setDAGKey(k.Value, v); err != nil {
			d := errorf(file, v.Line, v.Column, "airflow.%s: %v", k.Value, err)
			if !slices.Contains(airflowDAGKeys, k.Value) {
				d = errorf(file, k.Line, k.Column, "airflow: unknown key %q", k.Value)
				d.Detail = suggest.Hint(k.Value, append(slices.Clone(airflowDAGKeys), airflowTaskKeys...), 3)
			}
			*diags = append(*diags, d)
		}
	}
	return a
}

// setDAGKey sets one DAG-level key from its YAML value.
func (a *Airflow) setDAGKey(key string, v *yaml.Node) error {
	var err error
	switch key {
	case "dag_id":
		a.DagID = v.Value
		if !airflowIDRE().MatchString(a.DagID) {
			return fmt.Errorf("%q is not a DAG id: letters, digits, _, . and - only", a.DagID)
		}
	case "schedule":
		if v.Tag != "!!null" {
			a.Schedule = v.Value
		}
	case "start_date":
		a.StartDate, err = parseAirflowDate(v.Value)
	case "catchup":
		err = v.Decode(&a.Catchup)
	case "max_active_runs":
		a.MaxActiveRuns, err = positiveInt(decodeAny(v))
	case "tags":
		if err = v.Decode(&a.Tags); err != nil {
			err = fmt.Errorf("expected a list of tags")
		}
	case "project_dir":
		a.ProjectDir = v.Value
	case "target":
		a.Target = v.Value
	default:
		return fmt.Errorf("unknown key")
	}
	return err
}

func parseAirflowDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("expected a date such as 2026-01-01, got %q", s)
}

func decodeAny(v *yaml.Node) any {
	var out any
	_ = v.Decode(&out)
	return out
}

// set sets one task setting from a YAML or config value.
func (t *AirflowTask) set(key string, v any) error {
	switch key {
	case "owner", "pool":
		s, ok := v.(string)
		if !ok || s == "" {
			return fmt.Errorf("expected a name, got %v", v)
		}
		if key == "owner" {
			t.Owner = &s
		} else {
			t.Pool = &s
		}
	case "retries", "pool_slots":
		least := 0
		if key == "pool_slots" {
			least = 1
		}
		n, err := wholeNumber(v)
		if err != nil || n < least {
			return fmt.Errorf("expected a whole number of at least %d, got %v", least, v)
		}
		if key == "retries" {
			t.Retries = &n
		} else {
			t.PoolSlots = &n
		}
	case "retry_delay", "execution_timeout":
		d, err := airflowDuration(v)
		if err != nil {
			return err
		}
		if key == "retry_delay" {
			t.RetryDelay = &d
		} else {
			t.ExecutionTimeout = &d
		}
	default:
		return fmt.Errorf("unknown key %q (expected %s)", key, strings.Join(airflowTaskKeys, ", "))
	}
	return nil
}

func wholeNumber(v any) (int, error) {
	switch n := v.(type) {
	case int:
		if n >= 0 {
			return n, nil
		}
	case int64:
		if n >= 0 {
			return int(n), nil
		}
	case float64:
		if n >= 0 && n == float64(int(n)) {
			return int(n), nil
		}
	}
	return 0, fmt.Errorf("expected a whole number, got %v", v)
}

func positiveInt(v any) (int, error) {
	n, err := wholeNumber(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("expected a whole number of at least 1, got %v", v)
	}
	return n, nil
}

// airflowDuration reads "5m", "1h30m", "90s" or a number of seconds.
func airflowDuration(v any) (time.Duration, error) {
	if n, err := wholeNumber(v); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	s, _ := v.(string)
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 || d%time.Second != 0 {
		if n, cerr := strconv.Atoi(s); cerr == nil && n > 0 {
			return time.Duration(n) * time.Second, nil
		}
		return 0, fmt.Errorf("expected a duration such as 5m, 1h30m or 300 (seconds), got %v", v)
	}
	return d, nil
}

// AirflowOverrides reads a node's `airflow:` config: the task settings it
// overrides. The compile has checked it (checkAirflowConfig).
func AirflowOverrides(n *Node) AirflowTask {
	var t AirflowTask
	m, _ := n.Config["airflow"].(map[string]any)
	for _, k := range sortedKeys(m) {
		_ = t.set(k, m[k])
	}
	return t
}

// checkAirflowConfig checks a node's `airflow:` config at compile time.
func (c *compilation) checkAirflowConfig(n *Node) {
	for _, msg := range airflowConfigErrors(n) {
		c.addDiag(*c.configDiag(n, "airflow", true, "%s", msg))
	}
}

// checkSourcesAirflowConfig checks the `airflow:` config of source tables
// (their extract and freshness tasks), at the table's YAML entry.
func (c *compilation) checkSourcesAirflowConfig() {
	for _, key := range sortedKeys(c.sources) {
		n := c.sources[key]
		for _, msg := range airflowConfigErrors(n) {
			c.addDiag(errorf(n.yamlFile, n.yamlLine, 0, "%s", msg))
		}
	}
}

func airflowConfigErrors(n *Node) []string {
	v, ok := n.Config["airflow"]
	if !ok || v == nil {
		return nil
	}
	label := fmt.Sprintf("%s %q", n.ResourceType, n.Name)
	m, isMap := v.(map[string]any)
	if !isMap {
		return []string{label + ": airflow: expected a mapping such as {retries: 3, pool: heavy}"}
	}
	var t AirflowTask
	var out []string
	for _, k := range sortedKeys(m) {
		if err := t.set(k, m[k]); err != nil {
			out = append(out, fmt.Sprintf("%s: airflow.%s: %v", label, k, err))
		}
	}
	return out
}
