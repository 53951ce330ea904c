package airflow

// reduce drops the dependencies that others imply: a task that waits for
// b and for c, where c already waits for b, keeps only c. Airflow runs
// the DAG the same way; its graph is easier to read. tasks are in an
// order where every task follows its upstream tasks (Build's order).
func reduce(tasks []*Task) {
	index := make(map[string]int, len(tasks))
	for i, t := range tasks {
		index[t.ID] = i
	}
	words := (len(tasks) + 63) / 64
	ancestors := make([][]uint64, len(tasks)) // each task's strict ancestors
	for i, t := range tasks {
		a := make([]uint64, words)
		for _, up := range t.Upstream {
			j := index[up]
			a[j/64] |= 1 << (j % 64)
			for w, x := range ancestors[j] {
				a[w] |= x
			}
		}
		ancestors[i] = a
	}
	for _, t := range tasks {
		kept := t.Upstream[:0]
		for _, up := range t.Upstream {
			j := index[up]
			implied := false
			for _, other := range t.Upstream {
				if k := index[other]; k != j && ancestors[k][j/64]&(1<<(j%64)) != 0 {
					implied = true
					break
				}
			}
			if !implied {
				kept = append(kept, up)
			}
		}
		t.Upstream = kept
	}
}
