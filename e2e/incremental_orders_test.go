package e2e

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The incremental_orders project lands a raw_orders seed (rewritten by the
// test between runs, like an extract would: updates and soft deletes arrive
// as new versions of a row with a higher loaded_at) and builds from it an
// incremental merge model, a delete+insert aggregate, a monthly microbatch
// model, a timestamp snapshot with hard deletes, and, as tables, the
// from-scratch versions of the first two.

// order is a row of raw_orders.
type order struct {
	id, customer, cents int
	status              string
	orderedAt, updated  time.Time
	loaded              int
	deleted             bool
}

type orders struct {
	rng  *rand.Rand
	rows map[int]*order
	next int
}

var orderEpoch = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func (o *orders) pick(deleted bool) *order {
	var ids []int
	for id, r := range o.rows {
		if r.deleted == deleted {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	sort.Ints(ids)
	return o.rows[ids[o.rng.IntN(len(ids))]]
}

// mutate makes a few random changes at step: new orders (some arriving
// late, with an old ordered_at), updates, soft deletes and undeletes.
func (o *orders) mutate(step int) {
	now := orderEpoch.AddDate(0, 0, 4*step) // each step is four days of orders
	touch := func(r *order) {
		r.loaded = step
		r.updated = now.Add(-time.Duration(1+o.rng.IntN(600)) * time.Minute)
	}
	for range 2 + o.rng.IntN(5) {
		switch op := o.rng.IntN(10); {
		case op < 4 || len(o.rows) < 4:
			at := now.Add(-time.Duration(o.rng.IntN(4*24*60)) * time.Minute)
			if o.rng.IntN(4) == 0 {
				at = at.AddDate(0, 0, -20-o.rng.IntN(20)) // late-arriving
			}
			if at.Before(orderEpoch) {
				at = orderEpoch
			}
			r := &order{id: o.next, customer: 1 + o.rng.IntN(4), cents: 100 * (1 + o.rng.IntN(99)), status: "new", orderedAt: at}
			o.next++
			o.rows[r.id] = r
			touch(r)
		case op < 7:
			if r := o.pick(false); r != nil {
				r.cents += 100
				r.status = []string{"paid", "shipped", "refunded"}[o.rng.IntN(3)]
				touch(r)
			}
		case op < 9:
			if r := o.pick(false); r != nil {
				r.deleted = true
				touch(r)
			}
		default:
			if r := o.pick(true); r != nil {
				r.deleted = false
				touch(r)
			}
		}
	}
}

func (o *orders) csv() string {
	ids := make([]int, 0, len(o.rows))
	for id := range o.rows {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	var b strings.Builder
	b.WriteString("order_id,customer_id,amount,status,ordered_at,updated_at,loaded_at,deleted\n")
	for _, id := range ids {
		r := o.rows[id]
		fmt.Fprintf(&b, "%d,%d,%d.%02d,%s,%s,%s,%d,%t\n", r.id, r.customer, r.cents/100, r.cents%100, r.status,
			r.orderedAt.Format(time.DateTime), r.updated.Format(time.DateTime), r.loaded, r.deleted)
	}
	return b.String()
}

// snapVersion is one expected row of orders_snapshot. A version closed by
// a hard delete ends at the time of the run that saw it gone: closedBy.
type snapVersion struct {
	id, customer, cents int
	status              string
	updated             time.Time
	to                  *time.Time
	closedBy            int
}

// snapshotHistory applies the snapshot's rules (timestamp strategy on
// updated_at, hard_deletes invalidate) to the live orders seen by run k.
func snapshotHistory(h []*snapVersion, o *orders, run int) []*snapVersion {
	current := map[int]*snapVersion{}
	for _, v := range h {
		if v.to == nil && v.closedBy == 0 {
			current[v.id] = v
		}
	}
	for id, cur := range current {
		r := o.rows[id]
		switch {
		case r.deleted:
			cur.closedBy = run
		case cur.updated.Before(r.updated):
			t := r.updated
			cur.to = &t
			h = append(h, &snapVersion{id: id, customer: r.customer, cents: r.cents, status: r.status, updated: r.updated})
		}
	}
	for id, r := range o.rows {
		if _, ok := current[id]; !ok && !r.deleted {
			h = append(h, &snapVersion{id: id, customer: r.customer, cents: r.cents, status: r.status, updated: r.updated})
		}
	}
	return h
}

func renderSnapshot(h []*snapVersion) []string {
	out := make([]string, len(h))
	for i, v := range h {
		to := "current"
		switch {
		case v.to != nil:
			to = v.to.Format(time.DateTime)
		case v.closedBy > 0:
			to = fmt.Sprintf("deleted in run %d", v.closedBy)
		}
		out[i] = fmt.Sprintf("%d|%d|%d.%02d|%s|%s|%s", v.id, v.customer, v.cents/100, v.cents%100, v.status, v.updated.Format(time.DateTime), to)
	}
	sort.Strings(out)
	return out
}

// runWindow is when a run of mart happened (UTC), to recognise the
// valid_to of rows its snapshot closed.
type runWindow struct{ start, end time.Time }

// snapshotRows reads orders_snapshot in renderSnapshot's form: a valid_to
// inside run k's window reads "deleted in run k".
func snapshotRows(t *testing.T, dir string, runs []runWindow) []string {
	t.Helper()
	var out []string
	for _, r := range query(t, dir, `select order_id, customer_id, cast(amount as varchar), status, updated_at, dbt_valid_from, dbt_valid_to,
		dbt_updated_at = updated_at and dbt_valid_from = updated_at from snapshots.orders_snapshot`) {
		require.Equal(t, true, r[7], "valid_from and dbt_updated_at are the row's updated_at: %v", r)
		to := "current"
		if vt, ok := r[6].(time.Time); ok {
			to = vt.UTC().Format(time.DateTime)
			for k, w := range runs {
				if !vt.Before(w.start) && !vt.After(w.end) {
					to = fmt.Sprintf("deleted in run %d", k+1)
				}
			}
		}
		out = append(out, fmt.Sprintf("%v|%v|%v|%v|%s|%s", r[0], r[1], r[2], r[3], r[4].(time.Time).UTC().Format(time.DateTime), to))
	}
	sort.Strings(out)
	return out
}

// multiset returns the rows of q as sorted text.
func multiset(t *testing.T, dir, q string) []string {
	t.Helper()
	var out []string
	for _, r := range query(t, dir, q) {
		parts := make([]string, len(r))
		for i, v := range r {
			if tm, ok := v.(time.Time); ok {
				v = tm.UTC().Format(time.DateTime)
			}
			parts[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(parts, "|"))
	}
	sort.Strings(out)
	return out
}

// checkIncrementalOrders compares every incremental table with its model
// built from scratch, and the snapshot with the expected history.
func checkIncrementalOrders(t *testing.T, dir string, h []*snapVersion, runs []runWindow, what string) {
	t.Helper()
	require.Equal(t, multiset(t, dir, "select * from main_marts.orders_merge_full"),
		multiset(t, dir, "select * from main_marts.orders_merge"), "%s: orders_merge", what)
	require.Equal(t, multiset(t, dir, "select * from main_marts.customer_totals_full"),
		multiset(t, dir, "select * from main_marts.customer_totals"), "%s: customer_totals", what)
	require.Equal(t, multiset(t, dir, "select order_id, customer_id, amount, ordered_at from main_raw.raw_orders where not deleted"),
		multiset(t, dir, "select * from main_marts.orders_by_month"), "%s: orders_by_month", what)
	require.Equal(t, renderSnapshot(h), snapshotRows(t, dir, runs), "%s: orders_snapshot", what)
}

func TestIncrementalOrdersEndToEnd(t *testing.T) {
	dir := project(t, "incremental_orders")
	src := &orders{rng: rand.New(rand.NewPCG(11, 5)), rows: map[int]*order{}, next: 1}
	var h []*snapVersion
	var runs []runWindow
	build := func(args ...string) result {
		start := time.Now().UTC()
		r := mart(t, dir, args...)
		runs = append(runs, runWindow{start, time.Now().UTC()})
		require.Equal(t, 0, r.Code, r.String())
		return r
	}
	const steps = 7
	for step := 1; step <= steps; step++ {
		src.mutate(step)
		writeFile(t, dir, "seeds/raw_orders.csv", src.csv())
		if step == 5 { // mart seed and mart snapshot alone, then the build finds nothing new for it
			build("seed")
			build("snapshot")
			h = snapshotHistory(h, src, len(runs))
		}
		r := build("build")
		h = snapshotHistory(h, src, len(runs))
		checkIncrementalOrders(t, dir, h, runs, fmt.Sprintf("step %d", step))
		if step == 1 {
			require.Contains(t, r.Stdout, "OK incremental main_marts.orders_merge [")
			require.Contains(t, r.Stdout, "OK snapshot snapshots.orders_snapshot [")
			msgs := resultMessages(t, dir)
			require.Contains(t, msgs["model.inc.orders_merge"], "CREATE TABLE")
			require.Regexp(t, `^MICROBATCH \d+ batches of a month from 2026-03-01 00:00:00 to `, msgs["model.inc.orders_by_month"])
			continue
		}
		msgs := resultMessages(t, dir)
		require.Regexp(t, `^MERGE \d+$`, msgs["model.inc.orders_merge"])
		require.Regexp(t, `^DELETE\+INSERT: DELETE \d+, INSERT \d+$`, msgs["model.inc.customer_totals"])
		require.Regexp(t, `^SNAPSHOT \d+ new versions, \d+ closed$`, msgs["snapshot.inc.orders_snapshot"])
		if step%3 == 0 {
			// The same data again: nothing changes.
			before := multiset(t, dir, "select * from main_marts.orders_merge")
			build("build")
			h = snapshotHistory(h, src, len(runs))
			checkIncrementalOrders(t, dir, h, runs, fmt.Sprintf("step %d again", step))
			require.Equal(t, before, multiset(t, dir, "select * from main_marts.orders_merge"))
			require.Equal(t, "MERGE 0", resultMessages(t, dir)["model.inc.orders_merge"])
		}
	}

	// A full refresh rebuilds the incremental models into the same rows and
	// leaves the snapshot's history alone.
	before := map[string][]string{}
	for _, m := range []string{"orders_merge", "customer_totals", "orders_by_month"} {
		before[m] = multiset(t, dir, "select * from main_marts."+m)
	}
	build("build", "--full-refresh")
	h = snapshotHistory(h, src, len(runs))
	msgs := resultMessages(t, dir)
	require.Contains(t, msgs["model.inc.orders_merge"], "CREATE TABLE")
	for m, rows := range before {
		require.Equal(t, rows, multiset(t, dir, "select * from main_marts."+m), "full refresh of %s", m)
	}
	checkIncrementalOrders(t, dir, h, runs, "after --full-refresh")

	// A backfill of a window rebuilds exactly its batches.
	build("run", "--select", "orders_by_month", "--event-time-start", "2026-03-15", "--event-time-end", "2026-04-10")
	require.Equal(t, "MICROBATCH 2 batches of a month from 2026-03-01 00:00:00 to 2026-05-01 00:00:00: DELETE "+
		fmt.Sprint(scalar(t, dir, "select count(*) from main_marts.orders_by_month where ordered_at < '2026-05-01'"))+
		", INSERT "+fmt.Sprint(scalar(t, dir, "select count(*) from main_marts.orders_by_month where ordered_at < '2026-05-01'")),
		resultMessages(t, dir)["model.inc.orders_by_month"])
	checkIncrementalOrders(t, dir, h, runs, "after the backfill")
	require.Empty(t, tempTables(t, dir))
}

func TestIncrementalDuplicateKeyFailsTheModel(t *testing.T) {
	dir := project(t, "incremental_orders")
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	before := multiset(t, dir, "select * from main_marts.orders_merge")

	// Order 2 lands twice with the same loaded_at: the batch holds its key
	// twice. The model fails, its table stays as it was, the rest goes on.
	writeFile(t, dir, "seeds/raw_orders.csv", readFile(t, dir, "seeds/raw_orders.csv")+
		"2,1,21.00,paid,2026-03-01 11:00:00,2026-03-05 00:00:00,2,false\n2,1,22.00,paid,2026-03-01 11:00:00,2026-03-05 00:00:00,2,false\n")
	r = mart(t, dir, "build")
	require.Equal(t, 1, r.Code, r.String())
	require.Contains(t, r.Stdout, "ERROR incremental main_marts.orders_merge")
	require.Contains(t, r.Stdout, "the new batch for main_marts.orders_merge holds 1 value(s) of unique_key (order_id) more than once (2 rows): "+
		"order_id=2 (2 rows); fix the model or set dedupe: true to keep one row per key")
	require.Equal(t, before, multiset(t, dir, "select * from main_marts.orders_merge"))
	require.Contains(t, r.Stdout, "ERROR snapshot snapshots.orders_snapshot", "the snapshot's key is not unique either")

	// With dedupe the greatest row per key wins, on incremental runs and
	// full refreshes alike.
	model := readFile(t, dir, "models/orders_merge.sql")
	writeFile(t, dir, "models/orders_merge.sql", strings.Replace(model, "unique_key='order_id'", "unique_key='order_id', dedupe=true", 1))
	r = mart(t, dir, "build", "--select", "orders_merge")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, "22.00", fmt.Sprint(scalar(t, dir, "select amount::varchar from main_marts.orders_merge where order_id = 2")))
	require.Equal(t, "MERGE 1; dropped 1 duplicate rows (dedupe)", resultMessages(t, dir)["model.inc.orders_merge"])
	r = mart(t, dir, "build", "--select", "orders_merge", "--full-refresh")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, int64(1), scalar(t, dir, "select count(*) from main_marts.orders_merge where order_id = 2"))
}

func TestIncrementalSchemaChangeEndToEnd(t *testing.T) {
	dir := project(t, "incremental_orders")
	require.Equal(t, 0, mart(t, dir, "build").Code)
	model := readFile(t, dir, "models/orders_merge.sql")
	withExtra := strings.Replace(model, "select order_id,", "select order_id, 'x' as channel,", 1)

	// fail names the differing columns and changes nothing.
	writeFile(t, dir, "models/orders_merge.sql", strings.Replace(withExtra, "on_schema_change='append_new_columns'", "on_schema_change='fail'", 1))
	r := mart(t, dir, "run", "--select", "orders_merge")
	require.Equal(t, 1, r.Code, r.String())
	require.Contains(t, r.Stdout, "(on_schema_change: fail): new columns channel VARCHAR;")
	require.Len(t, query(t, dir, "select * from main_marts.orders_merge limit 1")[0], 8)

	// append_new_columns adds it.
	writeFile(t, dir, "models/orders_merge.sql", withExtra)
	r = mart(t, dir, "run", "--select", "orders_merge")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, "MERGE 0; added column channel VARCHAR", resultMessages(t, dir)["model.inc.orders_merge"])
	require.Len(t, query(t, dir, "select * from main_marts.orders_merge limit 1")[0], 9)
}

func resultMessages(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range readRunResults(t, dir).Results {
		out[r.UniqueID] = r.Message
	}
	return out
}
