package bqfake

import "strconv"

// partitionSpec reads PARTITION BY and CLUSTER BY of a CREATE TABLE.
func partitionSpec(st *stmt, i int) (*Partitioning, []string) {
	toks := st.toks
	var part *Partitioning
	var cluster []string
	for ; i < len(toks) && !toks[i].is("AS") && !toks[i].is("OPTIONS") && !toks[i].is("COPY") && !toks[i].is("CLONE"); i++ {
		switch {
		case toks[i].is("PARTITION") && i+2 < len(toks):
			part = partitionExpr(st, i+2)
		case toks[i].is("CLUSTER") && i+2 < len(toks):
			for j := i + 2; j < len(toks); j += 2 {
				raw, _ := rawPath(st.src, toks, j)
				if len(raw) == 0 {
					break
				}
				cluster = append(cluster, raw[len(raw)-1])
				if j+1 >= len(toks) || toks[j+1].text != "," {
					break
				}
			}
		}
	}
	return part, cluster
}

// partitionExpr understands col, DATE(col), TIMESTAMP_TRUNC(col, UNIT),
// DATETIME_TRUNC, DATE_TRUNC and RANGE_BUCKET(col, GENERATE_ARRAY(a, b, c)).
func partitionExpr(st *stmt, i int) *Partitioning {
	toks := st.toks
	if i+1 < len(toks) && toks[i+1].text == "(" {
		fn := toks[i].text
		raw, next := rawPath(st.src, toks, i+2)
		if len(raw) == 0 {
			return nil
		}
		col := raw[len(raw)-1]
		switch fn {
		case "DATE":
			return &Partitioning{Type: "DAY", Field: col}
		case "TIMESTAMP_TRUNC", "DATETIME_TRUNC", "DATE_TRUNC":
			if next+1 < len(toks) {
				return &Partitioning{Type: toks[next+1].text, Field: col}
			}
		case "RANGE_BUCKET":
			var nums []int64
			for _, t := range toks[next:] {
				if t.kind == 'n' {
					n, _ := strconv.ParseInt(t.text, 10, 64)
					nums = append(nums, n)
				}
				if len(nums) == 3 {
					return &Partitioning{Type: "RANGE", Field: col, Start: nums[0], End: nums[1], Interval: nums[2]}
				}
			}
		}
		return nil
	}
	raw, _ := rawPath(st.src, toks, i)
	if len(raw) == 0 {
		return nil
	}
	return &Partitioning{Type: "DAY", Field: raw[len(raw)-1]}
}

// expiration reports a non-NULL expiration_timestamp option as a
// placeholder time (the fake does not evaluate expressions).
func expiration(st *stmt, i int) int64 {
	for ; i+2 < len(st.toks); i++ {
		if st.toks[i].is("EXPIRATION_TIMESTAMP") && st.toks[i+1].text == "=" && !st.toks[i+2].is("NULL") {
			return 1
		}
	}
	return 0
}
