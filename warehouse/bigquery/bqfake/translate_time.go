package bqfake

import "strings"

// duckPart reads a date part argument (DAY, ISOWEEK, WEEK(MONDAY), ...) as
// DuckDB's name. BigQuery's WEEK starts on Sunday; weekSunday says so.
func duckPart(ns []node) (part string, weekSunday, ok bool) {
	if len(ns) == 2 && ns[0].is("WEEK") && ns[1].isGroup("(") && len(ns[1].kids) == 1 {
		switch ns[1].kids[0].tok.text {
		case "MONDAY":
			return "week", false, true
		case "SUNDAY":
			return "week", true, true
		}
		return "", false, false
	}
	if len(ns) != 1 || ns[0].group || ns[0].tok.kind != 'w' {
		return "", false, false
	}
	switch p := ns[0].tok.text; p {
	case "MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "MONTH", "QUARTER", "YEAR":
		return strings.ToLower(p), false, true
	case "WEEK":
		return "week", true, true
	case "ISOWEEK":
		return "week", false, true
	case "ISOYEAR":
		return "isoyear", false, true
	}
	return "", false, false
}

func addTimeFunctions() {
	functions["TIMESTAMP_TRUNC"] = truncate("")
	functions["DATETIME_TRUNC"] = truncate("")
	functions["DATE_TRUNC"] = truncate("DATE")
	functions["TIME_TRUNC"] = truncate("TIME")
	for _, kind := range []string{"DATE", "DATETIME", "TIMESTAMP", "TIME"} {
		cast := ""
		if kind == "DATE" {
			cast = "DATE"
		}
		functions[kind+"_ADD"] = shift("+", cast)
		functions[kind+"_SUB"] = shift("-", cast)
	}
	// DATE_DIFF and DATETIME_DIFF count part boundaries; TIMESTAMP_DIFF
	// and TIME_DIFF whole parts.
	functions["DATE_DIFF"] = diff("date_diff")
	functions["DATETIME_DIFF"] = diff("date_diff")
	functions["TIMESTAMP_DIFF"] = diff("datesub")
	functions["TIME_DIFF"] = diff("datesub")
	functions["CURRENT_TIMESTAMP"] = constant("current_timestamp")
	functions["CURRENT_DATE"] = constant("current_date")
	functions["CURRENT_DATETIME"] = constant("CAST(current_timestamp AS TIMESTAMP)")
	functions["CURRENT_TIME"] = constant("CAST(current_timestamp AS TIME)")
	functions["DATE"] = dateFunction
	functions["DATETIME"] = datetimeFunction
	functions["TIMESTAMP"] = timestampFunction
	functions["TIME"] = timeFunction
}

// truncate is X_TRUNC(value, part); cast is the result type when DuckDB's
// differs (its date_trunc of a DATE is a TIMESTAMP).
func truncate(cast string) fn {
	return func(w *walker, grp node) string {
		parts := splitCommas(grp.kids)
		if len(parts) != 2 {
			return w.t.fail("bqfake: time zone arguments of _TRUNC functions are not supported")
		}
		part, sunday, ok := duckPart(parts[1])
		if !ok {
			return w.t.fail("bqfake: date part %s is not supported", describeNode(parts[1][0]))
		}
		v := w.t.seq(parts[0])
		out := "date_trunc('" + part + "', " + v + ")"
		if sunday { // DuckDB's weeks start on Monday
			out = "(date_trunc('week', (" + v + ") + INTERVAL 1 DAY) - INTERVAL 1 DAY)"
		}
		if cast != "" {
			out = "CAST(" + out + " AS " + cast + ")"
		}
		return out
	}
}

// shift is X_ADD or X_SUB(value, INTERVAL n part).
func shift(op, cast string) fn {
	return func(w *walker, grp node) string {
		args := w.args(grp)
		if len(args) != 2 {
			return w.t.fail("No matching signature: _ADD and _SUB take a value and an INTERVAL")
		}
		out := "((" + args[0] + ") " + op + " " + args[1] + ")"
		if cast != "" {
			out = "CAST(" + out + " AS " + cast + ")"
		}
		return out
	}
}

// diff is X_DIFF(a, b, part), a - b in parts.
func diff(duck string) fn {
	return func(w *walker, grp node) string {
		parts := splitCommas(grp.kids)
		if len(parts) != 3 {
			return w.t.fail("No matching signature: _DIFF takes two values and a date part")
		}
		part, sunday, ok := duckPart(parts[2])
		if !ok || (sunday && duck != "date_diff") {
			return w.t.fail("bqfake: date part %s is not supported in _DIFF", describeNode(parts[2][0]))
		}
		a, b := w.t.seq(parts[0]), w.t.seq(parts[1])
		if part == "week" { // DuckDB counts weeks as 7 days, not boundaries
			if sunday { // weeks start on Sunday: shift DuckDB's Monday weeks by a day
				a, b = "("+a+") + INTERVAL 1 DAY", "("+b+") + INTERVAL 1 DAY"
			}
			return "(date_diff('day', date_trunc('week', " + b + "), date_trunc('week', " + a + ")) // 7)"
		}
		return duck + "('" + part + "', " + b + ", " + a + ")"
	}
}

// constant is a function without arguments (a time zone argument is not
// supported).
func constant(sql string) fn {
	return func(w *walker, grp node) string {
		if len(grp.kids) > 0 {
			return w.t.fail("bqfake: time zone arguments are not supported")
		}
		return sql
	}
}

func dateFunction(w *walker, grp node) string {
	args := w.args(grp)
	switch len(args) {
	case 1:
		return "CAST(" + args[0] + " AS DATE)"
	case 2:
		return "CAST(timezone(" + args[1] + ", " + args[0] + ") AS DATE)"
	case 3:
		return "make_date(" + strings.Join(args, ", ") + ")"
	}
	return w.t.fail("No matching signature for function DATE")
}

func datetimeFunction(w *walker, grp node) string {
	args := w.args(grp)
	switch len(args) {
	case 1:
		return "CAST(" + args[0] + " AS TIMESTAMP)"
	case 2:
		if p := splitCommas(grp.kids)[1]; len(p) == 1 && p[0].tok.kind == 's' {
			return "timezone(" + args[1] + ", " + args[0] + ")" // DATETIME(timestamp, zone)
		}
		return "(" + args[0] + " + " + args[1] + ")" // DATETIME(date, time)
	case 6:
		return "make_timestamp(" + strings.Join(args, ", ") + ")"
	}
	return w.t.fail("No matching signature for function DATETIME")
}

func timestampFunction(w *walker, grp node) string {
	args := w.args(grp)
	switch len(args) {
	case 1:
		return "CAST(" + args[0] + " AS TIMESTAMPTZ)"
	case 2:
		return "timezone(" + args[1] + ", CAST(" + args[0] + " AS TIMESTAMP))"
	}
	return w.t.fail("No matching signature for function TIMESTAMP")
}

func timeFunction(w *walker, grp node) string {
	args := w.args(grp)
	switch len(args) {
	case 1:
		return "CAST(" + args[0] + " AS TIME)"
	case 3:
		return "make_time(" + strings.Join(args, ", ") + ")"
	}
	return w.t.fail("No matching signature for function TIME")
}
