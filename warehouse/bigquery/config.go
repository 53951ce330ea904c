package bigquery

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/mart-dev/mart/warehouse"
)

// Methods of authentication (the profile's `method`).
const (
	MethodOAuth              = "oauth"                // application default credentials
	MethodServiceAccount     = "service-account"      // a key file: keyfile
	MethodServiceAccountJSON = "service-account-json" // an inline key: keyfile_json
)

// Config is a BigQuery target. Field comments name the profiles.yml key.
type Config struct {
	// Project (`project`, or dbt's `database`) runs the jobs and is the
	// default project of relations.
	Project string
	// Dataset (`dataset`, or `schema`) is the default dataset.
	Dataset string
	// Location (`location`), e.g. "US", "EU" or "europe-west1": jobs run
	// there and missing datasets are created there. "" lets BigQuery pick
	// (datasets are then created in US).
	Location string
	// Method (`method`) is MethodOAuth (default), MethodServiceAccount or
	// MethodServiceAccountJSON. With oauth, GOOGLE_APPLICATION_CREDENTIALS
	// names a key file if set (application default credentials).
	Method string
	// Keyfile (`keyfile`) is the service account key file; KeyfileJSON
	// (`keyfile_json`) the key itself.
	Keyfile, KeyfileJSON string
	// Priority (`priority`) is "interactive" (default) or "batch".
	Priority string
	// JobTimeout (`job_timeout`, or dbt's job_execution_timeout_seconds;
	// seconds or a Go duration like "10m") bounds each job: BigQuery
	// cancels it after that long. 0 means no limit.
	JobTimeout time.Duration
	// JobRetries (`job_retries`) is how many times a job that failed with
	// a transient error is run again. ConfigFromSettings defaults it to 1.
	JobRetries int
	// MaximumBytesBilled (`maximum_bytes_billed`) makes BigQuery refuse
	// queries that would bill more bytes. 0 means the project's default.
	MaximumBytesBilled int64
	// Labels (`labels`) are put on every job, under the context's labels
	// (see warehouse.WithJobLabels).
	Labels map[string]string
	// APIEndpoint (`api_endpoint`) points the client at a compatible
	// server (a test fake, an emulator). With it and no key configured, the
	// client does not authenticate.
	APIEndpoint string
}

// settingKeys are the keys a bigquery output in profiles.yml may have
// (type and threads are read by the CLI).
var settingKeys = []string{
	"type", "threads", "project", "database", "dataset", "schema",
	"location", "method", "keyfile", "keyfile_json", "priority",
	"job_timeout", "job_execution_timeout_seconds", "timeout_seconds",
	"job_retries", "maximum_bytes_billed", "labels", "api_endpoint",
}

// ConfigFromSettings reads a profiles.yml output of type bigquery (the
// map as written, after env_var rendering). An error names the offending
// key.
func ConfigFromSettings(s map[string]any) (Config, error) {
	c := Config{JobRetries: 1}
	if bad := warehouse.CheckKeys(s, settingKeys); len(bad) > 0 {
		bad[0].Err = fmt.Errorf("bigquery profile: %w", bad[0].Err)
		return Config{}, bad[0]
	}
	var err error
	str := func(keys ...string) string {
		for _, k := range keys {
			if v, ok := s[k]; ok && v != nil && err == nil {
				switch x := v.(type) {
				case string:
					return x
				case int, int64, float64, bool:
					return fmt.Sprint(x)
				}
				err = keyError(k, "%s must be a string, got %T", k, v)
			}
		}
		return ""
	}
	c.Project = str("project", "database")
	c.Dataset = str("dataset", "schema")
	c.Location = str("location")
	c.Method = str("method")
	c.Keyfile = str("keyfile")
	c.Priority = strings.ToLower(str("priority"))
	c.APIEndpoint = str("api_endpoint")
	if err != nil {
		return Config{}, err
	}
	if v, ok := s["keyfile_json"]; ok {
		if c.KeyfileJSON, err = keyfileJSON(v); err != nil {
			return Config{}, err
		}
	}
	for _, k := range []string{"job_timeout", "job_execution_timeout_seconds", "timeout_seconds"} {
		if v, ok := s[k]; ok {
			if c.JobTimeout, err = duration(k, v); err != nil {
				return Config{}, err
			}
		}
	}
	if v, ok := s["job_retries"]; ok {
		n, err := integer("job_retries", v)
		if err != nil {
			return Config{}, err
		}
		c.JobRetries = int(n)
	}
	if v, ok := s["maximum_bytes_billed"]; ok {
		if c.MaximumBytesBilled, err = byteCount("maximum_bytes_billed", v); err != nil {
			return Config{}, err
		}
	}
	if v, ok := s["labels"]; ok && v != nil {
		m, ok := v.(map[string]any)
		if !ok {
			return Config{}, keyError("labels", "labels must be a mapping of names to values, got %T", v)
		}
		c.Labels = make(map[string]string, len(m))
		for k, v := range m {
			c.Labels[k] = fmt.Sprint(v)
		}
	}
	return c, c.validate()
}

// validate checks a Config for what can be known without the network.
func (c *Config) validate() error {
	switch {
	case c.Project == "":
		return keyError("project", "project is required (the Google Cloud project that runs the jobs)")
	case c.Dataset == "":
		return keyError("dataset", "dataset is required (the default dataset models are built in)")
	}
	switch c.Method {
	case "", MethodOAuth:
	case MethodServiceAccount:
		if c.Keyfile == "" {
			return keyError("method", "method service-account needs keyfile (the path of a service account key file)")
		}
	case MethodServiceAccountJSON:
		if c.KeyfileJSON == "" {
			return keyError("method", "method service-account-json needs keyfile_json (the key itself)")
		}
	default:
		return keyError("method", "method %q is not one of oauth, service-account, service-account-json", c.Method)
	}
	switch c.Priority {
	case "", "interactive", "batch":
	default:
		return keyError("priority", "priority %q is not one of interactive, batch", c.Priority)
	}
	switch {
	case c.JobRetries < 0:
		return keyError("job_retries", "job_retries must be 0 or more, got %d", c.JobRetries)
	case c.JobTimeout < 0:
		return keyError("job_timeout", "job_timeout must not be negative")
	case c.MaximumBytesBilled < 0:
		return keyError("maximum_bytes_billed", "maximum_bytes_billed must not be negative")
	}
	return nil
}

func keyfileJSON(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case map[string]any:
		b, err := json.Marshal(x)
		if err != nil {
			return "", keyError("keyfile_json", "keyfile_json: %w", err)
		}
		return string(b), nil
	}
	return "", keyError("keyfile_json", "keyfile_json must be the key as a mapping or a JSON string, got %T", v)
}

func integer(key string, v any) (int64, error) {
	switch x := v.(type) {
	case int:
		return int64(x), nil
	case int64:
		return x, nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<62 {
			return int64(x), nil
		}
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
			return n, nil
		}
	}
	return 0, keyError(key, "%s must be a whole number, got %v", key, v)
}

// duration reads seconds (a number) or a Go duration string ("10m").
func duration(key string, v any) (time.Duration, error) {
	if s, ok := v.(string); ok {
		if d, err := time.ParseDuration(strings.TrimSpace(s)); err == nil {
			return d, nil
		}
	}
	if f, ok := v.(float64); ok {
		return time.Duration(f * float64(time.Second)), nil
	}
	n, err := integer(key, v)
	if err != nil {
		return 0, keyError(key, "%s must be seconds or a duration like 10m, got %v", key, v)
	}
	return time.Duration(n) * time.Second, nil
}

var byteUnits = map[string]int64{"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}

// byteCount reads a number of bytes, optionally with a unit ("10 GB").
func byteCount(key string, v any) (int64, error) {
	s, ok := v.(string)
	if !ok {
		return integer(key, v)
	}
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) && r != '.' })
	if i < 0 {
		i = len(s)
	}
	unit, ok := byteUnits[strings.ToLower(strings.TrimSpace(s[i:]))]
	n, err := strconv.ParseFloat(s[:i], 64)
	if !ok || err != nil || i == 0 {
		return 0, keyError(key, "%s must be a number of bytes such as 10000000000 or \"10 GB\", got %q", key, s)
	}
	return int64(n * float64(unit)), nil
}

// keyError is a problem with the profile key key.
func keyError(key, format string, args ...any) error {
	return &warehouse.SettingError{Key: key, Err: fmt.Errorf("bigquery profile: "+format, args...)}
}
