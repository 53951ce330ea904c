package airflow

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// The stand-ins of Airflow that checkPython loads a DAG file with. They
// are not Airflow (which cannot be installed here): they take the same
// import paths and constructor arguments the generated file uses, record
// them, and print them as JSON.
const (
	stubRegistry = `REGISTRY = {"dag": None, "tasks": {}, "edges": []}
`
	stubDAG = `from airflow._registry import REGISTRY


class DAG:
    def __init__(self, dag_id, schedule, start_date, catchup, default_args, tags, max_active_runs=None):
        REGISTRY["dag"] = {"dag_id": dag_id, "schedule": schedule, "start_date": start_date.isoformat(),
                           "catchup": catchup, "default_args": sorted(default_args), "tags": tags}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
`
	stubOperator = `from airflow._registry import REGISTRY

ALLOWED = {"owner", "retries", "retry_delay", "pool", "pool_slots", "execution_timeout"}


class BashOperator:
    def __init__(self, task_id, bash_command, cwd, **settings):
        unknown = set(settings) - ALLOWED
        if unknown:
            raise TypeError("unexpected settings: %s" % sorted(unknown))
        if task_id in REGISTRY["tasks"]:
            raise ValueError("duplicate task id " + task_id)
        self.task_id = task_id
        REGISTRY["tasks"][task_id] = {"bash_command": bash_command, "cwd": cwd}

    def __rshift__(self, other):
        REGISTRY["edges"].append([self.task_id, other.task_id])
        return other
`
	stubLoad = `import json
import runpy
import sys

from airflow._registry import REGISTRY

runpy.run_path(sys.argv[1])
REGISTRY["version"] = VERSION
print(json.dumps(REGISTRY))
`
)

// writeAirflowStub writes the stand-in for Airflow 2 ("2": airflow.DAG,
// airflow.operators.bash) or 3 ("3": airflow.sdk, the standard provider).
func writeAirflowStub(t *testing.T, version string) string {
	dir := t.TempDir()
	files := map[string]string{
		"airflow/_registry.py": stubRegistry,
		"load.py":              "VERSION = " + `"` + version + `"` + "\n" + stubLoad,
	}
	if version == "2" {
		files["airflow/__init__.py"] = stubDAG
		files["airflow/operators/__init__.py"] = ""
		files["airflow/operators/bash.py"] = stubOperator
	} else {
		files["airflow/__init__.py"] = ""
		files["airflow/sdk/__init__.py"] = stubDAG
		files["airflow/providers/__init__.py"] = ""
		files["airflow/providers/standard/__init__.py"] = ""
		files["airflow/providers/standard/operators/__init__.py"] = ""
		files["airflow/providers/standard/operators/bash.py"] = stubOperator
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	return dir
}
