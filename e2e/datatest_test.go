package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDataTestsOutcomes(t *testing.T) {
	dir := project(t, "tests_basic")
	r := mart(t, dir, "seed")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, dir, "run")
	require.Equal(t, 0, r.Code, r.String())

	r = mart(t, dir, "test")
	require.Equal(t, 1, r.Code, r.String())
	out := r.Stdout
	// generic tests, each passing or failing
	require.Contains(t, out, "PASS not_null_accounts_account_id")
	require.Contains(t, out, "FAIL unique_accounts_account_id [1 failing row in")
	require.Contains(t, out, "PASS row_count_between_accounts_100__1", "custom generic test with extra arguments")
	// severity warn
	require.Contains(t, out, "WARN accepted_values_accounts_status__open__closed [1 failing row in")
	// where + warn_if/error_if thresholds
	require.Contains(t, out, "WARN not_null_accounts_balance [1 failing row in")
	require.Contains(t, out, "WARN at_least_accounts_balance__0 [1 failing row in")
	// singular test
	require.Contains(t, out, "FAIL assert_no_negative_open_balance [1 failing row in")
	// failing rows are shown
	require.Contains(t, out, "unique_field | n_records")
	// store_failures names the table and saves the rows
	require.Contains(t, out, "failing rows stored in \"main_dbt_test__audit\".\"relationships_accounts_country__code__ref_countries_\"")
	require.Equal(t, "XX", scalar(t, dir, `select from_field from main_dbt_test__audit.relationships_accounts_country__code__ref_countries_`))
	// unit tests: one passes, one fails with a diff
	require.Contains(t, out, "PASS unit test balances::balances_multiplies")
	require.Contains(t, out, "PASS unit test balances::balances_from_fixture", "given rows from tests/fixtures/*.csv")
	require.Contains(t, out, "FAIL unit test balances::balances_wrong_on_purpose [actual differs from expected (1 missing, 1 unexpected)")
	require.Contains(t, out, "- expected | 1          | 11")
	require.Contains(t, out, "+ actual   | 1          | 10")
	res := readResults(t, dir)
	require.Equal(t, "fail", res[findID(t, dir, "unique_accounts_account_id")])
	require.Equal(t, "warn", res[findID(t, dir, "accepted_values_accounts_status__open__closed")])
}

func TestTestSelection(t *testing.T) {
	dir := project(t, "tests_basic")
	require.Equal(t, 0, mart(t, dir, "seed").Code)
	require.Equal(t, 0, mart(t, dir, "run").Code)

	r := mart(t, dir, "test", "--select", "open_accounts")
	require.Equal(t, 1, r.Code, r.String())
	require.Contains(t, r.Stdout, "assert_no_negative_open_balance")
	require.NotContains(t, r.Stdout, "unique_accounts_account_id")

	r = mart(t, dir, "test", "--select", "test_type:singular")
	require.Contains(t, r.Stdout, "Running 1 test ")

	r = mart(t, dir, "test", "--select", "test_type:unit")
	require.Contains(t, r.Stdout, "Running 3 unit tests")

	r = mart(t, dir, "test", "--select", "test_type:generic", "--exclude", "unique_accounts_account_id", "assert_*")
	require.NotContains(t, r.Stdout, "FAIL unique_accounts_account_id")
}

func TestBuildSkipsDependentsOfFailedTest(t *testing.T) {
	dir := project(t, "tests_basic")
	r := mart(t, dir, "build")
	require.Equal(t, 1, r.Code, r.String())
	require.Contains(t, r.Stdout, "FAIL unique_accounts_account_id")
	// two tests of accounts fail: the relationships test (accounts to
	// countries) blocks only what reads both, as dbt's test edges do, so
	// the children of accounts are skipped by the unique test
	require.Contains(t, r.Stdout, "FAIL relationships_accounts_country__code__ref_countries_")
	require.Contains(t, r.Stdout, "SKIP table main.open_accounts (test unique_accounts_account_id failed)")
	require.Contains(t, r.Stdout, "SKIP table main.balances (test unique_accounts_account_id failed)")
}

func TestTestErrorsNameTheYAML(t *testing.T) {
	dir := project(t, "tests_basic")
	writeFile(t, dir, "models/more.yml", `version: 2
models:
  - name: balances
    columns:
      - name: balance
        data_tests:
          - uniqe
`)
	r := mart(t, dir, "compile")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stderr, "models/more.yml:7:")
	require.Contains(t, r.Stderr, `unknown test "uniqe"`)
	require.Contains(t, r.Stderr, `"unique"`)

	// a test on a missing column fails at run time and points at the YAML
	writeFile(t, dir, "models/more.yml", `version: 2
models:
  - name: balances
    columns:
      - name: no_such_column
        data_tests: [not_null]
`)
	require.Equal(t, 0, mart(t, dir, "seed").Code)
	require.Equal(t, 0, mart(t, dir, "run").Code)
	r = mart(t, dir, "test", "--select", "not_null_balances_no_such_column")
	require.Equal(t, 1, r.Code, r.String())
	require.Contains(t, r.Stdout, "no_such_column")
	require.Contains(t, r.Stdout, "declared in models/more.yml:6")

	// given rows that do not fit the input's columns say which
	writeFile(t, dir, "models/more.yml", `version: 2
unit_tests:
  - name: bad_given
    model: balances
    given:
      - input: ref('accounts')
        rows:
          - {account_id: 1, balanse: 3}
    expect:
      rows: []
`)
	r = mart(t, dir, "test", "--select", "test_type:unit")
	require.Equal(t, 1, r.Code, r.String())
	require.Contains(t, r.Stdout, `row 1 has column "balanse", which the input does not have`)
}
