package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	tsLayout = "2006-01-02 15:04:05"
	// DefaultSeed is the seed of the committed data. Changing it changes
	// every fact in docs/soda-store.md.
	DefaultSeed uint64 = 20260301
)

// The story's calendar. Members sign up from October 2025, reservations are
// created in Q1 2026, and the extract was taken at Cutoff: nothing in the
// data happens at or after it.
var (
	signupStart = day(2025, 10, 1).Add(7 * time.Hour)
	signupEnd   = day(2026, 3, 15)
	windowStart = day(2026, 1, 1)
	windowEnd   = day(2026, 3, 31)
	fleetStart  = day(2025, 6, 1)
	Cutoff      = day(2026, 4, 1)
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Tables lists the generated seed tables in the order they are written.
var Tables = []string{"raw_zones", "raw_cars", "raw_members", "raw_reservations", "raw_payments", "raw_app_events"}

var headers = map[string][]string{
	"raw_zones":        {"zone_id", "city", "zone_name", "area_km2", "lat", "lon"},
	"raw_cars":         {"car_id", "plate", "model", "fuel", "seats", "home_zone_id", "added_at", "retired_at"},
	"raw_members":      {"member_id", "email", "full_name", "signup_at", "home_zone_id", "tier", "tier_updated_at", "channel", "birth_year", "is_deleted"},
	"raw_reservations": {"reservation_id", "member_id", "car_id", "zone_id", "created_at", "start_at", "end_at", "returned_at", "status", "cancelled_at", "distance_km", "updated_at"},
	"raw_payments":     {"payment_id", "reservation_id", "member_id", "paid_at", "amount_cents", "currency", "method", "kind", "status"},
	"raw_app_events":   {"event_id", "member_id", "occurred_at", "event_type", "payload"},
}

// Sizes are the row counts that a scale asks for. Reservations counts
// distinct reservations: the raw table also holds a few older duplicates.
type Sizes struct {
	Zones, Cars, Members, Reservations int
}

// SizesFor returns the sizes for a scale: 1 is the committed demo data
// (a few thousand rows), 1000 gives millions of rows.
func SizesFor(scale float64) Sizes {
	n := func(base float64, min int) int {
		v := int(math.Round(base * scale))
		if v < min {
			return min
		}
		return v
	}
	zones := 12
	if scale > 1 {
		zones = int(math.Round(12 * math.Sqrt(scale)))
	} else {
		zones = n(12, 3)
	}
	cars := n(40, 3)
	if cars < zones {
		cars = zones
	}
	return Sizes{Zones: zones, Cars: cars, Members: n(400, 5), Reservations: n(1000, 10)}
}

type cityDef struct {
	name, plate string
	lat, lon    int // micro-degrees
	zones       []string
}

var cities = []cityDef{
	{"Berlin", "B", 52520008, 13404954, []string{"Mitte", "Kreuzberg", "Prenzlauer Berg", "Charlottenburg", "Friedrichshain"}},
	{"Hamburg", "HH", 53551086, 9993682, []string{"Altona", "St. Pauli", "Eimsbuettel", "HafenCity"}},
	{"Munich", "M", 48137154, 11576124, []string{"Schwabing", "Maxvorstadt", "Haidhausen"}},
}

type zone struct {
	id       int
	city     cityDef
	lat, lon int
}

type car struct {
	id, zone  int
	fuel      string
	added     time.Time
	retired   time.Time // zero: still in the fleet
	busyUntil time.Time // end of the latest booking that holds the car, plus cleaning time
}

type member struct {
	id             int
	signup         time.Time
	tier           string
	appVersion, os string
}

var (
	firstNames = []string{"Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannah", "Ismail", "Jonas", "Katrin", "Lukas", "Mia", "Noah", "Olga", "Paul", "Quentin", "Rosa", "Sven", "Tara", "Ulrich", "Vera", "Wei", "Xenia", "Yusuf", "Zoe", "Leon", "Emma", "Finn", "Lina"}
	lastNames  = []string{"Schmidt", "Meyer", "Weber", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Braun", "Zimmermann", "Krueger", "Hartmann", "Lange", "Werner", "Krause", "Yilmaz", "Nowak", "Kaya", "Fischer", "Vogel", "Jung", "Roth", "Frank", "Berger", "Kaiser"}
	carModels  = map[string][]string{
		"ev":     {"VW ID.3", "Renault Zoe", "Tesla Model 3", "BMW i3"},
		"hybrid": {"Toyota Yaris Hybrid", "Toyota Corolla Hybrid"},
		"petrol": {"VW Golf", "Fiat 500", "BMW 1er", "VW Touran"},
	}
	seatsByModel = map[string]int{"Fiat 500": 4, "BMW i3": 4, "Renault Zoe": 5, "VW Touran": 7}
	fuels        = []string{"ev", "hybrid", "petrol"}
	ratePerMin   = map[string]int{"ev": 29, "hybrid": 31, "petrol": 34} // cents
	tiers        = []string{"basic", "plus", "premium"}
	tierDiscount = map[string]int{"basic": 0, "plus": 10, "premium": 20} // percent
	channels     = []string{"app", "web", "partner", "referral"}
	methods      = []string{"card", "paypal", "voucher"}
	appVersions  = []string{"4.0.3", "4.1.0", "4.2.0", "4.2.1"}
)

const (
	dayRateCents      = 8900 // price cap per started 24 hours
	lateFeePerMin     = 50   // cents per minute, when later than the grace
	lateGraceMinutes  = 15
	kmFeeCents        = 25 // per km beyond the included 100 km
	cancelFeeCents    = 500
	noShowFeeCents    = 1500
	cleaningBuffer    = 15 * time.Minute
	activeWithinHours = 6 // bookings ending this close to Cutoff are still active
	foundingDays      = 180
)

// table wraps a CSV writer and reports the first write error.
type table struct {
	buf *bufio.Writer
	w   *csv.Writer
}

func newTable(w io.Writer, name string) (*table, error) {
	b := bufio.NewWriterSize(w, 1<<16)
	t := &table{buf: b, w: csv.NewWriter(b)}
	return t, t.w.Write(headers[name])
}

func (t *table) row(fields ...string) error { return t.w.Write(fields) }

func (t *table) close() error {
	t.w.Flush()
	if err := t.w.Error(); err != nil {
		return err
	}
	return t.buf.Flush()
}

func ts(t time.Time) string { return t.Format(tsLayout) }

func tsOrNull(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ts(t)
}

func itoa(i int) string { return strconv.Itoa(i) }

// micro formats micro-degrees as a decimal with six places.
func micro(v int) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%06d", sign, v/1000000, v%1000000)
}

// tenths formats a count of tenths as a decimal with one place.
func tenths(v int) string { return fmt.Sprintf("%d.%d", v/10, v%10) }

func ceilTo(t time.Time, d time.Duration) time.Time {
	r := t.Truncate(d)
	if r.Before(t) {
		r = r.Add(d)
	}
	return r
}

func minutes(n int) time.Duration { return time.Duration(n) * time.Minute }

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Generate writes every table at the given scale. open is called once per
// table name (see Tables) and must return where its CSV goes.
func Generate(scale float64, seed uint64, open func(name string) (io.Writer, error)) error {
	g := &generator{seed: seed, sizes: SizesFor(scale), out: map[string]*table{}}
	for _, name := range Tables {
		w, err := open(name)
		if err != nil {
			return err
		}
		t, err := newTable(w, name)
		if err != nil {
			return err
		}
		g.out[name] = t
	}
	steps := []func() error{g.genZones, g.genCars, g.genMembers, g.genReservations, g.genMemberEvents}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	for _, name := range Tables {
		if err := g.out[name].close(); err != nil {
			return err
		}
	}
	return nil
}

type generator struct {
	seed    uint64
	sizes   Sizes
	out     map[string]*table
	zoneTab []zone
	carTab  []car
	members []member
	eventID int
}

func (g *generator) genZones() error {
	r := newRNG(g.seed, "zones")
	named := 0
	for _, c := range cities {
		named += len(c.zones)
	}
	for i := 0; i < g.sizes.Zones; i++ {
		var c cityDef
		var name string
		if i < named {
			k := i
			for _, cc := range cities {
				if k < len(cc.zones) {
					c, name = cc, cc.zones[k]
					break
				}
				k -= len(cc.zones)
			}
		} else {
			c = cities[i%len(cities)]
			name = fmt.Sprintf("%s Zone %d", c.name, i+1)
		}
		z := zone{id: i + 1, city: c, lat: c.lat + r.between(-40000, 40000), lon: c.lon + r.between(-60000, 60000)}
		g.zoneTab = append(g.zoneTab, z)
		area := r.between(20, 120) // tenths of km²
		if err := g.out["raw_zones"].row(itoa(z.id), c.name, name, tenths(area), micro(z.lat), micro(z.lon)); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) genCars() error {
	r := newRNG(g.seed, "cars")
	nz := len(g.zoneTab)
	for i := 0; i < g.sizes.Cars; i++ {
		c := car{id: i + 1}
		if i < nz {
			// One car per zone joins early and never retires, so every zone
			// has a car and there is always a car to fall back on.
			// They join a day apart, or closer when there are more than
			// foundingDays zones.
			c.zone = i + 1
			offset := time.Duration(i) * 24 * time.Hour
			if nz > foundingDays {
				offset = (time.Duration(i) * foundingDays * 24 * time.Hour / time.Duration(nz)).Truncate(time.Minute)
			}
			c.added = fleetStart.Add(offset + 6*time.Hour)
		} else {
			c.zone = r.between(1, nz)
			c.added = fleetStart.Add(minutes(r.intn(int(day(2026, 2, 15).Sub(fleetStart).Minutes()))))
			if r.chance(0.12) {
				from := later(c.added.Add(30*24*time.Hour), day(2026, 2, 1))
				c.retired = from.Add(minutes(r.intn(int(day(2026, 3, 25).Sub(from).Minutes()))))
			}
		}
		c.fuel = fuels[r.weighted([]int{40, 30, 30})]
		model := pick(r, carModels[c.fuel])
		seats := 5
		if s, ok := seatsByModel[model]; ok {
			seats = s
		}
		plate := fmt.Sprintf("%s-SD %d", g.zoneTab[c.zone-1].city.plate, 1000+i)
		g.carTab = append(g.carTab, c)
		if err := g.out["raw_cars"].row(itoa(c.id), plate, model, c.fuel, itoa(seats), itoa(c.zone), ts(c.added), tsOrNull(c.retired)); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) genMembers() error {
	r := newRNG(g.seed, "members")
	n := g.sizes.Members
	span := signupEnd.Sub(signupStart)
	for i := 0; i < n; i++ {
		// Sign-ups accelerate over time; ids follow sign-up order.
		frac := (float64(i) + r.float()) / float64(n)
		signup := signupStart.Add(time.Duration(math.Pow(frac, 1.4) * float64(span))).Truncate(time.Minute)
		m := member{id: i + 1, signup: signup}
		first, last := pick(r, firstNames), pick(r, lastNames)
		m.tier = tiers[r.weighted([]int{60, 25, 15})]
		channel := channels[r.weighted([]int{45, 25, 15, 15})]
		birth := (r.between(1955, 2006) + r.between(1975, 2006)) / 2
		deleted := r.chance(0.03)
		zoneID := r.between(1, len(g.zoneTab))
		tierUpdated := signup
		if r.chance(0.3) {
			if room := int(Cutoff.Sub(signup).Minutes()) - 24*60; room > 24*60 {
				tierUpdated = signup.Add(minutes(r.between(24*60, room)))
				m.tier = tiers[1+r.intn(2)]
			}
		}
		m.os = []string{"ios", "android"}[r.weighted([]int{55, 45})]
		m.appVersion = appVersions[r.weighted([]int{10, 20, 30, 40})]
		if i == 0 {
			// Member 1 is a fixed persona that end-to-end tests can rely on.
			first, last, m.tier, channel, birth, deleted, zoneID = "Ada", "Lovelace", "premium", "app", 1990, false, 1
			m.signup = signupStart
			tierUpdated = day(2026, 2, 1).Add(9*time.Hour + 30*time.Minute)
		}
		email := strings.ToLower(first+"."+last) + "." + itoa(m.id) + "@example.com"
		if r.chance(0.05) {
			// The sign-up form did not normalise emails at first.
			email = " " + first + "." + last + "." + itoa(m.id) + "@Example.com"
		}
		g.members = append(g.members, m)
		if err := g.out["raw_members"].row(itoa(m.id), email, first+" "+last, ts(m.signup), itoa(zoneID), m.tier, ts(tierUpdated), channel, itoa(birth), strconv.FormatBool(deleted)); err != nil {
			return err
		}
	}
	return nil
}

type reservation struct {
	id, memberID, carID, zoneID int
	created, start, end         time.Time
	returned, cancelled         time.Time
	status                      string
	distanceTenths              int // -1: null
	updated                     time.Time
}

func (res *reservation) row(status string, returned, cancelled time.Time, distance int, updated time.Time) []string {
	d := ""
	if distance >= 0 {
		d = tenths(distance)
	}
	return []string{itoa(res.id), itoa(res.memberID), itoa(res.carID), itoa(res.zoneID), ts(res.created), ts(res.start), ts(res.end), tsOrNull(returned), status, tsOrNull(cancelled), d, ts(updated)}
}

func (c *car) free(start, end time.Time) bool {
	return c.added.Before(start) && (c.retired.IsZero() || end.Add(activeWithinHours*time.Hour).Before(c.retired)) && !c.busyUntil.After(start)
}

func (g *generator) genReservations() error {
	r := newRNG(g.seed, "reservations")
	pr := newRNG(g.seed, "payments")
	er := newRNG(g.seed, "events")
	n := g.sizes.Reservations
	slot := windowEnd.Sub(windowStart) / time.Duration(n)
	paymentID := 0
	for i := 0; i < n; i++ {
		res := &reservation{id: i + 1, distanceTenths: -1}
		res.created = windowStart.Add(time.Duration(i)*slot + time.Duration(r.float()*float64(slot))).Truncate(time.Minute)
		k := max(1, sort.Search(len(g.members), func(j int) bool { return !g.members[j].signup.Before(res.created) }))
		m := &g.members[r.intn(k)]
		res.memberID = m.id

		var lead int
		switch r.weighted([]int{40, 40, 20}) {
		case 0:
			lead = r.between(15, 120)
		case 1:
			lead = r.between(121, 24*60)
		default:
			lead = r.between(24*60+1, 72*60)
		}
		res.start = ceilTo(res.created.Add(minutes(lead)), 15*time.Minute)
		dur := r.between(2, 32) * 15
		if r.chance(0.15) {
			dur = r.between(33, 192) * 15
		}
		res.end = res.start.Add(minutes(dur))

		var c *car
		for try := 0; try < 30 && c == nil; try++ {
			if cand := &g.carTab[r.intn(len(g.carTab))]; cand.free(res.start, res.end) {
				c = cand
			}
		}
		if c == nil {
			// Every car we asked was busy: take the founding car that frees
			// up first and move the booking to when it is back.
			c = &g.carTab[0]
			for j := 1; j < len(g.zoneTab) && j < len(g.carTab); j++ {
				if g.carTab[j].busyUntil.Before(c.busyUntil) {
					c = &g.carTab[j]
				}
			}
			if shift := ceilTo(c.busyUntil, 15*time.Minute).Sub(res.start); shift > 0 {
				res.start, res.end = res.start.Add(shift), res.end.Add(shift)
			}
		}
		res.carID, res.zoneID = c.id, c.zone

		u := r.float()
		switch {
		case u < 0.12:
			res.status = "cancelled"
		case u < 0.17:
			res.status = "no_show"
		default:
			res.status = "completed"
		}
		if res.status != "cancelled" && !res.end.Add(activeWithinHours*time.Hour).Before(Cutoff) {
			res.status = "active"
		}
		switch res.status {
		case "cancelled":
			until := res.start
			if limit := Cutoff.Add(-10 * time.Minute); until.After(limit) {
				until = limit
			}
			window := int(until.Sub(res.created).Minutes()) - 1
			res.cancelled = res.created.Add(minutes(r.between(1, max(1, window))))
		case "completed":
			var delta int
			switch r.weighted([]int{65, 25, 10}) {
			case 0:
				delta = -r.between(0, 20)
			case 1:
				delta = r.between(1, lateGraceMinutes)
			default:
				delta = r.between(lateGraceMinutes+1, 120)
			}
			res.returned = later(res.end.Add(minutes(delta)), res.start.Add(15*time.Minute))
			driven := int(res.returned.Sub(res.start).Minutes())
			if driven <= 8*60 {
				res.distanceTenths = driven*r.between(12, 40)/6 + r.intn(10)
			} else {
				res.distanceTenths = r.between(400, 6000)
			}
		}
		if res.status != "cancelled" {
			c.busyUntil = later(res.end, res.returned).Add(cleaningBuffer)
		}

		switch res.status {
		case "completed":
			res.updated = res.returned
		case "cancelled":
			res.updated = res.cancelled
		case "no_show":
			res.updated = res.start.Add(30 * time.Minute)
		case "active":
			res.updated = res.created
			if res.start.Before(Cutoff) {
				res.updated = res.start
			}
		}
		last, err := g.payments(pr, res, m, c, &paymentID)
		if err != nil {
			return err
		}
		res.updated = later(res.updated, last)
		// The booking service also records what the app reports about the
		// trip, so updated_at covers the trip's events too: the incremental
		// fct_reservations never misses a late telemetry ping or rating.
		if last, err = g.tripEvents(er, res, m, c); err != nil {
			return err
		}
		res.updated = later(res.updated, last)

		if res.status != "active" && r.chance(0.03) {
			// An older change-data-capture version of the same reservation,
			// from before it was finished: staging must keep the latest.
			old := res.start
			if res.status == "cancelled" {
				old = res.created
			}
			if err := g.out["raw_reservations"].row(res.row("active", time.Time{}, time.Time{}, -1, old)...); err != nil {
				return err
			}
		}
		if err := g.out["raw_reservations"].row(res.row(res.status, res.returned, res.cancelled, res.distanceTenths, res.updated)...); err != nil {
			return err
		}
	}
	return nil
}

// payments writes the payments of one reservation and returns the time of
// the last one (zero if none).
func (g *generator) payments(r *rng, res *reservation, m *member, c *car, id *int) (time.Time, error) {
	var last time.Time
	write := func(at time.Time, cents int, method, kind, status string) error {
		*id++
		last = later(last, at)
		return g.out["raw_payments"].row(itoa(*id), itoa(res.id), itoa(m.id), ts(at), itoa(cents), "EUR", method, kind, status)
	}
	// charge writes a charge, preceded by a failed attempt now and then.
	charge := func(at time.Time, cents int, method string) (time.Time, error) {
		if r.chance(0.05) {
			if err := write(at, cents, method, "charge", "failed"); err != nil {
				return at, err
			}
			at = at.Add(minutes(r.between(30, 90)))
			if method == "card" {
				method = "paypal"
			}
		}
		return at, write(at, cents, method, "charge", "succeeded")
	}
	method := methods[r.weighted([]int{75, 20, 5})]
	jitter := func() time.Duration { return time.Duration(r.intn(60)) * time.Second }
	switch res.status {
	case "completed":
		booked := int(res.end.Sub(res.start).Minutes())
		base := ratePerMin[c.fuel] * booked
		if cap := (booked + 24*60 - 1) / (24 * 60) * dayRateCents; base > cap {
			base = cap
		}
		base = base * (100 - tierDiscount[m.tier]) / 100
		amount := base
		if late := int(res.returned.Sub(res.end).Minutes()); late > lateGraceMinutes {
			amount += late * lateFeePerMin
		}
		if res.distanceTenths > 1000 {
			amount += (res.distanceTenths - 1000) * kmFeeCents / 10
		}
		paid, err := charge(res.returned.Add(minutes(r.between(1, 10))+jitter()), amount, method)
		if err != nil {
			return last, err
		}
		if r.chance(0.05) {
			at := paid.Add(time.Duration(r.between(1, 3))*24*time.Hour + minutes(r.intn(600)) + jitter())
			refund := max(1, amount*r.between(10, 50)/100)
			if at.Before(Cutoff) {
				if err := write(at, refund, method, "refund", "succeeded"); err != nil {
					return last, err
				}
			}
		}
	case "cancelled":
		if res.start.Sub(res.cancelled) < time.Hour {
			if _, err := charge(res.cancelled.Add(time.Minute+jitter()), cancelFeeCents, method); err != nil {
				return last, err
			}
		}
	case "no_show":
		if _, err := charge(res.start.Add(30*time.Minute+jitter()), noShowFeeCents, method); err != nil {
			return last, err
		}
	}
	return last, nil
}

func (g *generator) event(at time.Time, memberID int, kind, payload string) error {
	g.eventID++
	return g.out["raw_app_events"].row(itoa(g.eventID), itoa(memberID), ts(at), kind, payload)
}

// tripEvents writes what the app reported around one reservation. Payloads
// are JSON documents as the app's MongoDB service stores them.
func (g *generator) tripEvents(r *rng, res *reservation, m *member, c *car) (time.Time, error) {
	var last time.Time
	event := func(at time.Time, kind, payload string) error {
		last = later(last, at)
		return g.event(at, m.id, kind, payload)
	}
	z := g.zoneTab[c.zone-1]
	sec := func() time.Duration { return time.Duration(r.intn(60)) * time.Second }
	pos := func() string {
		return fmt.Sprintf(`"lat":%s,"lon":%s`, micro(z.lat+r.between(-15000, 15000)), micro(z.lon+r.between(-20000, 20000)))
	}
	app := fmt.Sprintf(`"app_version":"%s"`, m.appVersion)
	if r.chance(0.3) {
		at := later(res.created.Add(-minutes(r.between(2, 15))+sec()), m.signup)
		if err := event(at, "open_app", fmt.Sprintf(`{%s,"os":"%s"}`, app, m.os)); err != nil {
			return last, err
		}
	}
	at := later(res.created.Add(-sec()), m.signup)
	if err := event(at, "search", fmt.Sprintf(`{"zone_id":%d,"results":%d,%s,"os":"%s"}`, z.id, r.between(1, 8), app, m.os)); err != nil {
		return last, err
	}
	trip := fmt.Sprintf(`"reservation_id":%d,"car_id":%d`, res.id, c.id)
	started := res.status == "completed" || (res.status == "active" && res.start.Before(Cutoff))
	if !started {
		return last, nil
	}
	unlock := res.start.Add(minutes(r.between(0, 9)) + sec())
	if res.status == "completed" && !unlock.Before(res.returned) {
		unlock = res.start
	}
	if unlock.After(Cutoff) {
		unlock = res.start
	}
	if err := event(unlock, "unlock", fmt.Sprintf(`{%s,%s,%s}`, trip, pos(), app)); err != nil {
		return last, err
	}
	if res.status != "completed" {
		return last, nil
	}
	driven := res.returned.Sub(unlock)
	pings := 1
	if driven > 2*time.Hour {
		pings = 2
	}
	for p := 1; p <= pings; p++ {
		at := unlock.Add(driven * time.Duration(p) / time.Duration(pings+1)).Truncate(time.Second)
		energy := fmt.Sprintf(`"fuel_pct":%d`, r.between(10, 100))
		if c.fuel == "ev" {
			energy = fmt.Sprintf(`"battery_pct":%d`, r.between(15, 100))
		}
		payload := fmt.Sprintf(`{%s,%s,"speed_kmh":%d,%s,%s}`, trip, energy, r.between(0, 110), pos(), app)
		if err := event(at, "telemetry", payload); err != nil {
			return last, err
		}
	}
	if err := event(res.returned.Add(sec()), "lock", fmt.Sprintf(`{%s,%s,%s}`, trip, pos(), app)); err != nil {
		return last, err
	}
	if r.chance(0.2) {
		rating := 1 + r.weighted([]int{3, 5, 12, 35, 45})
		at := res.returned.Add(minutes(r.between(1, 30)) + sec())
		if err := event(at, "rate_trip", fmt.Sprintf(`{"reservation_id":%d,"rating":%d,%s}`, res.id, rating, app)); err != nil {
			return last, err
		}
	}
	return last, nil
}

// memberEvents writes each member's first app open, right after sign-up.
func (g *generator) genMemberEvents() error {
	r := newRNG(g.seed, "member_events")
	for i := range g.members {
		m := &g.members[i]
		at := m.signup.Add(minutes(r.between(0, 60)) + time.Duration(r.intn(60))*time.Second)
		if err := g.event(at, m.id, "open_app", fmt.Sprintf(`{"app_version":"%s","os":"%s","first_open":true}`, m.appVersion, m.os)); err != nil {
			return err
		}
	}
	return nil
}
