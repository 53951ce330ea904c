package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func generate(t *testing.T, scale float64, seed uint64) map[string]*bytes.Buffer {
	t.Helper()
	bufs, err := generateMemory(scale, seed)
	if err != nil {
		t.Fatal(err)
	}
	return bufs
}

func parse(t *testing.T, bufs map[string]*bytes.Buffer) Data {
	t.Helper()
	d, err := ReadData(func(name string) (io.Reader, error) { return bytes.NewReader(bufs[name].Bytes()), nil })
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDeterministic(t *testing.T) {
	for _, scale := range []float64{1, 0.2} {
		a, b := generate(t, scale, DefaultSeed), generate(t, scale, DefaultSeed)
		for _, name := range Tables {
			if a[name].Len() == 0 {
				t.Fatalf("scale %v: %s is empty", scale, name)
			}
			if !bytes.Equal(a[name].Bytes(), b[name].Bytes()) {
				t.Errorf("scale %v: %s differs between two runs", scale, name)
			}
		}
	}
	other := generate(t, 1, DefaultSeed+1)
	if bytes.Equal(other["raw_reservations"].Bytes(), generate(t, 1, DefaultSeed)["raw_reservations"].Bytes()) {
		t.Error("a different seed gave the same reservations")
	}
}

func TestFacts(t *testing.T) {
	for _, msg := range CheckFacts(parse(t, generate(t, 1, DefaultSeed)).ComputeFacts()) {
		t.Error(msg)
	}
}

// The committed seeds must be exactly what the generator writes at scale 1.
func TestCommittedSeedsUpToDate(t *testing.T) {
	fresh := generate(t, 1, DefaultSeed)
	for _, name := range Tables {
		onDisk, err := os.ReadFile(filepath.Join("..", "..", "seeds", name+".csv"))
		if err != nil {
			t.Fatalf("%v (regenerate with: go run ./cmd/sodagen)", err)
		}
		if !bytes.Equal(onDisk, fresh[name].Bytes()) {
			t.Errorf("seeds/%s.csv is stale: regenerate with go run ./cmd/sodagen", name)
		}
	}
}

func TestSizesScale(t *testing.T) {
	if s := SizesFor(1); s != (Sizes{Zones: 12, Cars: 40, Members: 400, Reservations: 1000}) {
		t.Errorf("scale 1 sizes = %+v", s)
	}
	if s := SizesFor(1000); s.Reservations != 1000000 || s.Members != 400000 || s.Cars != 40000 {
		t.Errorf("scale 1000 sizes = %+v", s)
	}
	d := parse(t, generate(t, 3, DefaultSeed))
	if n := len(d.LatestReservations()); n != 3000 {
		t.Errorf("scale 3: %d reservations, want 3000", n)
	}
}

// The invariants the models and tests in the project rely on.
func TestInvariants(t *testing.T) {
	for _, scale := range []float64{1, 2.5} {
		d := parse(t, generate(t, scale, DefaultSeed))
		checkInvariants(t, d)
	}
}

func checkInvariants(t *testing.T, d Data) {
	t.Helper()
	errorf := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
	}
	for _, name := range Tables {
		for _, r := range d[name] {
			for col, v := range r {
				// start_at and end_at are plans: a booking may be for April.
				planned := col == "start_at" || col == "end_at"
				if strings.HasSuffix(col, "_at") && !planned && v != "" && !parseTS(v).Before(Cutoff) {
					errorf("%s %v: %s = %s is not before the cutoff", name, r, col, v)
				}
			}
		}
	}
	signup := map[string]time.Time{}
	for _, m := range d["raw_members"] {
		signup[m["member_id"]] = parseTS(m["signup_at"])
		if m["tier_updated_at"] < m["signup_at"] {
			errorf("member %s: tier updated before sign-up", m["member_id"])
		}
	}
	cars := map[string]map[string]string{}
	for _, c := range d["raw_cars"] {
		cars[c["car_id"]] = c
	}
	latest := d.LatestReservations()
	byID := map[string]map[string]string{}
	for _, r := range latest {
		byID[r["reservation_id"]] = r
	}
	versions := map[string]int{}
	for _, r := range d["raw_reservations"] {
		id := r["reservation_id"]
		versions[id]++
		if cur := byID[id]; r["updated_at"] == cur["updated_at"] && r["status"] != cur["status"] {
			errorf("reservation %s: two versions with the same updated_at", id)
		}
	}
	type interval struct{ from, to time.Time }
	booked := map[string][]interval{}
	for _, r := range latest {
		id := r["reservation_id"]
		created, start, end := parseTS(r["created_at"]), parseTS(r["start_at"]), parseTS(r["end_at"])
		if !created.Before(start) || !start.Before(end) {
			errorf("reservation %s: created/start/end out of order", id)
		}
		if created.Before(signup[r["member_id"]]) {
			errorf("reservation %s: created before the member signed up", id)
		}
		c := cars[r["car_id"]]
		if c == nil || c["home_zone_id"] != r["zone_id"] {
			errorf("reservation %s: unknown car or zone", id)
			continue
		}
		if !parseTS(c["added_at"]).Before(start) || (c["retired_at"] != "" && !end.Before(parseTS(c["retired_at"]))) {
			errorf("reservation %s: car %s not in the fleet then", id, r["car_id"])
		}
		st := r["status"]
		if (r["returned_at"] != "") != (st == "completed") || (r["distance_km"] != "") != (st == "completed") {
			errorf("reservation %s: returned_at/distance_km set for status %s", id, st)
		}
		if (r["cancelled_at"] != "") != (st == "cancelled") {
			errorf("reservation %s: cancelled_at set for status %s", id, st)
		}
		if st == "cancelled" && !parseTS(r["cancelled_at"]).Before(start) {
			errorf("reservation %s: cancelled after start", id)
		}
		to := end
		if st == "completed" {
			ret := parseTS(r["returned_at"])
			if !ret.After(start) {
				errorf("reservation %s: returned before start", id)
			}
			if ret.After(to) {
				to = ret
			}
		}
		if st != "cancelled" {
			for _, iv := range booked[r["car_id"]] {
				if start.Before(iv.to) && iv.from.Before(to) {
					errorf("reservation %s overlaps another booking of car %s", id, r["car_id"])
				}
			}
			booked[r["car_id"]] = append(booked[r["car_id"]], interval{start, to})
		}
	}
	charged, refunded := map[string]int{}, map[string]int{}
	for _, p := range d["raw_payments"] {
		r := byID[p["reservation_id"]]
		if r == nil || r["member_id"] != p["member_id"] {
			errorf("payment %s: unknown reservation or wrong member", p["payment_id"])
			continue
		}
		if p["paid_at"] > r["updated_at"] {
			errorf("payment %s: paid after its reservation's updated_at", p["payment_id"])
		}
		if atoi(p["amount_cents"]) <= 0 {
			errorf("payment %s: amount %s", p["payment_id"], p["amount_cents"])
		}
		if p["status"] == "succeeded" {
			if p["kind"] == "charge" {
				charged[p["reservation_id"]] += atoi(p["amount_cents"])
			} else {
				refunded[p["reservation_id"]] += atoi(p["amount_cents"])
			}
		}
	}
	for id, cents := range refunded {
		if cents > charged[id] {
			errorf("reservation %s: refunded %d > charged %d", id, cents, charged[id])
		}
	}
	for _, r := range latest {
		if r["status"] == "completed" && charged[r["reservation_id"]] == 0 {
			errorf("completed reservation %s has no succeeded charge", r["reservation_id"])
		}
	}
	for _, e := range d["raw_app_events"] {
		var payload map[string]any
		if err := json.Unmarshal([]byte(e["payload"]), &payload); err != nil {
			errorf("event %s: payload is not JSON: %v", e["event_id"], err)
		}
		if id, ok := payload["reservation_id"]; ok {
			r := byID[fmt.Sprint(id)]
			if r == nil || e["occurred_at"] > r["updated_at"] {
				errorf("event %s: unknown reservation or after its updated_at", e["event_id"])
			}
		}
		if parseTS(e["occurred_at"]).Before(signup[e["member_id"]]) {
			errorf("event %s: before the member signed up", e["event_id"])
		}
	}
}

// At large scales there are hundreds of zones, each with a founding car:
// they must all join the fleet long before the first reservation.
func TestFoundingCarsJoinEarly(t *testing.T) {
	var buf bytes.Buffer
	g := &generator{seed: DefaultSeed, sizes: SizesFor(5000), out: map[string]*table{}}
	for _, name := range []string{"raw_zones", "raw_cars"} {
		tb, err := newTable(&buf, name)
		if err != nil {
			t.Fatal(err)
		}
		g.out[name] = tb
	}
	if err := g.genZones(); err != nil {
		t.Fatal(err)
	}
	if err := g.genCars(); err != nil {
		t.Fatal(err)
	}
	if len(g.zoneTab) <= foundingDays {
		t.Fatalf("only %d zones: the test needs more than %d", len(g.zoneTab), foundingDays)
	}
	for _, c := range g.carTab[:len(g.zoneTab)] {
		if !c.added.Before(windowStart) || !c.retired.IsZero() {
			t.Fatalf("founding car %d: added %v, retired %v", c.id, c.added, c.retired)
		}
	}
}
