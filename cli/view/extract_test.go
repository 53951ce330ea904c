package view

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mart-dev/mart/extract"
)

// The summary line writes every count as the table lines do: with
// thousands separators ("7,522 rows read, 7,522 inserted", not "7522").
func TestExtractSummaryThousands(t *testing.T) {
	var out bytes.Buffer
	h := &Human{out: &out, err: &out}
	h.ExtractSummary(&extract.Results{Elapsed: time.Second, Tables: []extract.TableResult{
		{TableInfo: extract.TableInfo{Source: "raw", Table: "a"}, Status: extract.StatusSuccess, Rows: 5056, Inserted: 5056},
		{TableInfo: extract.TableInfo{Source: "raw", Table: "b"}, Status: extract.StatusSuccess, Rows: 2466, Inserted: 1466, Updated: 1000, Deleted: 1200},
	}})
	want := "  raw: 2 tables, 7,522 rows read, 6,522 inserted, 1,000 updated, 1,200 deleted\n"
	if !strings.Contains(out.String(), want) {
		t.Fatalf("summary:\n%s\nwant a line %q", out.String(), want)
	}
}

// One row is "1 row", in the summary and in a table's line.
func TestExtractOneRow(t *testing.T) {
	var out bytes.Buffer
	h := &Human{out: &out, err: &out}
	r := extract.TableResult{TableInfo: extract.TableInfo{Source: "raw", Table: "a", Index: 1, Total: 1}, Status: extract.StatusSuccess, Rows: 1, Inserted: 1}
	h.ExtractFinished(r)
	h.ExtractSummary(&extract.Results{Elapsed: time.Second, Tables: []extract.TableResult{r}})
	for _, want := range []string{"[1 row read, ", "  raw: 1 table, 1 row read, 1 inserted"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output:\n%s\nwant %q", out.String(), want)
		}
	}
	if strings.Contains(out.String(), "1 rows") {
		t.Fatalf("output says 1 rows:\n%s", out.String())
	}
}
