package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Fact is one number that the data guarantees, computed from the raw CSVs
// with the same rules the marts use (latest version of a reservation wins,
// revenue is succeeded EUR payments).
type Fact struct {
	Name  string
	Value string
	About string
}

// ExpectedFacts are the values at scale 1 with DefaultSeed. They are quoted
// in docs/soda-store.md; `sodagen -check` and the tests keep them honest.
var ExpectedFacts = map[string]string{
	"members":                         "400",
	"deleted_members":                 "11",
	"premium_members":                 "112",
	"members_signed_up_2026_01":       "60",
	"cars":                            "40",
	"retired_cars":                    "2",
	"zones":                           "12",
	"raw_reservation_rows":            "1018",
	"reservations":                    "1000",
	"completed_reservations":          "841",
	"cancelled_reservations":          "112",
	"no_show_reservations":            "44",
	"active_reservations":             "3",
	"late_returns":                    "75",
	"payments":                        "1014",
	"failed_payments":                 "48",
	"refunds":                         "36",
	"charge_revenue_eur_2026_03_01":   "406.86",
	"net_revenue_eur":                 "75939.42",
	"app_events":                      "5056",
	"unlock_events":                   "842",
	"telemetry_events":                "1530",
	"max_speed_kmh":                   "110",
	"member_1_completed_reservations": "3",
	"member_1_lifetime_value_eur":     "212.10",
}

type rows []map[string]string

func readCSV(r io.Reader) (rows, error) {
	cr := csv.NewReader(r)
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("empty CSV")
	}
	out := make(rows, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		m := make(map[string]string, len(rec))
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out, nil
}

// Data holds the raw tables, parsed.
type Data map[string]rows

// ReadData parses every table; open returns a table's CSV.
func ReadData(open func(name string) (io.Reader, error)) (Data, error) {
	d := Data{}
	for _, name := range Tables {
		r, err := open(name)
		if err != nil {
			return nil, err
		}
		t, err := readCSV(r)
		if c, ok := r.(io.Closer); ok {
			c.Close()
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		d[name] = t
	}
	return d, nil
}

func parseTS(s string) time.Time {
	t, err := time.Parse(tsLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func atoi(s string) int {
	i, _ := strconv.Atoi(s)
	return i
}

func eur(cents int) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// LatestReservations returns the current version of each reservation: the
// row with the greatest updated_at, as stg_reservations keeps it.
func (d Data) LatestReservations() rows {
	latest := map[string]map[string]string{}
	for _, r := range d["raw_reservations"] {
		id := r["reservation_id"]
		if cur, ok := latest[id]; !ok || r["updated_at"] > cur["updated_at"] {
			latest[id] = r
		}
	}
	out := make(rows, 0, len(latest))
	for _, r := range latest {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return atoi(out[i]["reservation_id"]) < atoi(out[j]["reservation_id"]) })
	return out
}

// ComputeFacts derives the documented facts from the data.
func (d Data) ComputeFacts() []Fact {
	var facts []Fact
	add := func(name, about string, v any) {
		facts = append(facts, Fact{Name: name, Value: fmt.Sprint(v), About: about})
	}
	count := func(t rows, pred func(map[string]string) bool) int {
		n := 0
		for _, r := range t {
			if pred(r) {
				n++
			}
		}
		return n
	}

	members := d["raw_members"]
	add("members", "rows in raw_members = rows in dim_members", len(members))
	add("deleted_members", "members with is_deleted = true", count(members, func(r map[string]string) bool { return r["is_deleted"] == "true" }))
	add("premium_members", "members whose current tier is premium", count(members, func(r map[string]string) bool { return r["tier"] == "premium" }))
	add("members_signed_up_2026_01", "members in the 2026-01 sign-up cohort", count(members, func(r map[string]string) bool { return strings.HasPrefix(r["signup_at"], "2026-01") }))
	add("cars", "rows in raw_cars", len(d["raw_cars"]))
	add("retired_cars", "cars with a retired_at", count(d["raw_cars"], func(r map[string]string) bool { return r["retired_at"] != "" }))
	add("zones", "rows in raw_zones", len(d["raw_zones"]))

	res := d.LatestReservations()
	add("raw_reservation_rows", "rows in raw_reservations, older duplicates included", len(d["raw_reservations"]))
	add("reservations", "distinct reservations = rows in fct_reservations", len(res))
	for _, st := range []string{"completed", "cancelled", "no_show", "active"} {
		st := st
		add(st+"_reservations", "reservations whose latest status is "+st, count(res, func(r map[string]string) bool { return r["status"] == st }))
	}
	add("late_returns", "completed reservations returned more than 15 minutes after end_at", count(res, func(r map[string]string) bool {
		return r["status"] == "completed" && parseTS(r["returned_at"]).Sub(parseTS(r["end_at"])) > lateGraceMinutes*time.Minute
	}))

	pays := d["raw_payments"]
	add("payments", "rows in raw_payments = rows in fct_payments", len(pays))
	add("failed_payments", "payments with status failed", count(pays, func(r map[string]string) bool { return r["status"] == "failed" }))
	add("refunds", "succeeded refunds", count(pays, func(r map[string]string) bool { return r["kind"] == "refund" && r["status"] == "succeeded" }))
	day, net, member1 := 0, 0, 0
	for _, p := range pays {
		if p["status"] != "succeeded" || p["currency"] != "EUR" {
			continue
		}
		cents := atoi(p["amount_cents"])
		if p["kind"] == "refund" {
			cents = -cents
		}
		net += cents
		if p["member_id"] == "1" {
			member1 += cents
		}
		if p["kind"] == "charge" && strings.HasPrefix(p["paid_at"], "2026-03-01") {
			day += cents
		}
	}
	add("charge_revenue_eur_2026_03_01", "succeeded charges paid on 2026-03-01, EUR", eur(day))
	add("net_revenue_eur", "succeeded charges minus succeeded refunds, all time, EUR", eur(net))

	events := d["raw_app_events"]
	add("app_events", "rows in raw_app_events", len(events))
	add("unlock_events", "events of type unlock", count(events, func(r map[string]string) bool { return r["event_type"] == "unlock" }))
	add("telemetry_events", "events of type telemetry", count(events, func(r map[string]string) bool { return r["event_type"] == "telemetry" }))
	maxSpeed := 0
	for _, e := range events {
		var p struct {
			Speed *int `json:"speed_kmh"`
		}
		if json.Unmarshal([]byte(e["payload"]), &p) == nil && p.Speed != nil && *p.Speed > maxSpeed {
			maxSpeed = *p.Speed
		}
	}
	add("max_speed_kmh", "greatest speed_kmh in a telemetry payload", maxSpeed)

	add("member_1_completed_reservations", "completed reservations of member 1 (Ada Lovelace)", count(res, func(r map[string]string) bool { return r["member_id"] == "1" && r["status"] == "completed" }))
	add("member_1_lifetime_value_eur", "net revenue of member 1, EUR", eur(member1))
	return facts
}

// CheckFacts compares facts with ExpectedFacts and returns the mismatches.
func CheckFacts(facts []Fact) []string {
	var bad []string
	seen := map[string]bool{}
	for _, f := range facts {
		seen[f.Name] = true
		want, ok := ExpectedFacts[f.Name]
		if !ok {
			bad = append(bad, fmt.Sprintf("%s = %s has no expected value", f.Name, f.Value))
		} else if want != f.Value {
			bad = append(bad, fmt.Sprintf("%s = %s, want %s", f.Name, f.Value, want))
		}
	}
	for name := range ExpectedFacts {
		if !seen[name] {
			bad = append(bad, name+" was not computed")
		}
	}
	sort.Strings(bad)
	return bad
}
